"""The PLOVER event lexicon (shared by the map stage, :mod:`rashomon.what.events`, and the corpus stage,
:mod:`rashomon.what.event_merge`): PETRARCH2's CAMEO verb synonym sets and patterns derived by
``scripts/derive_plover.py`` into ``data/plover_patterns.tsv``, the verbs the PLOVER manual's definitions name
(``data/plover_manual.tsv``) and the grammar of ``data/plover.toml``, compiled into one :class:`Lexicon`.

Which classes of these are used is fixed in ``plover.toml``'s ``[choices]`` (:class:`Choices`);
:func:`use_choices` codes with others, for measuring (``benchmarks/plover_halves.py``).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


class Words(Protocol):
    """The words around a verb that a block's patterns are looked up by (built from the parse by
    :mod:`rashomon.what.verbs`)."""

    heads: set[str]
    lower: set[str]
    prep_names: list[str]

    @property
    def upper(self) -> set[str]: ...


@dataclass(frozen=True)
class Pattern:
    """One CAMEO verb pattern (data/plover_patterns.tsv): the words it needs around the verb and its code."""

    code: str  # CAMEO code: "190", "042:043" (forward : reverse), ":173" (reverse only), "---"
    subj: tuple[str, ...]  # words (or &synsets) of the subject phrase
    obj: tuple[str, ...]  # heads of phrases after the verb, outside its prepositional phrases
    mods: tuple[str, ...]  # modifiers there ("mock" of {MOCK ATTACK})
    preps: tuple[tuple[str, tuple[str, ...]], ...]  # (preposition, words of its phrase)
    target: str  # where the dictionary puts the target: "obj", a preposition, or ""
    source: str  # where it puts the source: "subj", a preposition, or ""
    # the verbs of the block the dictionary's comment says the pattern was found under ("# BREAK"); and
    # whether one of them takes the block's own code, so that the block's other such verbs share it
    origins: frozenset[str] = frozenset()
    shared: bool = True
    # the plain words of obj, mods and subj as sets, checked first (synonym sets and alternatives after)
    plain: tuple[frozenset[str], frozenset[str], frozenset[str]] = dataclasses.field(
        default=(frozenset(), frozenset(), frozenset()), compare=False, repr=False)

    def __post_init__(self) -> None:
        def words(ws: tuple[str, ...]) -> frozenset[str]:
            return frozenset(w for w in ws if w[:1] not in ("&", "|"))

        object.__setattr__(self, "plain", (words(self.obj), words(self.mods), words(self.subj)))

    @property
    def weight(self) -> int:
        return len(self.subj) + len(self.obj) + len(self.mods) + sum(1 + len(w) for _, w in self.preps)


@dataclass(frozen=True)
class BlockIndex:
    """A block's patterns (most specific first) indexed by a word each must find, so that a verb tries only
    the patterns whose word is around it: an object head (or a member of the synonym set there), else a
    preposition, a modifier or a subject word; ``free`` patterns need none."""

    patterns: tuple[Pattern, ...]
    free: tuple[int, ...]
    keyed: Mapping[tuple[str, str], tuple[int, ...]]  # ("h"|"p"|"l"|"u", word) -> positions in patterns
    by_subject: bool = False

    def candidates(self, reg: Words) -> list[Pattern]:
        found = set(self.free)
        keyed = self.keyed
        for kind, pool in (("h", reg.heads), ("l", reg.lower), ("p", reg.prep_names)):
            for w in pool:
                hit = keyed.get((kind, w))
                if hit:
                    found.update(hit)
        if self.by_subject:  # the subject's words, only for a block with patterns keyed by them
            for w in reg.upper:
                hit = keyed.get(("u", w))
                if hit:
                    found.update(hit)
        return [self.patterns[k] for k in sorted(found)]


def _index(patterns: tuple[Pattern, ...], synsets: Mapping[str, tuple[frozenset[str], tuple[tuple[str, ...], ...]]]
           ) -> BlockIndex:
    free: list[int] = []
    keyed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, p in enumerate(patterns):
        heads, mods, subj = p.plain
        keys: list[tuple[str, str]] = []
        if heads:
            keys = [("h", min(heads))]
        elif p.obj:
            w = p.obj[0]
            if w.startswith("|"):
                keys = [("h", x) for x in w[1:].split("|")]
            else:
                single, phrases = synsets.get(w, (frozenset(), ()))
                keys = [("h", x) for x in single] + [("h", ph[-1]) for ph in phrases]
        elif p.preps:
            keys = [("p", p.preps[0][0])]
        elif mods:
            keys = [("l", min(mods))]
        elif subj:
            keys = [("u", min(subj))]
        if not keys:
            free.append(k)
        for key in keys:
            keyed[key].append(k)
    return BlockIndex(patterns, tuple(free), {key: tuple(v) for key, v in keyed.items()},
                      any(kind == "u" for kind, _ in keyed))


@dataclass(frozen=True)
class VerbEntry:
    block: str
    code: str  # the verb's own CAMEO code when no pattern matches
    particle: tuple[str, ...]  # ("off",) for "call off"
    own: bool = False  # listed with a code of its own, not the block's: a sense of its own

    def key(self, lemma: str) -> str:
        """The verb as the dictionary's comments name it: "head", "call_off"."""
        return "_".join((lemma,) + self.particle)


@dataclass(frozen=True)
class Choices:
    """Which classes of the dictionaries the coder uses: chosen on one half of the development records and
    scored on the other (benchmarks/plover_halves.py), then fixed in plover.toml's [choices]."""

    appeals: bool = False  # CAMEO 02 (appeal), which PLOVER dropped, read as REQUEST
    verb_defaults: bool = True  # a verb no pattern matches takes its own code
    reverse: bool = True  # codes for the reverse direction ("[:173]": the object acts on the subject)
    comment_verbs: bool = True  # verbs only the dictionary's comments name ("URGE")
    blockers: bool = True  # null and statement patterns stop a verb's default ("agree on the need": no event)
    pairs: bool = False  # a paired code ("[042:043]") also gives the reverse event (the host hosts)
    table: bool = False  # acts the CAMEO->PLOVER table's descriptions name ("Criticize or denounce")
    manual: bool = True  # verbs the PLOVER manual's definitions name, over the verb's own CAMEO code
    need_source: bool = False  # no event without a named source (PLOVER manual: such events are not coded)
    dyad: bool = True  # a verb's own code needs its direct object to be an actor or a place ("took advantage")
    home_target: bool = True  # a conflict with no target named, in a sentence of one state, is aimed at it
    event_nouns: bool = True  # a support verb ("launched", "staged") with an event noun reports the noun's act
    zero_nouns: bool = True  # ... also a noun that is its verb's own form ("an attack", "a raid")
    civil: bool = False  # civilians' sanctions and coercion (blocking a road, a boycott) are PROTEST
    bodies: bool = False  # a non-governmental body is coded IGO, as older PLOVER coded every international body
    cues: bool = False  # a code takes its CAMEO cue category's type (older PLOVER: 192 "occupy" is ASSAULT)
    aspect: bool = True  # verbs of beginning, going on and resuming share their blocks' event-noun patterns
    motion: bool = True  # verbs of coming and going share their blocks' purpose phrases ("for talks")
    origins: bool = True  # a pattern holds for the verb its comment names, and for the verbs that share its
    # sense (the block's own code), not for a verb the dictionary gives a code of its own ("ARREST [173]")
    support: float = 0.6  # how often a block's noun patterns must code their noun's act for it to hold support verbs


@dataclass(frozen=True)
class Lexicon:
    verbs: Mapping[str, tuple[VerbEntry, ...]]  # lemma -> entries, those with a particle first
    forms: Mapping[str, str]  # irregular form -> lemma
    blocks: Mapping[str, BlockIndex]  # block -> its patterns, most specific first, indexed by word
    synsets: Mapping[str, tuple[frozenset[str], tuple[tuple[str, ...], ...]]]  # &name -> (words, phrases)
    cameo: Mapping[str, tuple[str, str]]  # CAMEO code -> (PLOVER type, mode)
    acts: Mapping[str, tuple[Pattern, ...]]  # verb -> acts the table's descriptions name (object words or none)
    manual: Mapping[str, str]  # verb -> the PLOVER type the manual's definitions give it
    nouns: Mapping[str, str]  # event noun -> the verb it is made from ("invasion" -> "invade")
    named: Mapping[str, str]  # every event noun, those of the verb's own form too ("riot" -> "riot")
    statements: frozenset[str]  # nouns made from verbs of saying ("declaration", "statement")
    support: frozenset[str]  # blocks of support verbs ("launch", "stage"): their event noun's act is theirs
    aspect: frozenset[str]  # blocks of the verbs of beginning, going on and resuming ("start", "continue")
    aspect_index: BlockIndex | None  # those blocks' patterns that name an object and nothing else
    motion: frozenset[str]  # blocks of the verbs of coming and going ("arrive", "return", "gather")
    motion_index: BlockIndex | None  # those blocks' patterns that name a purpose ("(FOR TALKS)") and nothing else
    choices: Choices
    speech: frozenset[str]
    control: frozenset[str]
    expectation: frozenset[str]
    committing: frozenset[str]
    negating: frozenset[str]
    intent_adj: frozenset[str]
    future: frozenset[str]
    hypothetical: frozenset[str]
    obligation: frozenset[str]
    stative: frozenset[str]
    threat_marks: frozenset[str]
    domestic_types: frozenset[str]
    conflict: frozenset[str]
    civilians: frozenset[str]
    civil_types: frozenset[str]
    silent: frozenset[str]
    preparing: frozenset[str]
    hostile: frozenset[str]
    instrument_types: frozenset[str]
    intent: Mapping[str, str]
    negated: Mapping[str, str]
    commitment: Mapping[str, str]
    symmetric: frozenset[str]
    verbal: frozenset[str]


def _read(name: str) -> str:
    return resources.files("rashomon").joinpath(f"data/{name}").read_text(encoding="utf-8")


_CHOICES: Choices | None = None  # set by use_choices(); None: plover.toml's


def use_choices(choices: Choices | None) -> None:
    """Code with other dictionary classes than plover.toml's (for measuring); None restores them."""
    global _CHOICES
    _CHOICES = choices
    lexicon.cache_clear()


def _pattern(cols: list[str]) -> Pattern:
    subj: list[str] = []
    obj: list[str] = []
    mods: list[str] = []
    preps: list[tuple[str, tuple[str, ...]]] = []
    target = source = ""
    origins: frozenset[str] = frozenset()
    for c in cols:
        kind, _, val = c.partition(":")
        if kind == "v":
            origins = frozenset(val.split(","))
        if kind == "s":
            subj.append(val)
        elif kind == "o":
            obj.append(val)
        elif kind == "m":
            mods.append(val)
        elif kind == "p":
            prep, _, words = val.partition("=")
            preps.append((prep, tuple(w for w in words.split("+") if w)))
        elif kind == "tgt":
            target = val
        elif kind == "src":
            source = val
    return Pattern(cols[0], tuple(subj), tuple(obj), tuple(mods), tuple(preps), target, source, origins)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The derived CAMEO patterns (plover_patterns.tsv) and the grammar of plover.toml, compiled once per
    machine (:mod:`rashomon.text.tables`; a quarter of a second in every process otherwise) and loaded once
    per process. Other dictionary classes than plover.toml's (:func:`use_choices`) are compiled afresh."""
    if _CHOICES is not None:
        return _build_lexicon()
    from ..text.tables import cached

    data = resources.files("rashomon").joinpath("data")
    return cached("plover-lexicon", _build_lexicon,
                  sources=[__file__, *(str(data.joinpath(n)) for n in ("plover.toml", "plover_manual.tsv",
                                                                       "plover_patterns.tsv"))])


def _build_lexicon() -> Lexicon:
    cfg: dict[str, Any] = tomllib.loads(_read("plover.toml"))
    choices = _CHOICES or Choices(**cfg.get("choices", {}))
    verbs: dict[str, list[VerbEntry]] = defaultdict(list)
    forms: dict[str, str] = {}
    blocks: dict[str, list[Pattern]] = defaultdict(list)
    synsets: dict[str, tuple[frozenset[str], tuple[tuple[str, ...], ...]]] = {}
    cameo: dict[str, tuple[str, str]] = {}
    acts: dict[str, list[Pattern]] = defaultdict(list)
    manual: dict[str, str] = {}
    nouns: dict[str, str] = {}
    made: dict[str, str] = {}
    support: set[str] = set()
    cues: dict[str, str] = {}
    block_codes: dict[str, str] = {}
    if choices.manual:
        for line in _read("plover_manual.tsv").splitlines():
            if line and not line.startswith("#"):
                verb, typ = line.split("\t")[:2]
                if typ not in TYPES:
                    raise ValueError(f"unknown PLOVER type {typ!r} in plover_manual.tsv")
                manual[verb] = typ
    for line in _read("plover_patterns.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        kind = cols[0]
        if kind == "V":
            lemma, block, code = cols[1], cols[2], cols[3]
            if len(cols) > 6 and cols[6] == "comment" and not choices.comment_verbs:
                continue
            particle = tuple(cols[4].split()) if len(cols) > 4 else ()
            verbs[lemma].append(VerbEntry(block, code, particle))
            for form in (cols[5].split() if len(cols) > 5 else ()):
                forms.setdefault(form, lemma)
        elif kind == "P":
            blocks[cols[1]].append(_pattern(cols[2:]))
        elif kind == "D":
            if choices.table:
                objs = tuple("|" + cols[3][2:],) if len(cols) > 3 else ()
                acts[cols[1]].append(Pattern(cols[2], (), objs, (), (), "", ""))
        elif kind == "S":
            members = [tuple(m.split()) for m in cols[2].split("|")]
            synsets[cols[1]] = (frozenset(m[0] for m in members if len(m) == 1),
                                tuple(m for m in members if len(m) > 1))
        elif kind == "E":
            made[cols[1]] = cols[2]
            if choices.event_nouns and (choices.zero_nouns or len(cols) < 4):
                nouns[cols[1]] = cols[2]
        elif kind == "L":
            agree, total = int(cols[2]), int(cols[3])
            if (agree + 1) / (total + 2) >= choices.support:  # one pattern in one is weak evidence
                support.add(cols[1])
        elif kind == "R":
            cues[cols[1]] = cols[2]
        elif kind == "B":
            block_codes[cols[1]] = cols[2]
        elif kind == "C":
            typ = cols[2]
            if typ == "APPEAL":
                if not choices.appeals:
                    continue
                typ = "REQUEST"
            if typ not in TYPES:  # a typo in the data must not become a 17th type
                raise ValueError(f"unknown PLOVER type {typ!r} in the event patterns")
            cameo[cols[1]] = (typ, cols[3] if len(cols) > 3 else "")
    if choices.cues:  # the cue category's type, the code's mode
        for code, (_typ, mode) in list(cameo.items()):
            base = code.rstrip("!")
            cue = next((cues[base[:k]] for k in range(len(base), 1, -1) if base[:k] in cues), None)
            if cue is not None:
                cameo[code] = (cue, mode)
    # a block with no code of its own whose verbs the manual types alike gives that type to its other verbs
    # (REFUSE: "reject", "refuse", "resist" are REJECT, so "deny", "decline"; CANCEL: "terminate" is
    # SANCTION, so "suspend", "halt"; FINISH: "finalize" is SUPPORT, so "conclude")
    typed_blocks: dict[str, set[str]] = defaultdict(set)
    for verb, typ in manual.items():
        for e in verbs.get(verb, ()):
            if not e.particle and e.code == "---":
                typed_blocks[e.block].add(typ)
    for verb, entries in verbs.items():
        for e in entries:
            if not e.particle and verb not in manual and len(typed_blocks.get(e.block, ())) == 1:
                manual[verb] = next(iter(typed_blocks[e.block]))
    # a verb listed with a code other than its block's has a sense of its own: the patterns found under the
    # block's other verbs are not its (APPREHEND's "ARREST [173]" is not "TAKE"'s "&MILITARY * [192]")
    for verb, entries in verbs.items():
        verbs[verb] = [dataclasses.replace(e, own=e.code != block_codes.get(e.block, e.code)) for e in entries]
    for block, pats in blocks.items():
        if not choices.origins:
            blocks[block] = [dataclasses.replace(p, origins=frozenset()) for p in pats]
            continue
        sharing = {e.key(v) for v, entries in verbs.items() for e in entries if e.block == block and not e.own}
        blocks[block] = [p if not p.origins else dataclasses.replace(p, shared=not p.origins.isdisjoint(sharing))
                         for p in pats]
    # "began a hunger strike", "continued a hunger strike", "resumed talks": an act named as a noun is the same
    # act whichever verb of aspect reports it, so those verbs' blocks pool their patterns that name only an
    # object ("- * {HUNGER STRIKE} [142]" is START's)
    aspect = {e.block for v in cfg.get("aspect_verbs", ()) for e in verbs.get(v, ()) if not e.particle} \
        if choices.aspect else set()
    pooled: dict[tuple[Any, ...], Pattern] = {}
    for block in sorted(aspect):
        for pat in blocks.get(block, ()):
            forward = pat.code.partition(":")[0].rstrip("!")
            if pat.obj and not pat.subj and not pat.preps and any(forward[:k] in cameo for k in range(2, 5)):
                pooled.setdefault((pat.obj, pat.mods), dataclasses.replace(pat, origins=frozenset()))
    aspect_index = _index(tuple(sorted(pooled.values(), key=lambda p: -p.weight)), synsets) if pooled else None
    # "arrived for talks", "gathered for talks", "converged for talks" [046]: where one comes or goes for is
    # the act whichever verb of motion reports it, so those verbs' blocks pool their patterns that name only
    # a purpose phrase, "(FOR ...)" with its words; a phrase the blocks code as different PLOVER types is left
    motion = {e.block for v in cfg.get("motion_verbs", ()) for e in verbs.get(v, ()) if not e.particle} \
        if choices.motion else set()
    purposes: dict[tuple[Any, ...], list[Pattern]] = {}
    for block in sorted(motion):
        for pat in blocks.get(block, ()):
            if pat.preps and not pat.obj and not pat.subj and not pat.mods \
                    and all(p == "for" and words for p, words in pat.preps):
                purposes.setdefault(pat.preps, []).append(dataclasses.replace(pat, origins=frozenset()))
    shared_purposes = []
    for pats in purposes.values():
        kinds = {cameo.get(p.code.partition(":")[0].rstrip("!"), ("",))[0] for p in pats}
        if len(kinds) == 1 and "" not in kinds:
            shared_purposes.append(pats[0])
    motion_index = _index(tuple(sorted(shared_purposes, key=lambda p: -p.weight)), synsets) \
        if shared_purposes else None
    for typ in list(cfg["intent"].values()) + list(cfg["negated"].values()) + list(cfg["commitment"].values()):
        if typ and typ not in TYPES:
            raise ValueError(f"unknown PLOVER type {typ!r} in plover.toml")
    return Lexicon(
        verbs={k: tuple(sorted(v, key=lambda e: -len(e.particle))) for k, v in verbs.items()},
        forms=forms,
        blocks={k: _index(tuple(sorted(v, key=lambda p: -p.weight)), synsets) for k, v in blocks.items()},
        synsets=synsets, cameo=cameo, acts={k: tuple(v) for k, v in acts.items()}, manual=manual, choices=choices,
        nouns=nouns, named=made if choices.aspect and choices.event_nouns else {}, support=frozenset(support),
        aspect=frozenset(aspect), aspect_index=aspect_index, motion=frozenset(motion), motion_index=motion_index,
        statements=frozenset(n for n, v in made.items() if v in cfg["speech_verbs"] and n != v),
        speech=frozenset(cfg["speech_verbs"]),
        control=frozenset(cfg["control_verbs"]), expectation=frozenset(cfg["expectation_verbs"]),
        committing=frozenset(cfg["commitment_verbs"]), negating=frozenset(cfg["negating_verbs"]),
        intent_adj=frozenset(cfg["intent_adjectives"]), future=frozenset(cfg["future_aux"]),
        hypothetical=frozenset(cfg["hypothetical_aux"]), obligation=frozenset(cfg["obligation_aux"]),
        stative=frozenset(cfg["stative_participles"]),
        threat_marks=frozenset(cfg["threat_marks"]), domestic_types=frozenset(cfg["domestic_types"]),
        conflict=frozenset(cfg["conflict_types"]), civilians=frozenset(cfg["civilian_sectors"]),
        civil_types=frozenset(cfg["civilian_protest"]),
        preparing=frozenset(cfg["preparing_verbs"]), hostile=frozenset(cfg["hostile_types"]),
        silent=frozenset(cfg["silent_complements"]),
        instrument_types=frozenset(cfg["instrument_types"]),
        intent=dict(cfg["intent"]), negated=dict(cfg["negated"]), commitment=dict(cfg["commitment"]),
        symmetric=frozenset(cfg["symmetric"]), verbal=frozenset(cfg["verbal_types"]),
    )

