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
import gc
import logging
import pickle
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TypeVar

from ..config import Config, survivors_frozen
from ..group.features import placing_features
from ..group.stories import placing_notes
from ..model import Analysis, Article, InputWarning, LanguageCount, Notes, RawDocument, RunSummary, Skipped
from ..read import boilerplate, language, metadata
from ..read.clean import clean, content_hash, repair
from ..read.ingest import check_inputs, iter_inputs
from ..store import NoteRow, Store, StoredNotes, notes_row, renamed_row
from .annotate import annotate
from .apart import can_fork, in_child
from .place import Placer, dump_indexes, lacking, load_indexes, release_memory
from .place_apart import PlacerApart, placer_for
from .progress import Progress, Silent
from .reduce import STORY_ONLY_FIELDS, CorpusPart, corpus_notes, corpus_part, story_parts
from .reduce import warm_up as warm_corpus_stages
from .workers import MIN_CHUNK, Mapper, Workers, chunk_sizes, cut, worker_processes

log = logging.getLogger(__name__)

INGEST_CHUNK = 200
NOTES_CHUNK = 500  # notes decoded at once while the analysis loads: their whole form lives only this long
# from this many articles on, `analyze` runs the corpus-wide steps in a process of their own (analysis_of)
APART_MIN = 2000
PLACE_APART_FROM = 2  # workers from which placing runs in a process of its own (run/place_apart.py)
T = TypeVar("T")


# ------------------------------------------------------------------------------------------- ingest


def ingest(inputs: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
           run_id: int | None = None, workers: Mapper | None = None,
           placer: AnyPlacer | None = None) -> tuple[list[str], RunSummary]:
    """Read, clean and store every input. Returns the ids of this run's articles (new or already stored,
    in input order) and the run summary. Bad inputs become Skipped records in the summary. (``workers``
    and ``placer``: see :func:`ingest_items`.)"""
    check_inputs(inputs, config)
    items: Iterable[RawDocument | Skipped] = iter_inputs(inputs, config)
    if config.outlet:  # the user's word for inputs that name no outlet themselves
        items = (dataclasses.replace(x, outlet=config.outlet) if isinstance(x, RawDocument) and not x.outlet else x
                 for x in items)
    return ingest_items(items, config, store, progress, run_id, workers, placer)


def ingest_items(items: Iterable[RawDocument | Skipped], config: Config, store: Store,
                 progress: Progress | None = None, run_id: int | None = None,
                 workers: Mapper | None = None, placer: AnyPlacer | None = None) -> tuple[list[str], RunSummary]:
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
        warnings.extend(InputWarning(a.input, language.warning(a.language_declared, a.language))
                        for a, is_new in chunk.stored if is_new and a.language_declared)
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
    languages = tuple(LanguageCount(lang, language.name(lang) if lang else "unknown", n, analysed, reason)
                      for lang, analysed, reason, n in store.languages(ids))
    return ids, RunSummary(inputs=seen, articles=len(ids), new=new, duplicates=dup, skipped=tuple(skipped),
                           warnings=tuple(warnings), languages=languages)


Job = tuple[RawDocument, set[str]]
AnyPlacer = Placer | PlacerApart


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
        # the outlet, else the site: pages saved from one site share its clutter (a stub, a tagline)
        outlet = raw.outlet or metadata.outlet_from_text(raw.text) or metadata.domain(raw.url)
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
                     workers: Mapper | None, placer: AnyPlacer | None) -> Iterator[_Chunk]:
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
                        workers: Workers, placer: AnyPlacer) -> Iterator[_Chunk]:
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

    for cleaned, rows, placing in workers.imap(_clean_annotate_job, pieces(), config):
        chunk, last = tags.popleft()
        chunk.skipped.extend(x for x in cleaned if isinstance(x, Skipped))
        piece = store.add_articles([x for x in cleaned if isinstance(x, Article)])
        chunk.stored.extend(piece)
        keep = [k for k, (_, is_new) in enumerate(piece) if is_new]
        fresh = [piece[k][0] for k in keep]  # a corpus id taken by others is renamed, and its notes with it
        placer.arrive([a.id for a in fresh])
        store.save_note_rows([renamed_row(rows[k], a.id) for k, a in zip(keep, fresh, strict=True)])
        if placing is not None:
            placer.offer_packed(fresh, placing, keep)
        progress.advance(len(cleaned) + (chunk.size - len(chunk.jobs) if last else 0))
        if last:
            yield chunk


def _pack(articles: Sequence[Article], notes: Sequence[Notes], config: Config,
          features: bool = True) -> tuple[list[NoteRow], bytes | None]:
    """Notes as a worker hands them back: encoded as the store keeps them (the parent, which stores every
    article's, no longer encodes them nor rebuilds their records from the pipe), and (with ``features``)
    what placing reads of each article, pickled here: the part of the notes placing reads
    (:func:`~rashomon.group.stories.placing_notes`: the dates named, the document vector, the entity
    mentions) and its placement features. The run's process forwards that pickle to the placer unread
    (:meth:`~rashomon.run.place.Placer.offer_packed`): where placing runs in a process of its own, only that
    process decodes it."""
    rows = [notes_row(n) for n in notes]
    if not features:
        return rows, None
    placing = ([placing_notes(n) for n in notes],
               [placing_features(a, n, config) for a, n in zip(articles, notes, strict=True)])
    return rows, pickle.dumps(placing, protocol=pickle.HIGHEST_PROTOCOL)


def _clean_annotate_job(jobs: Sequence[Job], config: Config) -> tuple[list[Article | Skipped], list[NoteRow], bytes | None]:
    """One piece in a worker: cleaning, then the map stage and the placement features of what was kept."""
    cleaned = [_clean_job(job, config) for job in jobs]
    articles = [x for x in cleaned if isinstance(x, Article)]
    if not articles:
        return cleaned, [], None
    return (cleaned, *_pack(articles, annotate(articles, config), config))


def _clean_job(job: tuple[RawDocument, set[str]], config: Config) -> Article | Skipped:
    return clean(job[0], config, job[1])


# ----------------------------------------------------------------------------------------- annotate


def annotate_stored(ids: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
                    workers: Workers | None = None, placer: AnyPlacer | None = None) -> None:
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
                       placer: AnyPlacer | None = None) -> None:
    """Chunks sized so every worker stays busy; articles are read from the store only as a chunk is sent."""
    sizes = chunk_sizes(len(todo), workers.workers, max(MIN_CHUNK, config.batch_size))
    sent: deque[list[Article]] = deque()  # the chunks in the workers, in order: their texts are not sent back

    def chunks() -> Iterator[list[Article]]:
        for chunk in cut(todo, sizes):
            sent.append(store.articles(chunk))
            yield sent[-1]

    for rows, placing in workers.imap(_annotate_job, chunks(), config, placer is not None):
        articles = sent.popleft()
        store.save_note_rows(rows)
        progress.advance(len(rows))
        if placer is not None and placing is not None:
            placer.offer_packed(articles, placing)


def _annotate_job(articles: list[Article], config: Config, features: bool) -> tuple[list[NoteRow], bytes | None]:
    """One chunk of the map stage in a worker: notes and (with ``features``) what placing needs (:func:`_pack`)."""
    return _pack(articles, annotate(articles, config), config, features)


# ------------------------------------------------------------------------------------------ analyze


def analyze(inputs: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
            pool: Workers | None = None) -> Analysis:
    """The whole analysis of the given inputs (with everything already in the store for them). ``pool``: the
    run's workers when the caller started them already (the CLI does, before it loads the rest of rashomon);
    else they are started here as ``config.workers`` says."""
    progress = progress or Silent()
    check_inputs(inputs, config)  # a usage error before any work
    run_id = store.start_run()
    given = pool
    processes = pool.workers if pool is not None else worker_processes(config, inputs)
    with nullcontext(given) if given is not None else Workers(processes) if processes else nullcontext() as pool:
        # reading, the map stage, placing
        ids, summary, families, stories = add(inputs, config, store, progress, run_id, warm_reduce=True, pool=pool)
    if given is not None:
        # its workers hold spaCy's models, which the reduce never uses; they exit while the reduce starts (the
        # caller's own close later only waits for that)
        given.close(wait=False)
    with reduce_workers(processes) as pool:
        result = analysis_of(ids, config, store, summary, families, stories, mapper=pool, progress=progress,
                             apart=len(ids) >= APART_MIN)
    store.finish_run(run_id, summary)
    return result


def _warm_parent() -> None:
    """What this process needs after the map stage, loaded while the workers parse: the corpus stages'
    tables, and scipy's sparse matrices and clustering, which placing imports on first use (half a second,
    else spent while the workers wait for the parent). The CLI compiles the report's templates likewise."""
    import scipy.cluster.hierarchy
    import scipy.sparse
    import scipy.spatial.distance  # noqa: F401

    warm_corpus_stages()


def reduce_workers(processes: int) -> AbstractContextManager[Workers | None]:
    """The worker pool for the reduce's per-story part (None for fewer than two): started from this process
    once the corpus stages' tables are loaded in it (:func:`warm_corpus_stages`; places, names, the
    passage model, figure patterns), so the forked workers share those pages instead of each loading its
    own, and without the map stage's models (spaCy's pipelines and the extractors' lexicons, ~160 MB a
    worker), which the per-story part never uses: the map stage's pool, kept for the reduce, held them
    through it."""
    if processes < 2:  # one worker would only make this process wait for it (and fork it first)
        return nullcontext()
    warm_corpus_stages()  # cached: nothing to do when ``add`` warmed them
    return _forked_frozen(processes)


def _forked_frozen(processes: int) -> Workers:
    """A pool forked with every object of this process in the garbage collector's permanent generation
    (``gc.freeze``), unfrozen here once the workers exist. A forked worker's collections otherwise walk
    every container it inherited, writing to each one's header, so each worker came to hold a private copy
    of the pages of this process's whole heap (placing's leftovers, the corpus tables): the reduce workers
    grew with the corpus though they never read most of it. Frozen, those pages stay shared."""
    gc.freeze()
    try:
        return Workers(processes, warm=False)
    finally:
        if not survivors_frozen():
            gc.unfreeze()


def add(inputs: Sequence[str], config: Config, store: Store, progress: Progress | None = None,
        run_id: int | None = None, warm_reduce: bool = False, pool: Workers | None = None,
        ) -> tuple[list[str], RunSummary, dict[str, str], dict[str, str]]:
    """Read, clean, store, annotate and place the inputs (``rashomon ingest``; :func:`analyze` then reduces).
    Returns this run's article ids, its summary, and the store's families and stories. Without a ``pool``
    one is started as ``config.workers`` says (:func:`worker_processes`)."""
    progress = progress or Silent()
    check_inputs(inputs, config)  # a usage error before any work
    if config.engine == "dask":
        from .dask_engine import DaskEngine

        with DaskEngine(config) as engine:  # cleaning and the map stage on the cluster, families reduced there
            ids, summary = ingest(inputs, config, store, progress, run_id, engine)
            families, stories = engine.place(ids, store, progress)
        return ids, summary, families, stories
    if pool is None:
        processes = worker_processes(config, inputs)
        if processes:
            with Workers(processes) as own:
                return add(inputs, config, store, progress, run_id, warm_reduce, own)
    # with a pool, documents are cleaned and annotated in one task per piece and placed as each piece
    # comes back; annotate_stored then does what is left (articles stored without notes)
    # with enough workers to keep this process busy, placing runs in a process of its own
    placer = placer_for(config, store, apart=pool is not None and pool.workers >= PLACE_APART_FROM)
    try:
        warming = threading.Thread(target=_warm_parent, daemon=True) if warm_reduce else None
        if warming is not None:
            warming.start()  # the corpus stages' tables load while the workers parse
        ids, summary = ingest(inputs, config, store, progress, run_id, pool, placer)
        annotate_stored(ids, config, store, progress, pool, placer)
        # placing follows the store's arrival order: articles stored before ours without notes (a killed
        # run's, another writer's in progress) are annotated here too, or ours could not be placed
        others = lacking(store, "all", own=ids)
        if others:
            annotate_stored(others, config, store, progress, pool, placer)
        if warming is not None:
            warming.join()
        placed = placer.finish(progress)
    finally:
        if isinstance(placer, PlacerApart):
            placer.close()  # the child is stopped whatever went wrong here
    del placer  # the indexes: freed, and their memory handed back
    release_memory()
    if placed is None:  # another process saved placements meanwhile: place again from its state
        placed = assign(config, store, progress, pool)
    return ids, summary, placed[0], placed[1]


def assign(config: Config, store: Store, progress: Progress | None = None, workers: Workers | None = None,
           others: str = "all") -> tuple[dict[str, str], dict[str, str]]:
    """Place every unplaced stored article in a family and a story, incrementally, in arrival order.

    Articles without notes are annotated first — all of them (``others="all"``), or only those whose writer
    is gone (``"orphans"``: a live writer places its own) — since placing stops at the first article without
    notes. Returns the store's families and stories (articles behind one still without notes stay unplaced)."""
    todo = lacking(store, others)
    if todo:
        annotate_stored(todo, config, store, progress, workers)
    with store.placement_lock():  # load, place, save: nobody else can save meanwhile
        placed = Placer(config, store).finish(progress)
    release_memory()  # the indexes are freed: hand their memory back
    assert placed is not None  # noqa: S101 - nobody else can save while we hold the lock
    return placed


def remove_articles(ids: Sequence[str], config: Config, store: Store, progress: Progress | None = None) -> list[str]:
    """Delete stored articles and take them out of their families and stories. Indexes that can
    ``remove(article_id)`` keep everyone else where they are; otherwise placement is rebuilt from the
    remaining articles in arrival order (from stored notes: nothing is parsed again).
    Returns the ids that were stored and are now gone."""
    with store.placement_lock():
        families, stories = load_indexes(config, store)
        deleted = [i for i in dict.fromkeys(ids) if store.delete_article(i)]
        if not deleted:
            return []
        if hasattr(families, "remove") and hasattr(stories, "remove"):
            for article_id in deleted:
                families.remove(article_id)
                stories.remove(article_id)
            store.save_assignments(families.assignments(), stories.assignments(), dump_indexes(families, stories))
        else:
            store.clear_state()
        assign(config, store, progress, others="orphans")
    return deleted


def analysis_of(ids: Sequence[str], config: Config, store: Store, summary: RunSummary | None = None,
                families: dict[str, str] | None = None, stories: dict[str, str] | None = None,
                mapper: Workers | None = None, progress: Progress | None = None, apart: bool = False) -> Analysis:
    """The analysis of stored articles (all of a story, or a run's); with ``mapper``, the per-story part of
    the reduce runs in its worker processes; ``progress`` hears each step. With ``apart`` (and a store on
    disk, where processes fork), loading every article's notes and the corpus-wide steps over them run in a
    process of their own (:mod:`.apart`): this one never holds the notes, and their memory is returned
    whole when that process exits (at 10k articles ~145 MB of freed notes otherwise stayed with this
    process to the end). The result is the same either way."""
    progress = progress or Silent()
    if families is None or stories is None:
        families, stories = store.assignments()
    if apart and store.path != ":memory:" and can_fork():
        corpus, fresh = in_child(_corpus_part_of, ids, config, store.path, families, stories, progress=progress)
    else:
        corpus, fresh = _corpus_part(ids, config, store, families, stories, progress)

    def whole(story: Sequence[str]) -> dict[str, Notes | StoredNotes]:
        """One story's whole notes, read again from the store when the story's turn comes: as stored, for
        the per-story part to decode (in its worker, where there are workers)."""
        found: dict[str, Notes | StoredNotes] = dict(store.stored_notes([aid for aid in story if aid not in fresh]))
        found.update((aid, fresh[aid]) for aid in story if aid in fresh)
        return found

    return story_parts(corpus, config, families, run=summary, mapper=mapper, progress=progress, whole=whole)


def _corpus_part(ids: Sequence[str], config: Config, store: Store, families: dict[str, str],
                 stories: dict[str, str], progress: Progress) -> tuple[CorpusPart, dict[str, Notes]]:
    """The articles and the corpus-wide steps' part of their notes, loaded, then those steps
    (:func:`.reduce.corpus_part`); also the whole notes of articles a run that died left without any
    (annotated here)."""
    progress.stage("loading the articles and their notes", len(ids))
    articles = store.articles(ids)
    notes: dict[str, Notes] = {}
    fresh: dict[str, Notes] = {}
    for chunk in _chunks(iter(ids), NOTES_CHUNK):  # only the corpus-wide steps' part of every article's notes
        notes.update(_corpus_notes(store, chunk))
        progress.advance(len(chunk))
    for a in articles:  # articles stored by a run that died before annotating
        if a.id not in notes:
            fresh[a.id] = annotate([a], config)[0]
            notes[a.id] = corpus_notes(fresh[a.id])
    return corpus_part(articles, notes, families, stories, progress, let_go=True), fresh


def _corpus_part_of(ids: Sequence[str], config: Config, path: str, families: dict[str, str],
                    stories: dict[str, str], progress: Progress) -> tuple[CorpusPart, dict[str, Notes]]:
    """:func:`_corpus_part` in a forked process: over a connection of its own to the store at ``path``."""
    with Store(path) as store:
        return _corpus_part(ids, config, store, families, stories, progress)


def _corpus_notes(store: Store, ids: Sequence[str]) -> dict[str, Notes]:
    """Stored notes as the corpus-wide steps read them (:func:`.reduce.corpus_notes`): the fields they never
    read are not even decoded."""
    return store.notes(ids, without=STORY_ONLY_FIELDS)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
