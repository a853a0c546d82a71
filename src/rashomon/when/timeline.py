"""Inferred article dates and the merged timeline (corpus stage, over the stored time mentions of
:mod:`rashomon.when.times`).

An undated article takes its family's date, else the date its story's articles vote for; its time mentions
are then resolved again against it. The timeline merges the dated happenings of every article: one row per
happening (a date and a place), citing each article that reports it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..model import Article, Mention, Notes, TimelineItem, TimelineSource, TimeMention
from ..text import geo
from ..text.textsim import sentence_piece
from .times import reresolve


def infer_dates(articles: Sequence[Article], notes: Mapping[str, Notes],
                stories: Mapping[str, str]) -> tuple[list[Article], dict[str, Notes]]:
    """Fill missing article dates from the story and the text (``date_source='inferred'``); re-resolve times.

    An undated copy or rewrite takes its family's date; otherwise the story's dated articles vote, and
    the article's own relative expressions ("on Friday", "today") break ties by landing on days the
    story's other articles name.

    >>> a = Article(id="a", input="-", text="x", date="2026-03-06", story="s1")
    >>> b = Article(id="b", input="-", text="x", story="s1")
    >>> arts, _ = infer_dates([a, b], {}, {"a": "s1", "b": "s1"})
    >>> arts[1].date, arts[1].date_source
    ('2026-03-06', 'inferred')
    """
    notes = dict(notes)
    story_of = {a.id: stories.get(a.id) or a.story or "" for a in articles}
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if story_of[a.id]:
            by_story[story_of[a.id]].append(a)
    out = []
    for a in articles:
        if a.date or not story_of[a.id]:
            out.append(a)
            continue
        members = [m for m in by_story[story_of[a.id]] if m.id != a.id and m.date]
        family = [m.date for m in members if m.date and a.family and m.family == a.family]
        votes: Counter[str] = Counter(family or [m.date for m in members if m.date])
        if not votes:
            out.append(a)
            continue
        named = frozenset(t.value for m in members for t in (notes[m.id].times if m.id in notes else ())
                          if t.value and len(t.value) == 10)
        own = notes[a.id].times if a.id in notes else ()
        best = max(votes, key=lambda day: _vote(day, votes, own, named))
        a = dataclasses.replace(a, date=best, date_source="inferred")
        if a.id in notes:
            notes[a.id] = dataclasses.replace(notes[a.id], times=reresolve(own, best))
        out.append(a)
    return out, notes


def _vote(day: str, votes: Counter[str], own: Sequence[TimeMention], named: frozenset[str]) -> tuple[float, int, str]:
    """How well an anchor day fits: articles dated that day, plus own relative dates landing on named days."""
    landed = sum(1 for t in reresolve(own, day) if t.value in named and not t.rule.startswith("abs"))
    return (votes[day] + 0.5 * landed, votes[day], _neg(day))


def _neg(day: str) -> str:
    """A sort key that prefers the earlier of two ISO days under ``max``."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in day)


_EXPR_TRIM = re.compile(r"(?i)^(?:on|in|at)\s+|['’]s$")
_CONTENT = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
_STOP = frozenset(["the", "and", "for", "that", "with", "from", "this", "have", "has", "had", "was", "were", "are", "will", "would", "said", "says", "not", "but", "its", "their", "his", "her", "they", "them", "who", "which", "into", "over", "after", "before", "about", "than", "also", "been", "more", "some", "such", "when", "where", "while", "there", "these", "those", "other", "just", "only", "very", "can", "could", "may", "might", "shall", "should", "being"])
# verbs that say little about which happening a sentence tells ("made a trip", "made a speech")
_LIGHT_VERBS = frozenset({"be", "say", "have", "make", "take", "do", "give", "get", "hold", "come", "go"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "EVENT", "ORG"})  # the last three as venues only
_BOUNDARY = re.compile(r"[,;:()\u2014\u2013]|\s-\s")
_CLAUSE_COST = 80  # characters a clause boundary between an expression and a place counts as


def _norm_expr(text: str) -> str:
    return _EXPR_TRIM.sub("", " ".join(text.lower().split()))


def _content(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:6] for w in _CONTENT.findall(text) if w.lower() not in _STOP)


def timeline(articles: Sequence[Article], notes: Mapping[str, Notes]) -> tuple[TimelineItem, ...]:
    """Every dated statement, the same happening across outlets merged into one item, sorted by date.

    A happening is a date and a place: within a story, two statements naming the same date tell of the
    same happening when the places nearest their expressions are one (Tokyo and Japan are one state) —
    "talks in Tokyo on Friday", "a stopover in Japan on Friday evening" and "Today, the Prime Minister met
    ... of Japan" are one meeting, cited by each report. Two statements whose expressions sit in a clause
    with *different* places never merge ("a trip to China in January", "a speech in Davos in January").
    Without places, the same verb (not a light one such as "make") or sentences sharing most content words
    decide. Each article's own expression stays in ``sources``.
    """
    order = {a.id: i for i, a in enumerate(articles)}
    groups: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    for a in articles:
        n = notes.get(a.id)
        if n is None:
            continue
        for t in n.times:
            if not t.value:
                continue
            if 0 <= t.sentence < len(n.sentences):
                s = n.sentences[t.sentence]
                offset, stop = sentence_piece(a.text, s.start, s.end, t.start)
                sentence = a.text[offset:stop]
            else:
                sentence, offset = a.text[t.start:t.end], t.start
            place, sure = _place(a.text, n.mentions, t, offset, offset + len(sentence))
            entry = _Entry(a.id, t, sentence, _norm_expr(t.expression), _content(sentence), place, sure)
            groups[(a.story or a.id, t.value)].append(entry)

    items = []
    for (_, value), entries in groups.items():
        clusters: list[list[_Entry]] = []
        for e in entries:
            fits = [cl for cl in clusters if not any(_apart(e, o) for o in cl)
                    and any(_same_happening(e, o) for o in cl)]
            if fits:
                max(fits, key=lambda cl: sum(_same_happening(e, o) for o in cl)).append(e)
            else:
                clusters.append([e])
        for cl in clusters:
            # the plainest wording leads: a named day over "today" (true only on the day of the report)
            lead = min(cl, key=lambda e: (e.time.rule.startswith("day:"), len(e.norm), order[e.article_id],
                                          e.time.start))
            ids = [lead.article_id] + [e.article_id for e in sorted(cl, key=lambda e: order[e.article_id])]
            items.append(TimelineItem(
                date=value, expression=_wordings(lead, cl), text=lead.sentence,
                article_ids=tuple(dict.fromkeys(ids)), start=lead.time.start, end=lead.time.end,
                sources=tuple(TimelineSource(e.article_id, e.time.expression, e.time.start, e.time.end)
                              for e in [lead] + [x for x in cl if x is not lead]),
            ))
    items.sort(key=lambda i: (i.date, order.get(i.article_ids[0], 0), i.start))
    return tuple(items)


def _wordings(lead: _Entry, cluster: Sequence[_Entry]) -> str:
    """The item's expression: the lead's wording when every report's wording contains or is contained in
    it; otherwise the fullest wording of each way the reports word it ("on Friday evening / today"), so
    each report's own words can be found in the item that cites it."""
    groups: list[list[_Entry]] = []
    for e in [lead, *cluster]:
        for g in groups:
            if any(e.norm in o.norm or o.norm in e.norm for o in g):
                g.append(e)
                break
        else:
            groups.append([e])
    if len(groups) == 1:
        return lead.time.expression
    return " / ".join(max(g, key=lambda e: len(e.norm)).time.expression for g in groups)


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    article_id: str
    time: TimeMention
    sentence: str
    norm: str
    content: frozenset[str]
    place: _Where | None = None  # the place nearest the expression
    sure: bool = False  # that place is in the expression's own clause


def _place(text: str, mentions: Sequence[Mention], t: TimeMention, lo: int, hi: int) -> tuple[_Where | None, bool]:
    """The place nearest a time expression in its sentence, and whether it sits in the expression's own
    clause. A place is a state code where the gazetteer knows it, else its folded name; a possessive or a
    title's place ("Canada's Prime Minister") names a person's state, not where something happened; a
    venue (an event, a body, a building) counts after "at"/"in" ("made at the Davos World Economic
    Forum"), by its words."""
    best: tuple[float, _Where, bool] | None = None
    for m in mentions:
        if not (lo <= m.start and m.end <= hi) or m.label not in _PLACE_LABELS or t.start <= m.start < t.end:
            continue
        if text[m.end:m.end + 2] in ("'s", "’s"):
            continue
        where = _where(m, text)
        if where is None:
            continue
        between = text[m.end:t.start] if m.end <= t.start else text[t.end:m.start]
        cuts = len(_BOUNDARY.findall(between))
        cost = len(between) + _CLAUSE_COST * cuts
        if best is None or cost < best[0]:
            best = (cost, where, cuts == 0)
    return (best[1], best[2]) if best else (None, False)


@dataclasses.dataclass(frozen=True, slots=True)
class _Where:
    key: str  # state code, or the folded name
    words: frozenset[str] = frozenset()  # a venue's name words ("davos", "world", ...), empty for a place


_VENUE_BEFORE = re.compile(r"(?i)\b(?:at|in)\s+(?:the\s+)?$")


def _where(m: Mention, text: str) -> _Where | None:
    name = " ".join(m.text.lower().split())
    if m.label in ("GPE", "LOC"):
        return _Where(m.country or geo.country_of(m.text) or name)
    if not _VENUE_BEFORE.search(text[max(0, m.start - 9):m.start]):
        return None
    for word in re.findall(r"[A-Z][\w-]+", m.text):  # a venue named after its town
        code = geo.country_of(word)
        if code:
            return _Where(code)
    return _Where(name, frozenset(name.split()))


def _same_place(a: _Where, b: _Where) -> bool:
    return a.key == b.key or a.key in b.words or b.key in a.words


def _apart(a: _Entry, b: _Entry) -> bool:
    """Each expression sits in a clause with its own place, and the places differ: two happenings."""
    return (a.sure and b.sure and a.place is not None and b.place is not None and not _same_place(a.place, b.place)
            and a.article_id != b.article_id)


def _same_happening(a: _Entry, b: _Entry) -> bool:
    if a.article_id == b.article_id and a.time.start == b.time.start:
        return True
    if not (a.norm in b.norm or b.norm in a.norm) and (len(a.time.value or "") < 10 or a.article_id == b.article_id):
        # different words for one month or year are rarely one happening ("in 1988", "a year ago"), and one
        # report naming a day twice in different words tells two things; a day that several reports each
        # word their own way ("Friday", "today") is the day of one happening
        return False
    if a.place is not None and b.place is not None and _same_place(a.place, b.place):
        return True
    if a.time.verb and a.time.verb == b.time.verb and a.time.verb not in _LIGHT_VERBS:
        return True
    if not a.content or not b.content:
        return False
    return 2 * len(a.content & b.content) / (len(a.content) + len(b.content)) >= 0.4
