"""PLOVER events, corpus stage: the same event reported by several articles merged into one contract
Event, with actors completed from the entity index and the story (the map stage is :mod:`rashomon.what.events`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date as Date

from ..model import Article, Entity, Event, EventMention, Notes
from ..who.entities import EntityIndex
from .lexicon import lexicon


def build(articles: Sequence[Article], notes: Mapping[str, Notes], entities: EntityIndex) -> tuple[Event, ...]:
    """Contract events, the same event reported by several articles merged into one.

    Actors a sentence left as a person ("Carney met Takaichi") take their entity's country when the
    entity index knows it, or the country another article of the story gives the same person. Dates are
    read again from the (possibly re-resolved) time mentions, else the article's date. Two mentions are
    one event when they share story, type and actors (either order for AGREE, CONSULT, COOPERATE, REJECT)
    and their dates agree (a date taken from the article's day may be a day off the text's own).
    """
    lex = lexicon()
    order = {a.id: i for i, a in enumerate(articles)}
    story_people: dict[str, dict[str, str]] = defaultdict(dict)
    for a in articles:
        n = notes.get(a.id)
        if n is None:
            continue
        key = a.story or a.id
        for m in n.mentions:
            if m.label == "PERSON" and m.country:
                _remember(story_people[key], m.text, m.country)

    resolved: list[tuple[Article, EventMention, Entity | None, Entity | None, bool]] = []
    for a in articles:
        n = notes.get(a.id)
        if n is None:
            continue
        times = {t.start: t for t in n.times}
        people = story_people[a.story or a.id]
        for e in n.events:
            src_ent = _entity(entities, a.id, e.source_start, e.source_text)
            tgt_ent = _entity(entities, a.id, e.target_start, e.target_text)
            src = _upgrade(e.source_actor, e.source_sector, e.source_text, src_ent, people)
            tgt = _upgrade(e.target_actor, e.target_sector, e.target_text, tgt_ent, people)
            if (src and src == tgt and src != e.source_actor and e.target_sector is None
                    and e.type not in lex.domestic_types):
                tgt = None  # a leader the story places in the state the sentence names: no act on itself
            t = times.get(e.time_start) if e.time_start is not None else None
            from_text = bool(t and t.value)
            day = t.value if t and t.value else a.date
            e = dataclasses.replace(e, source_actor=src, target_actor=tgt, date=day)
            resolved.append((a, e, src_ent, tgt_ent, from_text))

    groups: list[list[tuple[Article, EventMention, Entity | None, Entity | None, bool]]] = []
    index: dict[tuple[str, str, tuple[str | None, ...]], list[int]] = defaultdict(list)
    for item in resolved:
        a, e, _, _, from_text = item
        pair: tuple[str | None, ...] = (e.source_actor, e.target_actor)
        if e.type in lex.symmetric:
            pair = tuple(sorted(pair, key=lambda x: x or ""))
        group_key = (a.story or a.id, e.type, pair)
        for gi in index[group_key]:
            if all(_same_day(e.date, o.date, from_text, ft) and (None not in pair or _alike(e.text, o.text))
                   for _, o, _, _, ft in groups[gi]):
                groups[gi].append(item)
                break
        else:
            index[group_key].append(len(groups))
            groups.append([item])

    out = []
    for g in groups:
        g.sort(key=lambda x: (not x[4], order[x[0].id]))  # a date from the text first
        a, e, src_ent, tgt_ent, _ = g[0]
        ids = tuple(dict.fromkeys(x[0].id for x in sorted(g, key=lambda x: order[x[0].id])))
        ids = (a.id,) + tuple(i for i in ids if i != a.id)
        out.append(Event(
            id="", type=e.type, text=e.text, article_ids=ids,
            source_actor=e.source_actor, target_actor=e.target_actor,
            source_entity=_name(src_ent) or next((_name(x[2]) for x in g if x[2]), None),
            target_entity=_name(tgt_ent) or next((_name(x[3]) for x in g if x[3]), None),
            date=e.date, location=next((x[1].location for x in g if x[1].location), None),
            source_sector=e.source_sector, target_sector=e.target_sector,
        ))
    out.sort(key=lambda ev: (ev.date or "", order[ev.article_ids[0]]))
    return tuple(dataclasses.replace(ev, id=f"ev{i + 1}") for i, ev in enumerate(out))


_SECTOR_CODES = frozenset({"GOV", "MIL", "REB", "IGO", "NGO", "IMG", "COP", "JUD", "OPP", "PTY", "BUS", "MED",
                           "EDU", "LAB", "AGR", "REF", "CVL", "REL", "SEP", "CRM", "LEG", "SPY", "ELI", "UAF",
                           "PPL", "HLH", "HRI", "ENV", "DEV", "RAD", "MOD"})


def _name(entity: Entity | None) -> str | None:
    return entity.name if entity is not None else None


def _remember(table: dict[str, str], name: str, code: str, only_names: bool = False) -> None:
    words = [w for w in name.replace("'s", "").replace("’s", "").split() if w[:1].isupper()]
    if not words or (only_names and len(words) < 2):
        return
    table.setdefault(" ".join(words).lower(), code)
    table.setdefault(words[-1].lower(), code)


def _entity(entities: EntityIndex, article_id: str, start: int | None, text: str | None) -> Entity | None:
    """The entity at an actor's offset (or carrying its name in that article), when the index has it."""
    ent = None
    if start is not None:
        ent = entities.entity_at(article_id, start)
    if ent is None and text:
        ent = entities.lookup(text, article_id)
    return ent


def _upgrade(code: str | None, sector: str | None, text: str | None, entity: Entity | None,
             people: Mapping[str, str]) -> str | None:
    """A person takes the country its entity has, or that the story's articles tie it to ("Carney" in
    one article, "Canadian Prime Minister Mark Carney" in another): that is what the texts say, where
    the sentence alone could only guess. Other actors keep a country they have; one coded only by sector
    (or not at all) takes its entity's country."""
    if entity is not None and entity.country and entity.type == "PERSON":
        return entity.country
    known = _person_country(people, entity.name if entity else None, text)
    if known and (entity is None or entity.type == "PERSON") and sector in (None, "GOV"):
        return known
    if code and code not in _SECTOR_CODES:
        return code
    if sector not in (None, "GOV") and code:
        return code
    if entity is not None and entity.country and entity.type in ("ORG", "GPE", "NORP"):
        return entity.country
    return known or code


def _person_country(people: Mapping[str, str], *names: str | None) -> str | None:
    for name in names:
        if not name:
            continue
        words = [w for w in name.replace("'s", "").replace("’s", "").split() if w[:1].isupper()]
        if not words:
            continue
        found = people.get(" ".join(words).lower()) or people.get(words[-1].lower())
        if found:
            return found
    return None


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")


def _alike(a: str, b: str) -> bool:
    """Sentences that share most of their longer words: with a side unknown, only such reports of one
    type and actor are taken for the same event."""
    wa = {w.lower()[:6] for w in _WORD.findall(a)}
    wb = {w.lower()[:6] for w in _WORD.findall(b)}
    return bool(wa and wb) and 2 * len(wa & wb) / (len(wa) + len(wb)) >= 0.5


def _same_day(a: str | None, b: str | None, a_text: bool, b_text: bool) -> bool:
    """Two reports' dates for one event: equal, or a day apart when one is only the article's date."""
    if a == b or a is None or b is None:
        return True
    if a_text and b_text:
        return False
    try:
        return abs((Date.fromisoformat(a) - Date.fromisoformat(b)).days) <= 1
    except ValueError:
        return False
