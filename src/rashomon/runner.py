"""The runner: owns I/O, batching and progress. ingest -> clean -> store -> annotate -> assign -> reduce.

Each step commits as it goes, so a run that is killed loses nothing it committed; the next run skips
stored articles (content hash), notes already computed, and placements already made.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text(" date 2026-01-05 Kell council backs harbour plan\\n"
...                                  "The council of Kell voted on Monday to rebuild the old harbour.")
>>> with Store(":memory:") as store:
...     analysis = analyze([str(folder)], Config(), store)
>>> [(a.title, a.date) for a in analysis.articles], analysis.run.new
([('Kell council backs harbour plan', '2026-01-05')], 1)
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import os
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from . import boilerplate, metadata
from . import families as families_mod
from . import stories as stories_mod
from .annotate import annotate
from .clean import clean, content_hash, repair
from .config import Config
from .errors import ConfigError
from .families import FamilyIndex
from .ingest import check_inputs, iter_inputs
from .model import Analysis, Article, InputWarning, Notes, RawDocument, RunSummary, Skipped
from .parallel import MIN_CHUNK, Mapper, Workers, chunk_sizes, cut
from .pipeline import reduce
from .pipeline import warm_up as warm_corpus_stages
from .store import Store
from .stories import StoryIndex

log = logging.getLogger(__name__)

INGEST_CHUNK = 200
SAVE_EVERY = 60.0  # seconds between saves of the family/story indexes during a long placement
# ... and at least this many times as long as the last save took: the state grows with the store (~8 MB
# per 1,000 articles; a save takes tens of seconds at 100k), so saving keeps under ~3 % of the placing
SAVE_SPACING = 30
T = TypeVar("T")


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws it with rich on stderr)."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


class Silent:
    """A progress reporter that reports nothing (library default)."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass


# ------------------------------------------------------------------------------------------- ingest


def ingest(inputs: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
           run_id: int | None = None, workers: Mapper | None = None,
           placer: Placer | None = None) -> tuple[list[str], RunSummary]:
    """Read, clean and store every input. Returns the ids of this run's articles (new or already stored,
    in input order) and the run summary. Bad inputs become Skipped records in the summary. (``workers``
    and ``placer``: see :func:`ingest_items`.)"""
    check_inputs(inputs, config)
    return ingest_items(iter_inputs(inputs, config), config, store, progress, run_id, workers, placer)


def ingest_items(items: Iterable[RawDocument | Skipped], config: Config, store: Store,
                 progress: Progress | None = None, run_id: int | None = None,
                 workers: Mapper | None = None, placer: Placer | None = None) -> tuple[list[str], RunSummary]:
    """Clean and store already-read documents (the API's uploads, or :func:`ingest`'s files); with
    ``workers``, the cleaning of each chunk is spread over the worker processes.

    With a local worker pool and a ``placer``, each piece of new documents is cleaned *and* annotated in
    one worker task, so parsing starts with the first piece rather than after all the reading, and the
    next chunk is read while the workers parse; each piece's articles and notes are stored as it comes
    back, and handed to the placer."""
    progress = progress or Silent()
    fused = placer is not None and isinstance(workers, Workers)
    progress.stage("reading and analysing articles" if fused else "reading", None)
    chunks = _prepared(items, config, store)
    if fused:
        assert isinstance(workers, Workers) and placer is not None  # noqa: S101 - narrowed by ``fused``
        done = _clean_and_annotate(chunks, config, store, progress, workers, placer)
    else:
        done = _clean_and_store(chunks, config, store, progress, workers, placer)
    ids: list[str] = []
    skipped: list[Skipped] = []
    warnings: list[InputWarning] = []
    new = dup = seen = 0
    for chunk in done:
        seen += chunk.size
        skipped.extend(chunk.skipped)
        warnings.extend(InputWarning(r.input, w) for r in chunk.raws for w in r.warnings)
        order = {a.content_hash: a.id for a, _ in chunk.stored}
        order.update(chunk.known)
        hashes = [content_hash(r) for r in chunk.raws]
        ids.extend(order[h] for h in hashes if h in order)
        new += sum(1 for _, is_new in chunk.stored if is_new)
        # every record whose content was stored before this chunk counts, not each distinct content once
        dup += sum(1 for h in hashes if h in chunk.known) + sum(1 for _, is_new in chunk.stored if not is_new)
    if run_id is not None:
        store.log_skipped(run_id, skipped)
        store.log_warnings(run_id, warnings)
    ids = list(dict.fromkeys(ids))
    return ids, RunSummary(inputs=seen, articles=len(ids), new=new, duplicates=dup, skipped=tuple(skipped),
                           warnings=tuple(warnings))


Job = tuple[RawDocument, set[str]]


@dataclass
class _Chunk:
    """One chunk of the input on its way through ingest: its documents, what cleaning them takes, and
    what came of it."""

    size: int  # input records, readable or not
    raws: list[RawDocument]
    jobs: list[Job]  # the new documents' cleaning jobs
    known: dict[str, str]  # content hash -> id of documents already stored
    skipped: list[Skipped] = field(default_factory=list)
    stored: list[tuple[Article, bool]] = field(default_factory=list)


def _prepared(items: Iterable[RawDocument | Skipped], config: Config, store: Store) -> Iterator[_Chunk]:
    for chunk in _chunks(items, INGEST_CHUNK):
        raws = [x for x in chunk if isinstance(x, RawDocument)]
        jobs, known = _prepare_chunk(raws, config, store)
        yield _Chunk(len(chunk), raws, jobs, known, [x for x in chunk if isinstance(x, Skipped)])


def _prepare_chunk(raws: Sequence[RawDocument], config: Config, store: Store) -> tuple[list[Job], dict[str, str]]:
    """The cleaning jobs of a chunk's new documents, and the content hashes already stored (-> their ids).
    Lines repeated across an outlet's articles count as that outlet's clutter, so every new document's
    lines are recorded before any of the chunk is cleaned."""
    known: dict[str, str] = {}
    fresh: list[tuple[RawDocument, str, str | None]] = []
    for raw in raws:
        digest = content_hash(raw)
        existing = store.has_hash(digest)
        if existing:
            known[digest] = existing
            continue
        outlet = raw.outlet or metadata.outlet_from_text(raw.text)
        fresh.append((raw, digest, outlet))
    for raw, digest, outlet in fresh:
        if outlet:
            keys = [boilerplate.line_key(x) for x in repair(raw.text).split("\n") if 0 < len(x.split()) <= 25]
            store.record_lines(outlet, digest, [k for k in keys if k])
    repeated: dict[str, set[str]] = {}
    for _raw, _digest, outlet in fresh:
        if outlet and outlet not in repeated:
            repeated[outlet] = store.repeated_lines(outlet, config.outlet_repeat_min)
    return [(raw, repeated.get(outlet or "", set())) for raw, _digest, outlet in fresh], known


def _clean_and_store(chunks: Iterable[_Chunk], config: Config, store: Store, progress: Progress,
                     workers: Mapper | None, placer: Placer | None) -> Iterator[_Chunk]:
    for chunk in chunks:
        if workers is not None and len(chunk.jobs) > 1:
            results = workers.map(_clean_job, chunk.jobs, config)
        else:
            results = [_clean_job(job, config) for job in chunk.jobs]
        chunk.skipped.extend(x for x in results if isinstance(x, Skipped))
        chunk.stored = store.add_articles([x for x in results if isinstance(x, Article)])
        if placer is not None:  # placed once annotate_stored brings their notes
            placer.arrive([a.id for a, is_new in chunk.stored if is_new])
        progress.advance(chunk.size)
        yield chunk


def _clean_and_annotate(chunks: Iterable[_Chunk], config: Config, store: Store, progress: Progress,
                        workers: Workers, placer: Placer) -> Iterator[_Chunk]:
    """Clean and annotate the chunks' jobs in pieces in the workers; store each piece's articles and the
    notes of the new ones as it comes back (in order), and offer them to the placer. The next chunk is
    prepared (hashes, outlet lines) when the pool asks for more work, i.e. while the workers parse."""
    tags: deque[tuple[_Chunk, bool]] = deque()  # (chunk, is its last piece) of each piece in flight

    def pieces() -> Iterator[list[Job]]:
        for chunk in chunks:
            parts = list(cut(chunk.jobs, chunk_sizes(len(chunk.jobs), workers.workers,
                                                     max(MIN_CHUNK, config.batch_size)))) or [[]]
            for k, part in enumerate(parts):
                tags.append((chunk, k == len(parts) - 1))
                yield part

    for cleaned, notes, found in workers.imap(_clean_annotate_job, pieces(), config):
        chunk, last = tags.popleft()
        chunk.skipped.extend(x for x in cleaned if isinstance(x, Skipped))
        piece = store.add_articles([x for x in cleaned if isinstance(x, Article)])
        chunk.stored.extend(piece)
        fresh = [(a, dataclasses.replace(n, article_id=a.id), f)  # a corpus id taken by other content is renamed
                 for (a, is_new), n, f in zip(piece, notes, found, strict=True) if is_new]
        placer.arrive([a.id for a, _, _ in fresh])
        store.save_notes([n for _, n, _ in fresh])
        placer.offer([a for a, _, _ in fresh], [n for _, n, _ in fresh], [f for _, _, f in fresh])
        progress.advance(len(cleaned) + (chunk.size - len(chunk.jobs) if last else 0))
        if last:
            yield chunk


def _clean_annotate_job(jobs: Sequence[Job], config: Config) -> tuple[list[Article | Skipped], list[Notes], list[Placing]]:
    """One piece in a worker: cleaning, then the map stage and the placement features of what was kept."""
    cleaned = [_clean_job(job, config) for job in jobs]
    articles = [x for x in cleaned if isinstance(x, Article)]
    if not articles:
        return cleaned, [], []
    notes = annotate(articles, config)
    return cleaned, notes, [placing_features(a, n, config) for a, n in zip(articles, notes, strict=True)]


def _clean_job(job: tuple[RawDocument, set[str]], config: Config) -> Article | Skipped:
    return clean(job[0], config, job[1])


# ----------------------------------------------------------------------------------------- annotate


def annotate_stored(ids: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
                    workers: Workers | None = None, placer: Placer | None = None) -> None:
    """Compute and store notes for the articles that have none yet, a chunk at a time (each chunk's notes
    are committed as soon as they are computed). With ``config.workers > 1`` (or a ``workers`` pool) the
    chunks are annotated in worker processes, a few at a time, so memory stays bounded. With a
    ``placer``, each chunk is placed in families and stories as it comes back (the workers also compute
    the articles' placement features), so placing overlaps the parsing instead of following it."""
    progress = progress or Silent()
    todo = store.without_notes(ids)
    if placer is not None:
        placer.expect(todo)
    progress.stage("analysing articles", len(todo))
    if not todo:
        return
    if workers is not None:
        _annotate_parallel(todo, config, store, progress, workers, placer)
    elif config.workers > 1 and len(todo) > MIN_CHUNK:
        with Workers(config.workers) as pool:
            _annotate_parallel(todo, config, store, progress, pool, placer)
    else:
        for chunk in _chunks(iter(todo), max(MIN_CHUNK, config.batch_size)):
            articles = store.articles(chunk)
            notes = annotate(articles, config)
            store.save_notes(notes)
            progress.advance(len(chunk))
            if placer is not None:
                placer.offer(articles, notes)


def _annotate_parallel(todo: Sequence[str], config: Config, store: Store, progress: Progress, workers: Workers,
                       placer: Placer | None = None) -> None:
    """Chunks sized so every worker stays busy; articles are read from the store only as a chunk is sent."""
    sizes = chunk_sizes(len(todo), workers.workers, max(MIN_CHUNK, config.batch_size))
    chunks = (store.articles(chunk) for chunk in cut(todo, sizes))
    for articles, notes, found in workers.imap(_annotate_job, chunks, config, placer is not None):
        store.save_notes(notes)
        progress.advance(len(notes))
        if placer is not None:
            placer.offer(articles, notes, found)


def _annotate_job(articles: list[Article], config: Config,
                  features: bool) -> tuple[list[Article], list[Notes], list[Placing] | None]:
    """One chunk of the map stage in a worker: notes, and (with ``features``) what placing needs."""
    notes = annotate(articles, config)
    if not features:
        return articles, notes, None
    return articles, notes, [placing_features(a, n, config) for a, n in zip(articles, notes, strict=True)]


# ------------------------------------------------------------------------------------------- assign


def assign(config: Config, store: Store, progress: Progress | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Place every unplaced stored article in a family and a story, incrementally, in arrival order."""
    with store.placement_lock():  # load, place, save: one process at a time per store
        placed = Placer(config, store).finish(progress)
    assert placed is not None  # noqa: S101 - nobody else can save while we hold the lock
    return placed


Placing = tuple[families_mod.Features, Counter[str]]


def placing_features(article: Article, notes: Notes, config: Config) -> Placing:
    """What placing one article needs of its text and notes (the per-article part of placing)."""
    return families_mod.features(article, config), stories_mod.features(article, notes)


class Placer:
    """Places stored articles in families and stories in arrival order, each as soon as it and every
    article that arrived before it have notes, so placing can run while the map stage parses.

    It works on its own copy of the saved indexes, loaded when it starts, and saves placements with the
    indexes' state (one transaction) only if nobody else saved meanwhile (the store's placement
    generation is unchanged); otherwise it stops placing and :meth:`finish` returns None, so the caller
    places again from the newer state (:func:`assign`). It saves every ``SAVE_EVERY`` seconds (or
    ``SAVE_SPACING`` times as long as the last save took, for big states) and at the end.
    """

    def __init__(self, config: Config, store: Store) -> None:
        self.config, self.store = config, store
        with store.placement_lock():
            self.families, self.stories = _load_indexes(config, store)
            self.generation = store.placement_generation()
            self.todo: deque[str] = deque(store.unassigned())
        self._waiting: set[str] = set()  # ids whose notes the map stage is computing
        self._ready: dict[str, tuple[Article, Notes, Placing | None]] = {}
        self._next_save, self._dirty, self.stale = time.monotonic() + SAVE_EVERY, False, False

    def arrive(self, ids: Sequence[str]) -> None:
        """Articles stored after this placer started (in arrival order), whose notes are being computed."""
        self.todo.extend(ids)
        self._waiting.update(ids)

    def expect(self, ids: Iterable[str]) -> None:
        """These articles are being annotated: wait for :meth:`offer` to bring their notes."""
        self._waiting.update(set(ids).intersection(self.todo))

    def offer(self, articles: Sequence[Article], notes: Sequence[Notes], found: Sequence[Placing] | None = None) -> None:
        """Articles whose notes are computed; places whatever has become placeable."""
        for k, (article, note) in enumerate(zip(articles, notes, strict=True)):
            if article.id in self._waiting:
                self._ready[article.id] = (article, note, found[k] if found is not None else None)
        self._advance(final=False)

    def finish(self, progress: Progress | None = None) -> tuple[dict[str, str], dict[str, str]] | None:
        """Place every article left (reading the ones not offered from the store) and save. Returns the
        store's families and stories, or None if another process saved placements meanwhile."""
        progress = progress or Silent()
        progress.stage("placing in families and stories", len(self.todo))
        self._advance(final=True, progress=progress)
        if self.stale or (self._dirty and not self._save()):
            return None
        return self.store.assignments()

    def _advance(self, final: bool, progress: Progress | None = None) -> None:
        while self.todo and not self.stale:
            head = self.todo[0]
            if head in self._ready:
                article, notes, found = self._ready.pop(head)
                self._place(article, notes, found)
                self.todo.popleft()
                if progress is not None:
                    progress.advance(1)
            elif head in self._waiting and not final:
                return  # its notes are still being computed
            else:  # not being annotated (stored earlier): read a run of such articles from the store
                run = list(itertools.islice((x for x in self.todo if x not in self._ready), 500))
                run = run[:next((k for k, x in enumerate(run) if x in self._waiting and not final), len(run))]
                stored, by_id = self.store.articles(run), self.store.notes(run)
                for a in stored:
                    self._ready[a.id] = (a, by_id.get(a.id) or Notes(article_id=a.id), None)
                for missing in set(run) - {x.id for x in stored}:  # deleted meanwhile: nothing to place
                    self.todo.remove(missing)
            if time.monotonic() > self._next_save and self._dirty and not self._save():
                return

    def _place(self, article: Article, notes: Notes, found: Placing | None) -> None:
        self._waiting.discard(article.id)
        fam_features, story_features = found if found is not None else (None, None)
        family = self.families.add(article, fam_features)
        self.stories.add(article, notes, family, story_features)
        self._dirty = True

    def _save(self) -> bool:
        """Save placements and state if the saved state is still the one we started from."""
        start = time.monotonic()
        # the indexes' state grows with the store: it is saved with the placements (one transaction, so they
        # always agree) now and then rather than every chunk; a killed run redoes at most that much placing
        with self.store.placement_lock():
            if self.store.placement_generation() != self.generation:
                log.info("another process placed articles in this store meanwhile: placing again from its state")
                self.stale = True
                return False
            self.store.save_assignments(self.families.assignments(), self.stories.assignments(),
                                        _dump_indexes(self.families, self.stories))
            self.generation = self.store.placement_generation()
        took = time.monotonic() - start
        self._next_save, self._dirty = time.monotonic() + max(SAVE_EVERY, SAVE_SPACING * took), False
        return True


def _load_indexes(config: Config, store: Store) -> tuple[FamilyIndex, StoryIndex]:
    fblob, sblob = store.load_state("families"), store.load_state("stories")
    if fblob and sblob:
        try:
            return FamilyIndex.load(fblob, config), StoryIndex.load(sblob, config)
        except ConfigError as e:  # saved by another version of rashomon: rebuild (no re-parsing)
            log.info("%s: placing every stored article again", e)
    # no usable saved state: start over, so every article is placed again in arrival order
    store.clear_state()
    return FamilyIndex(config), StoryIndex(config)


def _dump_indexes(families: FamilyIndex, stories: StoryIndex) -> dict[str, bytes]:
    if hasattr(families, "dump") and hasattr(stories, "dump"):
        return {"families": families.dump(), "stories": stories.dump()}
    return {}


def remove_articles(ids: Sequence[str], config: Config, store: Store, progress: Progress | None = None) -> list[str]:
    """Delete stored articles and take them out of their families and stories. Indexes that can
    ``remove(article_id)`` keep everyone else where they are; otherwise placement is rebuilt from the
    remaining articles in arrival order (from stored notes: nothing is parsed again).
    Returns the ids that were stored and are now gone."""
    with store.placement_lock():
        families, stories = _load_indexes(config, store)
        deleted = [i for i in dict.fromkeys(ids) if store.delete_article(i)]
        if not deleted:
            return []
        if hasattr(families, "remove") and hasattr(stories, "remove"):
            for article_id in deleted:
                families.remove(article_id)
                stories.remove(article_id)
            store.save_assignments(families.assignments(), stories.assignments(), _dump_indexes(families, stories))
        else:
            store.clear_state()
        assign(config, store, progress)
    return deleted


# ------------------------------------------------------------------------------------------ analyze


def analyze(inputs: Sequence[str], config: Config, store: Store, progress: Progress | None = None) -> Analysis:
    """The whole analysis of the given inputs (with everything already in the store for them)."""
    progress = progress or Silent()
    run_id = store.start_run()
    if config.engine == "dask":
        from .distributed import DaskEngine

        with DaskEngine(config) as engine:  # cleaning and the map stage on the cluster, families reduced there
            ids, summary = ingest(inputs, config, store, progress, run_id, engine)
            families, stories = engine.place(ids, store, progress)
    else:
        with Workers(config.workers) if config.workers > 1 else nullcontext() as pool:  # one pool, two stages
            # with a pool, documents are cleaned and annotated in one task per piece and placed as each
            # piece comes back; annotate_stored then does what is left (articles stored without notes)
            placer = Placer(config, store)
            warming = threading.Thread(target=warm_corpus_stages, daemon=True)  # while the workers parse
            warming.start()
            ids, summary = ingest(inputs, config, store, progress, run_id, pool, placer)
            annotate_stored(ids, config, store, progress, pool, placer)
            warming.join()
        placed = placer.finish(progress)
        families, stories = placed if placed is not None else assign(config, store, progress)
    progress.stage("comparing sources and writing the brief", None)
    result = analysis_of(ids, config, store, summary, families, stories)
    store.finish_run(run_id, summary)
    return result


def analysis_of(ids: Sequence[str], config: Config, store: Store, summary: RunSummary | None = None,
                families: dict[str, str] | None = None, stories: dict[str, str] | None = None) -> Analysis:
    """The analysis of stored articles (all of a story, or a run's)."""
    if families is None or stories is None:
        families, stories = store.assignments()
    articles = store.articles(ids)
    notes = store.notes(ids)
    for a in articles:  # articles stored by a run that died before annotating
        if a.id not in notes:
            notes[a.id] = annotate([a], config)[0]
    return reduce(articles, notes, config, families=families, story_of=stories, run=summary)


# ------------------------------------------------------------------------------------------ outputs


def write_outputs(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write analysis.json, brief.md and report.html, each atomically (never a half-written file)."""
    from .report import render_html, render_markdown

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = analysis.to_contract()
    files = {
        "analysis.json": json.dumps(data, ensure_ascii=False, indent=1),
        "brief.md": render_markdown(analysis),
        "report.html": render_html(analysis),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = _atomic_write(out / name, content)
    return paths


def _atomic_write(path: Path, content: str) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def open_store(path: str | Path) -> Iterator[Store]:
    store = Store(path)
    try:
        yield store
    finally:
        store.close()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
