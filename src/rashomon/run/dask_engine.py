"""The Dask engine: ``rashomon analyze INPUT... --engine dask [--scheduler ADDRESS]``.

It writes the same analysis as the default engine; only where the work runs changes.

1. **clean** — each chunk of read documents is cleaned on the cluster (:meth:`DaskEngine.map`); the
   client keeps the SQLite store and its per-outlet line counts, as the local engine does.
2. **map** — the stored articles are cut into partitions in arrival order and sent a few at a time. A
   partition task annotates the articles without notes (one spaCy parse each, then every extractor) and
   builds every article's family record: its MinHash band keys and what a candidate pair is verified
   with. Notes come back and are stored as each partition finishes; the family records stay on the
   workers.
3. **shuffle** — the band keys (``d<band>:<hash>`` for copies, ``r<band>:<hash>`` for rewrites, the
   buckets of :class:`rashomon.group.families.FamilyIndex`'s two LSH indexes) are shuffled by key across the
   workers (``dask.bag`` groupby, task-based shuffle); a bucket holding several articles yields their
   candidate pairs. Only these pairs (two arrival ranks each) reach the client, which groups them by the
   partition of the later article.
4. **verify** — one task per group, run next to the records it needs, applies the test ``FamilyIndex``
   applies to a candidate (shingle Jaccard for copies; ordered sentence alignment, quotes, figures and
   wire cues for rewrites) and returns the pairs that are one report.
5. **components** — union-find over those links gives each family (id: its smallest article id, as
   ``FamilyIndex``) and the family each article had when it arrived, which is what the local runner
   hands :class:`rashomon.group.stories.StoryIndex`.
6. **stories** — placed on the client in arrival order from stored notes, a chunk at a time:
   ``StoryIndex`` is incremental by design (each placement depends on the ones before), and cheap next
   to parsing. Its state is saved, so the next run only places new articles.

The corpus-wide comparison (entities, quotes, claims, differences, briefs) then runs in the runner as
for the local engine.

Pointing it at an existing cluster: start a scheduler (``dask scheduler``) and workers on machines where
this same rashomon version is installed (``dask worker tcp://HOST:8786 --nthreads 1 --nworkers N``: one
thread per process, since parsing is CPU-bound Python), then run
``rashomon analyze INPUT --engine dask --scheduler tcp://HOST:8786``. Workers need no access to the input
files or to the database; the client sends them the texts. Without ``--scheduler`` a ``LocalCluster``
with ``--workers`` processes is started and closed with the run.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from ..config import Config
from ..errors import ConfigError
from ..group import crossing
from ..group import families as fam
from ..group.features import features
from ..group.stories import StoryIndex
from ..model import Article, Notes
from .annotate import annotate
from .workers import MIN_CHUNK, chunk_sizes, cut, usable_cores

if TYPE_CHECKING:
    from distributed import Client, Future

    from ..group.minhash import LeanMinHash
    from ..store import Store
    from .progress import Progress

R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2  # map partitions sent per worker and not yet stored: keeps the client's memory flat
STORY_CHUNK = 500  # articles (with their notes) read from the store at a time to place stories


# ------------------------------------------------------------------------------------ the engine


class DaskEngine:
    """A Dask client for one run (a ``LocalCluster`` of ``config.workers`` processes unless
    ``config.scheduler`` names a running scheduler); use as a context manager.

    >>> with DaskEngine(Config(workers=1)) as engine:  # doctest: +SKIP
    ...     engine.map(len, [["a"], ["b", "c"]])
    [1, 2]
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.client: Client | None = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        try:
            if self.config.scheduler:
                self.client = Client(self.config.scheduler, timeout="30s")
            else:
                self._cluster = LocalCluster(n_workers=self.config.workers or usable_cores(), threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self.client = Client(self._cluster)
        except OSError as exc:
            self.close()
            raise ConfigError(f"cannot reach the Dask scheduler {self.config.scheduler!r}: {exc}",
                              "Start it with `dask scheduler` (and workers with `dask worker ADDRESS`), "
                              "or leave out --scheduler to run a local cluster.") from exc
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def workers(self) -> int:
        """Worker processes currently connected (at least 1)."""
        return max(1, len(self._client().scheduler_info(n_workers=-1).get("workers", {})))

    def _client(self) -> Client:
        if self.client is None:
            raise RuntimeError("DaskEngine used outside its `with` block")
        return self.client

    def map(self, fn: Callable[..., R], items: Sequence[Any], *args: Any) -> list[R]:
        """``fn(item, *args)`` for every item, in order, computed on the cluster in even chunks (the
        runner cleans each chunk of read documents with this)."""
        if not items:
            return []
        client = self._client()
        sizes = chunk_sizes(len(items), self.workers, max(1, math.ceil(len(items) / self.workers)))
        futures = [client.submit(_apply_each, part, fn, args, pure=False) for part in cut(items, sizes)]
        out: list[R] = []
        for part in client.gather(futures):
            out.extend(part)
        return out

    def place(self, ids: Sequence[str], store: Store, progress: Progress) -> tuple[dict[str, str], dict[str, str]]:
        """Annotate the run's articles on the cluster, then place every unplaced stored article in its
        family and story. Returns ``(families, stories)`` as :func:`rashomon.run.place.assign` does."""
        client = self._client()
        todo = set(store.without_notes(ids))
        unplaced = store.unassigned()
        order = [row[0] for row in store.placements()] if unplaced else [i for i in ids if i in todo]
        progress.stage("analysing articles", len(todo))
        sizes = chunk_sizes(len(order), self.workers, max(MIN_CHUNK, self.config.batch_size))
        starts = [0]
        for size in sizes:
            starts.append(starts[-1] + size)
        keys: list[Future] = []
        records: list[Future] = []
        for notes, key_f, record_f in self._map(order, sizes, starts, todo, bool(unplaced), store):
            if notes:
                store.save_notes(notes)
                progress.advance(len(notes))
            if key_f is not None and record_f is not None:
                keys.append(key_f)
                records.append(record_f)
        if not unplaced:
            return store.assignments()
        progress.stage("grouping copies of one report", None)
        links = self._links(client, keys, records, starts)
        del keys, records
        final, at_arrival = components(order, links)
        return _place_stories(order, final, at_arrival, self.config, store, progress)

    # --------------------------------------------------------------------------------- internals

    def _map(self, order: list[str], sizes: list[int], starts: list[int], todo: set[str], profiles: bool,
             store: Store) -> Iterator[tuple[list[Notes], Future | None, Future | None]]:
        """Partition tasks, a bounded number in flight; yields each partition's notes (in order) and the
        futures of its band keys and family records (which stay on the workers)."""
        client = self._client()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        pending: list[tuple[Future, Future | None, Future | None]] = []
        for k, part in enumerate(cut(order, sizes)):
            if len(pending) >= limit:
                yield _collect(pending.pop(0))  # waits for the oldest partition before reading the next
            articles = store.articles(part)
            need = [a.id for a in articles if a.id in todo]
            whole = client.submit(map_partition, articles, need, starts[k], profiles, self.config, pure=False)
            notes_f = client.submit(_item, whole, 0, pure=False)
            key_f = client.submit(_item, whole, 1, pure=False) if profiles else None
            record_f = client.submit(_item, whole, 2, pure=False) if profiles else None
            del whole  # its three parts are held by their own futures
            pending.append((notes_f, key_f, record_f))
        while pending:
            yield _collect(pending.pop(0))

    def _links(self, client: Client, keys: list[Future], records: list[Future],
               starts: list[int]) -> list[tuple[int, int]]:
        """Candidate pairs from the shuffled band keys, verified next to the records; the linked pairs."""
        import dask
        import dask.bag as db

        if not keys:
            return []
        bag = db.from_delayed([dask.delayed(k) for k in keys])
        buckets = bag.groupby(_band_of, shuffle="tasks")
        pairs_f = client.compute(buckets.map_partitions(_bucket_pairs).to_delayed())

        def part_of(rank: int) -> int:
            return bisect.bisect_right(starts, rank) - 1

        # a pair may share buckets in both indexes, and in several shuffled partitions: merge its kinds
        kinds_of: dict[tuple[int, int], set[str]] = defaultdict(set)
        for found in client.gather(pairs_f):
            for later, earlier, kinds in found:
                kinds_of[(later, earlier)].update(kinds)
        by_part: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for (later, earlier), kinds in sorted(kinds_of.items()):
            by_part[part_of(later)].append((later, earlier, "".join(sorted(kinds))))
        del kinds_of
        futures = []
        for k, pairs in sorted(by_part.items()):
            needed = sorted({part_of(earlier) for _, earlier, _ in pairs} | {k})
            futures.append(client.submit(verify_pairs, pairs, [records[p] for p in needed], self.config, pure=False))
        links: list[tuple[int, int]] = []
        for found in client.gather(futures):
            links.extend(found)
        return links


def _apply_each(items: Sequence[Any], fn: Callable[..., R], args: tuple[Any, ...]) -> list[R]:
    return [fn(x, *args) for x in items]


def _item(value: tuple[Any, ...], index: int) -> Any:
    return value[index]


def _collect(futures: tuple[Future, Future | None, Future | None]) -> tuple[list[Notes], Future | None, Future | None]:
    notes_f, key_f, record_f = futures
    notes = notes_f.result()
    notes_f.release()
    return notes, key_f, record_f


# --------------------------------------------------------------------------------- the map stage


@dataclass(frozen=True, slots=True)
class FamilyRecord:
    """What verifying a candidate pair needs of one article (FamilyIndex's profile, with sentence keys
    kept as strings so records built in different processes compare)."""

    rank: int
    id: str
    shingles: LeanMinHash
    content: LeanMinHash
    sentences: tuple[frozenset[str], ...]
    quotes: tuple[frozenset[str], ...]
    figures: frozenset[str]
    agency: str | None
    names: frozenset[str]
    dates: tuple[int, int] | None
    language: str | None = None
    anchors: tuple[frozenset[str], ...] = ()
    anchor_names: frozenset[str] = frozenset()
    anchor_hash: LeanMinHash | None = None


def map_partition(articles: Sequence[Article], need_notes: Sequence[str], first_rank: int, profiles: bool,
                  config: Config) -> tuple[list[Notes], list[tuple[str, int]], dict[int, FamilyRecord]]:
    """One partition of the map stage: notes for ``need_notes``, and (with ``profiles``) every article's
    band keys ``(key, rank)`` and family record by rank. Ranks are positions in arrival order."""
    wanted = set(need_notes)
    notes = annotate([a for a in articles if a.id in wanted], config) if wanted else []
    keys: list[tuple[str, int]] = []
    records: dict[int, FamilyRecord] = {}
    if profiles:
        for offset, article in enumerate(articles):
            record = family_record(article, first_rank + offset, config)
            records[record.rank] = record
            keys.extend((key, record.rank) for key in band_keys(record, config))
    return notes, keys, records


def family_record(article: Article, rank: int, config: Config) -> FamilyRecord:
    """The family profile of one article, exactly as :meth:`FamilyIndex.add` builds it."""
    f = features(article, config)
    return FamilyRecord(rank=rank, id=article.id, shingles=f.shingles, content=f.content, sentences=f.sentences,
                        quotes=f.quotes, figures=f.figures, agency=f.agency, names=f.names, dates=f.dates,
                        language=f.language, anchors=f.anchors, anchor_names=f.anchor_names,
                        anchor_hash=f.anchor_hash)


def band_keys(record: FamilyRecord, config: Config) -> list[str]:
    """The LSH bucket keys of an article: one per band of FamilyIndex's copy index (``d``) and of its
    rewrite index (``r``) and of its translation index (``t``, over anchors). Two articles are candidates
    in an index when they share one of its keys."""
    dups, rewrites, translations = _lsh_ranges(config)
    out = [f"d{b}:{record.shingles.hashvalues[s:e].tobytes().hex()}" for b, (s, e) in enumerate(dups)]
    out += [f"r{b}:{record.content.hashvalues[s:e].tobytes().hex()}" for b, (s, e) in enumerate(rewrites)]
    if record.anchor_hash is not None and record.language:
        out += [f"t{b}:{record.anchor_hash.hashvalues[s:e].tobytes().hex()}" for b, (s, e) in enumerate(translations)]
    return out


@lru_cache(maxsize=4)
def _lsh_ranges(config: Config) -> tuple[tuple[tuple[int, int], ...], ...]:
    from ..group.minhash import Bands

    n = config.family_num_perm
    dups = Bands(threshold=config.family_jaccard, num_perm=n)
    translations = Bands(threshold=fam.TRANSLATION_CANDIDATE_JACCARD, num_perm=n)
    return tuple(dups.hashranges), fam.rewrite_bands(n), tuple(translations.hashranges)


# --------------------------------------------------------------------------- shuffle and verify


def _band_of(entry: tuple[str, int]) -> str:
    return entry[0]


def _bucket_pairs(groups: Sequence[tuple[str, list[tuple[str, int]]]]) -> list[tuple[int, int, str]]:
    """Candidate pairs ``(later, earlier, kinds)`` of the buckets in one shuffled partition; ``kinds``
    says which index proposed them (``d`` copies, ``r`` rewrites). As in FamilyIndex, an article meets
    only the ``RECENT`` articles before it in a rewrite bucket."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for key, entries in groups:
        ranks = sorted({rank for _, rank in entries})
        recent = fam.RECENT if key[0] == "r" else len(ranks)
        for i, later in enumerate(ranks):
            for earlier in ranks[max(0, i - recent):i]:
                found[(later, earlier)].add(key[0])
    return [(a, b, "".join(sorted(kinds))) for (a, b), kinds in found.items()]


def verify_pairs(pairs: Sequence[tuple[int, int, str]], parts: Sequence[dict[int, FamilyRecord]],
                 config: Config) -> list[tuple[int, int]]:
    """The candidate pairs that are one report, by the rules of :meth:`FamilyIndex.add` (the later
    article is the one being added, the earlier one the indexed one)."""
    records: dict[int, FamilyRecord] = {}
    for part in parts:
        records.update(part)
    out = []
    for later, earlier, kinds in pairs:
        if linked(records[later], records[earlier], kinds, config):
            out.append((later, earlier))
    return out


def linked(new: FamilyRecord, old: FamilyRecord, kinds: str, config: Config) -> bool:
    """Whether FamilyIndex links ``new`` (being added) to ``old`` (already indexed), given which of its
    LSH indexes proposed the pair."""
    if "d" in kinds and new.shingles.jaccard(old.shingles) >= config.family_jaccard:
        return True
    if "t" in kinds and new.language and old.language and new.language != old.language \
            and crossing.translation(new, old, config, fam.REWRITE_DAYS):
        return True
    if "r" not in kinds:
        return False
    if new.content.jaccard(old.content) < fam.REWRITE_CANDIDATE_JACCARD:
        return False
    return fam.rewrite(new, old, lambda: list(new.sentences), lambda: list(old.sentences), config)


# ---------------------------------------------------------------------------------- components


def components(order: Sequence[str], links: Sequence[tuple[int, int]]) -> tuple[dict[str, str], dict[str, str]]:
    """Families from links between arrival ranks: ``(final, at_arrival)``, article id -> family id (the
    smallest member id), at the end and at the moment each article arrived.

    >>> final, first = components(["c", "a", "b"], [(2, 0)])
    >>> final, first
    ({'c': 'b', 'a': 'a', 'b': 'b'}, {'c': 'c', 'a': 'a', 'b': 'b'})
    """
    parent = list(range(len(order)))
    smallest = list(order)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_later: dict[int, list[int]] = defaultdict(list)
    for later, earlier in links:
        by_later[later].append(earlier)
    at_arrival: dict[str, str] = {}
    for rank, article_id in enumerate(order):
        for earlier in by_later.get(rank, ()):
            a, b = find(rank), find(earlier)
            if a != b:
                parent[b] = a
                smallest[a] = min(smallest[a], smallest[b])
        at_arrival[article_id] = smallest[find(rank)]
    final = {article_id: smallest[find(rank)] for rank, article_id in enumerate(order)}
    return final, at_arrival


# ------------------------------------------------------------------------------------- stories


def _place_stories(order: Sequence[str], final: dict[str, str], at_arrival: dict[str, str], config: Config,
                   store: Store, progress: Progress) -> tuple[dict[str, str], dict[str, str]]:
    """Place the unplaced articles in stories in arrival order, as :func:`rashomon.run.place.assign` does,
    handing each the family it had when it arrived; save families, stories and the story index state.

    The family index itself is not saved (it was never built in one place): its state is stored empty,
    which tells the local engine to rebuild placements from the articles if it is used on this store.
    """
    with store.placement_lock():  # one process at a time places articles in a store (see place.assign)
        return _place_locked(order, final, at_arrival, config, store, progress)


def _place_locked(order: Sequence[str], final: dict[str, str], at_arrival: dict[str, str], config: Config,
                  store: Store, progress: Progress) -> tuple[dict[str, str], dict[str, str]]:
    blob = store.load_state("stories")
    placed = set(store.unassigned())
    if blob:
        stories = StoryIndex.load(blob, config)
    else:  # no saved story index: every article is placed again, in arrival order
        stories = StoryIndex(config)
        placed = set(order)
    todo = [i for i in order if i in placed]
    progress.stage("placing in families and stories", len(todo))
    for chunk in (todo[i:i + STORY_CHUNK] for i in range(0, len(todo), STORY_CHUNK)):
        articles = store.articles(chunk)
        notes = store.notes(chunk)
        for a in articles:
            stories.add(a, notes.get(a.id) or Notes(article_id=a.id), at_arrival.get(a.id, a.id))
        progress.advance(len(chunk))
    store.save_assignments(final, stories.assignments(), {"families": b"", "stories": stories.dump()})
    return store.assignments()
