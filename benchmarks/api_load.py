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
        self.proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), "--quiet"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(self.base + "/api/status", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rashomon serve did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")
            time.sleep(0.3)

    def memory(self) -> int:
        """Resident bytes of the server and its child processes."""
        try:
            top = psutil.Process(self.proc.pid)
            return sum(p.memory_info().rss for p in [top, *top.children(recursive=True)])
        except psutil.Error:
            return 0

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Peak(threading.Thread):
    """Samples a server's memory every quarter second; ``peak`` is the most seen."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.peak, self.done = server, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.peak = max(self.peak, self.server.memory())


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


class Readers:
    """``count`` threads reading the API in a loop; each read is logged as (start, seconds, status)."""

    def __init__(self, base: str, count: int, stories: Sequence[str], articles: Sequence[str], seed: int) -> None:
        self.base, self.count, self.stories, self.articles = base, count, list(stories), list(articles)
        self.log: list[tuple[float, float, int]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(seed + k,), daemon=True) for k in range(count)]
        self._guard = threading.Lock()

    def _paths(self, rng: random.Random) -> str:
        pick = rng.random()
        if pick < 0.3:
            return "/api/stories?limit=20"
        if pick < 0.6:
            return f"/api/stories/{rng.choice(self.stories)}"
        if pick < 0.8:
            return f"/api/articles/{rng.choice(self.articles)}"
        return f"/api/search?q={rng.choice(['flood', 'accord', 'strike', 'quake', 'rescue', 'mayor'])}"

    def _loop(self, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self.stop.is_set():
                path = self._paths(rng)
                start = time.monotonic()
                try:
                    status = client.get(path).status_code
                except httpx.TransportError:
                    status = 0
                with self._guard:
                    self.log.append((start, time.monotonic() - start, status))

    def __enter__(self) -> Readers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=180)

    def between(self, start: float, end: float) -> list[tuple[float, float, int]]:
        with self._guard:
            return [x for x in self.log if start <= x[0] < end]


def summary(name: str, reads: list[tuple[float, float, int]], seconds: float) -> str:
    times = sorted(t for _, t, _ in reads)
    errors = sum(1 for *_, s in reads if s == 0 or s >= 500)
    missing = sum(1 for *_, s in reads if s == 404)
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
        before = server.memory()
        peak = Peak(server)
        peak.start()
        with Readers(server.base, args.readers, stories, articles, args.seed) as pool:
            quiet_start = time.monotonic()
            time.sleep(args.quiet)
            quiet_end = time.monotonic()

            def post(record: dict[str, str]) -> int:
                return httpx.post(server.base + "/api/articles", json=record, timeout=1800).status_code

            with ThreadPoolExecutor(max_workers=args.posters) as writers:
                codes = list(writers.map(post, posted))
            busy_end = time.monotonic()
            time.sleep(args.after)
            after_end = time.monotonic()
        peak.done.set()
        peak.join()
        after = server.memory()
        out += ["| reads | n | p50 | p99 | max | requests/s | errors (5xx, refused) |",
                "| --- | --- | --- | --- | --- | --- | --- |",
                summary("no writes", pool.between(quiet_start, quiet_end), quiet_end - quiet_start),
                summary(f"while {len(posted)} POSTs run ({busy_end - quiet_end:.1f} s)",
                        pool.between(quiet_end, busy_end), busy_end - quiet_end),
                summary("after the writes", pool.between(busy_end, after_end), after_end - busy_end), "",
                f"POSTs: {Counter(codes)} in {busy_end - quiet_end:.1f} s; server memory (process and children): "
                f"{before / 2**20:.0f} MB before, {peak.peak / 2**20:.0f} MB at the peak, {after / 2**20:.0f} MB "
                "after", ""]
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
    records = stream.records(events=stream.events(args.events))[:args.base]
    halves = [stream.write(tmp / "a.jsonl", records[0::2]), stream.write(tmp / "b.jsonl", records[1::2])]
    db = tmp / "s.db"
    rng = random.Random(args.seed)
    log = []
    for _ in range(args.kills):
        delay = rng.uniform(0.5, args.max_delay)
        proc = ingest(db, rng.choice(halves))
        time.sleep(delay)
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Store(db) as store:
            log.append((delay, alive, store.count(), len(store.unassigned())))
    for half in halves:
        finished(ingest(db, half))
    out = [f"`rashomon ingest` of one half or the other ({len(records)} articles in all) killed with SIGKILL "
           f"{args.kills} times at random moments (0.5-{args.max_delay:.0f} s), then both halves ingested to the end",
           "", f"stored / unplaced after each kill: {', '.join(f'{n}/{u}' for _, _, n, u in log)}; "
           f"{sum(1 for _, alive, _, _ in log if alive)} of {len(log)} were still running when killed", "",
           "| check | |", "| --- | --- |"]
    return out + check(db, {r["id"]: r for r in records}, tmp)


MODES: dict[str, Callable[[argparse.Namespace, Path], list[str]]] = {"readers": readers, "writers": writers,
                                                                     "kills": kills}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--events", type=int, default=30, help="invented events, four reports each")
    parser.add_argument("--base", type=int, default=40, help="articles stored first (readers), ingested "
                        "(writers) or the corpus (kills)")
    parser.add_argument("--posts", type=int, default=50, help="articles POSTed")
    parser.add_argument("--posters", type=int, default=50, help="POSTs in flight at once")
    parser.add_argument("--readers", type=int, default=20, help="concurrent readers")
    parser.add_argument("--quiet", type=float, default=20.0, help="seconds of reads with no writes")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of reads after the writes")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--max-delay", type=float, default=12.0, help="latest kill, seconds after the start")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix=f"rashomon-{args.mode}-") as folder:
        start = time.monotonic()
        lines = MODES[args.mode](args, Path(folder))
    print("\n".join([*lines, "", f"({time.monotonic() - start:.0f} s in all; {os.cpu_count()} cores, "
                     f"load average {os.getloadavg()[0]:.1f} at the end)"]))


if __name__ == "__main__":
    main()
