"""PLOVER event coding in one article (map stage): who did what to whom, when and where. The corpus stage,
which merges one event reported by several articles, is :mod:`rashomon.what.event_merge`.

A sentence reports an interaction when a verb of its main clause chain (the root, its conjuncts, what a
speech verb reports, a to-infinitive it controls) is coded by the field's own dictionaries, derived by
``scripts/derive_plover.py`` into ``data/plover_patterns.tsv``: PETRARCH2's CAMEO verb synonym sets and
patterns (the most specific pattern whose subject, object, preposition and particle words are found around
the verb; else the verb's own code), with the CAMEO codes mapped to PLOVER type and mode by the PLOVER
project's table, the acts that table's descriptions name, and the verbs the PLOVER manual's definitions name
(``data/plover_manual.tsv``). Which classes of these are used is fixed in ``data/plover.toml``'s
``[choices]``, chosen on one half of the development records and scored on the other
(``benchmarks/plover_halves.py``). How negation, intent and reported obligation change the type is
``plover.toml``'s grammar (after the PLOVER manual: a stated intent to cooperate is AGREE, to harm
THREATEN; refusing to cooperate is REJECT; "X said Y must ..." is X's REQUEST to Y). Actors come from
:mod:`rashomon.who.actors`.

>>> from rashomon.text import nlp
>>> from rashomon.model import Article
>>> text = "Peruvian President Ana Varga met Chilean leaders in Lima on Friday."
>>> ev = find_events(nlp.load()(text), Article(id="a", input="-", text=text, date="2026-03-06"), (), ())
>>> [(e.type, e.source_actor, e.target_actor, e.location) for e in ev]
[('CONSULT', 'PER', 'CHL', 'Lima')]
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import Article, EventMention, Mention, TimeMention
from ..who.actors import (
    Actor,
    ActorCoder,
    country_of,
    is_collective,
    is_pronoun,
    place_kind,
    sector_of_word,
    state_of,
    town_of_named_state,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

#: dependency arcs that keep a verb in the sentence's main assertion (not a relative or background clause)
_MAIN_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "parataxis", "acomp"})
_TARGET_PREPS = ("with", "against", "to", "on", "at", "into", "toward", "towards", "upon", "from", "over",
                 "between", "for")
_SOURCE_DEPS = ("nsubj", "csubj")
_LOCATION_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
_HOME_PREPS = frozenset({"in", "at", "near", "outside", "inside", "throughout", "across", "around"})
_OWN = frozenset({"its", "their", "his", "her", "our"})  # "withdraw its troops": one's own, not a target


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

    def candidates(self, reg: _Region) -> list[Pattern]:
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


# ------------------------------------------------------------------------------------------ map stage


@dataclass
class _Found:
    """One trigger while a sentence is read."""

    type: str
    verb: Token  # the verb that heads the clause
    noun: Token | None  # the object noun a pattern named ("imposed sanctions"): its arguments count
    lemma: str
    code: str = ""  # the CAMEO code
    mode: str = ""  # the PLOVER mode of that code
    reverse: bool = False  # the code is for the object acting on the subject
    pair: tuple[str, str] | None = None  # (type, mode) of the event a paired code gives back
    target_at: str = ""  # where the pattern puts the target ("obj", a preposition)
    source_at: str = ""


def _lemmas(tok: Token) -> list[str]:
    """The token's lemma, then plain de-inflections of its text: the small model's lemmatizer slips on
    news verbs ("staged" -> "stag", "hopes" -> "hop")."""
    return list(_forms(tok.lower_, tok.lemma_.lower()))


@lru_cache(maxsize=16384)
def _forms(low: str, lemma: str) -> tuple[str, ...]:
    out = [lemma, low]
    for suffix, add in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                        ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            out.append(low[: -len(suffix)] + add)
    return tuple(dict.fromkeys(out))


def _is(tok: Token, words: frozenset[str]) -> bool:
    """Whether a word's lemma, or a plain de-inflection of it, is one of ``words``."""
    return not words.isdisjoint(_forms(tok.lower_, tok.lemma_.lower()))


#: children whose subtrees are clauses of their own, not the verb's arguments
_OWN_CLAUSE = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "csubj", "nsubj", "mark", "cc", "punct",
                         "aux", "auxpass", "neg", "nsubjpass", "expl"})
_PREP_DEPS = frozenset({"prep", "agent", "dative", "prt"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "det", "predet", "npadvmod"})
_FUNCTION_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "PUNCT", "AUX", "SPACE"})


class _Region:
    """The words around a verb that patterns are matched against: after it (its objects and phrases, a
    passive subject) and before it (its subject). The words inside each prepositional phrase and the
    subject's words are read only when a pattern asks for them."""

    __slots__ = ("lower", "heads", "tokens", "particles", "prep_names", "_prep_tokens", "_preps", "_verb", "_subj",
                 "_upper")

    def __init__(self, verb: Token, subj: Token | None, lower: set[str], heads: set[str], tokens: dict[str, Token],
                 particles: set[str], prep_tokens: list[tuple[str, Token]]) -> None:
        self.lower = lower  # every word after the verb
        self.heads = heads  # the heads of its phrases (a pattern's bare word names a head)
        self.tokens = tokens  # word -> the first token after the verb that has it
        self.particles = particles
        self.prep_names = [name for name, _ in prep_tokens]
        self._prep_tokens = prep_tokens
        self._preps: list[tuple[str, set[str], Token]] | None = None
        self._verb, self._subj = verb, subj
        self._upper: set[str] | None = None

    @property
    def verb(self) -> Token:
        return self._verb

    @property
    def preps(self) -> list[tuple[str, set[str], Token]]:
        """(preposition, the words of its phrase, its token) for each prepositional phrase after the verb."""
        if self._preps is None:
            self._preps = [(name, {w for x in t.subtree if x.i != t.i for w in _words_of(x)}, t)
                           for name, t in self._prep_tokens]
        return self._preps

    @property
    def upper(self) -> set[str]:
        """The subject's words and the verb's other words before it."""
        if self._upper is None:
            upper: set[str] = set()
            if self._subj is not None:
                # the subject's own phrase, not its prepositional phrases or clauses ("riots against Israeli
                # military policies" is no "&MILITARY" subject), but its "of" ("a patch of Bangladeshi troops")
                stack = [self._subj]
                while stack:
                    x = stack.pop()
                    upper.update(_words_of(x))
                    stack.extend(c for c in x.children if c.dep_ not in _SUBJECT_SKIP
                                 or (c.dep_ == "prep" and c.lower_ == "of"))  # "a group of Kurdish rebels"
            upper |= {w for c in self._verb.children if c.i < self._verb.i
                      and c.dep_ not in ("nsubj", "nsubjpass", "csubj") for w in _words_of(c)}
            self._upper = upper
        return self._upper


def _words_of(tok: Token) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


_INNER_CLAUSE = frozenset({"xcomp", "pcomp"})
_SUBJECT_SKIP = frozenset({"prep", "relcl", "acl", "appos", "ccomp", "advcl"})


def _region(verb: Token, subj: Token | None) -> _Region:
    lower: set[str] = set()
    heads: set[str] = set()
    tokens: dict[str, Token] = {}
    preps: list[tuple[str, Token]] = []
    particles: set[str] = set()
    # (token, depth): 0 the verb's own phrases, 1 inside a prepositional phrase or a participle's ("armed with
    # machetes"), 2 inside a clause of its own, not read (a to-infinitive "to appear for questioning in an
    # investigation" is another verb's, coded on its own)
    stack = [(c, 2 * (c.dep_ in _INNER_CLAUSE)) for c in verb.children
             if c.dep_ not in _OWN_CLAUSE or c.dep_ == "nsubjpass"]
    while stack:
        t, depth = stack.pop()
        if depth == 2:
            continue
        if t.pos_ not in _FUNCTION_POS or t.dep_ == "prt":
            # a pattern's bare words name the verb's objects and particles, never a preposition or an article
            for w in _words_of(t):
                lower.add(w)
                tokens.setdefault(w, t)
                # ... the heads of its phrases outside prepositional phrases (PETRARCH2: a bare word is a head;
                # "(IN AREA)" is how a pattern names a phrase in a prepositional phrase)
                if t.dep_ not in _MODIFIER_DEPS and depth == 0:
                    heads.add(w)
        if t.dep_ == "prt" and t.head.i == verb.i:
            particles.add(t.lower_)
        if t.dep_ in _PREP_DEPS:
            preps.append(("by" if t.dep_ == "agent" else t.lower_, t))
            if t.head.i == verb.i and t.dep_ in ("prep", "prt", "advmod"):
                particles.add(t.lower_)
        inner = max(depth, 1) if t.dep_ in ("prep", "agent", "dative", "acl") and not _measured(t, depth) else depth
        stack.extend((c, max(inner, 2 * (c.dep_ in _INNER_CLAUSE))) for c in t.children
                     if c.dep_ not in ("relcl", "ccomp", "advcl", "parataxis"))
    for c in verb.children:
        if c.dep_ == "advmod" and c.i > verb.i:
            particles.add(c.lower_)
    return _Region(verb, subj, lower, heads, tokens, particles, preps)


def _measured(prep: Token, depth: int) -> bool:
    """Whether ``prep`` is the "of" of a counted object, whose phrase names what the verb acts on ("launched
    10 days of war games", "held three rounds of talks"): the counted noun measures it, the "of" phrase
    is the head a pattern names."""
    return depth == 0 and prep.lower_ == "of" and prep.head.dep_ in ("dobj", "nsubjpass") \
        and any(c.dep_ == "nummod" for c in prep.head.children)


def _has(word: str, pool: set[str], lex: Lexicon, around: set[str] | None = None) -> bool:
    """Whether ``pool`` holds a pattern word: a word, one of "|"-alternatives, or a member of a synonym set;
    a member of several words ("war games") by its last word, the others anywhere ``around``."""
    if word.startswith("|"):  # alternatives ("|truce|ceasefire")
        return any(w in pool for w in word[1:].split("|"))
    if word.startswith("&"):
        single, phrases = lex.synsets.get(word, (frozenset(), ()))
        return not single.isdisjoint(pool) or any(
            ph[-1] in pool and all(w in (around or pool) for w in ph[:-1]) for ph in phrases)
    return word in pool


def _matches(p: Pattern, reg: _Region, lex: Lexicon) -> bool:
    heads, mods, subj = p.plain
    if not (heads <= reg.heads and mods <= reg.lower and subj <= reg.upper):
        return False
    if len(heads) < len(p.obj) and not all(_has(w, reg.heads, lex, reg.lower) for w in p.obj if w not in heads):
        return False
    if len(mods) < len(p.mods) and not all(_has(w, reg.lower, lex) for w in p.mods if w not in mods):
        return False
    if len(subj) < len(p.subj) and not all(_has(w, reg.upper, lex) for w in p.subj if w not in subj):
        return False
    for prep, words in p.preps:
        # a bare "(FOR)" is the verb's own complement ("attacked him for"), not a phrase inside its object's
        if not any(name == prep and (all(_has(w, inside, lex) for w in words) if words
                                     else t.head.i == reg.verb.i)
                   for name, inside, t in reg.preps):
            return False
    return True


def _applies(p: Pattern, lemma: str, entry: VerbEntry) -> bool:
    """Whether a pattern holds for this verb: one its comment names, or one that shares the sense of those
    (the block's own code) when it has none of its own."""
    if not p.origins:
        return True
    return entry.key(lemma) in p.origins or (p.shared and not entry.own)


def _verb_entry(tok: Token, lex: Lexicon) -> tuple[str, VerbEntry | None] | None:
    """The dictionary's entry for a verb token: a multi-word verb when its particle is there ("called off"),
    else the single word; (lemma, None) for a verb only the table's descriptions or the manual name."""
    lemmas = _lemmas(tok)
    if tok.lower_ in lex.forms:
        lemmas.insert(1, lex.forms[tok.lower_])
    low = tok.lower_
    if low.startswith("re") and len(low) > 5 and not any(w in lex.verbs for w in lemmas):
        # "retaken", "reimposed": doing again is doing (the dictionary lists few re- verbs; its own
        # "REOPEN" and "RESUME" are kept first)
        rest = low[2:].lstrip("-")
        lemmas += [w for w in ((lex.forms.get(rest, ""),) + _forms(rest, rest)) if w]
    for lemma in lemmas:
        entries = lex.verbs.get(lemma)
        if not entries:
            if lemma in lex.acts or lemma in lex.manual:
                return lemma, None
            continue
        after = {c.lower_ for c in tok.children if c.i > tok.i and c.dep_ in ("prt", "prep", "advmod", "dobj")}
        nxt = tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""
        for e in entries:
            if not e.particle or all(p in after or p == nxt for p in e.particle):
                return lemma, e
        return lemma, None
    return None


def _verb_type(tok: Token, lex: Lexicon, subj: Token | None = None) -> _Found | None:
    """The event a verb reports by the dictionaries: the most specific pattern of its block (or act of the
    CAMEO->PLOVER table) that matches the words around it; else the type the PLOVER manual gives the verb;
    else the verb's own CAMEO code (or the table's, when the dictionary gives it none). None for the null
    code, statements, and codes outside PLOVER."""
    hit = _verb_entry(tok, lex)
    if hit is None:
        return None
    lemma, entry = hit
    # a verb of saying reports; its own code is no event, though its patterns may be ("announced a ban")
    saying = lemma in lex.speech and not (entry and entry.particle)
    # a control verb with an infinitive ("decided to allow", "tried to hack") leaves the act to it
    if lemma in lex.control and any(c.dep_ == "xcomp" for c in tok.children):
        return None
    if subj is None:
        subj, _ = _subject(tok, lex.stative)
    index = lex.blocks.get(entry.block) if entry is not None else None
    acts = lex.acts.get(lemma, ())
    reg = _region(tok, subj) if index is not None or acts else None
    candidates = index.candidates(reg) if index is not None and reg is not None else []
    if acts:
        candidates = sorted(candidates + [a for a in acts if a.obj], key=lambda p: -p.weight)
    pattern: Pattern | None = None
    for p in candidates:
        if entry is not None and not _applies(p, lemma, entry):
            continue
        if reg is not None and _matches(p, reg, lex):
            if not lex.choices.blockers and _plover(p.code, lex) is None:
                continue
            pattern = p
            break
    if pattern is None and entry is not None and entry.block in lex.aspect and lex.aspect_index is not None \
            and reg is not None:
        pattern = next((p for p in lex.aspect_index.candidates(reg) if _matches(p, reg, lex)), None)
        if pattern is None and subj is not None and not any(c.dep_ in ("dobj", "xcomp") for c in tok.children):
            # "riots against Israeli policies are continuing": an act named as the subject goes on
            carried = _event_noun(tok, subj, lex, subject=True)
            if carried is not None:
                return carried
    if pattern is None and entry is not None and entry.block in lex.motion and lex.motion_index is not None \
            and reg is not None:
        pattern = next((p for p in lex.motion_index.candidates(reg) if _matches(p, reg, lex)), None)
    # a support verb's event noun ("launched a mediation effort"), unless a pattern coded the phrase; one
    # that codes only an act PLOVER dropped (an appeal: "LAUNCH * EFFORT [020]") leaves it to the noun
    if entry is not None and entry.block in lex.support and (pattern is None or (
            pattern.code[:2] == "02" and _plover(pattern.code, lex) is None)):
        carried = _event_noun(tok, subj, lex)
        if carried is not None:
            return carried
    typed: tuple[str, str, bool, tuple[str, str] | None] | None = None
    code = ""
    if pattern is not None:
        code = pattern.code
        typed = _plover(code, lex)
    elif saying:
        return None
    else:
        # a verb alone codes between actors, not on a thing ("took advantage", "hosted a festival"), unless it
        # is a verbal act, which may well be about a thing ("rejected the plan")
        thing = lex.choices.dyad and _thing_object(tok, subj)
        own: tuple[str, str, bool, tuple[str, str] | None] | None = None
        if lemma in lex.manual and not (entry and entry.particle):
            own = (lex.manual[lemma], "", False, None)  # the manual's type, in place of the verb's own code
        elif entry is not None and lex.choices.verb_defaults:
            own, code = _plover(entry.code, lex), entry.code
        bare = next((a for a in acts if not a.obj), None)
        if own is not None and thing and own[0] not in lex.verbal:
            return None
        if own is not None:
            typed = own
        elif bare is not None and not (entry and entry.particle):  # the dictionary gives the verb no event
            code, typed = bare.code, _plover(bare.code, lex)
            if typed is not None and thing and typed[0] not in lex.verbal:
                return None
    if typed is None:
        return None
    typ, mode, reverse, pair = typed
    noun = None
    light = entry is None or _plover(entry.code, lex) is None  # "held talks": the object is the event
    if pattern is not None and light and reg is not None:
        for w in pattern.obj:
            t = next((reg.tokens[x] for x in reg.tokens if _has(w, {x}, lex)), None)
            if t is not None and t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "nsubjpass") \
                    and t.head.i == tok.i:
                noun = t
                break
    return _Found(typ, tok, noun, lemma, code=code, mode=mode, reverse=reverse, pair=pair,
                  target_at=pattern.target if pattern else "", source_at=pattern.source if pattern else "")


_ACTOR_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"})


def _event_noun(tok: Token, subj: Token | None, lex: Lexicon, subject: bool = False) -> _Found | None:
    """The act a support verb's event noun names ("mounted an invasion of Lebanon", "launched a mediation
    effort", "an investigation was launched"): the noun's verb coded over the noun's own phrase, by its
    block's patterns, else by the manual's type or its own code. With ``subject``, the act a verb of going
    on names as its subject ("protests continued")."""
    if subject:
        objs = [c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
        table = lex.named
    else:
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"]
        # "put under investigation", "placed under arrest": the act the object is put under
        objs += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "under"
                 for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"]
        table = lex.nouns
    for obj in objs:
        # the object, or the noun it is compounded with ("a mediation effort", "air strikes")
        for noun in [obj] + [c for c in obj.children if c.dep_ == "compound" and c.pos_ == "NOUN"]:
            lemma = next((table[w] for w in _forms(noun.lower_, noun.lemma_.lower()) if w in table), "")
            entry = next((e for e in lex.verbs.get(lemma, ()) if not e.particle), None)
            if entry is None:
                continue
            reg = _region(obj, subj)  # the whole phrase: "a mediation effort between A and B"
            index = lex.blocks.get(entry.block)
            pattern = next((p for p in index.candidates(reg) if _applies(p, lemma, entry) and _matches(p, reg, lex)),
                           None) if index else None
            if pattern is not None:
                code, typed = pattern.code, _plover(pattern.code, lex)
            elif lemma in lex.manual:
                code, typed = "", (lex.manual[lemma], "", False, None)
            else:
                code, typed = entry.code, _plover(entry.code, lex) if lex.choices.verb_defaults else None
            if typed is None:
                return None
            typ, mode, reverse, pair = typed
            return _Found(typ, tok, noun, lemma, code=code, mode=mode, reverse=reverse, pair=pair,
                          target_at=pattern.target if pattern else "", source_at=pattern.source if pattern else "")
    return None


def _thing_object(tok: Token, subj: Token | None = None) -> bool:
    """Whether the verb's direct object is a thing and no actor is acted on: a common noun with no proper
    name, state word or agent in its phrase ("took advantage", "giving them grief"), and no actor in the
    verb's target phrases ("donated supplies to Peru") nor beside its subject ("Peru and Chile discussed the
    dispute"). PETRARCH2 codes a verb only between two actors; a verb whose object is a thing means what a
    pattern for that thing says, not its own code."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None or obj.pos_ != "NOUN" or obj.ent_type_ in _ACTOR_ENTS:
        return False
    # the object's phrase ("positions of the Palestinian security forces", "lines leading into Kabul")
    words = [w for w in obj.subtree if w.i != tok.i]
    if any(_actor_word(w) for w in words):
        return False
    if any(_actor_word(w) for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ in _TARGET_PREPS
           for p in c.children if p.dep_ == "pobj" for w in p.subtree):
        return False
    if subj is not None and any(c.dep_ == "conj" and _actor_word(c) for c in subj.children):
        return False
    return not is_collective(obj.lemma_)


def _actor_word(w: Token) -> bool:
    return (w.ent_type_ in _ACTOR_ENTS or w.pos_ in ("PROPN", "PRON") or (w.text[:1].isupper() and w.i > 0)
            or (w.pos_ == "NOUN" and sector_of_word(w.lemma_) is not None))


def _plover(code: str, lex: Lexicon) -> tuple[str, str, bool, tuple[str, str] | None] | None:
    """(type, mode, reverse, reverse event) of a CAMEO code such as "190", "042:043" or ":173": the first
    part codes the source acting on the target, the second the target acting back ("reverse" when only that
    one is given). None when it names no PLOVER event (null code, statements, appeals unless chosen)."""
    forward, _, back = code.partition(":")
    back_typed = _cameo(back, lex) if back and lex.choices.reverse else None
    if forward and forward != "---":
        typed = _cameo(forward, lex)
        if typed is None:
            return None
        return typed[0], typed[1], False, back_typed if lex.choices.pairs else None
    if back_typed is not None:
        return back_typed[0], back_typed[1], True, None
    return None


def _cameo(part: str, lex: Lexicon) -> tuple[str, str] | None:
    part = part.rstrip("!")
    if not part or part == "---":
        return None
    for k in range(len(part), 1, -1):
        if part[:k] in lex.cameo:
            return lex.cameo[part[:k]]
    return None


def _serves(verb: Token, other: Token) -> bool:
    """Whether ``verb`` is what ``other`` promises, demands or aims at: its to-infinitive ("agreed to
    share"), a conjunct of that infinitive ("agreed to modernise CETA and launch talks"), the clause it
    governs ("demanded that Hanoi withdraw", "warned that it would strike"), or its purpose."""
    t = verb
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.head.i != other.i:
        return False
    return t.dep_ in ("xcomp", "ccomp") or (t.dep_ in _PURPOSE_DEPS and _is_purpose(t))


def _object_control(verb: Token, other: Token) -> bool:
    """Whether ``verb`` is a to-infinitive that ``other`` takes after its direct object ("summoned the
    ambassador to complain", "ordered the newspaper to suspend publication"): an act the object is put to,
    not what the subject commits to or threatens ("agreed to share", "threatened to ban"); of another type
    than ``other``'s, it is coded as an act of its own."""
    return verb.dep_ == "xcomp" and verb.head.i == other.i and any(
        c.dep_ == "dobj" and c.i < verb.i for c in other.children)


def _own_act(inf: Token, f: _Found, lex: Lexicon) -> bool:
    """Whether an infinitive put to the object of ``f``'s verb is coded as an act of its own: one of another
    type ("summoned the ambassador to complain"); one of the same type is what the verb already says
    ("invited the prime minister to visit": the invitation, a commitment to meet)."""
    if not _object_control(inf, f.verb):
        return False
    own = _verb_type(inf, lex)
    return own is not None and own.type != f.type


def _obligation(tok: Token, lex: Lexicon) -> _Found | None:
    """"X said Y must ...": whatever Y is to do, X asks it of Y."""
    if tok.dep_ == "ccomp" and _is(tok.head, lex.speech) and _aux(tok) & lex.obligation:
        return _Found("REQUEST", tok, None, tok.lemma_.lower())
    return None


def _main_chain(tok: Token, statements: frozenset[str] = frozenset()) -> list[Token]:
    """The verbs from ``tok`` up to the root, or [] when ``tok`` sits in a background clause. A participle
    on a statement the main clause issues ("issued a declaration demanding that ...") says what the
    statement says, and is part of the assertion."""
    chain = [tok]
    t = tok
    while t.head.i != t.i:
        if t.dep_ == "acl" and t.tag_ == "VBG" and t.head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") \
                and not statements.isdisjoint(_forms(t.head.lower_, t.head.lemma_.lower())) \
                and t.head.head.i != t.head.i:
            t = t.head.head
            chain.append(t)
            continue
        if t.dep_ not in _MAIN_DEPS and not (t.dep_ in _PURPOSE_DEPS and _is_purpose(t)):
            return []
        t = t.head
        chain.append(t)
    return chain


_PURPOSE_DEPS = frozenset({"advcl", "acl", "relcl"})


def _infinitive(tok: Token) -> bool:
    """A to-infinitive a verb takes ("swore to fight"), as the parser hangs it (xcomp, or advcl)."""
    return tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and _is_purpose(tok))


def _is_purpose(tok: Token) -> bool:
    """An infinitive of purpose ("stopped in Tokyo to meet her", which the parser may hang on the noun)
    is part of what the sentence asserts; a relative clause with its own subject is not."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _passive_form(tok: Token) -> bool:
    """'is committed', 'was prepared': a participle after a form of 'be'."""
    return tok.tag_ == "VBN" and any(c.dep_ in ("auxpass", "aux") and c.lemma_ == "be" for c in tok.children)


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _subject(tok: Token, stative: frozenset[str] = frozenset()) -> tuple[Token | None, bool]:
    """(subject token, passive) of a verb, borrowed from the verb it depends on for infinitives and
    conjuncts ("agreed to share": the sharer is who agreed). "Is committed to" is no passive."""
    t = tok
    for _ in range(5):
        for c in t.children:
            if c.dep_ in _SOURCE_DEPS:
                return c, False
            if c.dep_ == "nsubjpass":
                return c, t.lemma_.lower() not in stative
        if t.dep_ in ("xcomp", "conj", "advcl", "acomp") and t.head.i != t.i:
            t = t.head
            continue
        if t.dep_ in ("acl", "relcl") and t.head.i != t.i:  # "a stopover to meet her": the stopper meets
            t = t.head
            while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
                t = t.head
            continue
        # "willing to withdraw": the adjective's subject is the copula's
        if t.head.i != t.i and t.head.pos_ == "AUX":
            t = t.head
            continue
        break
    return None, False


def find_events(doc: Doc, article: Article, mentions: Sequence[Mention],
                times: Sequence[TimeMention]) -> tuple[EventMention, ...]:
    """PLOVER-coded interactions reported by the sentences of one article."""
    lex = lexicon()
    coder = ActorCoder(doc, mentions, article.date)
    out: list[EventMention] = []
    last: Actor | None = None  # the latest coded source, for "it"/"they" in the next sentence
    for si, sent in enumerate(doc.sents):
        found = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            chain = _main_chain(tok, lex.statements)
            if not chain:
                continue
            f = _verb_type(tok, lex) or _obligation(tok, lex)
            if f is None:
                continue
            found.append((f, chain))
        # a typed verb that controls another ("threatened to ban", "agreed to share") speaks for both
        # and a coded act's infinitive of purpose ("began a hunger strike to demand ...") is part of it
        # ... but a verb of commitment gives way to what it commits to ("swore to fight": an intent to fight)
        controlled = {(g.verb if _is(g.verb, lex.committing) and _infinitive(f.verb) else f.verb).i
                      for f, chain in found for g, _ in found if g is not f and _serves(f.verb, g.verb)
                      and not (f.type != g.type and _object_control(f.verb, g.verb))}
        seen_types: set[str] = set()
        for f, chain in found:
            if f.verb.i in controlled:
                continue
            coded = _code(f, chain, sent, si, article, coder, times, lex, last)
            if coded is None or coded[0].type in seen_types:
                continue
            if lex.choices.need_source and coded[0].source_actor is None:
                continue
            ev, named_source = coded
            seen_types.add(ev.type)
            out.append(ev)
            if f.pair is not None and ev.source_actor and ev.target_actor and f.pair[0] not in seen_types:
                # "[042:043]": the visit is also the host's hosting, from the target back to the source
                seen_types.add(f.pair[0])
                out.append(dataclasses.replace(
                    ev, type=f.pair[0], source_text=ev.target_text, source_actor=ev.target_actor,
                    target_text=ev.source_text, target_actor=ev.source_actor, source_start=ev.target_start,
                    target_start=ev.source_start, source_sector=ev.target_sector, target_sector=ev.source_sector))
            last = named_source or last
        # "he" in the next sentence is most likely this sentence's named subject
        root_subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if root_subj is not None and not is_pronoun(root_subj) and coder.is_person(root_subj):
            last = coder.code(root_subj) or last
    return tuple(out)


def _code(f: _Found, chain: list[Token], sent: Span, si: int, article: Article, coder: ActorCoder,
          times: Sequence[TimeMention], lex: Lexicon, last: Actor | None) -> tuple[EventMention, Actor | None] | None:
    """Type (after negation, intent and obligation), actors, date and place of one trigger; with the
    source when the sentence named it (a pronoun in the next sentence may point back to it)."""
    typ = f.type
    verb = f.verb
    if typ in lex.commitment and any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and not _own_act(c, f, lex)
                                     for c in verb.children):
        typ = lex.commitment[typ]  # "agreed to share", "offered to mediate": a commitment is AGREE
    # what the clause commits to: look at the verb and the verbs it hangs from up to a speech verb
    speech = next((t for t in chain[1:] if _is(t, lex.speech)), None)
    upto = chain[: chain.index(speech)] if speech is not None else chain
    auxes = set().union(*(_aux(t) for t in upto))
    negated = any(_negated(t) for t in upto) or any(_is(t, lex.negating) for t in upto[1:])
    if auxes & lex.hypothetical:
        return None
    if speech is not None and auxes & lex.future and _is(speech, lex.expectation):
        return None  # "hopes that the two countries will enhance ...": a hope, no one's stated intent
    if auxes & lex.obligation and speech is None:
        return None  # "they should be allowed to ...": a norm, not an act
    if any(c.dep_ == "xcomp" and c.lemma_.lower() in lex.silent for c in verb.children):
        return None  # "declined to comment"
    obliged = bool(auxes & lex.obligation) and speech is not None
    intent = bool(auxes & lex.future) or any(
        (t.pos_ == "ADJ" and t.lemma_.lower() in lex.intent_adj) or (t.lemma_.lower() in lex.stative and _passive_form(t))
        or _is(t, lex.committing) for t in upto[1:])
    if typ in lex.hostile and any(t.lemma_.lower() in lex.preparing and not _passive_form(t) for t in upto[1:]):
        typ = "MOBILIZE"
    if negated:
        typ = lex.negated.get(typ, "")
        if not typ:
            return None
    elif obliged:
        typ = "REQUEST"
    elif intent:
        conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.threat_marks
                                                    for m in c.children) for t in upto for c in t.children)
        typ = "THREATEN" if conditional and typ in ("RETREAT", "AID", "CONCEDE", "SUPPORT", "COOPERATE") \
            else lex.intent.get(typ, typ)

    subj, passive = _subject(verb, lex.stative)
    source = target = named = None
    agent = None
    unknown = False  # the passive subject is a pronoun: the target is not to be looked for elsewhere
    if passive:
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
        source = coder.code(agent) if agent is not None else None
        target = coder.code(subj) if subj is not None else None
        if target is None and subj is not None:  # "a camp for Congolese refugees was attacked"
            target = _place_actor(subj, coder, skip=agent)
        if target is None and subj is not None and is_pronoun(subj):
            unknown = True  # "they were caught in ...": who was is not in this sentence
    elif subj is not None:
        if is_pronoun(subj):
            source = _speaker(speech, coder) or last
        else:
            source = named = coder.code(subj)
            if source is None and (subj.lemma_.lower() in ("group", "side", "country") or any(
                    c.dep_ == "poss" and is_pronoun(c) for c in subj.children)):
                # "the group", "their forces": the speaker's, or the last named actor's
                source = _speaker(speech, coder) or (last if speech is None else None)
            if source is None:
                source = _org_stub(subj, coder)
    if obliged:
        # "X said Y must ...": the speaker asks, the subject is asked
        target, source = source, _speaker(speech, coder)
    if target is None and f.type in lex.symmetric and typ in lex.symmetric and subj is not None:
        # "Carney and Takaichi met on the sidelines of ...": the other side is in the subject
        target = _partner(subj, source, coder)
    if target is None and not unknown:
        target = _target(f, coder, lex, exclude=agent if passive else subj, typ=typ,
                         avoid=source.country if source else None)
    if target is None and typ in lex.symmetric and subj is not None:
        target = _partner(subj, source, coder)
    if typ == "THREATEN" and (target is None or target.kind == "place"):
        # "threatened to ban voting in East Jerusalem if Hamas ran": the threat is aimed at whom its
        # condition names
        target = _condition_party(upto + [c for c in verb.children if _infinitive(c)], coder, lex) or target
    if source is None and subj is None and typ in lex.symmetric:
        source, target = target, None  # the two sides of an agreement: either may come first
    if source is None and passive:
        # "a convoy was attacked in Somalia": with no one named, the state where it was done; a place
        # inside the complement ("caught in what analysts call the Washington distraction") is no setting
        source = _setting(verb, coder, skip=subj)
    if source is None and target is None:
        return None
    if f.reverse:  # "[:173]": the dictionary codes the object acting on the subject
        source, target = target, source
    # a domestic actor the sentence does not tie to a state ("police", "President Bashir") acts in the
    # state where the sentence places it (CAMEO's convention); so does an unattributed bombing
    home = _home(sent, coder)
    if (source is None or source.code is None) and subj is not None and not passive and not is_pronoun(subj) \
            and home:
        source = Actor(home, home, None, subj.text, subj.idx, kind="place")
    source, target = _resident(source, home), _resident(target, home)
    source, target = _localise(source, home), _localise(target, home)
    source, target = _nationalise(source, target, sent, coder)
    source, target = (a if a is None or a.code else None for a in (source, target))  # an unplaced stub
    if source is None and target is None:
        return None
    if lex.choices.civil and typ in lex.civil_types and source is not None and source.sector in lex.civilians:
        typ = "PROTEST"  # workers blocking a bridge, farmers boycotting: civilians' coercion is protest
    if (target is not None and source is not None and source.country and target.country == source.country
            and source.sector in (None, "GOV") and (target.kind in ("state", "place") or (
                source.kind == "state" and target.sector in (None, "GOV")))):
        # "Carney was due to return to Canada", "Canada seeks ... Canada's prime minister will ...": a state
        # (or its government) does not act on itself; it does on its own police, rebels or opposition
        target = None
    if target is None and source is not None and source.country and typ in lex.domestic_types \
            and source.kind not in ("place", "state"):
        target = dataclasses.replace(source, sector=None, kind="state")
    if target is None and source is not None and source.country and lex.choices.home_target \
            and typ in lex.conflict and _people(source) and _states_named(sent, coder) <= {source.country}:
        # "the vice-president declined to resign", "Bosnian Serbs demanded a truce with Moslem forces in
        # east Bosnia": a conflict at home, in a sentence that names no other state, is aimed at that state
        target = dataclasses.replace(source, code=source.country, sector=None, kind="state")

    if lex.choices.bodies:  # "Amnesty International", "the Red Cross": international bodies, IGO
        source, target = (dataclasses.replace(a, code="IGO") if a is not None and a.code == "NGO" else a
                          for a in (source, target))
    when = _time(verb, sent, times)
    where = _location(verb, coder, {a.start for a in (source, target) if a})
    return EventMention(
        type=typ, sentence=si, text=sent.text.strip(),
        source_text=source.text if source else None, source_actor=source.code if source else None,
        target_text=target.text if target else None, target_actor=target.code if target else None,
        location=where, date=(when.value if when and when.value else article.date),
        verb=f.lemma, source_start=source.start if source else None, target_start=target.start if target else None,
        source_sector=source.sector if source else None, target_sector=target.sector if target else None,
        time_start=when.start if when and when.value else None,
    ), named


_DOMESTIC = frozenset({"GOV", "MIL", "COP", "JUD", "OPP", "REB", "CVL", "LEG", "PTY", "BUS", "MED", "EDU", "LAB",
                       "AGR", "REL", "REF", "CRM", "SEP", "UAF", "PPL", "HLH", "ELI", "SPY", "HRI", "ENV", "DEV",
                       "RAD", "MOD"})


def _condition_party(verbs: list[Token], coder: ActorCoder, lex: Lexicon) -> Actor | None:
    """The named subject of a condition ("if Hamas ran", "unless the president agrees") on these verbs."""
    for v in verbs:
        for c in v.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.threat_marks for m in c.children):
                subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")), None)
                actor = coder.code(subj) if subj is not None and not is_pronoun(subj) else None
                if actor is not None:
                    return actor
    return None


def _resident(actor: Actor | None, home: str | None) -> Actor | None:
    """"Ethnic Albanians" in Serbia are a group of Serbia's people, not Albania: an ethnic group takes the
    state the sentence places it in."""
    if actor is None or home is None or actor.country == home or "ethnic" not in actor.text.lower().split():
        return actor
    return dataclasses.replace(actor, code=home, country=home, kind="group")


def _localise(actor: Actor | None, home: str | None) -> Actor | None:
    if actor is None or actor.country or home is None:
        return actor
    if actor.code is not None and actor.code not in _DOMESTIC:  # an IGO or NGO keeps its own affiliation
        return actor
    if actor.sector in _DOMESTIC or (actor.kind == "person" and actor.code is None):
        return dataclasses.replace(actor, code=home, country=home)
    return actor


_CIVIL = _DOMESTIC - {"GOV"}


def _nationalise(source: Actor | None, target: Actor | None, sent: Span,
                 coder: ActorCoder) -> tuple[Actor | None, Actor | None]:
    """Give a stateless domestic participant the state the sentence ties it to: that of the other side
    when the other side is one of the same state's groups ("the Mozambique government accepted demands
    from rebels"; "President X threatened the Ugandan opposition"), else the one state the sentence
    names, when neither side has one."""
    def bare(a: Actor | None) -> bool:
        return a is not None and a.country is None and (a.code is None or a.code in _DOMESTIC)

    def adopt(a: Actor, code: str) -> Actor:
        return dataclasses.replace(a, code=code, country=code)

    for me, other, is_source in ((source, target, True), (target, source, False)):
        if me is None or not bare(me) or other is None or not other.country:
            continue
        if me.kind == "person" and me.sector in (None, "GOV"):
            # a leader acts on his own state's people and institutions, not on states or their governments
            ok = other.kind != "state" and other.sector != "GOV"
        elif me.kind == "org" and me.code is None:
            # a body no dictionary knows ("the Umma party") is of the one state its sentence names, when it
            # acts on that state's affairs, not on the state or its government (a company suing one)
            ok = other.kind != "state" and other.sector != "GOV" and _states_named(sent, coder) == {other.country}
        else:
            ok = me.sector in _DOMESTIC
        if ok and other.country:
            if is_source:
                source = adopt(me, other.country)
            else:
                target = adopt(me, other.country)
    if (bare(source) or bare(target)) and not any(a is not None and a.country for a in (source, target)):
        states = {state_of(e.text) or next((state_of(t.text) for t in e if t.text[:1].isupper()
                                                 and state_of(t.text)), None)
                  for e in coder.ents_in(sent) if e.label_ in ("GPE", "NORP", "ORG", "LOC", "PERSON")} - {None}
        if len(states) == 1:
            only: str = next(s for s in states if s)
            source = adopt(source, only) if bare(source) and source is not None else source
            target = adopt(target, only) if bare(target) and target is not None else target
    return source, target


def _people(actor: Actor) -> bool:
    """Whether an actor is a state's people, a person or a group of a sector ("Young Algerians", "the
    vice-president", "riot police"), not the state itself ("Tehran's attacks"): those act on it at home."""
    return actor.kind == "person" or actor.sector is not None or place_kind(actor.name or actor.text) == "demonym"


def _states_named(sent: Span, coder: ActorCoder) -> set[str]:
    """Every state a sentence names: states, demonyms, places, people and bodies tied to a state."""
    out: set[str] = set()
    for e in coder.ents_in(sent):
        if e.label_ in ("GPE", "NORP", "LOC", "FAC", "ORG", "PERSON"):
            code = coder.country(e.root) or (country_of(e.text) if e.label_ in ("GPE", "LOC", "FAC") else None)
            if code:
                out.add(code)
    return out


def _home(sent: Span, coder: ActorCoder) -> str | None:
    """The state a sentence places its events in: the first place after 'in', 'at', 'throughout', ...
    (a city counts for its country)."""
    for tok in sent:
        if tok.dep_ == "prep" and tok.lower_ in _HOME_PREPS:
            for p in (t for o in tok.children if o.dep_ == "pobj" for t in coder.phrase(o)):
                e = coder.ent(p)
                if e is not None and p.i == e.root.i and (e.label_ in ("GPE", "LOC", "FAC", "ORG") or _town(e)):
                    code = country_of(e.text)
                    if code:
                        return town_of_named_state(e, code) or code
    return None


def _partner(subj: Token, source: Actor | None, coder: ActorCoder) -> Actor | None:
    """The other side in "Japan and Canada agreed" or "the Turkish and Greek sides met"."""
    for tok in subj.subtree:
        if tok.dep_ == "conj" and tok.head.i in {t.i for t in coder.phrase(subj)} | {subj.i}:
            other = coder.code(tok) if tok.pos_ in ("NOUN", "PROPN") else None
            if other is None:
                code = state_of(tok.text)
                other = Actor(code, code, None, tok.text, tok.idx, kind="state") if code else None
            if other is not None and (source is None or other.code != source.code):
                return other
    return None


def _speaker(speech: Token | None, coder: ActorCoder) -> Actor | None:
    if speech is None:
        return None
    subj, _ = _subject(speech)
    if subj is not None and subj.pos_ == "VERB":  # "The Red Cross operating in Iraq said": a misparse
        subj = next((c for c in subj.children if c.dep_ in ("nsubj", "nsubjpass")), subj)
    if subj is None or is_pronoun(subj):
        return None
    return coder.code(subj) or _org_stub(subj, coder)


def _org_stub(tok: Token, coder: ActorCoder) -> Actor | None:
    """An organisation the sentence names but no dictionary knows ("the Umma party"): no code yet, but it
    may take the one state the sentence names (:func:`_nationalise`)."""
    e = coder.ent(tok)
    if e is None or e.label_ != "ORG":
        e = next((coder.ent(c) for c in tok.children if c.dep_ in ("compound", "nmod") and coder.ent(c) is not None
                  and coder.ent(c).label_ == "ORG"), None)  # type: ignore[union-attr]
    if e is None or e.label_ != "ORG":
        return None
    return Actor(None, None, None, e.text, e.start_char, name=e.text, kind="org")


def _target(f: _Found, coder: ActorCoder, lex: Lexicon, exclude: Token | None, typ: str,
            avoid: str | None = None) -> Actor | None:
    """The participant acted on: object, dative, a prepositional object, or the subject of a reported
    clause ("demanded that Hanoi withdraw"); for light verbs the event noun's own arguments. Named
    participants first; then places inside them ("the curfew in Sudan"); then any state below the verb.
    An infinitive of purpose borrows the target of the act it serves ("sent experts to Bosnia to study"), as
    does one the act's object is put to ("summoned the ambassador to complain")."""
    heads: list[Token] = []
    hosts = ([f.noun] if f.noun is not None else []) + [f.verb]
    if f.noun is not None and f.noun.dep_ in ("compound", "pobj", "conj"):
        hosts.insert(1, f.noun.head)  # "a mediation effort between ...": the phrase's head holds the arguments
    # "offered to hand over to Britain", "opened fire to disperse demonstrators"
    hosts += [c for c in f.verb.children if c.dep_ == "xcomp" or (c.dep_ == "advcl" and _is_purpose(c))]
    if (f.verb.dep_ == "advcl" and _is_purpose(f.verb)) or _object_control(f.verb, f.verb.head):
        hosts.append(f.verb.head)  # "summoned the ambassador to complain": to whom is the one summoned
    for host in hosts:
        for c in host.children:
            if c.dep_ in ("dobj", "dative", "iobj") and (f.noun is None or c.i != f.noun.i):
                # "withdraw its troops", "mobilized army reservists": what the actor moves is its own
                own = any(p.dep_ == "poss" and p.lower_ in _OWN for p in c.children)
                if not own and not (c.dep_ == "dobj" and typ in lex.instrument_types):
                    heads.append(c)
        preps = _TARGET_PREPS + (("of",) if host.pos_ == "NOUN" else ())  # "invasion of Lebanon"
        hint = f.target_at if f.target_at not in ("", "obj", "subj") else None  # the pattern's "(TO +)"
        if hint:
            heads[:0] = [p for c in host.children if c.dep_ in ("prep", "dative") and c.lower_ == hint
                         for p in c.children if p.dep_ == "pobj"]
        for c in host.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps and c.lower_ != hint:
                heads.extend(p for p in c.children if p.dep_ == "pobj")
        for c in host.children:
            if c.dep_ in ("ccomp", "xcomp"):
                heads.extend(s for s in c.children if s.dep_ in ("nsubj", "nsubjpass"))
                heads.extend(s for s in c.children if s.dep_ == "dobj")
    # "share intelligence with Hungary": a state the object's own phrase names is a participant too
    heads += [p for h in list(heads) if h.dep_ == "dobj" for c in h.children
              if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS for p in c.children if p.dep_ == "pobj"]
    heads = [h for h in heads if exclude is None or h.i != exclude.i]
    coded = [a for a in (coder.code(h) for h in heads) if a is not None]
    if coded:  # one with a state before a bare agent word ("intelligence" is also an agency's name)
        return min(coded, key=lambda a: a.country is None and a.kind != "person")
    # "rejected a United Nations appeal", "Gbagbo's plan": whose the thing acted on (or the event noun) is
    for h in heads + ([f.noun] if f.noun is not None else []):
        if h.pos_ == "NOUN":
            for c in h.children:
                if c.dep_ in ("poss", "compound", "nmod") and c.pos_ == "PROPN" and not is_pronoun(c):
                    actor = coder.code(c)
                    if actor is not None:
                        return actor
    for h in heads:
        actor = _place_actor(h, coder, skip=exclude)
        if actor is not None:
            return actor
    for h in heads:  # "violated a ban by General Aoun": the person behind the thing acted on
        for tok in h.subtree:
            e = coder.ent(tok)
            if e is not None and e.label_ == "PERSON" and tok.i == e.root.i:
                return coder.code(tok)
    # nothing named by the arguments: the first other state below the verb, outside the subject
    # ... outside relative and participial clauses, which describe, not act ("challenges posed by China")
    skip = exclude.i if exclude is not None else -1
    stack = [c for c in f.verb.children if c.i != skip and c.dep_ not in ("relcl", "acl")]
    below: list[Token] = []
    while stack:
        tok = stack.pop()
        below.append(tok)
        stack.extend(c for c in tok.children if c.i != skip and c.dep_ not in ("relcl", "acl"))
    for tok in sorted(below, key=lambda t: t.i):
        actor = _place_of(tok, coder)
        if actor is not None and actor.code != avoid:
            return actor
    return None


_CLAUSES = frozenset({"ccomp", "xcomp", "pcomp", "relcl", "acl", "advcl", "csubj", "parataxis", "conj"})


def _setting(verb: Token, coder: ActorCoder, skip: Token | None) -> Actor | None:
    """The state named by the first place the verb's phrases set it in ("was attacked in Somalia", "put
    under investigation in Italy"), outside clauses of their own and ``skip``'s phrase."""
    skip_ids = {t.i for t in skip.subtree} if skip is not None else set()
    stack = [c for c in reversed(list(verb.children)) if c.dep_ not in _CLAUSES]
    while stack:
        t = stack.pop()
        if t.i in skip_ids:
            continue
        if t.dep_ == "prep" and t.lower_ in _HOME_PREPS:
            for p in t.children:
                if p.dep_ == "pobj":
                    actor = _first_place(p, coder, skip_ids, None)
                    if actor is not None:
                        return actor
        stack.extend(c for c in reversed(list(t.children)) if c.dep_ not in _CLAUSES)
    return None


def _place_actor(head: Token, coder: ActorCoder, skip: Token | None, avoid: str | None = None) -> Actor | None:
    """The first state named by a place below ``head`` (outside ``skip``'s phrase; not ``avoid``)."""
    skip_ids = {t.i for t in skip.subtree} if skip is not None else set()
    return _first_place(head, coder, skip_ids, avoid)


def _first_place(head: Token, coder: ActorCoder, skip_ids: set[int], avoid: str | None) -> Actor | None:
    for tok in head.subtree:
        if tok.i in skip_ids:
            continue
        actor = _place_of(tok, coder)
        if actor is not None and actor.code != avoid:
            return actor
    return None


def _place_of(tok: Token, coder: ActorCoder) -> Actor | None:
    """The state a token names as a place (a country, demonym, capital or city), or None."""
    e = coder.ent(tok)
    if e is None:
        if tok.pos_ in ("PROPN", "ADJ") and tok.text[:1].isupper():
            code = state_of(tok.text)  # a demonym the model did not tag ("Croat forces")
            if code:
                return Actor(code, code, None, tok.text, tok.idx, kind="place")
        return None
    if tok.i != e.root.i or e.label_ not in ("GPE", "NORP", "LOC", "ORG", "FAC"):
        return None
    actor = coder.code(tok)
    if actor and actor.country:
        # a state named as such stays a state; "Zambian" (the people) or a city is only a place
        kind = "state" if place_kind(e.text) in ("country", "capital", "seat") else "place"
        other = town_of_named_state(e, actor.country)
        if other is not None:
            return Actor(other, other, None, e.text, e.start_char, kind="place")
        return dataclasses.replace(actor, kind=kind)
    if e.label_ in ("GPE", "LOC", "FAC") or _town(e):
        # a city or region: the state it lies in ("targets in Jericho", "the Gaza Strip")
        code = country_of(e.text) or next(
            (country_of(t.text) for t in e if t.pos_ == "PROPN" and country_of(t.text)), None)
        if code:
            return Actor(town_of_named_state(e, code) or code, code, None, e.text, e.start_char, kind="place")
    return None



def _town(e: Span) -> bool:
    """A place the model took for a nationality ("near the town of Samarra")."""
    return e.label_ == "NORP" and place_kind(e.text) not in (None, "demonym", "country")


def _time(verb: Token, sent: Span, times: Sequence[TimeMention]) -> TimeMention | None:
    """The dated expression the event hangs on: one inside the verb's clause, else the sentence's first."""
    inside = [t for t in times if sent.start_char <= t.start < sent.end_char and t.value]
    if not inside:
        return None
    lo = min(x.idx for x in verb.subtree)
    hi = max(x.idx + len(x) for x in verb.subtree)
    own = [t for t in inside if lo <= t.start and t.end <= hi]
    pool = own or inside
    return min(pool, key=lambda t: abs(t.start - verb.idx))


def _location(verb: Token, coder: ActorCoder, skip_starts: set[int]) -> str | None:
    """A place the event happened in: 'in Tokyo', 'at the border' attached to the verb or its object."""
    hosts = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "xcomp")]
    for host in hosts:
        for c in host.children:
            if c.dep_ == "prep" and c.lower_ in _LOCATION_PREPS:
                for p in c.children:
                    e = coder.ent(p)
                    if p.dep_ == "pobj" and e is not None and e.label_ in ("GPE", "LOC", "FAC") \
                            and e.start_char not in skip_starts:
                        return e.text
    return None
