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

This module assembles the events; the dictionaries are compiled by :mod:`rashomon.what.lexicon`, the verbs
and event nouns that report an act are found by :mod:`rashomon.what.verbs`, and who acts on whom, where and
when is read by :mod:`rashomon.what.roles`.

>>> from rashomon.text import nlp
>>> from rashomon.model import Article
>>> text = "Peruvian President Ana Varga met Chilean leaders in Lima on Friday."
>>> ev = find_events(nlp.load()(text), Article(id="a", input="-", text=text, date="2026-03-06"), (), ())
>>> [(e.type, e.source_actor, e.target_actor, e.location) for e in ev]
[('CONSULT', 'PER', 'CHL', 'Lima')]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Article, EventMention, Mention, TimeMention
from ..who.actors import Actor, ActorCoder, is_pronoun
from .lexicon import Lexicon, lexicon
from .roles import (
    condition_party,
    home_state,
    localise,
    location_of,
    nationalise,
    org_stub,
    partner,
    people,
    place_actor,
    resident,
    setting,
    speaker,
    states_named,
    target_of,
    time_of,
)
from .verbs import (
    Found,
    aux,
    infinitive,
    is_negated,
    lemma_in,
    main_chain,
    object_control,
    obligation,
    own_act,
    passive_form,
    serves,
    subject_of,
    verb_type,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


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
            chain = main_chain(tok, lex.statements)
            if not chain:
                continue
            f = verb_type(tok, lex) or obligation(tok, lex)
            if f is None:
                continue
            found.append((f, chain))
        # a typed verb that controls another ("threatened to ban", "agreed to share") speaks for both
        # and a coded act's infinitive of purpose ("began a hunger strike to demand ...") is part of it
        # ... but a verb of commitment gives way to what it commits to ("swore to fight": an intent to fight)
        controlled = {(g.verb if lemma_in(g.verb, lex.committing) and infinitive(f.verb) else f.verb).i
                      for f, chain in found for g, _ in found if g is not f and serves(f.verb, g.verb)
                      and not (f.type != g.type and object_control(f.verb, g.verb))}
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


def _code(f: Found, chain: list[Token], sent: Span, si: int, article: Article, coder: ActorCoder,
          times: Sequence[TimeMention], lex: Lexicon, last: Actor | None) -> tuple[EventMention, Actor | None] | None:
    """Type (after negation, intent and obligation), actors, date and place of one trigger; with the
    source when the sentence named it (a pronoun in the next sentence may point back to it)."""
    typ = f.type
    verb = f.verb
    if typ in lex.commitment and any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and not own_act(c, f, lex)
                                     for c in verb.children):
        typ = lex.commitment[typ]  # "agreed to share", "offered to mediate": a commitment is AGREE
    # what the clause commits to: look at the verb and the verbs it hangs from up to a speech verb
    speech = next((t for t in chain[1:] if lemma_in(t, lex.speech)), None)
    upto = chain[: chain.index(speech)] if speech is not None else chain
    auxes = set().union(*(aux(t) for t in upto))
    negated = any(is_negated(t) for t in upto) or any(lemma_in(t, lex.negating) for t in upto[1:])
    if auxes & lex.hypothetical:
        return None
    if speech is not None and auxes & lex.future and lemma_in(speech, lex.expectation):
        return None  # "hopes that the two countries will enhance ...": a hope, no one's stated intent
    if auxes & lex.obligation and speech is None:
        return None  # "they should be allowed to ...": a norm, not an act
    if any(c.dep_ == "xcomp" and c.lemma_.lower() in lex.silent for c in verb.children):
        return None  # "declined to comment"
    obliged = bool(auxes & lex.obligation) and speech is not None
    intent = bool(auxes & lex.future) or any(
        (t.pos_ == "ADJ" and t.lemma_.lower() in lex.intent_adj) or (t.lemma_.lower() in lex.stative and passive_form(t))
        or lemma_in(t, lex.committing) for t in upto[1:])
    if typ in lex.hostile and any(t.lemma_.lower() in lex.preparing and not passive_form(t) for t in upto[1:]):
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

    subj, passive = subject_of(verb, lex.stative)
    source = target = named = None
    agent = None
    unknown = False  # the passive subject is a pronoun: the target is not to be looked for elsewhere
    if passive:
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
        source = coder.code(agent) if agent is not None else None
        target = coder.code(subj) if subj is not None else None
        if target is None and subj is not None:  # "a camp for Congolese refugees was attacked"
            target = place_actor(subj, coder, skip=agent)
        if target is None and subj is not None and is_pronoun(subj):
            unknown = True  # "they were caught in ...": who was is not in this sentence
    elif subj is not None:
        if is_pronoun(subj):
            source = speaker(speech, coder) or last
        else:
            source = named = coder.code(subj)
            if source is None and (subj.lemma_.lower() in ("group", "side", "country") or any(
                    c.dep_ == "poss" and is_pronoun(c) for c in subj.children)):
                # "the group", "their forces": the speaker's, or the last named actor's
                source = speaker(speech, coder) or (last if speech is None else None)
            if source is None:
                source = org_stub(subj, coder)
    if obliged:
        # "X said Y must ...": the speaker asks, the subject is asked
        target, source = source, speaker(speech, coder)
    if target is None and f.type in lex.symmetric and typ in lex.symmetric and subj is not None:
        # "Carney and Takaichi met on the sidelines of ...": the other side is in the subject
        target = partner(subj, source, coder)
    if target is None and not unknown:
        target = target_of(f, coder, lex, exclude=agent if passive else subj, typ=typ,
                         avoid=source.country if source else None)
    if target is None and typ in lex.symmetric and subj is not None:
        target = partner(subj, source, coder)
    if typ == "THREATEN" and (target is None or target.kind == "place"):
        # "threatened to ban voting in East Jerusalem if Hamas ran": the threat is aimed at whom its
        # condition names
        target = condition_party(upto + [c for c in verb.children if infinitive(c)], coder, lex) or target
    if source is None and subj is None and typ in lex.symmetric:
        source, target = target, None  # the two sides of an agreement: either may come first
    if source is None and passive:
        # "a convoy was attacked in Somalia": with no one named, the state where it was done; a place
        # inside the complement ("caught in what analysts call the Washington distraction") is no setting
        source = setting(verb, coder, skip=subj)
    if source is None and target is None:
        return None
    if f.reverse:  # "[:173]": the dictionary codes the object acting on the subject
        source, target = target, source
    # a domestic actor the sentence does not tie to a state ("police", "President Bashir") acts in the
    # state where the sentence places it (CAMEO's convention); so does an unattributed bombing
    home = home_state(sent, coder)
    if (source is None or source.code is None) and subj is not None and not passive and not is_pronoun(subj) \
            and home:
        source = Actor(home, home, None, subj.text, subj.idx, kind="place")
    source, target = resident(source, home), resident(target, home)
    source, target = localise(source, home), localise(target, home)
    source, target = nationalise(source, target, sent, coder)
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
            and typ in lex.conflict and people(source) and states_named(sent, coder) <= {source.country}:
        # "the vice-president declined to resign", "Bosnian Serbs demanded a truce with Moslem forces in
        # east Bosnia": a conflict at home, in a sentence that names no other state, is aimed at that state
        target = dataclasses.replace(source, code=source.country, sector=None, kind="state")

    if lex.choices.bodies:  # "Amnesty International", "the Red Cross": international bodies, IGO
        source, target = (dataclasses.replace(a, code="IGO") if a is not None and a.code == "NGO" else a
                          for a in (source, target))
    when = time_of(verb, sent, times)
    where = location_of(verb, coder, {a.start for a in (source, target) if a})
    return EventMention(
        type=typ, sentence=si, text=sent.text.strip(),
        source_text=source.text if source else None, source_actor=source.code if source else None,
        target_text=target.text if target else None, target_actor=target.code if target else None,
        location=where, date=(when.value if when and when.value else article.date),
        verb=f.lemma, source_start=source.start if source else None, target_start=target.start if target else None,
        source_sector=source.sector if source else None, target_sector=target.sector if target else None,
        time_start=when.start if when and when.value else None,
    ), named
