"""Stories (corpus stage): articles about the same real-world event, built incrementally as articles arrive.

Each article is a bag of weighted features in four channels (:data:`rashomon.group.represent.CHANNELS`:
content stems, name tokens, name bigrams, figures) plus a dense wordllama vector. The similarity of two
articles is a weighted sum of per-channel TF-IDF cosines; two articles of one family are one story; two
dated articles further apart than ``story_window_days`` count at ``window / gap`` of their similarity,
unless one of them names a date near the other's (a trial report names the day of the shooting).

Placing a new article (no re-clustering of everything):

1. candidates — articles sharing its rarest features (an inverted index over each article's most
   distinctive features) or a dense-vector LSH bucket (random hyperplanes); never all pairs;
2. neighbours — candidates at least half the story threshold similar to it;
3. the stories of its neighbours, plus the article, are re-clustered *locally* by average linkage cut
   at ``story_threshold``. Average linkage keeps two events of the same kind apart: the
   articles of each event are closer to one another (same people, places, figures) than to the
   other event's, even when every one of them is "about an earthquake". An article left alone by the cut
   joins the story it is closest to on average if that reaches ``story_attach`` of the threshold:
   starting a new event takes more evidence than joining one. The similarity cut there is shared-neighbour
   adjusted (``NEAREST``) and scaled down for a pair whose dense vectors disagree (``AGREE_DENSE``): a report
   that borrows one sentence of a story shares its names, not its gist; and for a pair whose entity mentions
   and names disagree (``AGREE_ENTITIES``): the same kind of event retold shares its gist, not its people.
   An article whose every link there lies in one sentence of each side (``SPREAD_BAR``) is held apart from
   those it is linked to: a report of another event that retells one sentence of a story in passing.
4. each time the number of articles placed doubles, stories that their members' nearest articles link are
   weighed again with the IDF of now, and merge when their average similarity reaches the threshold
   (``CONSOLIDATE``): an event split while the corpus was young is not split for good.

Story ids are ``s-`` + the article id that started the story; a local re-clustering keeps the id of the
story each new group overlaps most, so ids stay put as stories grow.

Saving and restoring: ``StoryIndex.dump()`` -> bytes and ``StoryIndex.load(blob, config)`` (the
whole state, nothing recomputed). A local re-clustering may move *earlier* articles (a story split or
two merged), so after ``add`` the runner should save all of ``assignments()``, not just the new one.

>>> from rashomon.config import Config
>>> from rashomon.model import Article, Notes
>>> index = StoryIndex(Config())
>>> texts = ["Tarn Ollis quit as coach of the Kessin Owls on Monday after a 2-9 start.",
...          "The Kessin Owls said coach Tarn Ollis resigned after the 2-9 start.",
...          "A ferry carrying 80 passengers sank off Port Avel, officials in Veldra said."]
>>> [index.add(Article(id=f"a{i}", input="-", text=t), Notes(article_id=f"a{i}")) for i, t in enumerate(texts)]
['s-a0', 's-a0', 's-a2']
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from ..config import Config
from ..errors import ConfigError
from ..model import Article, Notes
from . import represent, state
from .features import sentence_spread, story_counts
from .minhash import RankTable
from .story_linkage import StoryLinkage
from .story_math import date_refs, grown, sentence_bits, time_factor

STATE_VERSION = 10  # 10: pairs linked by one sentence (SPREAD_BAR); 9: stories merged at each doubling; 5: each article's nearest neighbours (shared-neighbour similarity); 6: shared term only between neighbours; 7: two signals must agree; 8: entity mentions kept per article (AGREE_ENTITIES)
DENSE_WEIGHT = 0.05  # the dense vector's share next to CHANNELS: it finds paraphrases, names decide events
INDEXED_FEATURES = 40  # per article, its most distinctive features go into the inverted index
QUERY_FEATURES = 40  # a new article looks up at most this many of its rarest features
RECENT = 200  # entries read from the end of each posting list or LSH bucket
MAX_CANDIDATES = 400  # articles scored exactly per new article
LSH_BANDS, LSH_BITS = 4, 14  # dense-vector LSH: 4 bands of 14 random-hyperplane bits
FAMILY_SIMILARITY = 1.0  # two copies of one report are always one story
NEIGHBOUR_SHARE = 0.5  # a candidate this share of the threshold similar brings its story into the re-clustering
# IDF as if the corpus also held this many unrelated articles: in a small corpus (five reports of one
# meeting) the names every report shares would otherwise weigh least, though in any news stream they are rare.
BACKGROUND_DOCS = 20
MAX_REFS = 6  # mentioned dates kept per article, to find follow-ups that name an earlier day
# Shared neighbours: each article keeps its NEAREST most similar articles, earlier or later, among those at
# least ``story_threshold`` similar to it; the similarity the re-clustering cuts is
# (sim + SHARED_WEIGHT * shared) / (1 + SHARED_WEIGHT), where ``shared`` is the share of the two articles'
# neighbourhoods (each with the article itself) they have in common. How similar two reports of one event
# are varies with the kind of event (a boxing result retold alike, a policy change told from many angles);
# whether they have the same nearest reports varies much less. Fitted on each half of ECB+ and scored on the
# other (benchmarks/clustering.md, benchmarks/stories_fit.py).
NEAREST = 4
SHARED_WEIGHT = 0.5
# Two signals must agree: the similarity the re-clustering cuts is scaled by (cosine / AGREE_DENSE) squared
# for a pair whose dense-vector cosine is under AGREE_DENSE (when both articles have a vector; copies of one
# family are exempt). Two reports of one event read alike as wholes (ECB+: 99% of same-event pairs at 0.27
# or more, 5% under 0.41); a report of another event that borrows one of a story's sentences shares its names
# and words, not its gist. AGREE_NAMES does the same on the names channel's cosine (the same kind of event
# retold shares the gist, not the names); it is off: on texts whose names channel is noise it split stories
# (benchmarks/clustering.md, "Two signals must agree", where AGREE_DENSE was fitted on halves).
AGREE_DENSE = 0.2
AGREE_NAMES = 0.0
# The entities' bar: the similarity the re-clustering cuts is also scaled by (cosine / AGREE_ENTITIES) squared
# for a pair whose names disagree, read from the entity mentions (the people, organisations and places the map stage's
# parser found: ENTITY_LABELS, TF-IDF weighted like the names channel), when both articles have such mentions:
# the cosine is the larger of the mentions' cosine and the names channel's (ENTITY_OR_NAMES), so both must be
# under the bar. Two reports of the same kind of event (another earthquake, another arrest) retold with other
# people share their gist and words, not their participants. The names channel alone could not be the bar: it
# also holds every capitalised word (sentence-initial ones included), so on a text whose names the parser does
# not find it is noise (scale_clustering.py's stream, whose "names" are sentence-initial filler words, lost
# 0.992 -> 0.988 to AGREE_NAMES); the mentions gate the bar, so such a text is not barred at all. Fitted on each
# half of ECB+ and its retold event stream, scored on the other (benchmarks/clustering.md, "The entities' bar").
AGREE_ENTITIES = 0.05
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
ENTITY_MIN = 1  # distinct entity keys an article needs for the bar to read it (3: measured, not kept)
ENTITY_POWER = 2  # the factor is (cosine / AGREE_ENTITIES) to this power, as the dense bar's (1: measured)
ENTITY_OR_NAMES = True  # False: the mentions' cosine alone (measured, not kept: it split ECB+ reports)
# Stories merged after the fact: each time the number of articles placed doubles, every story that one of its
# members' nearest articles links to another story is weighed against those stories with the IDF and the
# nearest articles of now, and two merge when their average (cut) similarity reaches ``story_threshold``.
# A decision taken while the corpus was young (an event's reports arriving first, so the words all of them
# share weigh little) is otherwise never taken again once the event stops growing. Only merges: splitting
# there moved single reports of the synthetic event stream (benchmarks/clustering.md, "Stories merged at
# each doubling").
CONSOLIDATE = True
# A pair whose shared features (weighted as in the similarity) lie at least this share in one sentence of each
# article is linked by that sentence alone: a report that retells another event's sentence in passing (a
# background line, a roundup) shares its names and words there and nowhere else, where two reports of one
# event share them across their sentences. An article whose every link in a re-clustering is such a pair
# is held apart from them (see ``_cut``). Articles of fewer than ``features.SPREAD_MIN`` sentences are not
# read (a short text's overlap lies in one sentence whatever it reports). 1 switches the test off.
SPREAD_BAR = 0.85
_CHANNEL_CODE = {name: i for i, name in enumerate(represent.CHANNELS)}
_Entries = tuple[np.ndarray, np.ndarray, np.ndarray]  # an article set's weighted features as CSR parts


def placing_notes(notes: Notes) -> Notes:
    """What :meth:`StoryIndex.add` reads of an article's notes, and nothing else: the times it names, its
    document vector and its entity mentions (the entities' bar). A worker hands the process that places
    these instead of the whole notes, with the article's :func:`~rashomon.group.features.placing_features`;
    placing them with those gives the story that placing the whole notes gives.

    >>> from rashomon.model import Mention
    >>> n = Notes("a1", mentions=(Mention("Kell", "PERSON", 0, 4, 0), Mention("Friday", "DATE", 9, 15, 0)))
    >>> [m.text for m in placing_notes(n).mentions]
    ['Kell']
    """
    return Notes(notes.article_id, notes.version, times=notes.times, vector=notes.vector,
                 mentions=tuple(m for m in notes.mentions if m.label in ENTITY_LABELS))


@dataclass(slots=True)
class _Doc:
    id: str
    features: np.ndarray  # vocabulary ids, int32
    counts: np.ndarray  # their counts, float32
    vector: np.ndarray | None  # float16 dense vector
    span: tuple[int, int] | None  # the article's date as (first, last) day ordinal: a day, month or year
    refs: np.ndarray  # (k, 2) int32 spans of other dates the text mentions (back-references, schedules)
    family: str
    entities: np.ndarray  # vocabulary ids (names channel) of its entity mentions' keys, int32, ascending
    entity_counts: np.ndarray  # how often the mentions name each, float32
    spread: np.ndarray | None = None  # per feature, a bitmask of the sentences holding it, uint32 (SPREAD_BAR)


class StoryIndex(StoryLinkage):
    """Incremental story assignment: each new article joins an existing story or starts a new one.

    See the module docstring for the method, ids, and ``dump``/``load``; the clustering of a block (its
    stories, their ids, the merging at doublings) is :class:`~rashomon.group.story_linkage.StoryLinkage`'s.
    """

    def __init__(self, config: Config) -> None:
        if not 0 < config.story_threshold < 1:
            raise ConfigError("story_threshold must be in (0, 1)", "Set it to a fraction, e.g. 0.14.")
        if not 0 < config.story_attach <= 1:
            raise ConfigError("story_attach must be in (0, 1]", "Set it to a share of story_threshold, e.g. 0.75.")
        self.config = config
        self._vocab = represent.Vocabulary()
        self._df = array("i")  # document frequency per vocabulary id
        self._chan = array("b")  # channel code per vocabulary id
        self._docs: list[_Doc | None] = []  # by arrival index; None once removed
        self._index: dict[str, int] = {}
        self._postings = RankTable()  # feature id -> arrival indexes, in arrival order
        self._buckets: dict[tuple[int, int], array] = {}
        rng = np.random.default_rng(config.seed)
        self._planes = rng.standard_normal((LSH_BANDS * LSH_BITS, 256)).astype(np.float32)
        # per arrival index, in contiguous arrays (grown by doubling) so a local block reads them in one step
        self._spans = np.full((0, 2), -1, dtype=np.int32)
        self._refs = np.full((0, MAX_REFS, 2), -1, dtype=np.int32)
        self._vecs = np.zeros((0, 256), dtype=np.float16)
        self._near = np.full((0, NEAREST), -1, dtype=np.int32)  # arrival indexes of the nearest articles
        self._near_sim = np.zeros((0, NEAREST), dtype=np.float32)  # their similarities, best first
        self._story: dict[int, str] = {}  # arrival index -> story id
        self._members: dict[str, list[int]] = {}
        self._alive = 0
        self._thin: dict[int, set[int]] = {}  # arrival index -> those it is linked to by one sentence only
        self._new_scratch()

    # ----------------------------------------------------------------------------------- public verbs

    def add(self, article: Article, notes: Notes, family: str | None = None,
            counts: Mapping[str, float] | None = None, spread: Sequence[int] | None = None) -> str:
        """Place one article; returns its story id. Re-adding a known id returns its story.
        ``counts``, ``spread``: the article's :func:`story_counts` and :func:`sentence_spread` of them, if they
        were already computed (e.g. in a worker)."""
        if article.id in self._index:
            return self._story[self._index[article.id]]
        doc = self._make_doc(article, notes, family, counts, spread)
        i = len(self._docs)
        candidates = self._candidates(doc)
        self._docs.append(doc)
        self._keep_arrays(i, doc)
        self._index[article.id] = i
        self._alive += 1
        for f in doc.features.tolist():
            self._df[f] += 1
        neighbour_stories = self._neighbour_stories(i, candidates)
        self._register(i, doc)
        doc.vector = None  # kept in self._vecs from here on
        if not neighbour_stories:
            self._new_story([i])
        else:
            local = sorted({m for s in neighbour_stories for m in self._members[s]} | {i})
            if len(local) <= self.config.story_local_max:
                self._recluster(local)
            else:
                self._join_best(i, neighbour_stories)
        n = len(self._docs)
        if CONSOLIDATE and n & (n - 1) == 0:
            self._consolidate()
        return self._story[i]

    def assignments(self) -> dict[str, str]:
        """article id -> story id, in arrival order."""
        return {d.id: self._story[i] for i, d in enumerate(self._docs) if d is not None}

    def snapshot(self) -> list[tuple[str, str, tuple[tuple[str, float], ...], bool, tuple[int, int] | None]]:
        """What the index holds of each article, in the order they were placed: its id, story, weighted
        features (by name), whether it has a dense vector, and its date span. Two placements of the same
        articles in the same order, each with its notes, give the same snapshot."""
        out = []
        for i, doc in enumerate(self._docs):
            if doc is None:
                continue
            names = self._vocab.names
            feats = tuple(sorted((names[f], round(float(c), 4))
                                 for f, c in zip(doc.features.tolist(), doc.counts.tolist(), strict=True)))
            span = (int(self._spans[i][0]), int(self._spans[i][1])) if self._spans[i][0] >= 0 else None
            out.append((doc.id, self._story[i], feats, bool(np.any(self._vecs[i])), span))
        return out

    def remove(self, article_id: str) -> None:
        """Take an article out of its story (the other members stay where they are)."""
        i = self._index.pop(article_id, None)
        if i is None:
            return
        doc = self._docs[i]
        assert doc is not None  # noqa: S101 - internal invariant: indexed docs are alive
        for f in doc.features.tolist():
            self._df[f] -= 1
        story = self._story.pop(i)
        self._members[story].remove(i)
        for other in self._thin.pop(i, ()):
            self._thin.get(other, set()).discard(i)
        if not self._members[story]:
            del self._members[story]
        self._docs[i] = None
        self._alive -= 1

    def dump(self) -> bytes:
        """The whole state as bytes, for the store (see :meth:`load`)."""
        out = io.BytesIO()
        self.dump_to(out)
        return out.getvalue()

    def dump_to(self, file: Any) -> None:
        """The whole state written to a binary file, as :meth:`dump` gives it, never held whole in memory."""
        state = {k: v for k, v in self.__dict__.items() if k not in _SCRATCH}
        pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump({"version": STATE_VERSION, "state": state})

    @classmethod
    def load(cls, data: bytes | BinaryIO, config: Config) -> StoryIndex:
        """An index restored from :meth:`dump` output (bytes, or a binary file); ``config`` replaces the
        saved one."""
        blob = state.load(data, "story")
        if not isinstance(blob, dict) or blob.get("version") != STATE_VERSION:
            raise ConfigError("saved story index is from another version",
                              "Re-run the analysis with a new --db, or let the runner rebuild the indexes.")
        index = cls.__new__(cls)
        index.__dict__.update(blob["state"])
        index.config = config
        index._new_scratch()
        return index

    def _new_scratch(self) -> None:
        """Working arrays indexed by feature id, grown on use, never saved (``_SCRATCH``)."""
        self._colmap = np.zeros(0, dtype=np.int32)  # feature id -> column of one sparse product
        self._weight_of = np.zeros(0, dtype=np.float32)  # feature id -> one article's weight (_note_thin)
        self._spread_of = np.zeros(0, dtype=np.uint32)  # feature id -> its sentence bitmask (_note_thin)

    # ------------------------------------------------------------------------------ representation

    def _make_doc(self, article: Article, notes: Notes, family: str | None,
                  counts: Mapping[str, float] | None = None, spread: Sequence[int] | None = None) -> _Doc:
        if counts is None:
            counts, spread = story_counts(article, notes), None
        if spread is None and SPREAD_BAR < 1:
            spread = sentence_spread(article, notes, counts)
        ids = np.fromiter((self._feature(k) for k in counts), dtype=np.int32, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        order = np.argsort(ids)
        vector = np.asarray(notes.vector, dtype=np.float16) if len(notes.vector) == 256 else None
        span = represent.date_span(article.date)
        refs = date_refs(notes, span, self.config.story_window_days, MAX_REFS)
        ents = represent.entity_counts((m.text for m in notes.mentions if m.label in ENTITY_LABELS),
                                       article.language)
        known = [(self._vocab.id(k), float(c)) for k, c in ents.items() if k in counts]  # in the names channel
        known.sort()
        entities = np.array([f for f, _ in known], dtype=np.int32)
        entity_counts = np.array([c for _, c in known], dtype=np.float32)
        masks = np.array(spread, dtype=np.uint32)[order] if spread is not None and SPREAD_BAR < 1 else None
        return _Doc(article.id, ids[order], values[order], vector, span, refs, family or article.id,
                    entities, entity_counts, masks)

    def _feature(self, key: str) -> int:
        f = self._vocab.id(key)
        if f == len(self._df):
            self._df.append(0)
            self._chan.append(_CHANNEL_CODE[represent.channel(key)])
        return f

    def _weights(self, features: np.ndarray, counts: np.ndarray, rows: np.ndarray, n_rows: int) -> np.ndarray:
        """TF-IDF weights of many articles at once (``rows`` says whose each entry is), each article's
        channel scaled to unit length times the square root of its share, so that a dot product of two
        articles is the weighted sum of their channel cosines."""
        df = np.frombuffer(self._df, dtype=np.int32)[features]
        n = max(self._alive, 1)
        w = (1.0 + np.log(counts)) * (np.log((1.0 + n + BACKGROUND_DOCS) / (1.0 + df)) + 1.0)
        slot = rows * len(_SHARES) + np.frombuffer(self._chan, dtype=np.int8)[features]
        norms = np.sqrt(np.bincount(slot, weights=w * w, minlength=n_rows * len(_SHARES)))
        shares = np.tile(_SHARES, n_rows)
        scale = np.divide(shares, norms, out=np.zeros_like(norms), where=norms > 0)
        return (w * scale[slot]).astype(np.float32)

    def _doc_weights(self, doc: _Doc) -> np.ndarray:
        return self._weights(doc.features, doc.counts, np.zeros(len(doc.features), dtype=np.int64), 1)

    # --------------------------------------------------------------------------------- candidates

    def _candidates(self, doc: _Doc) -> list[int]:
        """Earlier articles worth scoring: shared rare features (inverted index) or a dense LSH bucket.

        Each posting list and bucket is read from its most recent ``RECENT`` entries only, so the work per
        article stays bounded however large the corpus grows (a stream's neighbours are mostly recent).
        """
        df = np.frombuffer(self._df, dtype=np.int32)
        known = doc.features[doc.features < len(df)]
        known = known[df[known] > 0]
        rare = known[np.argsort(df[known], kind="stable")][:QUERY_FEATURES]
        lists = [posting[-RECENT:] for posting in self._postings.get_many(rare.astype(np.uint64)) if len(posting)]
        if doc.vector is not None:
            for key in self._lsh_keys(doc.vector):
                bucket = self._buckets.get(key)
                if bucket is not None:
                    lists.append(np.frombuffer(bucket, dtype=np.int32)[-RECENT:])
        if not lists:
            return []
        found, counts = np.unique(np.concatenate(lists), return_counts=True)
        best = found[np.argsort(-counts, kind="stable")[:MAX_CANDIDATES]]
        return [i for i in best.tolist() if self._docs[i] is not None]

    def _lsh_keys(self, vector: np.ndarray) -> list[tuple[int, int]]:
        bits = (self._planes @ vector.astype(np.float32)) > 0
        codes = bits.reshape(LSH_BANDS, LSH_BITS).astype(np.int64) @ _BIT_VALUES
        return [(band, int(code)) for band, code in enumerate(codes.tolist())]

    def _register(self, i: int, doc: _Doc) -> None:
        """Put the article's most distinctive features and its LSH buckets in the candidate indexes."""
        w = self._doc_weights(doc)
        for f in doc.features[np.argsort(-w, kind="stable")][:INDEXED_FEATURES].tolist():
            self._postings.add(f, i)
        if doc.vector is not None:
            for key in self._lsh_keys(doc.vector):
                self._buckets.setdefault(key, array("i")).append(i)

    def _neighbour_stories(self, i: int, candidates: list[int]) -> list[str]:
        floor = NEIGHBOUR_SHARE * self.config.story_threshold
        candidates = self._within_reach(i, candidates, floor)
        if not candidates:
            return []
        entries = self._entries(candidates)
        sims = self._similarity([i], candidates, col_entries=entries)[0]
        if SPREAD_BAR < 1:
            self._note_thin(i, candidates, sims >= floor, entries)
        self._note_nearest(i, candidates, sims, self.config.story_threshold)
        stories = {self._story[c] for c, s in zip(candidates, sims.tolist(), strict=True) if s >= floor}
        return sorted(stories)

    def _note_thin(self, i: int, candidates: list[int], linked: np.ndarray, entries: _Entries) -> None:
        """Of the candidates ``i`` is ``linked`` to (a mask), those whose link lies in one sentence of each
        (SPREAD_BAR): the shared features' weight (as the similarity weighs them) summed per sentence of
        either side, for every candidate at once. ``entries``: the candidates' :meth:`_entries`."""
        doc = self._docs[i]
        if doc is None or doc.spread is None:
            return
        ok = np.zeros(len(candidates), dtype=bool)
        spreads: dict[int, np.ndarray] = {}  # k -> the linked candidate's sentence bitmasks
        for k in np.flatnonzero(linked).tolist():
            other = self._docs[candidates[k]]
            if other is not None and other.spread is not None and other.family != doc.family:
                ok[k], spreads[k] = True, other.spread
        if not spreads:
            return
        data, cols, ptr = entries
        owner = np.repeat(np.arange(len(candidates)), np.diff(ptr))
        if len(self._weight_of) < len(self._df):
            self._weight_of = np.zeros(2 * len(self._df), dtype=np.float32)
            self._spread_of = np.zeros(2 * len(self._df), dtype=np.uint32)
        self._weight_of[doc.features] = self._doc_weights(doc)
        self._spread_of[doc.features] = doc.spread
        shared = data.astype(np.float64) * self._weight_of[cols]  # 0 where ``i`` lacks the feature
        keep = np.flatnonzero((shared > 0) & ok[owner])
        mine = self._spread_of[cols[keep]]
        self._weight_of[doc.features] = 0.0
        self._spread_of[doc.features] = 0
        theirs = np.zeros(len(keep), dtype=np.uint32)
        bounds = np.searchsorted(keep, ptr)
        for k, masks in spreads.items():
            at = keep[bounds[k]:bounds[k + 1]]
            theirs[bounds[k]:bounds[k + 1]] = masks[at - ptr[k]]
        owner, shared = owner[keep], shared[keep]
        n = len(candidates)
        total = np.bincount(owner, weights=shared, minlength=n)
        thin = ok & (total > 0)
        for masks in (theirs, mine):
            rows, bit = np.nonzero(sentence_bits(masks))
            per_sentence = np.bincount(owner[rows] * 32 + bit, weights=shared[rows], minlength=n * 32)
            thin &= per_sentence.reshape(n, 32).max(axis=1) >= SPREAD_BAR * total
        for k in np.flatnonzero(thin).tolist():
            c = candidates[k]
            self._thin.setdefault(i, set()).add(c)
            self._thin.setdefault(c, set()).add(i)

    def _note_nearest(self, i: int, candidates: list[int], sims: np.ndarray, floor: float) -> None:
        """``i``'s nearest among its scored candidates, and ``i`` among each candidate's nearest where it
        is closer than their farthest."""
        close = np.flatnonzero(sims >= floor)
        if not len(close):
            return
        cand = np.asarray(candidates, dtype=np.int32)[close]
        vals = sims[close].astype(np.float32)
        best = np.argsort(-vals, kind="stable")[:NEAREST]
        self._near[i, :len(best)] = cand[best]
        self._near_sim[i, :len(best)] = vals[best]
        for c, v in zip(cand.tolist(), vals.tolist(), strict=True):
            row, rsim = self._near[c], self._near_sim[c]
            if row[-1] >= 0 and v <= rsim[-1]:
                continue
            k = int(np.searchsorted(-rsim[row >= 0], -v, side="right"))
            row[k + 1:] = row[k:-1].copy()
            rsim[k + 1:] = rsim[k:-1].copy()
            row[k], rsim[k] = i, v

    def _renew_nearest(self, local: list[int], sims: np.ndarray) -> None:
        """Each member's nearest articles chosen again among the block and its current nearest, all scored
        with the similarity of now: a list kept from when the article arrived was scored with the IDF of
        a younger corpus and saw only the articles before it."""
        rows = np.asarray(local, dtype=np.int32)
        near = self._near[rows]
        outside = np.setdiff1d(near[near >= 0], rows)
        n = len(rows)
        pool = np.concatenate([rows, outside, np.full(max(0, NEAREST - n - len(outside)), -1, dtype=np.int32)])
        scores = np.full((n, len(pool)), -1.0)
        scores[:, :n] = sims
        np.fill_diagonal(scores[:, :n], -1.0)
        if len(outside):
            fresh = self._similarity(local, outside.tolist())
            mine = (near[:, :, None] == outside[None, None, :]).any(axis=1)  # (n, outside): in its own list
            scores[:, n:n + len(outside)] = np.where(mine, fresh, -1.0)
        best = np.argsort(-scores, axis=1, kind="stable")[:, :NEAREST]
        vals = np.take_along_axis(scores, best, axis=1)
        keep = vals >= self.config.story_threshold
        self._near[rows] = np.where(keep, pool[best], -1)
        self._near_sim[rows] = np.where(keep, vals, 0.0).astype(np.float32)

    def _with_shared(self, rows: list[int], sims: np.ndarray) -> np.ndarray:
        """The similarity the re-clustering cuts: plain similarity and shared neighbours (see NEAREST).

        Only a pair at least ``NEIGHBOUR_SHARE`` of the threshold similar (the bar at which a candidate
        counts as a neighbour at all) gets the shared term: two reports with next to nothing in common are
        not made one event by a report each is near, as a one-off report at the edge of a bigger story was
        (one common neighbour lifted a plain 0.07 to the cut).
        """
        shared = self._shared(rows)
        shared[sims < NEIGHBOUR_SHARE * self.config.story_threshold] = 0.0
        return (sims + SHARED_WEIGHT * shared) / (1.0 + SHARED_WEIGHT)

    def _shared(self, rows: list[int]) -> np.ndarray:
        """Share of their neighbourhoods (nearest articles plus the article itself) two articles have in
        common, for every pair of ``rows``."""
        from scipy.sparse import csr_matrix

        hood = np.concatenate([np.asarray(rows, dtype=np.int32)[:, None], self._near[rows]], axis=1)
        keep = hood >= 0
        cols, inverse = np.unique(hood[keep], return_inverse=True)
        owner = np.repeat(np.arange(len(rows)), keep.sum(axis=1))
        m = csr_matrix((np.ones(len(owner), dtype=np.float32), (owner, inverse)), shape=(len(rows), len(cols)))
        return (m @ m.T).toarray() / (NEAREST + 1)

    def _within_reach(self, i: int, candidates: list[int], floor: float) -> list[int]:
        """The candidates whose similarity to ``i`` can reach ``floor``: a similarity is at most 1 before its
        time factor, so one dated too far from ``i`` (and from the dates either text mentions) cannot,
        unless it is of ``i``'s family. Dropping them before scoring changes nothing but the work: in a
        long stream, the rare features' posting lists reach back years."""
        if not candidates:
            return candidates
        (si, ri), (sc, rc) = self._dates([i]), self._dates(candidates)
        reach = time_factor(si, sc, ri, rc, self.config.story_window_days)[0] * (1.0 + 1e-6)
        if bool((reach >= floor).all()):
            return candidates
        family = self._docs[i].family  # type: ignore[union-attr]
        return [c for c, r in zip(candidates, reach.tolist(), strict=True)
                if r >= floor or self._docs[c].family == family]  # type: ignore[union-attr]

    # -------------------------------------------------------------------------------- similarity

    def _entries(self, rows: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The weighted features of these articles as CSR parts: (weights, feature ids, row pointers)."""
        docs = [self._docs[r] for r in rows]
        sizes = np.array([len(d.features) for d in docs])  # type: ignore[union-attr]
        cols = np.concatenate([d.features for d in docs])  # type: ignore[union-attr]
        counts = np.concatenate([d.counts for d in docs])  # type: ignore[union-attr]
        owner = np.repeat(np.arange(len(rows)), sizes)
        data = self._weights(cols, counts, owner, len(rows))
        return data, cols, np.concatenate([[0], np.cumsum(sizes)])

    def _similarity(self, rows: list[int], cols: list[int], entries: _Entries | None = None,
                    col_entries: _Entries | None = None) -> np.ndarray:
        """Article-to-article similarity in [0, 1]: channel cosines, dense cosine, family and time.
        ``entries``, ``col_entries``: :meth:`_entries` of ``rows`` and ``cols``, when the caller has them."""
        from scipy.sparse import (
            csr_matrix,  # here, not at import: scipy costs ~0.3 s of a start that may not need it
        )

        da, ca, pa = self._entries(rows) if entries is None else entries
        db, cb, pb = (da, ca, pa) if cols is rows else col_entries or self._entries(cols)
        # columns numbered within this product, not by vocabulary id: the sparse product transposes its
        # right side, which costs as much as its column count, and the vocabulary grows with the corpus
        # (635k features at 100k articles). Each row's entries keep their order, so do the sums.
        both = ca if cols is rows else np.concatenate([ca, cb])
        if len(self._colmap) < len(self._df):
            self._colmap = np.zeros(2 * len(self._df), dtype=np.int32)
        self._colmap[both] = np.arange(len(both), dtype=np.int32)  # a repeated feature: its last position
        a = csr_matrix((da, self._colmap[ca], pa), shape=(len(rows), len(both)))
        b = a if cols is rows else csr_matrix((db, self._colmap[cb], pb), shape=(len(cols), len(both)))
        sims = (a @ b.T).toarray()
        va, vb = self._vectors(rows), self._vectors(cols)
        sims = (sims + DENSE_WEIGHT * np.clip(va @ vb.T, 0.0, 1.0)) / (1.0 + DENSE_WEIGHT)
        fa, fb = self._families(rows), self._families(cols)
        (sa, ra), (sb, rb) = self._dates(rows), self._dates(cols)
        sims = sims * time_factor(sa, sb, ra, rb, self.config.story_window_days)
        return np.where(fa[:, None] == fb[None, :], FAMILY_SIMILARITY, sims)

    def _agreement(self, rows: list[int], entries: _Entries | None = None) -> np.ndarray:
        """Per pair of ``rows``, the factor (in [0, 1]) by which the re-clustering scales its similarity
        when the dense vectors, the names or the entities disagree (see AGREE_DENSE, AGREE_NAMES,
        AGREE_ENTITIES); 1 where a side lacks the signal. ``entries`` as :meth:`_similarity` takes them."""
        out = np.ones((len(rows), len(rows)))
        if AGREE_DENSE > 0:
            v = self._vectors(rows)
            has = np.any(v != 0, axis=1)
            low = np.minimum(1.0, np.clip(v @ v.T, 0.0, 1.0) / AGREE_DENSE) ** 2
            out = np.where(has[:, None] & has[None, :], low, out)
        if AGREE_NAMES > 0:
            names = self._channel_cosine(rows, "n", entries)
            has = np.diag(names) > 0
            out = out * np.where(has[:, None] & has[None, :], np.minimum(1.0, names / AGREE_NAMES), 1.0)
        if AGREE_ENTITIES > 0:
            ents = self._entity_cosine(rows)
            known = np.array([len(self._docs[r].entities) >= ENTITY_MIN for r in rows])  # type: ignore[union-attr]
            has = known & (np.diag(ents) > 0)
            if ENTITY_OR_NAMES:
                ents = np.maximum(ents, self._channel_cosine(rows, "n", entries))
            low = np.minimum(1.0, ents / AGREE_ENTITIES) ** ENTITY_POWER
            out = out * np.where(has[:, None] & has[None, :], low, 1.0)
        return out

    def _entity_cosine(self, rows: list[int]) -> np.ndarray:
        """Cosine of the entity mentions' TF-IDF vectors (see AGREE_ENTITIES) for every pair of ``rows``;
        0 on the diagonal of an article without entity mentions."""
        from scipy.sparse import csr_matrix

        docs = [self._docs[r] for r in rows]
        sizes = np.array([len(d.entities) for d in docs])  # type: ignore[union-attr]
        if not sizes.any():
            return np.zeros((len(rows), len(rows)))
        cols = np.concatenate([d.entities for d in docs])  # type: ignore[union-attr]
        counts = np.concatenate([d.entity_counts for d in docs])  # type: ignore[union-attr]
        owner = np.repeat(np.arange(len(rows)), sizes)
        df = np.frombuffer(self._df, dtype=np.int32)[cols]
        w = (1.0 + np.log(counts)) * (np.log((1.0 + max(self._alive, 1) + BACKGROUND_DOCS) / (1.0 + df)) + 1.0)
        norms = np.sqrt(np.bincount(owner, weights=w * w, minlength=len(rows)))
        w = w / norms[owner]
        if len(self._colmap) < len(self._df):
            self._colmap = np.zeros(2 * len(self._df), dtype=np.int32)
        self._colmap[cols] = np.arange(len(cols), dtype=np.int32)  # columns numbered within this product
        a = csr_matrix((w, (owner, self._colmap[cols])), shape=(len(rows), len(cols)))
        return np.asarray((a @ a.T).toarray())

    def _channel_cosine(self, rows: list[int], channel: str, entries: _Entries | None = None) -> np.ndarray:
        """Cosine of one channel's TF-IDF vectors (``represent.CHANNELS``) for every pair of ``rows``.

        A channel is weighted alone (its norm is its own), which is what :meth:`_entries` gives each channel
        of each article: its entries, where given, are taken as they are, the same numbers in the same order."""
        from scipy.sparse import csr_matrix

        code = _CHANNEL_CODE[channel]
        if entries is not None:
            weights, cols, pointers = entries
            owner = np.repeat(np.arange(len(rows)), np.diff(pointers))
            keep = np.frombuffer(self._chan, dtype=np.int8)[cols] == code
            cols, owner, data = cols[keep], owner[keep], weights[keep]
        else:
            docs = [self._docs[r] for r in rows]
            cols = np.concatenate([d.features for d in docs])  # type: ignore[union-attr]
            counts = np.concatenate([d.counts for d in docs])  # type: ignore[union-attr]
            owner = np.repeat(np.arange(len(rows)), [len(d.features) for d in docs])  # type: ignore[union-attr]
            keep = np.frombuffer(self._chan, dtype=np.int8)[cols] == code
            cols, owner = cols[keep], owner[keep]
            data = self._weights(cols, counts[keep], owner, len(rows))
        if len(self._colmap) < len(self._df):
            self._colmap = np.zeros(2 * len(self._df), dtype=np.int32)
        self._colmap[cols] = np.arange(len(cols), dtype=np.int32)
        a = csr_matrix((data, (owner, self._colmap[cols])), shape=(len(rows), max(len(cols), 1)))
        return (a @ a.T).toarray() / float(_SHARES[code] ** 2)

    def _families(self, rows: list[int]) -> np.ndarray:
        return np.array([self._docs[r].family for r in rows], dtype=object)  # type: ignore[union-attr]

    def _keep_arrays(self, i: int, doc: _Doc) -> None:
        if i == len(self._spans):
            size = max(64, 2 * i)
            self._spans = grown(self._spans, size, -1)
            self._refs = grown(self._refs, size, -1)
            self._vecs = grown(self._vecs, size, 0)
            self._near = grown(self._near, size, -1)
            self._near_sim = grown(self._near_sim, size, 0)
        if doc.span is not None:
            self._spans[i] = doc.span
            self._refs[i, :len(doc.refs)] = doc.refs
        if doc.vector is not None:
            self._vecs[i] = doc.vector
        doc.span, doc.refs = None, _NO_REFS  # kept in self._spans and self._refs from here on

    def _dates(self, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Each article's date span (n, 2) and its mentioned spans (n, MAX_REFS, 2); -1 where missing."""
        return self._spans[rows].astype(np.int64), self._refs[rows].astype(np.int64)

    def _vectors(self, rows: list[int]) -> np.ndarray:
        return self._vecs[rows].astype(np.float32)

    # ----------------------------------------------------------------- placing (the clustering: StoryLinkage)

    def _cut(self, local: list[int], renew: bool = False) -> np.ndarray:
        """The similarity a block's clustering cuts: plain similarity with the shared-neighbour term and the
        agreement bars, copies of one family at 1; with ``renew``, the members' nearest articles are chosen
        again first (:meth:`_renew_nearest`), so the shared-neighbour term reads lists of now."""
        entries = self._entries(local)
        sims = self._similarity(local, local, entries)
        sims = np.maximum(sims, sims.T)
        if renew:
            self._renew_nearest(local, sims)
        cut = np.where(sims >= FAMILY_SIMILARITY, FAMILY_SIMILARITY,
                       self._with_shared(local, sims) * self._agreement(local, entries))
        if self._thin:
            self._hold_thin(local, sims, cut)
        return cut

    def _hold_thin(self, local: list[int], sims: np.ndarray, cut: np.ndarray) -> None:
        """An article of the block whose every link here (a pair at least ``story_threshold`` similar) lies in
        one sentence (SPREAD_BAR) has those pairs cut to 0 in ``cut``: it tells another event and retold a
        sentence of this one. An article with one link of substance keeps all of them: reports of one event
        may share only their key sentence with some of the others."""
        at = {m: k for k, m in enumerate(local)}
        for k, m in enumerate(local):
            thin = [at[o] for o in self._thin.get(m, ()) if o in at]
            if not thin:
                continue
            linked = set(np.flatnonzero(sims[k] >= self.config.story_threshold).tolist()) - {k}
            if linked <= set(thin):
                cut[k, thin] = 0.0
                cut[thin, k] = 0.0


_SCRATCH = ("config", "_colmap", "_weight_of", "_spread_of")  # not saved: the config is given, the rest scratch
_BIT_VALUES = 1 << np.arange(LSH_BITS, dtype=np.int64)
_NO_REFS = np.zeros((0, 2), dtype=np.int32)
_SHARES = np.sqrt(np.array(list(represent.CHANNELS.values()), dtype=np.float64))
