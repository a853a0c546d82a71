"""Threads (corpus stage): stories of one long-running topic — an investigation over months, a war, a
dispute that flares up again — linked as one thread.

A story is an event; a thread is what several events have in common. The evidence is general, no topic
list: the **named things** a story's reports name (canonical entities: people, organisations, places, each
weighted by the share of the story's articles that name it) and its **topic words** (the content words of
its title, at a quarter of a name's weight). Every feature is weighted by its rarity across the stories
(IDF squared, as if the corpus also held ``BACKGROUND`` unrelated stories, so that in a small corpus a
shared name still counts as rare): "Hollywood" shared by a fifth of the corpus counts for little,
"Promises Treatment Center" for much. Places and nationalities count half as much as people and
organisations: two stories set in Athens are less of a thread than two about one minister.

Two stories are **linked** when the cosine of their weighted features reaches ``threshold`` and they
share at least ``min_names`` named things; a **thread** is a connected group of at least two linked
stories, its stories in date order. Candidate pairs come from an inverted index over the names (a pair
that shares no name is never scored), and names carried by more than ``COMMON`` of the stories (or by
1,000) seed no pair (they could not make a link on their own), so the cost grows with the pairs that share
a rare name, not with the square of the stories.

The threshold is chosen on ECB+ (``benchmarks/threads.py``, figures in ``benchmarks/desk.md``): of its 43
stories, the pairs the clustering split out of one gold event should be linked, and no link may join two
different ECB+ topics. At 0.22, 3 of the 7 split pairs are joined and no two topics; 0.20 and 0.21 do the
same (with more links between the two events of one topic), 0.23 joins one split pair less, and below 0.20
a thread joins two topics. Deterministic: ties break on ids, and threads and their stories are sorted.

>>> s = [StoryFacts("s1", "Inquiry into Kell port deal opens", "2026-01-10", {"PERSON\\tAna Velt": 1.0,
...      "ORG\\tKell Port Authority": 1.0}), StoryFacts("s2", "Kell port deal: Velt charged", "2026-04-02",
...      {"PERSON\\tAna Velt": 1.0, "ORG\\tKell Port Authority": 0.5}), StoryFacts("s3", "Ferry sinks off Avel",
...      "2026-02-01", {"GPE\\tAvel": 1.0})]
>>> [(t.id, t.story_ids, t.date_range) for t in link(s)]
[('t-s1', ('s1', 's2'), ('2026-01-10', '2026-04-02'))]
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Entity, Story, Thread
from ..text import textsim

THRESHOLD = 0.22  # cosine of the weighted features (chosen on ECB+: benchmarks/threads.py)
MIN_NAMES = 2  # named things two linked stories must share
BACKGROUND = 20  # IDF as if the corpus also held this many unrelated stories
COMMON = 0.25  # a name carried by more than this share of the stories seeds no candidate pair ...
POSTING_MIN, POSTING_MAX = 20, 1000  # ... whatever that share, a name in 20 stories seeds, one in 1,000 does not
PLACE_WEIGHT = 0.5  # a place's or nationality's weight next to a person's or organisation's
WORD_WEIGHT = 0.25  # a topic word's weight next to a name's
PLACES = frozenset({"GPE", "LOC", "NORP"})
TITLE_NAMES = 3  # names in a thread's title
THREAD_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """What threading needs to know of one story."""

    id: str
    title: str
    date: str | None
    names: Mapping[str, float] = field(default_factory=dict)  # "TYPE\tcanonical name" -> share of its articles
    words: frozenset[str] | None = None  # topic words; None: the content keys of the title

    def topic_words(self) -> frozenset[str]:
        return self.words if self.words is not None else textsim.keys(self.title, places=False)


def facts(stories: Sequence[Story], entities: Iterable[Entity]) -> list[StoryFacts]:
    """The facts of each story from a corpus' stories and its canonical entities (``article_ids`` say
    which stories name an entity).

    >>> st = Story("s1", "Kell votes", ("a", "b"), (("a",), ("b",)), 2)
    >>> [f.names for f in facts([st], [Entity("e1", "Kell", "GPE", article_ids=("a",))])]
    [{'GPE\\tKell': 0.5}]
    """
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entities:
        if e.type not in THREAD_TYPES:
            continue
        key = f"{e.type}\t{e.name}"
        for sid, n in Counter(story_of[aid] for aid in set(e.article_ids) if aid in story_of).items():
            counts[sid][key] += n
    return [StoryFacts(s.id, s.title, s.date, {k: min(1.0, n / max(1, len(s.article_ids)))
                                              for k, n in sorted(counts[s.id].items())})
            for s in stories]


def link(stories: Sequence[StoryFacts], threshold: float = THRESHOLD, min_names: int = MIN_NAMES) -> list[Thread]:
    """The threads among ``stories``: connected groups of linked stories, each in date order (undated
    stories last), threads by their first date."""
    return [_thread(group, names) for group, names in _groups(stories, threshold, min_names)]


def scored_pairs(stories: Sequence[StoryFacts]) -> list[tuple[str, str, float, int]]:
    """Every candidate pair ``(id, id, cosine, shared names)`` (for tuning and tests), in a fixed order."""
    vectors, norms, pairs = _prepare(stories)
    return [(stories[i].id, stories[j].id, _cosine(vectors[i], vectors[j], norms[i], norms[j]), shared)
            for i, j, shared in pairs]


# ------------------------------------------------------------------------------------------- helpers


def _prepare(stories: Sequence[StoryFacts]) -> tuple[list[dict[str, float]], list[float], Iterator[tuple[int, int, int]]]:
    """Each story's weighted features, their norms, and the candidate pairs (:func:`_pairs`)."""
    n = len(stories)
    name_df = Counter(k for s in stories for k in s.names)
    words = [s.topic_words() for s in stories]
    word_df = Counter(w for ws in words for w in ws)

    def idf(df: int) -> float:  # squared: a name only two stories share says far more than one ten share
        return math.log((n + BACKGROUND) / df) ** 2

    vectors = []
    for s, ws in zip(stories, words, strict=True):
        v = {"n:" + k: share * idf(name_df[k]) * (PLACE_WEIGHT if k.split("\t", 1)[0] in PLACES else 1.0)
             for k, share in s.names.items()}
        v.update(("w:" + w, WORD_WEIGHT * idf(word_df[w])) for w in ws)
        vectors.append(v)
    norms = [math.sqrt(sum(x * x for x in v.values())) for v in vectors]
    return vectors, norms, _pairs(stories)


def _pairs(stories: Sequence[StoryFacts]) -> Iterator[tuple[int, int, int]]:
    """The candidate pairs ``(i, j, shared names)``, ``i < j``, in that order: two stories sharing a name
    carried by at most ``COMMON`` of the stories (bounded by ``POSTING_MIN`` and ``POSTING_MAX``), with the
    common names they also share counted in. Made row by row, so only one story's partners are held at once:
    the pairs of a big corpus (tens of millions at 100k articles) never are."""
    n = len(stories)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stories):
        for k in s.names:
            postings[k].append(i)
    limit = max(POSTING_MIN, min(int(COMMON * n), POSTING_MAX))
    common = {k for k, ids in postings.items() if len(ids) > limit}
    for i, s in enumerate(stories):
        row: Counter[int] = Counter()
        for k in s.names:
            ids = postings[k]
            if 2 <= len(ids) <= limit:
                row.update(ids[bisect.bisect_right(ids, i):])  # each posting lists its stories in order
        mine = common & s.names.keys()
        for j in sorted(row):
            yield i, j, row[j] + (len(mine & stories[j].names.keys()) if mine else 0)


def _cosine(a: Mapping[str, float], b: Mapping[str, float], na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[k] for k, x in a.items() if k in b) / (na * nb)


def _groups(stories: Sequence[StoryFacts], threshold: float,
            min_names: int) -> list[tuple[list[StoryFacts], Counter[str]]]:
    vectors, norms, shared = _prepare(stories)
    parent = list(range(len(stories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, count in shared:
        if count >= min_names and _cosine(vectors[i], vectors[j], norms[i], norms[j]) >= threshold:
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    members: dict[int, list[StoryFacts]] = defaultdict(list)
    for i, s in enumerate(stories):
        members[root(i)].append(s)
    out = []
    for group in members.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: (s.date is None, s.date or "", s.id))
        names: Counter[str] = Counter(k for s in group for k in s.names)
        out.append((group, names))
    out.sort(key=lambda g: (g[0][0].date is None, g[0][0].date or "", g[0][0].id))
    return out


def _thread(group: Sequence[StoryFacts], names: Counter[str]) -> Thread:
    """A thread of date-ordered stories, titled by the names most of them share (people and organisations
    before places)."""
    weight = {k: sum(s.names.get(k, 0.0) for s in group) for k in names}
    top = sorted(names, key=lambda k: (-names[k], k.split("\t", 1)[0] in PLACES, -weight[k], k))[:TITLE_NAMES]
    title = " · ".join(k.split("\t", 1)[1] for k in top if names[k] >= 2) or group[0].title
    dates = [s.date for s in group if s.date]
    return Thread(id="t-" + group[0].id, title=title, story_ids=tuple(s.id for s in group),
                  date_range=(min(dates), max(dates)) if dates else (None, None))
