"""Worker processes for the per-article stages on one machine (``--workers N``).

Cleaning and the map stage (one spaCy parse per article, then every extractor) are independent per
article, so they run in a pool of processes. Each worker loads the spaCy pipeline and the extractors'
lexicons once (:func:`warm_up`, the pool's initializer) and then takes chunks of articles; the runner
keeps only a few chunks in flight (:meth:`Workers.imap`), so memory stays bounded however long the
input is, and it stores each chunk's notes as it comes back (a killed run keeps them).

>>> chunk_sizes(84, workers=2, batch=64)  # small corpus: 8 even chunks, so both workers stay busy
[11, 11, 11, 11, 10, 10, 10, 10]
>>> chunk_sizes(1000, workers=2, batch=64)[:3]  # large corpus: the spaCy batch size
[63, 63, 63]
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..config import Config
from ..model import Article

T = TypeVar("T")
R = TypeVar("R")

PER_WORKER_BYTES = 700 * 2**20  # a worker's resident memory: spaCy, wordllama and the extractors' tables
PER_WORKER_ARTICLES = 8  # fewer articles than this per worker, and another worker costs more than it saves
CHUNKS_PER_WORKER = 4  # a small corpus is cut finer than the batch size so no worker idles at the end
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: enough to keep it busy, few enough to bound memory
MIN_CHUNK = 4

# One short invented report that touches every extractor (names, titles, a quote, a date, a figure, an
# interaction), so their lazily built tables are built before the first real chunk arrives. It is plainly
# English (read.language.plainly_english), so the language detector's profiles load only if a text needs them.
_WARM_UP = Article(
    id="warm-up", input="-", date="2026-01-05",
    text=("Premier Ilsa Marrow of Kethra met Tovian envoys in Port Avel on Monday. \"We agreed on "
          "40 million marks of aid,\" Marrow told reporters, adding that talks would resume in March. The "
          "ministry said that the envoys, who had been in the capital since the end of the week, would return "
          "with a draft of the accord for the council to sign."),
)


class Mapper(Protocol):
    """What spreads per-article work: :class:`Workers` here, ``DaskEngine`` on a cluster."""

    @property
    def workers(self) -> int: ...

    def map(self, fn: Callable[..., R], items: Sequence[Any], *args: Any) -> list[R]: ...


def warm_up() -> None:
    """Load what cleaning and the map stage keep per process (text repair tables, the spaCy pipeline with
    the components the map stage needs, geo and name tables, cue lexicons, the embedding model) by
    cleaning and annotating one invented article.

    >>> warm_up()  # the second call costs almost nothing: everything is cached per process
    """
    from ..model import RawDocument
    from ..read.clean import clean
    from .annotate import annotate

    clean(RawDocument(input="-", text=_WARM_UP.text))  # text repair tables
    annotate([_WARM_UP])


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity, capped by a cgroup CPU quota (containers)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def auto_workers(articles: int, cores: int | None = None, available: int | None = None) -> int:
    """How many worker processes ``--workers auto`` starts for a run of about ``articles`` articles: one per
    usable core, as many as memory allows, and no more than the input needs (about
    ``PER_WORKER_ARTICLES`` each). 0 means none: everything runs in this process (one core). With two cores
    or more, even one article gets one worker, which loads spaCy while this process reads, stores and loads
    the corpus stages' tables.

    >>> auto_workers(1, cores=16, available=64 * 2**30), auto_workers(84, cores=2, available=8 * 2**30)
    (1, 2)
    >>> auto_workers(5000, cores=16, available=3 * 2**30), auto_workers(5000, cores=1, available=8 * 2**30)
    (4, 0)
    """
    cores = usable_cores() if cores is None else cores
    if cores < 2:
        return 0
    if available is None:
        import psutil

        available = psutil.virtual_memory().available
    by_memory = max(1, available // PER_WORKER_BYTES)
    return int(max(1, min(cores, by_memory, math.ceil(max(1, articles) / PER_WORKER_ARTICLES))))


def worker_processes(config: Config, inputs: Sequence[str]) -> int:
    """Worker processes for a run: ``config.workers`` when set (1: none, all in this process), else as many
    as :func:`auto_workers` finds for the input's size (counted cheaply). None with the Dask engine."""
    if config.engine == "dask" or config.workers == 1:
        return 0
    if config.workers > 1:
        return config.workers
    from ..read.preflight import count_records

    return auto_workers(count_records(inputs))


def start(config: Config, inputs: Sequence[str]) -> Workers | None:
    """The run's pool, started before the caller loads the rest of rashomon: the workers load spaCy and
    their tables while this process imports the runner, the store and the corpus stages, instead of after.
    None when the run needs no workers. The caller closes it (a context manager). A pool of the same size
    that :func:`start_early` started for this command is handed over instead of a new one.

    >>> start(Config(workers=1), []) is None
    True
    """
    global _early
    processes = worker_processes(config, inputs)
    early, _early = _early, None
    if early is not None:
        if early.workers == processes:
            return early
        early.close(cancel=True, wait=False)  # the settings differ from what start_early read: start again, not waiting
    return Workers(processes) if processes else None


_early: Workers | None = None

#: the options of ``analyze`` and ``ingest`` that take a value, and those that do not
_VALUED = frozenset({"--out", "-o", "--db", "--workers", "-w", "--engine", "--scheduler", "--brief-sentences",
                     "--outlet", "--config"})
_FLAGS = frozenset({"--fetch", "--allow-private", "--quiet", "-q"})


def start_early(args: Sequence[str]) -> None:
    """Start the pool of a ``rashomon analyze|ingest ARGS`` command before the command line interface is even
    imported, so the workers load spaCy while this process imports typer and rich, parses the options and
    checks the inputs (a fifth of a second of a one-article run's critical path). :func:`start` hands the
    pool over when the parsed settings ask for as many workers; otherwise it is closed and a pool of the
    right size started. Anything this light reading of ``args`` does not follow (help, an unknown option, a
    setting that does not load, standard input) starts nothing and leaves it all to :func:`start`.

    >>> start_early(["--help"]); _early is None
    True
    """
    global _early
    chosen: dict[str, str] = {}
    inputs: list[str] = []
    items = iter(args)
    for arg in items:
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _VALUED:
            given = value if eq else next(items, None)
            if given is None:
                return
            chosen[name] = given
        elif name in _FLAGS and not eq:
            continue
        elif arg.startswith("-"):  # -h, --help, --, "-" (standard input), an option this list lacks
            return
        else:
            inputs.append(arg)
    if not inputs:
        return
    try:
        config = Config.load(chosen.get("--config"), workers=chosen.get("--workers", chosen.get("-w")),
                             engine=chosen.get("--engine"))
        processes = worker_processes(config, inputs)
    except Exception:  # noqa: BLE001 - the command itself reports whatever is wrong, after its own parse
        return
    if processes:
        _early = Workers(processes)


def chunk_sizes(n: int, workers: int, batch: int) -> list[int]:
    """Sizes of the chunks ``n`` articles are cut into: at most ``batch`` each, and at least
    ``CHUNKS_PER_WORKER`` chunks per worker when the corpus is small, as even as possible."""
    if n <= 0:
        return []
    size = max(MIN_CHUNK, min(batch, math.ceil(n / max(1, workers * CHUNKS_PER_WORKER))))
    count = math.ceil(n / size)
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def cut(items: Sequence[T], sizes: Iterable[int]) -> Iterator[list[T]]:
    """``items`` cut into consecutive pieces of the given sizes."""
    start = 0
    for size in sizes:
        yield list(items[start:start + size])
        start += size


class Workers:
    """A pool of warmed-up worker processes; use as a context manager.

    ``fork`` is used where the platform has it (workers inherit whatever the parent already loaded,
    copy-on-write); elsewhere ``spawn``, and the initializer loads everything in each worker.

    >>> with Workers(2) as pool:
    ...     list(pool.imap(len, [["a"], ["b", "c"], []]))
    [1, 2, 0]
    """

    def __init__(self, workers: int, warm: bool = True, niceness: int = 0, isolated: bool = False) -> None:
        """``niceness``: added to the workers' scheduling niceness, so work in the background (a server's
        uploads) yields the cores to the process that started them (its readers).

        ``isolated``: start the workers from a fresh process (multiprocessing's fork server) instead of
        forking this one. A long-lived process with threads, sockets and pipes (the server) needs it: a
        forked worker inherits every open descriptor (the listening socket, a pipe to a child process, so
        that child never sees its end of input) and any lock another thread held at the fork."""
        self.workers = max(1, workers)
        methods = multiprocessing.get_all_start_methods()
        if isolated:
            method = "forkserver" if "forkserver" in methods else "spawn"
        else:
            method = "fork" if "fork" in methods and os.name == "posix" else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context(method),
                                         initializer=_start, initargs=(warm, niceness))
        # Start every worker now (a fork pool forks them all on its first task), before the caller starts any
        # thread of its own: a process forked while another thread holds a lock (the import lock, say)
        # inherits the lock held and can wait on it forever.
        for _ in range(self.workers):
            self._pool.submit(_nothing)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)

    def close(self, cancel: bool = False, wait: bool = True) -> None:
        """Stop the workers (dropping queued work when ``cancel``); without ``wait``, return while they exit."""
        self._pool.shutdown(wait=wait, cancel_futures=cancel)

    def imap(self, fn: Callable[..., R], items: Iterable[Any], *args: Any,
             in_flight: int | None = None) -> Iterator[R]:
        """``fn(item, *args)`` for each item, in input order, computed in the workers with at most
        ``in_flight`` items submitted and not yet handed back (default: two per worker)."""
        limit = in_flight or self.workers * IN_FLIGHT_PER_WORKER
        queue: deque[Future[R]] = deque()
        try:
            for item in items:
                while len(queue) >= limit:
                    wait([queue[0]], return_when=FIRST_COMPLETED)
                    yield queue.popleft().result()
                queue.append(self._pool.submit(fn, item, *args))
            while queue:
                yield queue.popleft().result()
        finally:
            for future in queue:
                future.cancel()

    def map(self, fn: Callable[..., R], items: Sequence[Any], *args: Any) -> list[R]:
        """``fn(item, *args)`` for every item, in order, spread evenly over the workers."""
        sizes = chunk_sizes(len(items), self.workers, max(1, math.ceil(len(items) / self.workers)))
        out: list[R] = []
        for part in self.imap(_apply_each, cut(items, sizes), fn, args):
            out.extend(part)
        return out


def _nothing() -> None:
    pass


def _start(warm: bool, niceness: int) -> None:
    """A worker's first moments: end with its parent, lower its priority if asked, then load what it keeps."""
    _die_with_parent()
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    if warm:
        warm_up()
        # What warm_up loaded (spaCy's pipeline, the tables, the lexicons: most of the worker's objects) stays
        # for its life: the cycle collector's full passes skip it from now on. They walked it all three times
        # per 40 articles (0.23 s of a worker's 12 s of CPU on 84 articles).
        gc.freeze()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the process that started it dies: a parent killed with kill -9
    cannot shut its pool down, and its workers would otherwise wait for work forever (each holding a loaded
    model's memory). Elsewhere nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _apply_each(items: Sequence[Any], fn: Callable[..., R], args: tuple[Any, ...]) -> list[R]:
    return [fn(x, *args) for x in items]
