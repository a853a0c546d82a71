"""Who acts on whom, where and when (map stage, for :mod:`rashomon.what.events`): the target among a verb's
arguments, the speaker a pronoun stands for, the other side of a symmetric act, the state a sentence ties a
stateless participant to, and the date and place an event hangs on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import TimeMention
from ..who.actors import (
    Actor,
    ActorCoder,
    country_of,
    is_pronoun,
    place_kind,
    state_of,
    town_of_named_state,
    word_state,
)
from .lexicon import Lexicon
from .verbs import TARGET_PREPS, Found, is_purpose, object_control, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_LOCATION_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
_HOME_PREPS = frozenset({"in", "at", "near", "outside", "inside", "throughout", "across", "around"})
_OWN = frozenset({"its", "their", "his", "her", "our"})  # "withdraw its troops": one's own, not a target

_DOMESTIC = frozenset({"GOV", "MIL", "COP", "JUD", "OPP", "REB", "CVL", "LEG", "PTY", "BUS", "MED", "EDU", "LAB",
                       "AGR", "REL", "REF", "CRM", "SEP", "UAF", "PPL", "HLH", "ELI", "SPY", "HRI", "ENV", "DEV",
                       "RAD", "MOD"})


def condition_party(verbs: list[Token], coder: ActorCoder, lex: Lexicon) -> Actor | None:
    """The named subject of a condition ("if Hamas ran", "unless the president agrees") on these verbs."""
    for v in verbs:
        for c in v.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.threat_marks for m in c.children):
                subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")), None)
                actor = coder.code(subj) if subj is not None and not is_pronoun(subj) else None
                if actor is not None:
                    return actor
    return None


def resident(actor: Actor | None, home: str | None) -> Actor | None:
    """"Ethnic Albanians" in Serbia are a group of Serbia's people, not Albania: an ethnic group takes the
    state the sentence places it in."""
    if actor is None or home is None or actor.country == home or "ethnic" not in actor.text.lower().split():
        return actor
    return dataclasses.replace(actor, code=home, country=home, kind="group")


def localise(actor: Actor | None, home: str | None) -> Actor | None:
    if actor is None or actor.country or home is None:
        return actor
    if actor.code is not None and actor.code not in _DOMESTIC:  # an IGO or NGO keeps its own affiliation
        return actor
    if actor.sector in _DOMESTIC or (actor.kind == "person" and actor.code is None):
        return dataclasses.replace(actor, code=home, country=home)
    return actor


_CIVIL = _DOMESTIC - {"GOV"}


def nationalise(source: Actor | None, target: Actor | None, sent: Span,
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
            ok = other.kind != "state" and other.sector != "GOV" and states_named(sent, coder) == {other.country}
        else:
            ok = me.sector in _DOMESTIC
        if ok and other.country:
            if is_source:
                source = adopt(me, other.country)
            else:
                target = adopt(me, other.country)
    if (bare(source) or bare(target)) and not any(a is not None and a.country for a in (source, target)):
        states = {state_of(e.text) or next((code for t in e if (code := word_state(t))), None)
                  for e in coder.ents_in(sent) if e.label_ in ("GPE", "NORP", "ORG", "LOC", "PERSON")} - {None}
        if len(states) == 1:
            only: str = next(s for s in states if s)
            source = adopt(source, only) if bare(source) and source is not None else source
            target = adopt(target, only) if bare(target) and target is not None else target
    return source, target


def people(actor: Actor) -> bool:
    """Whether an actor is a state's people, a person or a group of a sector ("Young Algerians", "the
    vice-president", "riot police"), not the state itself ("Tehran's attacks"): those act on it at home."""
    return actor.kind == "person" or actor.sector is not None or place_kind(actor.name or actor.text) == "demonym"


def states_named(sent: Span, coder: ActorCoder) -> set[str]:
    """Every state a sentence names: states, demonyms, places, people and bodies tied to a state."""
    out: set[str] = set()
    for e in coder.ents_in(sent):
        if e.label_ in ("GPE", "NORP", "LOC", "FAC", "ORG", "PERSON"):
            code = coder.country(e.root) or (country_of(e.text) if e.label_ in ("GPE", "LOC", "FAC") else None)
            if code:
                out.add(code)
    return out


def home_state(sent: Span, coder: ActorCoder) -> str | None:
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


def partner(subj: Token, source: Actor | None, coder: ActorCoder) -> Actor | None:
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


def speaker(speech: Token | None, coder: ActorCoder) -> Actor | None:
    if speech is None:
        return None
    subj, _ = subject_of(speech)
    if subj is not None and subj.pos_ == "VERB":  # "The Red Cross operating in Iraq said": a misparse
        subj = next((c for c in subj.children if c.dep_ in ("nsubj", "nsubjpass")), subj)
    if subj is None or is_pronoun(subj):
        return None
    return coder.code(subj) or org_stub(subj, coder)


def org_stub(tok: Token, coder: ActorCoder) -> Actor | None:
    """An organisation the sentence names but no dictionary knows ("the Umma party"): no code yet, but it
    may take the one state the sentence names (:func:`nationalise`)."""
    e = coder.ent(tok)
    if e is None or e.label_ != "ORG":
        e = next((coder.ent(c) for c in tok.children if c.dep_ in ("compound", "nmod") and coder.ent(c) is not None
                  and coder.ent(c).label_ == "ORG"), None)  # type: ignore[union-attr]
    if e is None or e.label_ != "ORG":
        return None
    return Actor(None, None, None, e.text, e.start_char, name=e.text, kind="org")


def target_of(f: Found, coder: ActorCoder, lex: Lexicon, exclude: Token | None, typ: str,
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
    hosts += [c for c in f.verb.children if c.dep_ == "xcomp" or (c.dep_ == "advcl" and is_purpose(c))]
    if (f.verb.dep_ == "advcl" and is_purpose(f.verb)) or object_control(f.verb, f.verb.head):
        hosts.append(f.verb.head)  # "summoned the ambassador to complain": to whom is the one summoned
    for host in hosts:
        for c in host.children:
            if c.dep_ in ("dobj", "dative", "iobj") and (f.noun is None or c.i != f.noun.i):
                # "withdraw its troops", "mobilized army reservists": what the actor moves is its own
                own = any(p.dep_ == "poss" and p.lower_ in _OWN for p in c.children)
                if not own and not (c.dep_ == "dobj" and typ in lex.instrument_types):
                    heads.append(c)
        preps = TARGET_PREPS + (("of",) if host.pos_ == "NOUN" else ())  # "invasion of Lebanon"
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
              if c.dep_ == "prep" and c.lower_ in TARGET_PREPS for p in c.children if p.dep_ == "pobj"]
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
        actor = place_actor(h, coder, skip=exclude)
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


def setting(verb: Token, coder: ActorCoder, skip: Token | None) -> Actor | None:
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


def place_actor(head: Token, coder: ActorCoder, skip: Token | None, avoid: str | None = None) -> Actor | None:
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


def time_of(verb: Token, sent: Span, times: Sequence[TimeMention]) -> TimeMention | None:
    """The dated expression the event hangs on: one inside the verb's clause, else the sentence's first."""
    inside = [t for t in times if sent.start_char <= t.start < sent.end_char and t.value]
    if not inside:
        return None
    lo = min(x.idx for x in verb.subtree)
    hi = max(x.idx + len(x) for x in verb.subtree)
    own = [t for t in inside if lo <= t.start and t.end <= hi]
    pool = own or inside
    return min(pool, key=lambda t: abs(t.start - verb.idx))


def location_of(verb: Token, coder: ActorCoder, skip_starts: set[int]) -> str | None:
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
