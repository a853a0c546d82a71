"""PLOVER event coding in one article (map stage): who did what to whom, when and where. The corpus stage,
which merges one event reported by several articles, is :mod:`rashomon.what.event_merge`.

A sentence reports an interaction when a verb of its main clause chain (the root, its conjuncts, what a
speech verb reports, a to-infinitive it controls) matches a verb pattern, or a light verb takes an event
noun ("held talks", "imposed sanctions"). The patterns live in ``data/plover_verbs.tsv`` and
``data/plover_nouns.tsv``; how negation, intent and reported obligation change the type in
``data/plover.toml`` (after the PLOVER manual: a stated intent to cooperate is AGREE, to harm THREATEN;
refusing to cooperate is REJECT; "X said Y must ..." is X's REQUEST to Y). Actors come from
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
from ..who.actors import Actor, ActorCoder, country_of, is_pronoun, place_kind, state_of

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
class _Row:
    type: str
    kind: str  # * | obj | prt | prep
    values: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    verbs: Mapping[str, tuple[_Row, ...]]
    nouns: Mapping[str, tuple[tuple[str, frozenset[str]], ...]]  # lemma -> ((type, light verbs or empty), ...)
    light: frozenset[str]
    speech: frozenset[str]
    control: frozenset[str]
    negating: frozenset[str]
    intent_adj: frozenset[str]
    future: frozenset[str]
    hypothetical: frozenset[str]
    obligation: frozenset[str]
    stative: frozenset[str]
    threat_marks: frozenset[str]
    domestic_types: frozenset[str]
    silent: frozenset[str]
    preparing: frozenset[str]
    hostile: frozenset[str]
    instrument_types: frozenset[str]
    intent: Mapping[str, str]
    negated: Mapping[str, str]
    symmetric: frozenset[str]


def _read(name: str) -> str:
    return resources.files("rashomon").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Verb and noun patterns and the rules of plover.toml, compiled once."""
    verbs: dict[str, list[_Row]] = defaultdict(list)
    for line in _read("plover_verbs.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, typ, cond = (line.split("\t") + ["*"])[:3]
        kind, _, vals = cond.partition("=")
        verbs[lemma].append(_Row(typ, kind.strip() or "*", frozenset(v for v in vals.split("|") if v)))
    nouns: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for line in _read("plover_nouns.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        nouns[cols[0]].append((cols[1], frozenset(cols[2].split("|")) if len(cols) > 2 and cols[2] else frozenset()))
    cfg: dict[str, Any] = tomllib.loads(_read("plover.toml"))
    for table in (verbs, nouns):
        for rows in table.values():
            for row in rows:
                typ = row.type if isinstance(row, _Row) else row[0]
                if typ not in TYPES:  # a typo in the data must not become a 17th type
                    raise ValueError(f"unknown PLOVER type {typ!r} in the event patterns")
    return Lexicon(
        verbs={k: tuple(v) for k, v in verbs.items()}, nouns={k: tuple(v) for k, v in nouns.items()},
        light=frozenset(cfg["light_verbs"]), speech=frozenset(cfg["speech_verbs"]),
        control=frozenset(cfg["control_verbs"]), negating=frozenset(cfg["negating_verbs"]),
        intent_adj=frozenset(cfg["intent_adjectives"]), future=frozenset(cfg["future_aux"]),
        hypothetical=frozenset(cfg["hypothetical_aux"]), obligation=frozenset(cfg["obligation_aux"]),
        stative=frozenset(cfg["stative_participles"]),
        threat_marks=frozenset(cfg["threat_marks"]), domestic_types=frozenset(cfg["domestic_types"]),
        preparing=frozenset(cfg["preparing_verbs"]), hostile=frozenset(cfg["hostile_types"]),
        silent=frozenset(cfg["silent_complements"]),
        instrument_types=frozenset(cfg["instrument_types"]),
        intent=dict(cfg["intent"]), negated=dict(cfg["negated"]),
        symmetric=frozenset(cfg["symmetric"]),
    )


# ------------------------------------------------------------------------------------------ map stage


@dataclass
class _Found:
    """One trigger while a sentence is read."""

    type: str
    verb: Token  # the verb that heads the clause
    noun: Token | None  # the event noun for light-verb constructions
    lemma: str


def _lemmas(tok: Token) -> list[str]:
    """The token's lemma, then plain de-inflections of its text: the small model's lemmatizer slips on
    news verbs ("staged" -> "stag")."""
    low = tok.lower_
    out = [tok.lemma_.lower(), low]
    for suffix, add in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                        ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            out.append(low[: -len(suffix)] + add)
    return list(dict.fromkeys(out))


def _objects(tok: Token) -> list[Token]:
    """The verb's object (or passive subject), with the nouns that say what it is: compounds
    ("mediation efforts") and the object of "of" after a quantity ("thousands of refugees")."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    more = []
    for o in objs:
        more += [c for c in o.children if c.dep_ == "conj"]
        more += [c for c in o.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        more += [p for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                 if p.dep_ == "pobj"]
    return objs + more


def _noun_type(tok: Token, lemma: str, objs: list[Token], lex: Lexicon) -> _Found | None:
    for noun in objs:
        for key in (noun.lemma_.lower(), noun.lower_):
            for typ, verbs in lex.nouns.get(key, ()):
                if not verbs or lemma in verbs:
                    return _Found(typ, tok, noun, key)
    return None


def _verb_type(tok: Token, lex: Lexicon) -> _Found | None:
    """The event type a verb names by itself or through its object noun, or None."""
    lemmas = _lemmas(tok)
    lemma = next((x for x in lemmas if x in lex.verbs or x in lex.light), lemmas[0])
    objs = _objects(tok)
    obj_words = {w for o in objs for w in (o.lemma_.lower(), o.lower_)}
    if lemma in lex.light:
        # "ordered patrols", "announced a suspension": an event noun says more than the verb
        found = _noun_type(tok, lemma, objs, lex)
        if found is not None:
            return found
    if lemma in lex.speech:
        return None
    for row in lex.verbs.get(lemma, ()):
        if row.kind == "*":
            return _Found(row.type, tok, None, lemma)
        if row.kind == "obj" and (obj_words & row.values
                                  or any(c.dep_ == "prep" and c.lower_ in row.values for c in tok.children)):
            return _Found(row.type, tok, None, lemma)
        if row.kind == "prt" and any(c.dep_ == "prt" and c.lower_ in row.values for c in tok.children):
            return _Found(row.type, tok, None, lemma)
        if row.kind == "prep" and any(c.dep_ in ("prep", "prt") and c.lower_ in row.values for c in tok.children):
            return _Found(row.type, tok, None, lemma)
        if row.kind == "objent" and any(o.ent_type_ in row.values for o in objs if o.dep_ == "dobj"):
            return _Found(row.type, tok, None, lemma)
        if row.kind == "subj" and any(
                w.lemma_.lower() in row.values or w.lower_ in row.values
                for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                for w in [c, *(x for x in c.subtree if x.dep_ in ("compound", "amod", "pobj"))]):
            return _Found(row.type, tok, None, lemma)
    return None


def _serves(verb: Token, other: Token) -> bool:
    """Whether ``verb`` is what ``other`` promises or aims at: its to-infinitive ("agreed to share"),
    a conjunct of that infinitive ("agreed to modernise CETA and launch talks"), or its purpose."""
    t = verb
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.head.i != other.i:
        return False
    return t.dep_ == "xcomp" or (t.dep_ in _PURPOSE_DEPS and _is_purpose(t))


def _obligation(tok: Token, lex: Lexicon) -> _Found | None:
    """"X said Y must ...": whatever Y is to do, X asks it of Y."""
    if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in lex.speech and _aux(tok) & lex.obligation:
        return _Found("REQUEST", tok, None, tok.lemma_.lower())
    return None


def _main_chain(tok: Token) -> list[Token]:
    """The verbs from ``tok`` up to the root, or [] when ``tok`` sits in a background clause."""
    chain = [tok]
    t = tok
    while t.head.i != t.i:
        if t.dep_ not in _MAIN_DEPS and not (t.dep_ in _PURPOSE_DEPS and _is_purpose(t)):
            return []
        t = t.head
        chain.append(t)
    return chain


_PURPOSE_DEPS = frozenset({"advcl", "acl", "relcl"})


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
    coder = ActorCoder(doc, mentions)
    out: list[EventMention] = []
    last: Actor | None = None  # the latest coded source, for "it"/"they" in the next sentence
    for si, sent in enumerate(doc.sents):
        found = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            f = _verb_type(tok, lex) or _obligation(tok, lex)
            if f is None:
                continue
            chain = _main_chain(tok)
            if not chain:
                continue
            found.append((f, chain))
        # a typed verb that controls another ("threatened to ban", "agreed to share") speaks for both
        # and a coded act's infinitive of purpose ("began a hunger strike to demand ...") is part of it
        controlled = {f.verb.i for f, chain in found for g, _ in found
                      if g is not f and _serves(f.verb, g.verb)}
        seen_types: set[str] = set()
        for f, chain in found:
            if f.verb.i in controlled:
                continue
            coded = _code(f, chain, sent, si, article, coder, times, lex, last)
            if coded is None or coded[0].type in seen_types:
                continue
            ev, named_source = coded
            seen_types.add(ev.type)
            out.append(ev)
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
    # what the clause commits to: look at the verb and the verbs it hangs from up to a speech verb
    speech = next((t for t in chain[1:] if t.lemma_.lower() in lex.speech), None)
    upto = chain[: chain.index(speech)] if speech is not None else chain
    auxes = set().union(*(_aux(t) for t in upto))
    negated = any(_negated(t) for t in upto) or any(t.lemma_.lower() in lex.negating for t in upto[1:])
    if auxes & lex.hypothetical:
        return None
    if auxes & lex.obligation and speech is None:
        return None  # "they should be allowed to ...": a norm, not an act
    if any(c.dep_ == "xcomp" and c.lemma_.lower() in lex.silent for c in verb.children):
        return None  # "declined to comment"
    obliged = bool(auxes & lex.obligation) and speech is not None
    intent = bool(auxes & lex.future) or any(
        (t.pos_ == "ADJ" and t.lemma_.lower() in lex.intent_adj) or (t.lemma_.lower() in lex.stative and _passive_form(t))
        for t in upto[1:])
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
    if passive:
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
        source = coder.code(agent) if agent is not None else None
        target = coder.code(subj) if subj is not None else None
        if target is None and subj is not None:  # "a camp for Congolese refugees was attacked"
            target = _place_actor(subj, coder, skip=agent)
    elif subj is not None:
        if is_pronoun(subj):
            source = _speaker(speech, coder) or last
        else:
            source = named = coder.code(subj)
            if source is None:
                source = _speaker(speech, coder) if subj.lemma_.lower() in ("group", "side", "country") else None
    if obliged:
        # "X said Y must ...": the speaker asks, the subject is asked
        target, source = source, _speaker(speech, coder)
    if target is None and f.type in lex.symmetric and typ in lex.symmetric and subj is not None:
        # "Carney and Takaichi met on the sidelines of ...": the other side is in the subject
        target = _partner(subj, source, coder)
    if target is None:
        target = _target(f, coder, lex, exclude=agent if passive else subj, typ=typ,
                         avoid=source.country if source else None)
    if target is None and typ in lex.symmetric and subj is not None:
        target = _partner(subj, source, coder)
    if source is None and subj is None and typ in lex.symmetric:
        source, target = target, None  # the two sides of an agreement: either may come first
    if source is None and passive:
        source = _place_actor(verb, coder, skip=subj)
    if source is None and target is None:
        return None
    # a domestic actor the sentence does not tie to a state ("police", "President Bashir") acts in the
    # state where the sentence places it (CAMEO's convention); so does an unattributed bombing
    home = _home(sent, coder)
    if source is None and subj is not None and not passive and not is_pronoun(subj) and home:
        source = Actor(home, home, None, subj.text, subj.idx, kind="place")
    source, target = _localise(source, home), _localise(target, home)
    source, target = _nationalise(source, target, sent, coder)
    if target is None and source is not None and source.country and typ in lex.domestic_types:
        target = dataclasses.replace(source, sector=None, kind="state")

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
                       "AGR", "REL", "REF", "CRM", "SEP"})


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
        if me.kind == "person":
            # a leader acts on his own state's people and institutions, not on states or their governments
            ok = other.kind != "state" and other.sector != "GOV"
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


def _home(sent: Span, coder: ActorCoder) -> str | None:
    """The state a sentence places its events in: the first place after 'in', 'at', 'throughout', ...
    (a city counts for its country)."""
    for tok in sent:
        if tok.dep_ == "prep" and tok.lower_ in _HOME_PREPS:
            for p in (t for o in tok.children if o.dep_ == "pobj" for t in coder.phrase(o)):
                e = coder.ent(p)
                if e is not None and p.i == e.root.i and e.label_ in ("GPE", "LOC", "FAC", "ORG"):
                    code = country_of(e.text)
                    if code:
                        return code
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
    return coder.code(subj) if subj is not None and not is_pronoun(subj) else None


def _target(f: _Found, coder: ActorCoder, lex: Lexicon, exclude: Token | None, typ: str,
            avoid: str | None = None) -> Actor | None:
    """The participant acted on: object, dative, a prepositional object, or the subject of a reported
    clause ("demanded that Hanoi withdraw"); for light verbs the event noun's own arguments. Named
    participants first; then places inside them ("the curfew in Sudan"); then any state below the verb.
    An infinitive of purpose borrows the target of the act it serves ("sent experts to Bosnia to study")."""
    heads: list[Token] = []
    hosts = ([f.noun] if f.noun is not None else []) + [f.verb]
    if f.noun is not None and f.noun.dep_ in ("compound", "pobj", "conj"):
        hosts.insert(1, f.noun.head)  # "a mediation effort between ...": the phrase's head holds the arguments
    # "offered to hand over to Britain", "opened fire to disperse demonstrators"
    hosts += [c for c in f.verb.children if c.dep_ == "xcomp" or (c.dep_ == "advcl" and _is_purpose(c))]
    if f.verb.dep_ == "advcl" and _is_purpose(f.verb):
        hosts.append(f.verb.head)
    for host in hosts:
        for c in host.children:
            if c.dep_ in ("dobj", "dative", "iobj") and (f.noun is None or c.i != f.noun.i):
                # "withdraw its troops", "mobilized army reservists": what the actor moves is its own
                own = any(p.dep_ == "poss" and p.lower_ in _OWN for p in c.children)
                if not own and not (c.dep_ == "dobj" and typ in lex.instrument_types):
                    heads.append(c)
        preps = _TARGET_PREPS + (("of",) if host.pos_ == "NOUN" else ())  # "invasion of Lebanon"
        for c in host.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                heads.extend(p for p in c.children if p.dep_ == "pobj")
        for c in host.children:
            if c.dep_ in ("ccomp", "xcomp"):
                heads.extend(s for s in c.children if s.dep_ in ("nsubj", "nsubjpass"))
                heads.extend(s for s in c.children if s.dep_ == "dobj")
    heads = [h for h in heads if exclude is None or h.i != exclude.i]
    for h in heads:
        actor = coder.code(h)
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
    return _place_actor(f.verb, coder, skip=exclude, avoid=avoid)


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
        return dataclasses.replace(actor, kind=kind)
    if e.label_ in ("GPE", "LOC", "FAC"):
        # a city or region: the state it lies in ("targets in Jericho", "the Gaza Strip")
        code = country_of(e.text) or next(
            (country_of(t.text) for t in e if t.pos_ == "PROPN" and country_of(t.text)), None)
        if code:
            return Actor(code, code, None, e.text, e.start_char, kind="place")
    return None


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
