"""Check-worthy claims (figures, rankings, agreements, firsts) aligned across the articles of a story
(corpus stage).

A passage is *check-worthy* when it carries a notable figure (an amount, a percentage, a ranking, a sizeable
count) or a cue from ``data/claim_cues.tsv`` (something agreed or signed, a first, a pledge). Each such
passage is aligned with the best-matching passage of every other article in its story: the same figure
(normalised, so "70%" meets "70 percent" and "fourth-largest" meets "fourth biggest") with some shared
content, or enough shared content on its own. A claim lists every article that reports it and counts its
independent *families* (copies of one report count once): 2+ families is ``corroborated``, one is
``single-source``, and a claim another family contradicts (a different figure for the same quantity, the
opposite stance) is ``disputed``.

>>> from rashomon.model import Article, Notes, Sentence
>>> texts = {"a": "The two states signed a water accord on Monday.", "b": "Both states signed the water accord."}
>>> arts = [Article(id=k, input=k, text=t, story="s") for k, t in texts.items()]
>>> notes = {k: Notes(k, sentences=(Sentence(0, len(t)),)) for k, t in texts.items()}
>>> [(c.article_ids, c.families, c.status) for c in build(arts, notes, {"a": "a", "b": "b"})]
[(('a', 'b'), 2, 'corroborated')]
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import Article, Claim, Notes, ValueMention
from ..text import quantities
from ..text.textsim import (
    Passage,
    dice,
    family_of,
    fuse_lists,
    idf,
    is_statement,
    passages,
    stem,
    vectors,
    weighted_dice,
)
from . import compare

if TYPE_CHECKING:
    pass

# alignment thresholds: a shared figure needs a little shared content; content alone needs much more,
# or a fair amount when each passage is the other's best match in its article
MATCH_WITH_FIGURE = 0.12
MATCH_CONTENT = 0.45
MATCH_MUTUAL = 0.28
MATCH_SAME = 0.7
COS_FLOOR, COS_WEIGHT = 0.4, 0.5  # dense vectors of unrelated sentences of one story sit near 0.4
# Alignment._contenders: the bound on the rounding of a score's lexical part summed by a sparse product
# instead of math.fsum (a few ulps of 1 at most), and on two float32 products' difference in the cos of
# two unit 256-d vectors (at most 256 * 2**-24 each); stories of up to _DENSE_ROWS passages have every
# pair's shared weights made at once (8 MB at most, the last story's only)
_SLACK = 1e-9
_COS_SLACK = 1e-4
_DENSE_ROWS = 1024
_EVERY_PAIR: tuple[Any, Any] = (None, None)  # (the Alignment, its every pair's shared weights)
_QUOTE_CHARS = re.compile(r"[“”\"«»„]")  # French and German marks too: a quoted passage in any language
_LETTERS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]  # stems
    kind: str
    weight: float


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    text = resources.files("rashomon").joinpath("data/claim_cues.tsv").read_text(encoding="utf-8")
    out = []
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            cols = row.split("\t")
            weight = float(cols[2]) if len(cols) > 2 and cols[2].strip() else 1.0
            out.append(_Cue(tuple(stem(w) for w in cols[0].split()), cols[1].strip(), weight))
    return tuple(out)


def notable_values(p: Passage) -> tuple[ValueMention, ...]:
    """The passage's figures worth checking (see :func:`quantities.notable`)."""
    return quantities.notable(p.values)


def cue_kind(p: Passage) -> str | None:
    """agreement | first | commitment when the passage carries a claim cue, else None."""
    cue = _strongest_cue(p)
    return cue.kind if cue else None


def cue_weight(p: Passage) -> float:
    """How much the passage's strongest claim cue says on its own (0 without one)."""
    cue = _strongest_cue(p)
    return cue.weight if cue else 0.0


@lru_cache(maxsize=1)
def _cue_phrases() -> tuple[tuple[str, _Cue], ...]:
    """Each cue as the space-padded run of stems to look for in a passage's stems."""
    return tuple((" " + " ".join(c.words) + " ", c) for c in _cues())


def _strongest_cue(p: Passage) -> _Cue | None:
    return _strongest_cue_in(p.text)


@lru_cache(maxsize=16384)
def _strongest_cue_in(text: str) -> _Cue | None:
    # cached by text: claims and the brief ask about the same passages several times each
    joined = " " + " ".join(stem(w) for w in _LETTERS.findall(text)) + " "
    found = [c for phrase, c in _cue_phrases() if phrase in joined]
    return max(found, key=lambda c: c.weight) if found else None


@lru_cache(maxsize=16384)
def quoted_share(text: str) -> float:
    """Share of a passage inside quotation marks: a passage that is mostly a quote is the speaker's, not a claim."""
    marks = [m.start() for m in _QUOTE_CHARS.finditer(text)]
    inside = sum(b - a for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside / max(1, len(text))


def checkworthy(p: Passage) -> str | None:
    """Why a passage is a claim ("figure", "agreement", "first", "commitment"), or None."""
    if p.n_words < 6 or quoted_share(p.text) > 0.5 or p.text.rstrip().endswith("?"):
        return None
    if notable_values(p):
        return "figure"
    return cue_kind(p)


def shared_figures(p: Passage, q: Passage) -> int:
    """How many of ``p``'s notable figures ``q`` gives with the same value."""
    qs = notable_values(q)
    return sum(1 for v in notable_values(p)
               if any(quantities.comparable(v, w) and quantities.same_value(v.value, w.value) for w in qs))


def similarity(p: Passage, q: Passage, weight: Mapping[str, float] | None = None, cos: float | None = None) -> float:
    """Alignment score of two passages: content overlap (weighted by rarity in the story when ``weight``
    is given), nudged up by close dense vectors (paraphrase, translation), and raised above the
    content-only scale when they share a figure."""
    lex = weighted_dice(p.keys, q.keys, weight) if weight is not None else dice(p.keys, q.keys)
    if cos is not None:
        lex += COS_WEIGHT * max(0.0, cos - COS_FLOOR)
    if shared_figures(p, q) and lex >= MATCH_WITH_FIGURE:
        return 0.5 + lex
    return lex


class Alignment:
    """Passages of one story, the rarity of their words and their vectors, for pairwise alignment.

    Build it with :func:`alignment`, which keeps the last few so that the brief reuses the claims' work.
    """

    def __init__(self, articles: Sequence[Article], notes: Mapping[str, Notes]) -> None:
        self.articles = list(articles)
        self.passages = {a.id: fuse_lists(passages(a, notes.get(a.id))) for a in self.articles}
        self._flat = [p for a in self.articles for p in self.passages[a.id]]
        self.weight = idf([p.keys for p in self._flat])
        self._row = {(p.article_id, p.index): i for i, p in enumerate(self._flat)}
        self._total = [math.fsum(self.weight.get(k, 1.0) for k in p.keys) for p in self._flat]
        self._figures = [quantities.notable(p.values) for p in self._flat]
        self._rows_of = {a.id: [self._row[(p.article_id, p.index)] for p in self.passages[a.id] if p.n_words >= 4]
                         for a in self.articles}
        self._vec = vectors([p.text for p in self._flat]) if len(self.articles) > 1 else None
        self._best: dict[tuple[str, int, str], tuple[Passage, float] | None] = {}
        # for :meth:`_contenders`, made when a row is first matched (a story of one article never is)
        self._keyed: Any = None  # (passages x keys: ones, the keys' weights)
        self._totals: Any = None
        self._has_figures: Any = None
        self._segments: Any = None
        self._contended: dict[int, dict[str, list[int]]] = {}

    def _score(self, i: int, r: int, cos: float | None) -> float:
        """:func:`similarity` of rows ``i`` and ``r``, from the precomputed weights and figures."""
        p, q = self._flat[i], self._flat[r]
        shared = p.keys & q.keys
        total = self._total[i] + self._total[r]
        lex = 2 * math.fsum(self.weight.get(k, 1.0) for k in shared) / total if shared and total else 0.0
        if cos is not None:
            lex += COS_WEIGHT * max(0.0, cos - COS_FLOOR)
        if self._figures[i] and self._figures[r] and lex >= MATCH_WITH_FIGURE and _shared(self._figures[i], self._figures[r]):
            return 0.5 + lex
        return lex

    def score(self, p: Passage, q: Passage) -> float:
        i, r = self._row[(p.article_id, p.index)], self._row[(q.article_id, q.index)]
        cos = float(self._vec[i] @ self._vec[r]) if self._vec is not None else None
        return self._score(i, r, cos)

    def _argmax(self, p: Passage, article_id: str) -> tuple[Passage, float] | None:
        key = (p.article_id, p.index, article_id)
        if key not in self._best:
            i = self._row[(p.article_id, p.index)]
            rows = self._rows_of[article_id]
            coses = (self._vec[rows] @ self._vec[i]).tolist() if self._vec is not None and rows else [None] * len(rows)
            best: tuple[Passage, float] | None = None
            for k in self._contenders(i).get(article_id, ()):
                r = rows[k]
                sc = self._score(i, r, coses[k])
                if best is None or sc > best[1]:
                    best = (self._flat[r], sc)
            self._best[key] = best
        return self._best[key]

    def _contenders(self, i: int) -> dict[str, list[int]]:
        """For each article, the positions in its rows (``_rows_of``) of those whose :meth:`_score` against
        row ``i`` may be the article's highest, in order.

        Scoring every row of every article in Python was most of the per-story part's time. Here every
        row's score against ``i`` is bounded first, all rows at once: the shared keys' weights summed by a
        sparse product for the whole story (:meth:`_shared_weights`; within :data:`_SLACK` of
        :func:`math.fsum`'s sum), the cos term from one product against every row (within
        :data:`_COS_SLACK` of the per-article product :meth:`_argmax` takes), the figure bonus wherever it
        could apply. Only the rows whose upper bound reaches the best lower bound of their article are
        scored exactly, in order: a row left out scores below its article's best, so the first best row and
        its score are exactly those of scoring every row. The last few rows' are kept (a row's articles are
        asked in turn, with a look back from the match found in between).
        """
        found = self._contended.get(i)
        if found is not None:
            return found
        shared = self._shared_weights(i)
        lex = np.divide(2 * shared, self._totals + self._total[i], out=np.zeros(len(shared)), where=shared > 0)
        slack = _SLACK
        if self._vec is not None:  # fmax: a NaN cos adds nothing, as max(0.0, nan) does
            lex += COS_WEIGHT * np.fmax(0.0, (self._vec @ self._vec[i]).astype(np.float64) - COS_FLOOR)
            slack += COS_WEIGHT * _COS_SLACK
        high = lex + slack
        if self._figures[i]:  # the figure bonus wherever it could apply (whether figures are shared is not asked)
            high += np.where(self._has_figures & (high >= MATCH_WITH_FIGURE), 0.5, 0.0)
        order, starts, lengths, segments, places = self._segments
        found = {}
        if len(order):
            least = np.repeat(np.maximum.reduceat(lex[order], starts) - slack, lengths)  # each article's best, at least
            for pos in np.flatnonzero(high[order] >= least).tolist():
                found.setdefault(segments[pos], []).append(places[pos])
        self._contended[i] = found
        if len(self._contended) > 16:
            del self._contended[next(iter(self._contended))]
        return found

    def _shared_weights(self, i: int) -> Any:
        """Row ``i``'s shared-key weight sums against every row (float64, a sparse product's rounding): for
        every pair of the story at once when it is small enough (:data:`_DENSE_ROWS`), kept for the last
        story asked only (its claims, then its brief: a few MB at most, never one per alignment kept), else
        row by row."""
        if self._keyed is None:
            from scipy import sparse

            columns: dict[str, int] = {}
            indices = [columns.setdefault(k, len(columns)) for p in self._flat for k in p.keys]
            indptr = np.cumsum([0] + [len(p.keys) for p in self._flat])
            weights = np.array([self.weight.get(k, 1.0) for k in columns], dtype=np.float64)
            ones = np.ones(len(indices), dtype=np.float64)
            keyed = sparse.csr_matrix((ones, indices, indptr), shape=(len(self._flat), len(columns)))
            self._keyed = (keyed, sparse.csr_matrix(keyed.multiply(weights[np.newaxis, :])))
            self._totals = np.array(self._total, dtype=np.float64)
            self._has_figures = np.array([bool(f) for f in self._figures])
            # every article's matchable rows one after the other, where each article starts, how many it has,
            # and for each place in that order its article and its position among the article's rows
            ids = [a.id for a in self.articles if self._rows_of[a.id]]
            order = [r for aid in ids for r in self._rows_of[aid]]
            lengths = [len(self._rows_of[aid]) for aid in ids]
            self._segments = (np.array(order, dtype=np.intp), np.cumsum([0] + lengths[:-1]).astype(np.intp),
                              np.array(lengths, dtype=np.intp), [aid for aid in ids for _ in self._rows_of[aid]],
                              [k for aid in ids for k in range(len(self._rows_of[aid]))])
        keyed, weighted = self._keyed
        if len(self._flat) > _DENSE_ROWS:
            return (weighted @ keyed[i].T).toarray().ravel()
        global _EVERY_PAIR
        owner, every = _EVERY_PAIR
        if owner is not self:
            every = (weighted @ keyed.T).toarray()
            _EVERY_PAIR = (self, every)
        return every[i]

    def best_match(self, p: Passage, article_id: str) -> tuple[Passage, float] | None:
        """``p``'s counterpart in another article: a close match, or a fair one both sides prefer."""
        best = self._argmax(p, article_id)
        if best is None or best[1] < MATCH_MUTUAL:
            return None
        if best[1] >= MATCH_CONTENT:
            return best
        back = self._argmax(best[0], p.article_id)
        return best if back is not None and back[0].index == p.index else None


_ALIGNMENTS: OrderedDict[tuple[Any, ...], Alignment] = OrderedDict()
# the reduce stage writes claims for every story before the briefs, so the brief reuses the claims' work
# only while every story's alignment is still kept: bounded by articles (~65 kB each for 2k-character
# articles, passages and vectors), not by stories, so memory does not depend on how big stories are
KEEP_ALIGNED_ARTICLES = 1024
_ALIGNMENTS_LOCK = threading.Lock()
_aligned = [0]  # articles in the alignments kept


def alignment(articles: Sequence[Article], notes: Mapping[str, Notes]) -> Alignment:
    """The :class:`Alignment` of a story's articles, reused while the same articles and notes come back
    (claims, then the brief, align the same story). Keyed by content, so it never goes stale; the most
    recently used are kept, up to :data:`KEEP_ALIGNED_ARTICLES` articles in all (and always the last)."""
    key = tuple((a.id, a.text, n.sentences if (n := notes.get(a.id)) else (), n.values if n else ())
                for a in articles)
    with _ALIGNMENTS_LOCK:
        if key in _ALIGNMENTS:
            _ALIGNMENTS.move_to_end(key)
            return _ALIGNMENTS[key]
    made = Alignment(articles, notes)
    with _ALIGNMENTS_LOCK:
        if not _ALIGNMENTS:
            _aligned[0] = 0  # emptied from outside (a test)
        if key not in _ALIGNMENTS:
            _ALIGNMENTS[key] = made
            _aligned[0] += len(key)
        # counted as they come and go: walking an OrderedDict hashes every key, and these keys are long
        while _aligned[0] > KEEP_ALIGNED_ARTICLES and len(_ALIGNMENTS) > 1:
            old, _ = _ALIGNMENTS.popitem(last=False)
            _aligned[0] -= len(old)
    return made


def _shared(a: Sequence[ValueMention], b: Sequence[ValueMention]) -> bool:
    return any(quantities.comparable(v, w) and quantities.same_value(v.value, w.value) for v in a for w in b)


def _claim_id(p: Passage) -> str:
    return "c" + hashlib.sha1(f"{p.article_id}:{p.start}:{p.end}".encode()).hexdigest()[:12]


def build(articles: Sequence[Article], notes: Mapping[str, Notes], families: Mapping[str, str]) -> tuple[Claim, ...]:
    """Claims with every article that reports them and the number of independent families among them.

    Claims come story by story, each story's in the order their first report gives them; ``disputed``
    claims name what the other side says in ``note``.
    """
    out: list[Claim] = []
    for group in compare.story_groups(articles):
        story = alignment(group, notes)
        disputes = compare.disputes(group, notes, families, story.passages)
        out.extend(_story_claims(story, families, disputes))
    return tuple(out)


def align(story: Alignment, families: Mapping[str, str]) -> list[list[Passage]]:
    """Groups of passages reporting the same claim, seed first; each passage in at most one group."""
    seeds = [p for a in story.articles for p in story.passages[a.id] if checkworthy(p)]
    matches: dict[tuple[str, int], list[Passage]] = {}
    for p in seeds:
        found = []
        for a in story.articles:
            if a.id == p.article_id:
                continue
            m = story.best_match(p, a.id)
            # a figure is the claim: a report that does not give it (or a conflicting one) reports
            # something else, unless it is all but the same sentence
            if m is not None and (m[1] >= MATCH_SAME or not notable_values(p) or shared_figures(p, m[0])):
                found.append(m[0])
        matches[(p.article_id, p.index)] = found
    order = {a.id: i for i, a in enumerate(story.articles)}

    def rank(p: Passage) -> tuple[int, int, int, int]:
        fams = {family_of(families, q.article_id) for q in matches[(p.article_id, p.index)]}
        fams.add(family_of(families, p.article_id))
        return (-len(fams), -len(matches[(p.article_id, p.index)]), order[p.article_id], p.index)

    used: set[tuple[str, int]] = set()
    groups: list[list[Passage]] = []
    for p in sorted(seeds, key=rank):
        if (p.article_id, p.index) in used:
            continue
        members = [p] + [q for q in matches[(p.article_id, p.index)] if (q.article_id, q.index) not in used]
        used.update((q.article_id, q.index) for q in members)
        groups.append(members)
    # present claims in reading order of their first report
    groups.sort(key=lambda g: (order[g[0].article_id], g[0].index))
    return groups


def _story_claims(story: Alignment, families: Mapping[str, str],
                  disputes: Mapping[tuple[str, int], Sequence[tuple[ValueMention | None, str]]]) -> list[Claim]:
    order = {a.id: i for i, a in enumerate(story.articles)}
    out = []
    for members in align(story, families):
        # the claim is worded as its earliest report gives it (inputs usually come original first)
        seed = min(members, key=lambda q: (not is_statement(q), quoted_share(q.text) > 0.5, q.pronoun_start,
                                           order[q.article_id], q.index))
        ids = sorted({q.article_id for q in members}, key=order.__getitem__)
        fams = {family_of(families, a) for a in ids}
        figures = quantities.notable(seed.values)
        notes = [note for q in members for value, note in disputes.get((q.article_id, q.index), ())
                 # a figure conflict disputes this claim only when the claim carries that figure
                 if value is None or any(quantities.comparable(value, f) and quantities.same_value(value.value, f.value)
                                         for f in figures)]
        status = "disputed" if notes else ("corroborated" if len(fams) >= 2 else "single-source")
        values = tuple(dict.fromkeys(v.text for v in notable_values(seed)))
        out.append(Claim(id=_claim_id(seed), text=seed.text, article_ids=tuple(ids), families=len(fams),
                         status=status, values=values, note=" ".join(dict.fromkeys(notes)) or None))
    return out
