"""Which verbs and event nouns report an event (map stage, for :mod:`rashomon.what.events`): a verb's entry
in the lexicon (:mod:`rashomon.what.lexicon`), the most specific pattern of its block that the words around it
match, the act a support verb's event noun names, and the syntax that tells which verbs a sentence asserts
(its main clause chain, infinitives, negation, subjects).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..who.actors import is_collective, sector_of_word
from .lexicon import Lexicon, Pattern, VerbEntry

if TYPE_CHECKING:
    from spacy.tokens import Token

#: dependency arcs that keep a verb in the sentence's main assertion (not a relative or background clause)
_MAIN_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "parataxis", "acomp"})
TARGET_PREPS = ("with", "against", "to", "on", "at", "into", "toward", "towards", "upon", "from", "over",
                 "between", "for")
_SOURCE_DEPS = ("nsubj", "csubj")


@dataclass
class Found:
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


def lemma_in(tok: Token, words: frozenset[str]) -> bool:
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


def verb_type(tok: Token, lex: Lexicon, subj: Token | None = None) -> Found | None:
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
        subj, _ = subject_of(tok, lex.stative)
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
    return Found(typ, tok, noun, lemma, code=code, mode=mode, reverse=reverse, pair=pair,
                  target_at=pattern.target if pattern else "", source_at=pattern.source if pattern else "")


_ACTOR_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"})


def _event_noun(tok: Token, subj: Token | None, lex: Lexicon, subject: bool = False) -> Found | None:
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
            return Found(typ, tok, noun, lemma, code=code, mode=mode, reverse=reverse, pair=pair,
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
    if any(_actor_word(w) for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ in TARGET_PREPS
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


def serves(verb: Token, other: Token) -> bool:
    """Whether ``verb`` is what ``other`` promises, demands or aims at: its to-infinitive ("agreed to
    share"), a conjunct of that infinitive ("agreed to modernise CETA and launch talks"), the clause it
    governs ("demanded that Hanoi withdraw", "warned that it would strike"), or its purpose."""
    t = verb
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.head.i != other.i:
        return False
    return t.dep_ in ("xcomp", "ccomp") or (t.dep_ in _PURPOSE_DEPS and is_purpose(t))


def object_control(verb: Token, other: Token) -> bool:
    """Whether ``verb`` is a to-infinitive that ``other`` takes after its direct object ("summoned the
    ambassador to complain", "ordered the newspaper to suspend publication"): an act the object is put to,
    not what the subject commits to or threatens ("agreed to share", "threatened to ban"); of another type
    than ``other``'s, it is coded as an act of its own."""
    return verb.dep_ == "xcomp" and verb.head.i == other.i and any(
        c.dep_ == "dobj" and c.i < verb.i for c in other.children)


def own_act(inf: Token, f: Found, lex: Lexicon) -> bool:
    """Whether an infinitive put to the object of ``f``'s verb is coded as an act of its own: one of another
    type ("summoned the ambassador to complain"); one of the same type is what the verb already says
    ("invited the prime minister to visit": the invitation, a commitment to meet)."""
    if not object_control(inf, f.verb):
        return False
    own = verb_type(inf, lex)
    return own is not None and own.type != f.type


def obligation(tok: Token, lex: Lexicon) -> Found | None:
    """"X said Y must ...": whatever Y is to do, X asks it of Y."""
    if tok.dep_ == "ccomp" and lemma_in(tok.head, lex.speech) and aux(tok) & lex.obligation:
        return Found("REQUEST", tok, None, tok.lemma_.lower())
    return None


def main_chain(tok: Token, statements: frozenset[str] = frozenset()) -> list[Token]:
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
        if t.dep_ not in _MAIN_DEPS and not (t.dep_ in _PURPOSE_DEPS and is_purpose(t)):
            return []
        t = t.head
        chain.append(t)
    return chain


_PURPOSE_DEPS = frozenset({"advcl", "acl", "relcl"})


def infinitive(tok: Token) -> bool:
    """A to-infinitive a verb takes ("swore to fight"), as the parser hangs it (xcomp, or advcl)."""
    return tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and is_purpose(tok))


def is_purpose(tok: Token) -> bool:
    """An infinitive of purpose ("stopped in Tokyo to meet her", which the parser may hang on the noun)
    is part of what the sentence asserts; a relative clause with its own subject is not."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def passive_form(tok: Token) -> bool:
    """'is committed', 'was prepared': a participle after a form of 'be'."""
    return tok.tag_ == "VBN" and any(c.dep_ in ("auxpass", "aux") and c.lemma_ == "be" for c in tok.children)


def aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def subject_of(tok: Token, stative: frozenset[str] = frozenset()) -> tuple[Token | None, bool]:
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
