"""Inferred article dates and the merged timeline (corpus stage, over the stored time mentions of
:mod:`rashomon.when.times`).

An undated article takes its family's date, else the date its story's articles vote for; its time mentions
are then resolved again against it. The timeline merges the dated happenings of every article: one row per
happening, citing each article that reports it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..model import Article, Notes, TimelineItem, TimelineSource, TimeMention
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


def _norm_expr(text: str) -> str:
    return _EXPR_TRIM.sub("", " ".join(text.lower().split()))


def _content(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:6] for w in _CONTENT.findall(text) if w.lower() not in _STOP)


def timeline(articles: Sequence[Article], notes: Mapping[str, Notes]) -> tuple[TimelineItem, ...]:
    """Every dated statement, the same happening across outlets merged into one item, sorted by date.

    Two statements merge when they are in the same story, name the same date with compatible wording
    (one expression contains the other, so each article's own words can still be found in the item's
    ``expression``) and tell of the same happening (same verb, or sentences sharing most content words).
    Each article's own expression stays in ``sources``.
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
                sentence = a.text[s.start:s.end].strip()
            else:
                sentence = a.text[t.start:t.end]
            entry = _Entry(a.id, t, sentence, _norm_expr(t.expression), _content(sentence))
            groups[(a.story or a.id, t.value)].append(entry)

    items = []
    for (_, value), entries in groups.items():
        clusters: list[list[_Entry]] = []
        for e in entries:
            for cl in clusters:
                if all(_same_happening(e, o) for o in cl):
                    cl.append(e)
                    break
            else:
                clusters.append([e])
        for cl in clusters:
            lead = min(cl, key=lambda e: (len(e.norm), order[e.article_id], e.time.start))
            ids = [lead.article_id] + [e.article_id for e in sorted(cl, key=lambda e: order[e.article_id])]
            items.append(TimelineItem(
                date=value, expression=lead.time.expression, text=lead.sentence,
                article_ids=tuple(dict.fromkeys(ids)), start=lead.time.start, end=lead.time.end,
                sources=tuple(TimelineSource(e.article_id, e.time.expression, e.time.start, e.time.end)
                              for e in [lead] + [x for x in cl if x is not lead]),
            ))
    items.sort(key=lambda i: (i.date, order.get(i.article_ids[0], 0), i.start))
    return tuple(items)


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    article_id: str
    time: TimeMention
    sentence: str
    norm: str
    content: frozenset[str]


def _same_happening(a: _Entry, b: _Entry) -> bool:
    if a.article_id == b.article_id and a.time.start == b.time.start:
        return True
    if not (a.norm in b.norm or b.norm in a.norm):
        return False
    if a.time.verb and a.time.verb == b.time.verb and a.time.verb not in {"be", "say", "have"}:
        return True
    if not a.content or not b.content:
        return False
    return 2 * len(a.content & b.content) / (len(a.content) + len(b.content)) >= 0.4
