"""Syndication families (corpus stage): copies, light edits, rewrites and translations of the same report.

A family counts once as an independent source. Two articles are *the same report* when

* they are near-duplicates: the Jaccard similarity of their word 5-shingles (MinHash) is at least
  ``config.family_jaccard`` — a copy, a copy with a new headline, a lightly edited copy; or
* one is an updated version of the other: three or more sentences, half of the shorter text's, copied word
  for word (:func:`copied`: a new lead, a new toll, the rest unchanged); or
* one is a rewrite or translation of the other: a large share of their sentences have a close counterpart
  **in the same order** (a monotone alignment of content stems and figures), helped by the same quotes
  and the same figures. A shared wire cue ("(AFP)", "told AFP", an agency byline) lowers the bar a
  little; two *different* agencies' cues rule a rewrite out (two agencies report independently), and so
  does a pair that shares too few names (a rewrite keeps its source's people and places; like sentences
  about other people are another report), and so do texts dated more than ``REWRITE_DAYS`` apart (a
  rewrite follows its source within days; a yearly report written from last year's is another report).

* they are in two languages and one is a translation (or close rewrite) of the other: a large share of
  their sentences carry the same *anchors* — names, states, figures, days and months, which cross
  languages — in the same order (:func:`rashomon.group.crossing.translation`).

Families are the connected components of that symmetric relation, and a family's id is the smallest
article id in it, so the partition and the ids do not depend on arrival order.

Scale: candidates come from two MinHash LSH indexes (word shingles for copies, content stems for
rewrites), never from all pairs; only candidates are aligned. The rewrite index is banded loosely (its
bar, a content-stem Jaccard of 0.2, is met by independent reports of one event too), so its buckets grow
with the corpus: each is read from its most recent ``RECENT`` entries only (a rewrite follows its source
within days, not after thousands of similar reports), and the candidates' Jaccard is checked in one
vectorised step. The work per article stays bounded however long the stream.

>>> from rashomon.config import Config
>>> from rashomon.model import Article
>>> text = "The Kessin council voted on Monday to close the old ferry port. Forty jobs will go by June."
>>> index = FamilyIndex(Config())
>>> index.add(Article(id="b", input="-", text=text)), index.add(Article(id="a", input="-", text=text + " More."))
('b', 'a')
>>> index.assignments()
{'b': 'a', 'a': 'a'}
"""

from __future__ import annotations

import bisect
import io
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from ..config import Config
from ..errors import ConfigError
from ..model import Article
from . import crossing, represent, state
from .features import MATCH_MIN_KEYS, Features, features
from .minhash import Bands, LeanMinHash, RankTable, band_hashes

STATE_VERSION = 9  # 9: copies weighed by content keys too (copied); 8: compact profiles and LSH tables (arrays, word ids)
RECENT = 200  # entries read from the end of each rewrite-index bucket
REWRITE_CANDIDATE_JACCARD = 0.2  # content-stem Jaccard for a rewrite to be *looked at* (LSH recall)
# a rewrite or translation follows its source within days: two dated texts further apart than this are not
# one report rewritten, however alike (a weekly or yearly report written from one template, an event retold)
REWRITE_DAYS = 30
TRANSLATION_CANDIDATE_JACCARD = 0.25  # anchor Jaccard for a pair in two languages to be looked at


@dataclass(slots=True)
class _Profile:
    """What the index keeps per article to verify a candidate pair without the text.

    Its sets of words (names, figures, quotes' keys, each sentence's anchors) are kept as word ids of the
    index's vocabulary in one array, and read back as frozensets of those ids: the verdicts only intersect
    and count them, so ids give the same verdicts as the words, at a fraction of the memory (a frozenset of
    strings per sentence cost ~10 KB per article; the index grows with the corpus). Its MinHash signatures
    are rows of the index's arrays."""

    keys: np.ndarray  # key ids of every kept sentence, concatenated (one array, not one per sentence)
    bounds: np.ndarray  # sentence i is keys[bounds[i]:bounds[i + 1]]
    words: np.ndarray  # word ids of names, figures, anchor names, each quote, each sentence's anchors
    edges: np.ndarray  # set k is words[edges[k]:edges[k + 1]]
    n_quotes: int
    agency: str | None
    dates: tuple[int, int] | None
    language: str | None = None

    def sentences(self) -> list[frozenset[int]]:
        flat = self.keys.tolist()
        edges = self.bounds.tolist()
        return [frozenset(flat[i:j]) for i, j in zip(edges, edges[1:], strict=False)]

    def _sets(self, start: int, end: int) -> list[frozenset[int]]:
        flat, edges = self.words.tolist(), self.edges.tolist()
        return [frozenset(flat[edges[k]:edges[k + 1]]) for k in range(start, end)]

    @property
    def names(self) -> frozenset[int]:
        return self._sets(0, 1)[0]

    @property
    def figures(self) -> frozenset[int]:
        return self._sets(1, 2)[0]

    @property
    def anchor_names(self) -> frozenset[int]:
        return self._sets(2, 3)[0]

    @property
    def quotes(self) -> list[frozenset[int]]:
        return self._sets(3, 3 + self.n_quotes)

    @property
    def anchors(self) -> tuple[frozenset[int], ...]:
        return tuple(self._sets(3 + self.n_quotes, len(self.edges) - 1))


class FamilyIndex:
    """Incremental family assignment: ``add`` articles as they arrive, read ``assignments`` any time.

    Saving and restoring: ``blob = index.dump()`` gives bytes (the whole state, assignments included);
    ``FamilyIndex.load(blob, config)`` restores it without recomputing anything, and later ``add`` calls
    continue where it stopped. ``remove(article_id)`` takes an article out (its family is recomputed from
    the remaining links).
    """

    def __init__(self, config: Config) -> None:
        if not 0 < config.family_jaccard <= 1 or not 0 < config.family_align <= 1:
            raise ConfigError("family_jaccard and family_align must be in (0, 1]",
                              "Set them to fractions, e.g. family_jaccard = 0.5.")
        self.config = config
        n = config.family_num_perm
        self._dups = Bands(threshold=config.family_jaccard, num_perm=n)
        self._bands = rewrite_bands(n)
        self._buckets = RankTable()  # rewrite-index band hash -> arrival ranks, in arrival order
        self._content = np.zeros((0, n), dtype=np.uint32)  # content MinHash by arrival rank (grown by doubling)
        self._shingles = np.zeros((0, n), dtype=np.uint32)  # word-shingle MinHash by arrival rank
        self._words = represent.Vocabulary()  # names, figures, quote keys, anchors -> the profiles' word ids
        self._ids: list[str | None] = []  # arrival rank -> article id (None once removed)
        self._rank: dict[str, int] = {}
        self._keys = represent.Vocabulary()
        self._profiles: dict[str, _Profile] = {}
        self._links: dict[str, set[str]] = {}
        self._family: dict[str, str] = {}
        # translations: an LSH over each article's anchors (names, states, figures, days, months), whose
        # candidates are verified only when the two articles are in different languages
        self._anchors = Bands(threshold=TRANSLATION_CANDIDATE_JACCARD, num_perm=n)

    # ----------------------------------------------------------------------------------- public verbs

    def add(self, article: Article, found: Features | None = None) -> str:
        """Place one article; returns its family id (which may also rename the family it joins).
        ``found``: the article's :func:`features`, if they were already computed (e.g. in a worker process).

        Adding an id that is already there returns its family unchanged.
        """
        if article.id in self._family:
            return self._family[article.id]
        found = found or features(article, self.config)
        kept = [[self._keys.id(x) for x in sorted(keys)] for keys in found.sentences]
        sets = [found.names, found.figures, found.anchor_names, *found.quotes, *found.anchors]
        words = [[self._words.id(x) for x in sorted(group)] for group in sets]
        profile = _Profile(
            keys=np.array([x for keys in kept for x in keys], dtype=np.int32),
            bounds=np.cumsum([0] + [len(keys) for keys in kept], dtype=np.int32),
            words=np.array([x for group in words for x in group], dtype=np.int32),
            edges=np.cumsum([0] + [len(group) for group in words], dtype=np.int32),
            n_quotes=len(found.quotes),
            agency=found.agency,
            dates=found.dates,
            language=found.language,
        )

        links = set()
        shingles = found.shingles.hashvalues
        for other in self._dups.query(found.shingles):
            same = np.count_nonzero(self._shingles[self._rank[other]] == shingles)
            if float(same) / float(len(shingles)) >= self.config.family_jaccard:  # MinHash.jaccard
                links.add(other)
        # A candidate already in the family of a linked article would not change the partition; skipping
        # it saves most alignments inside big families (``remove`` then relies on the links kept).
        joined = {self._family[x] for x in links}
        keys = self._band_keys(found.content)
        for other in self._rewrite_candidates(found.content, keys):
            if other in links or self._family[other] in joined:
                continue
            if self._same_report(profile, self._profiles[other]):
                links.add(other)
                joined.add(self._family[other])
        if found.anchor_hash is not None and profile.language:
            for other in sorted(self._anchors.query(found.anchor_hash)):
                known = self._profiles[other]
                if other in links or self._family[other] in joined or known.language in (None, profile.language):
                    continue
                if crossing.translation(profile, known, self.config, REWRITE_DAYS):
                    links.add(other)
                    joined.add(self._family[other])

        self._profiles[article.id] = profile
        self._dups.insert(article.id, found.shingles)
        self._insert_rewrite(article.id, found.content, found.shingles, keys)
        if found.anchor_hash is not None:
            self._anchors.insert(article.id, found.anchor_hash)
        self._links[article.id] = links
        for other in links:
            self._links[other].add(article.id)
        self._relabel(article.id)
        return self._family[article.id]

    def extend(self, articles: Iterable[Article]) -> None:
        """``add`` each article in turn."""
        for a in articles:
            self.add(a)

    def assignments(self) -> dict[str, str]:
        """article id -> family id for every article added so far, in arrival order."""
        return dict(self._family)

    def remove(self, article_id: str) -> None:
        """Take an article out; the rest of its family may split if it was the only bridge."""
        if article_id not in self._family:
            return
        self._dups.remove(article_id)
        if article_id in self._anchors:
            self._anchors.remove(article_id)
        self._ids[self._rank.pop(article_id)] = None  # its bucket entries stay, skipped when read
        del self._profiles[article_id]
        neighbours = self._links.pop(article_id)
        del self._family[article_id]
        for other in neighbours:
            self._links[other].discard(article_id)
        for other in neighbours:
            self._relabel(other)

    def dump(self) -> bytes:
        """The whole state as bytes, for the store (see :meth:`load`)."""
        out = io.BytesIO()
        self.dump_to(out)
        return out.getvalue()

    def dump_to(self, file: Any) -> None:
        """The whole state written to a binary file, as :meth:`dump` gives it, never held whole in memory."""
        pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump({"version": STATE_VERSION, "state": self.__dict__})

    @classmethod
    def load(cls, data: bytes | BinaryIO, config: Config) -> FamilyIndex:
        """An index restored from :meth:`dump` output (bytes, or a binary file); ``config`` replaces the
        saved one."""
        blob = state.load(data, "family")
        if not isinstance(blob, dict) or blob.get("version") != STATE_VERSION:
            raise ConfigError("saved family index is from another version",
                              "Re-run the analysis with a new --db, or let the runner rebuild the indexes.")
        index = cls.__new__(cls)
        index.__dict__.update(blob["state"])
        index.config = config
        return index

    # -------------------------------------------------------------------------------------- internals

    def _band_keys(self, content: LeanMinHash) -> np.ndarray:
        """A hash of each band of the rewrite index (the bands are checked value by value when read)."""
        last = self._bands[-1][1]
        return band_hashes(content.hashvalues[:last], len(self._bands), last // len(self._bands))

    def _rewrite_candidates(self, content: LeanMinHash, keys: np.ndarray) -> list[str]:
        """Earlier articles sharing a rewrite-index bucket (its most recent ``RECENT`` entries) whose
        content-stem Jaccard reaches the candidate bar, by id."""
        lists = []
        for (s, e), hit in zip(self._bands, self._buckets.get_many(keys), strict=True):
            if len(hit):  # the bucket is the band's exact values: a hash collision is dropped here
                hit = hit[(self._content[hit, s:e] == content.hashvalues[s:e]).all(axis=1)]
                if len(hit):
                    lists.append(hit[-RECENT:])
        if not lists:
            return []
        ranks = np.unique(np.concatenate(lists))
        share = (self._content[ranks] == content.hashvalues[None, :]).mean(axis=1)
        found = (self._ids[r] for r in ranks[share >= REWRITE_CANDIDATE_JACCARD].tolist())
        return sorted(x for x in found if x is not None)

    def _insert_rewrite(self, article_id: str, content: LeanMinHash, shingles: LeanMinHash, keys: np.ndarray) -> None:
        rank = len(self._ids)
        self._content = _row(self._content, rank, content.hashvalues)
        self._shingles = _row(self._shingles, rank, shingles.hashvalues)
        self._ids.append(article_id)
        self._rank[article_id] = rank
        for k in keys.tolist():
            self._buckets.add(k, rank)

    def _same_report(self, a: _Profile, b: _Profile) -> bool:
        """Rewrite or translation of one report: ordered sentence alignment plus quotes and figures. Only
        called on candidates whose content Jaccard already reached the bar (:meth:`_rewrite_candidates`)."""
        return rewrite(a, b, a.sentences, b.sentences, self.config)

    def _relabel(self, start: str) -> None:
        """Recompute the family of ``start``'s connected component: id = smallest member id."""
        seen = {start}
        stack = [start]
        while stack:
            for other in self._links[stack.pop()]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        family = min(seen)
        for member in seen:
            self._family[member] = family


def _row(matrix: np.ndarray, rank: int, values: np.ndarray) -> np.ndarray:
    """``matrix`` with row ``rank`` set to ``values`` (grown by doubling; 64-bit if a value needs it: a
    datasketch signature's values are 32-bit)."""
    if rank == len(matrix):
        grown = np.zeros((max(64, 2 * rank), matrix.shape[1]), dtype=matrix.dtype)
        grown[:rank] = matrix
        matrix = grown
    if matrix.dtype != np.uint64 and len(values) and int(values.max()) > 0xFFFFFFFF:
        matrix = matrix.astype(np.uint64)
    matrix[rank] = values
    return matrix


def rewrite(a: Any, b: Any, sentences_a: Callable[[], list], sentences_b: Callable[[], list], config: Config) -> bool:
    """The rewrite verdict on two profiles (anything with ``agency``, ``names``, ``dates``, ``quotes`` and
    ``figures``; their sentence keys built only if needed), shared by :class:`FamilyIndex` and the Dask
    engine: dated at most ``REWRITE_DAYS`` apart, no two different agencies' cues, enough shared names, and
    enough evidence (a same-agency cue lowers the bar)."""
    if a.dates and b.dates and represent.date_gap(a.dates, b.dates) > REWRITE_DAYS:
        return False
    if a.agency and b.agency and a.agency != b.agency or names_differ(a.names, b.names):
        return False
    sa, sb = sentences_a(), sentences_b()
    if copied(sa, sb):  # an updated version of one report (a new lead, a new toll) is still that report
        return True
    score = evidence(sa, sb, list(a.quotes), list(b.quotes), a.figures, b.figures)
    return score >= config.family_align - (0.1 if a.agency and a.agency == b.agency else 0.0)


def rewrite_bands(num_perm: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) hash ranges of the rewrite index's bands: datasketch's choice for a Jaccard bar of
    ``REWRITE_CANDIDATE_JACCARD`` (28 bands of 2 at 128 permutations)."""
    return tuple(Bands(threshold=REWRITE_CANDIDATE_JACCARD, num_perm=num_perm).hashranges)


# ------------------------------------------------------------------------------------------ evidence


MATCH_OVERLAP = 0.45  # share of the shorter sentence's keys found in its counterpart
# Short independent reports of one event share a sentence or two ("the navy captured 23 pirates"):
# a rewrite needs at least 3 aligned sentences, and the share is taken over at least 8 sentences
# (a short copy is still caught by its shingles).
MIN_ALIGNED = 5
MIN_ALIGNED_BASE = 12


def aligned_share(a: list[frozenset[int]], b: list[frozenset[int]]) -> float:
    """Share of the shorter text's sentences that have a close counterpart in the other, in the same
    order (the longest chain of matches increasing in both texts).

    >>> s = [frozenset(range(k, k + 4)) for k in range(0, 48, 4)]
    >>> aligned_share(s, s), aligned_share(s, s[::-1]), aligned_share(s[:2], s[:2])
    (1.0, 0.0, 0.0)
    """
    if not a or not b:
        return 0.0
    where: dict[int, list[int]] = {}
    for j, sb in enumerate(b):
        for key in sb:
            where.setdefault(key, []).append(j)
    tails: list[int] = []  # longest increasing chain of matched columns (patience sorting)
    for sa in a:
        counts: dict[int, int] = {}
        for key in sa:
            for j in where.get(key, ()):
                counts[j] = counts.get(j, 0) + 1
        matches = [j for j, common in counts.items()
                   if common >= MATCH_MIN_KEYS and common >= MATCH_OVERLAP * min(len(sa), len(b[j]))]
        for j in sorted(matches, reverse=True):  # descending: one row adds at most one step
            pos = bisect.bisect_left(tails, j)
            if pos == len(tails):
                tails.append(j)
            else:
                tails[pos] = j
    if len(tails) < MIN_ALIGNED:
        return 0.0
    return len(tails) / max(min(len(a), len(b)), MIN_ALIGNED_BASE)


COPIED_MIN = 3  # sentences copied word for word (the same content keys, six or more) ...
COPIED_SHARE = 0.5  # ... and this share of the shorter text, in sentences and in content keys: one report,
COPIED_KEYS = 6  # updated or trimmed


def copied(a: list[frozenset[Any]], b: list[frozenset[Any]]) -> bool:
    """Whether two texts share enough sentences word for word to be versions of one report: an update
    rewrites the lead and adds a line ("the toll rose to 20"), and keeps the rest as it was — too short,
    often, for :func:`aligned_share` (which needs ``MIN_ALIGNED`` matches among at least
    ``MIN_ALIGNED_BASE`` sentences). Independent reports do not share three full sentences, unless one
    carries a block of the other (a teaser's headline, dateline and lead), which is a minority of its
    content however many sentences it counts: the shared sentences must hold ``COPIED_SHARE`` of the
    content keys of the text with fewer, too.

    >>> s = [frozenset(range(k, k + 7)) for k in range(0, 28, 7)]
    >>> copied(s, [frozenset({99, 98, 97, 96, 95, 94})] + s[1:]), copied(s, s[:2])
    (True, False)
    >>> long = [frozenset(range(k, k + 7)) for k in range(0, 70, 7)]  # ten sentences
    >>> own = [frozenset(range(k, k + 10)) for k in range(100, 130, 10)]  # three sentences of its own ...
    >>> copied(long, own + long[:3])  # ... and three of ``long``'s: 21 of its 51 keys
    False
    """
    if not a or not b:
        return False
    other = {x for x in b if len(x) >= COPIED_KEYS}
    same = [x for x in a if len(x) >= COPIED_KEYS and x in other]
    if len(same) < COPIED_MIN or len(same) < COPIED_SHARE * min(len(a), len(b)):
        return False
    keys = len(frozenset().union(*same))
    return keys >= COPIED_SHARE * min(len(frozenset().union(*a)), len(frozenset().union(*b)))


# A rewrite or translation keeps its source's people and places: two texts that share fewer than a quarter
# of the names of the one with fewer names (both naming at least four) are two reports, however alike
# their sentences run ("The X company said it will offer an early retirement package to as many as
# 1,100 employees ..." is said of many companies).
NAMES_MIN = 4
NAMES_SHARE = 0.25


def names_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two texts name too few of the same people and places to be one report rewritten.

    >>> names_differ(frozenset({"horvath", "kessin", "ebbe", "sallo"}), frozenset({"horvath", "kessin", "veldra", "lund"}))
    False
    >>> names_differ(frozenset({"horvath", "kessin", "ebbe", "sallo"}), frozenset({"okafor", "lagos", "veldra", "lund"}))
    True
    """
    if len(a) < NAMES_MIN or len(b) < NAMES_MIN:
        return False
    return len(a & b) < NAMES_SHARE * min(len(a), len(b))


def shared_quotes(a: list[frozenset[str]], b: list[frozenset[str]]) -> float:
    """Share of the quotes of the one with fewer quotes that the other also carries (keys Jaccard >= 0.6)."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    hits = sum(any(len(q & r) >= 0.6 * len(q | r) for r in b) for q in a)
    return hits / len(a)


def shared_figures(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the figures of the one with fewer figures that the other also gives."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def evidence(sa: list[frozenset[int]], sb: list[frozenset[int]], qa: list[frozenset[str]], qb: list[frozenset[str]],
             fa: frozenset[str], fb: frozenset[str]) -> float:
    """How strongly two texts look like one report: the aligned share, plus up to 0.15 for shared quotes
    and 0.1 for shared figures (independent reports of one event share some, but not in this measure)."""
    return aligned_share(sa, sb) + 0.15 * shared_quotes(qa, qb) + 0.10 * shared_figures(fa, fb)
