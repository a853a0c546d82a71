"""Load and fault benchmarks of the store and the live desk (issue 19), over real processes and a real store:

* ``readers``: ``rashomon serve`` in a subprocess over a store of ``--base`` articles; ``--readers`` threads
  read the API (story list, story pages, articles, search) for ``--quiet`` seconds with no writes, then
  while ``--posts`` articles are POSTed (``--posters`` at once). Reports p50/p99 of reads, requests/s,
  errors, the server's memory (its process and any children) before and at its peak, and then checks that
  every posted article is stored once and placed, and that the stories equal those of one writer adding
  the same articles in the order the store recorded.
* ``writers``: two ``rashomon ingest`` processes of two halves at once, plus POSTs of a third part to a
  server on the same store; the same checks.
* ``kills``: ``rashomon ingest`` killed with SIGKILL at random moments ``--kills`` times, then run to the
  end; the same checks.

    .venv/bin/python benchmarks/api_load.py readers --readers 20 --posts 50
    .venv/bin/python benchmarks/api_load.py writers
    .venv/bin/python benchmarks/api_load.py kills --kills 10

The articles are invented (``tests/run/stream.py``: floods, trade deals, strikes and quakes in invented
towns, four reports of each told in different words). Prints a markdown report.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/run/stream.py: the stream and the check

from tests.run import stream  # noqa: E402

from rashomon.store import Store  # noqa: E402

CLI = [sys.executable, "-c", "from rashomon.cli import main; main()"]
Rows = list[dict[str, str]]


# ------------------------------------------------------------------------------------------ processes


def ingest(db: Path, source: Path) -> subprocess.Popen[str]:
    """``rashomon ingest SOURCE`` in its own process (one process: no worker pool)."""
    return subprocess.Popen([*CLI, "ingest", str(source), "--db", str(db), "--workers", "1", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen[str]) -> None:
    _, err = proc.communicate(timeout=1800)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {err}")


class Server:
    """``rashomon serve`` on a free loopback port, in its own process."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.log = db.with_suffix(".serve.log")  # a file, not a pipe nobody reads while it fills
        with self.log.open("w") as log:
            self.proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), "--quiet"],
                                         stdout=log, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(self.base + "/api/status", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rashomon serve did not start: {self.log.read_text()}")
            time.sleep(0.3)

    def memory(self) -> tuple[int, int]:
        """Resident bytes of the server process, and of its child processes (the worker that parses)."""
        try:
            top = psutil.Process(self.proc.pid)
            return top.memory_info().rss, sum(p.memory_info().rss for p in top.children(recursive=True))
        except psutil.Error:
            return 0, 0

    def settle(self, seconds: float = 3.0, limit: float = 180.0) -> None:
        """Wait until the server's memory stops growing (its worker has loaded spaCy) for ``seconds``."""
        last, still, deadline = self.memory(), 0.0, time.monotonic() + limit
        while still < seconds and time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.memory()
            still = still + 0.5 if sum(now) <= sum(last) * 1.01 else 0.0
            last = now

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Peak(threading.Thread):
    """Samples a server's memory every quarter second; ``peak`` is the most seen (server, children, total)."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.done = server, threading.Event()
        self.peak: tuple[int, ...] = (0, 0, 0)

    def run(self) -> None:
        while not self.done.wait(0.25):
            own, children = self.server.memory()
            self.peak = tuple(max(a, b) for a, b in zip(self.peak, (own, children, own + children), strict=True))


def mb(found: Sequence[int]) -> str:
    """Memory as 'server + children = total MB'."""
    own, children = found[0], found[1]
    return f"{own / 2**20:.0f} + {children / 2**20:.0f} = {(own + children) / 2**20:.0f} MB"


# -------------------------------------------------------------------------------------------- checks


def check(db: Path, rows: dict[str, dict[str, str]], tmp: Path) -> list[str]:
    """Every record stored exactly once and placed, and the stories those of one writer adding the same
    records in the store's recorded order. Returns the lines of the report."""
    with Store(db) as store:
        stored = Counter(a.source_id for a in store.articles())
        unplaced = store.unassigned()
    missing = sorted(set(rows) - set(stored))
    twice = sorted(k for k, n in stored.items() if n > 1)
    strange = sorted(set(stored) - set(rows))
    try:
        got = stream.placement(db)
        same = got == stream.one_writer_in_recorded_order(db, rows, tmp)
    except AssertionError as exc:
        same = False
        unplaced = unplaced or [str(exc)]
    return [f"| records | {len(rows)} |", f"| stored | {sum(stored.values())} |",
            f"| lost / stored twice / unknown | {len(missing)} / {len(twice)} / {len(strange)} |",
            f"| left unplaced | {len(unplaced)} |",
            f"| families and stories equal one writer in the recorded order | {'yes' if same else 'NO'} |"]


# ------------------------------------------------------------------------------------------ readers


KINDS = ("story list", "story page", "article", "search")


class Readers:
    """``count`` threads reading the API in a loop; each read is logged as (start, seconds, status)."""

    def __init__(self, base: str, count: int, stories: Sequence[str], articles: Sequence[str], seed: int) -> None:
        self.base, self.count, self.stories, self.articles = base, count, list(stories), list(articles)
        self.log: list[tuple[float, float, int, str]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(seed + k,), daemon=True) for k in range(count)]
        self._guard = threading.Lock()

    def _paths(self, rng: random.Random) -> tuple[str, str]:
        """A read as a reader of the desk makes them: (kind, path)."""
        pick = rng.random()
        if pick < 0.3:
            return "story list", "/api/stories?limit=20"
        if pick < 0.6:
            return "story page", f"/api/stories/{rng.choice(self.stories)}"
        if pick < 0.8:
            return "article", f"/api/articles/{rng.choice(self.articles)}"
        return "search", f"/api/search?q={rng.choice(['flood', 'accord', 'strike', 'quake', 'rescue', 'mayor'])}"

    def _loop(self, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self.stop.is_set():
                kind, path = self._paths(rng)
                start = time.monotonic()
                try:
                    status = client.get(path).status_code
                except httpx.TransportError:
                    status = 0
                with self._guard:
                    self.log.append((start, time.monotonic() - start, status, kind))

    def __enter__(self) -> Readers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=180)

    def between(self, start: float, end: float) -> list[tuple[float, float, int, str]]:
        with self._guard:
            return [x for x in self.log if start <= x[0] < end]


class Log:
    """Reads logged by another process."""

    def __init__(self, reads: list[tuple[float, float, int, str]]) -> None:
        self.log = reads

    def between(self, start: float, end: float) -> list[tuple[float, float, int, str]]:
        return [x for x in self.log if start <= x[0] < end]


def _read_until(base: str, count: int, stories: list[str], articles: list[str], seed: int, stop: Any,
                out: Path) -> None:
    """A reader process: ``count`` reader threads until ``stop`` is set; their log to ``out``."""
    with Readers(base, count, stories, articles, seed) as pool:
        stop.wait()
    out.write_text(json.dumps(pool.log))


def _post_all(base: str, records: Rows, posters: int, out: Path) -> None:
    """A poster process: every record POSTed, ``posters`` at once; the status codes to ``out``."""
    with httpx.Client(base_url=base, timeout=1800, limits=httpx.Limits(max_connections=posters)) as client, \
            ThreadPoolExecutor(max_workers=posters) as pool:
        codes = list(pool.map(lambda r: client.post("/api/articles", json=r).status_code, records))
    out.write_text(json.dumps(codes))


def summary(name: str, reads: list[tuple[float, float, int, str]], seconds: float) -> str:
    times = sorted(t for _, t, _, _ in reads)
    errors = sum(1 for _, _, s, _ in reads if s == 0 or s >= 500)
    missing = sum(1 for _, _, s, _ in reads if s == 404)
    if not times:
        return f"| {name} | 0 reads | | | | |"
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    return (f"| {name} | {len(times)} | {statistics.median(times) * 1000:.0f} ms | {p99 * 1000:.0f} ms | "
            f"{max(times) * 1000:.0f} ms | {len(times) / seconds:.0f} | {errors} ({missing} x 404) |")


def readers(args: argparse.Namespace, tmp: Path) -> list[str]:
    records = stream.records(events=stream.events(args.events))
    random.Random(args.seed).shuffle(records)
    base, posted = records[:args.base], records[args.base:args.base + args.posts]
    db = tmp / "desk.db"
    finished(ingest(db, stream.write(tmp / "base.jsonl", base)))
    server = Server(db)
    out = [f"{len(base)} articles stored by `rashomon ingest`, then {args.readers} readers over HTTP while "
           f"{len(posted)} articles are POSTed, {args.posters} at a time", ""]
    try:
        with httpx.Client(base_url=server.base, timeout=300) as client:
            stories = [r["id"] for r in client.get("/api/stories").json()["stories"]]
            for sid in stories:  # warm: every story page computed once, as a desk that has been open a while
                client.get(f"/api/stories/{sid}")
            articles = [aid for sid in stories[:10] for aid in client.get(f"/api/stories/{sid}").json()["stories"][0]
                        ["article_ids"]]
        server.settle()
        before = server.memory()
        peak = Peak(server)
        peak.start()
        # readers and posters each in their own process: in one, the posters' client work (connections,
        # JSON) would hold the readers' GIL and count as server latency
        stop = multiprocessing.get_context("fork").Event()
        readers_out, posts_out = tmp / "reads.json", tmp / "posts.json"
        reading = multiprocessing.get_context("fork").Process(
            target=_read_until, args=(server.base, args.readers, stories, articles, args.seed, stop, readers_out))
        reading.start()
        time.sleep(2.0)  # the readers' threads and connections start
        quiet_start = time.monotonic()
        time.sleep(args.quiet)
        quiet_end = time.monotonic()
        posting = multiprocessing.get_context("fork").Process(
            target=_post_all, args=(server.base, posted, args.posters, posts_out))
        posting.start()
        posting.join()
        busy_end = time.monotonic()
        time.sleep(args.after)
        after_end = time.monotonic()
        stop.set()
        reading.join()
        reads = [tuple(x) for x in json.loads(readers_out.read_text())]
        codes = json.loads(posts_out.read_text())
        pool = Log(reads)
        peak.done.set()
        peak.join()
        after = server.memory()
        out += ["| reads | n | p50 | p99 | max | requests/s | errors (5xx, refused) |",
                "| --- | --- | --- | --- | --- | --- | --- |",
                summary("no writes", pool.between(quiet_start, quiet_end), quiet_end - quiet_start),
                summary(f"while {len(posted)} POSTs run ({busy_end - quiet_end:.1f} s)",
                        pool.between(quiet_end, busy_end), busy_end - quiet_end),
                summary("after the writes", pool.between(busy_end, after_end), after_end - busy_end),
                *(summary(f"while POSTs run: {kind}", [x for x in pool.between(quiet_end, busy_end) if x[3] == kind],
                          busy_end - quiet_end) for kind in KINDS), "",
                f"POSTs: {dict(Counter(codes))} in {busy_end - quiet_end:.1f} s", "",
                "| server memory (resident): server process + its children | |", "| --- | --- |",
                f"| before the writes | {mb(before)} |", f"| peak (each part's own peak) | {mb(peak.peak)} |",
                f"| after | {mb(after)} |", ""]
    finally:
        server.stop()
    out += ["| check | |", "| --- | --- |", *check(db, {r["id"]: r for r in base + posted}, tmp)]
    return out


# ------------------------------------------------------------------------------------------ writers


def writers(args: argparse.Namespace, tmp: Path) -> list[str]:
    records = stream.records(events=stream.events(args.events))
    random.Random(args.seed).shuffle(records)
    records = records[:args.base + args.posts]
    posted, rest = records[:args.posts], records[args.posts:]
    a, b = stream.write(tmp / "a.jsonl", rest[0::2]), stream.write(tmp / "b.jsonl", rest[1::2])
    db = tmp / "s.db"
    Store(db).close()
    server = Server(db)
    try:
        start = time.monotonic()
        procs = [ingest(db, a), ingest(db, b)]
        with ThreadPoolExecutor(max_workers=args.posters) as pool:
            codes = list(pool.map(lambda r: httpx.post(server.base + "/api/articles", json=r, timeout=1800)
                                  .status_code, posted))
        for proc in procs:
            finished(proc)
        wall = time.monotonic() - start
    finally:
        server.stop()
    out = [f"two `rashomon ingest` processes ({len(rest[0::2])} and {len(rest[1::2])} articles) at once, and "
           f"{len(posted)} articles POSTed ({args.posters} at a time) to `rashomon serve` on the same store: "
           f"{wall:.0f} s; POSTs {dict(Counter(codes))}", "", "| check | |", "| --- | --- |"]
    return out + check(db, {r["id"]: r for r in records}, tmp)


# -------------------------------------------------------------------------------------------- kills


def kills(args: argparse.Namespace, tmp: Path) -> list[str]:
    """The corpus cut into ``--kills`` parts; the ingest of each part is killed at a random moment (loading,
    reading, parsing, placing or saving), then every part is ingested to the end."""
    records = stream.records(events=stream.events(args.events))[:args.articles]
    parts = [stream.write(tmp / f"part{k}.jsonl", records[k::args.kills]) for k in range(args.kills)]
    db = tmp / "s.db"
    rng = random.Random(args.seed)
    log = []
    for part in parts:
        delay = rng.uniform(1.0, args.max_delay)
        proc = ingest(db, part)
        time.sleep(delay)
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Store(db) as store:
            log.append((delay, alive, store.count(), len(store.unassigned())))
    for part in parts:
        finished(ingest(db, part))
    out = [f"{len(records)} articles in {args.kills} parts; `rashomon ingest` of each part killed with SIGKILL at a "
           f"random moment (1-{args.max_delay:.0f} s after its start), then every part ingested to the end", "",
           f"{sum(1 for _, alive, _, _ in log if alive)} of {len(log)} were still running when killed; stored / "
           f"unplaced after each kill: {', '.join(f'{n}/{u}' for _, _, n, u in log)}", "",
           "| check | |", "| --- | --- |"]
    return out + check(db, {r["id"]: r for r in records}, tmp)


MODES: dict[str, Callable[[argparse.Namespace, Path], list[str]]] = {"readers": readers, "writers": writers,
                                                                     "kills": kills}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--events", type=int, default=30, help="invented events, four reports each")
    parser.add_argument("--base", type=int, default=40, help="articles stored first (readers) or ingested "
                        "(writers)")
    parser.add_argument("--articles", type=int, default=120, help="the corpus (kills)")
    parser.add_argument("--posts", type=int, default=50, help="articles POSTed")
    parser.add_argument("--posters", type=int, default=50, help="POSTs in flight at once")
    parser.add_argument("--readers", type=int, default=20, help="concurrent readers")
    parser.add_argument("--quiet", type=float, default=20.0, help="seconds of reads with no writes")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of reads after the writes")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--max-delay", type=float, default=9.0, help="latest kill, seconds after the start")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix=f"rashomon-{args.mode}-") as folder:
        start = time.monotonic()
        lines = MODES[args.mode](args, Path(folder))
    print("\n".join([*lines, "", f"({time.monotonic() - start:.0f} s in all; {os.cpu_count()} cores, "
                     f"load average {os.getloadavg()[0]:.1f} at the end)"]))


if __name__ == "__main__":
    main()
