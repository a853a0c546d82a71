"""Placing in a process of its own (run/place_apart.py): the same families and stories as placing in the
run's process, the child's failure raised in the run, and a child that never outlives a killed run (real
forked processes, a real SQLite file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rashomon.config import Config
from rashomon.group.stories import StoryIndex
from rashomon.model import Article
from rashomon.run.apart import can_fork
from rashomon.run.place import Placer
from rashomon.run.place_apart import PlacerApart, placer_for
from rashomon.run.runner import assign
from rashomon.store import Store

from . import stream

pytestmark = pytest.mark.skipif(not can_fork(), reason="placing apart needs fork")


def _articles(rows: list[dict]) -> list[Article]:
    return [Article(id=r["id"], input="-", text=r["text"], title=r["title"], date=r["date"],
                    content_hash=f"h-{r['id']}", source_id=r["id"]) for r in rows]


@pytest.fixture(scope="module")
def annotated(nlp):
    from rashomon.run.annotate import annotate

    arts = _articles(stream.records()[:16])
    return arts, annotate(arts)


def _drive(placer: Placer | PlacerApart, store: Store, arts: list[Article], notes: list) -> object:
    """The runner's calls: a piece stored and offered at a time; the last piece's notes stored, not offered
    (as a killed run's would be), so placing reads them from the store."""
    for k in range(0, len(arts) - 4, 4):
        piece = arts[k:k + 4]
        store.add_articles(piece)
        placer.arrive([a.id for a in piece])
        store.save_notes(notes[k:k + 4])
        placer.offer(piece, notes[k:k + 4])
    store.add_articles(arts[-4:])
    store.save_notes(notes[-4:])
    return placer.finish()


def test_placing_apart_gives_the_families_stories_and_state_of_placing_here(tmp_path, annotated):
    arts, notes = annotated
    with Store(tmp_path / "here.db") as here, Store(tmp_path / "apart.db") as apart:
        placer = placer_for(Config(), apart, apart=True)
        assert isinstance(placer, PlacerApart)
        placed = _drive(placer, apart, arts, notes)
        assert not placer._child.is_alive()
        expected = _drive(Placer(Config(), here), here, arts, notes)
        assert placed == expected == apart.assignments()
        assert len(set(placed[1].values())) >= 4  # several stories: a placement worth comparing
        assert StoryIndex.load(apart.load_state("stories"), Config()).snapshot() == \
            StoryIndex.load(here.load_state("stories"), Config()).snapshot()


def test_a_memory_store_or_no_fork_places_in_this_process(tmp_path):
    with Store(":memory:") as store:
        assert isinstance(placer_for(Config(), store, apart=True), Placer)
    with Store(tmp_path / "s.db") as store:
        assert isinstance(placer_for(Config(), store, apart=False), Placer)


def test_a_failure_while_placing_apart_is_raised_here_and_nothing_is_saved(tmp_path, annotated, monkeypatch):
    arts, notes = annotated

    def broken(self, article, notes, found):
        raise ValueError(f"cannot place {article.id}")

    monkeypatch.setattr(Placer, "_place", broken)  # the child is forked with it
    with Store(tmp_path / "s.db") as store:
        placer = PlacerApart(Config(), store)
        with pytest.raises(ValueError, match=f"cannot place {arts[0].id}"):
            _drive(placer, store, arts, notes)  # the calls after the failure are dropped, not blocked on
        assert not placer._child.is_alive()
        assert store.assignments() == ({}, {})


def test_placing_apart_when_another_process_placed_meanwhile_saves_nothing(tmp_path, annotated):
    arts, notes = annotated
    with Store(tmp_path / "s.db") as store, Store(tmp_path / "s.db") as other:
        placer = PlacerApart(Config(), store)
        store.add_articles(arts[:8])
        store.save_notes(notes[:8])
        placer.expect([a.id for a in arts[:8]])
        time.sleep(0.5)  # the child has loaded its copy of the (empty) state
        theirs = assign(Config(), other)
        assert placer.finish() is None
        assert store.assignments() == theirs


def test_the_placing_process_stops_when_the_run_is_killed(tmp_path):
    script = (
        "import sys, time\n"
        "from rashomon.config import Config\n"
        "from rashomon.run.place_apart import PlacerApart\n"
        "from rashomon.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "placer = PlacerApart(Config(), store)\n"
        "placer.expect(['a'])\n"
        "print(placer._child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "s.db")], stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    child = int(run.stdout.readline())
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 20
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(child), "the placing process outlived the killed run"


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(x for x in status.read_text().splitlines() if x.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError):
        return False
    return " Z " not in state and "zombie" not in state


def test_while_placing_apart_the_runs_writes_wait_out_a_long_save_and_afterwards_the_stores_timeout_holds(tmp_path):
    import sqlite3
    import threading

    def hold_writes(store: Store, seconds: float, started: threading.Event) -> None:
        with store.tx():  # another connection's long write transaction, as the child's save of a big state
            started.set()
            time.sleep(seconds)

    arts = _articles(stream.records()[:2])
    with Store(tmp_path / "s.db", timeout=0.2) as store, Store(tmp_path / "s.db") as saver:
        placer = PlacerApart(Config(), store)
        started = threading.Event()
        holder = threading.Thread(target=hold_writes, args=(saver, 1.0, started))
        holder.start()
        started.wait()
        store.add_articles(arts[:1])  # waits for the save instead of failing after 0.2 s
        holder.join()
        placer.finish()
        started.clear()
        holder = threading.Thread(target=hold_writes, args=(saver, 1.0, started))
        holder.start()
        started.wait()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            store.add_articles(arts[1:])
        holder.join()
        assert [a.id for a in store.articles()] == [arts[0].id]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_run_with_workers_places_in_a_process_of_its_own_and_one_without_in_its_own(tmp_path):
    from ..conftest import EXAMPLES

    script = (
        "import os, sys\n"
        "from rashomon.config import Config\n"
        "from rashomon.group import stories\n"
        "from rashomon.run.runner import analyze\n"
        "from rashomon.store import Store\n"
        "made = stories.StoryIndex.__init__\n"
        "def recorded(self, *args, **kwargs):\n"
        "    with open(sys.argv[3], 'a') as out, open('/proc/self/comm') as comm:\n"
        "        out.write(f'{os.getpid()} {comm.read().strip()}\\n')\n"
        "    made(self, *args, **kwargs)\n"
        "stories.StoryIndex.__init__ = recorded\n"
        "with Store(sys.argv[2]) as store:\n"
        "    analysis = analyze([sys.argv[1]], Config(workers=int(sys.argv[4])), store)\n"
        "print(os.getpid(), len(analysis.stories))\n"
    )
    for workers in (2, 1):
        made = tmp_path / f"made-{workers}"
        done = subprocess.run([sys.executable, "-c", script, str(EXAMPLES), str(tmp_path / f"s{workers}.db"), str(made),
                               str(workers)], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        run, stories = map(int, done.stdout.split())
        placers = dict(line.split() for line in made.read_text().splitlines())
        assert stories >= 2 and len(placers) == 1
        assert (str(run) in placers) == (workers == 1), f"{workers} workers: the story index was built in {placers}, the run is {run}"
        if workers > 1:  # named for ps and top (and the benchmarks, which time it apart)
            assert list(placers.values()) == ["rashomon-placer"]


def test_a_run_killed_while_placing_apart_then_run_again_equals_one_writer_in_recorded_order(tmp_path):
    """SIGKILL to a ``--workers 2`` ingest once its placing process has started: that process stops with
    it (saving nothing more), and running both halves again places every article as one writer would."""
    import psutil

    cli = [sys.executable, "-c", "from rashomon.cli import main; main()"]
    rows = stream.records()
    a, b = stream.write(tmp_path / "a.jsonl", rows[0::2]), stream.write(tmp_path / "b.jsonl", rows[1::2])
    db = tmp_path / "s.db"

    def ingest(source: Path) -> subprocess.Popen:
        return subprocess.Popen([*cli, "ingest", str(source), "--db", str(db), "--workers", "2", "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    victim = ingest(b)
    placer = None
    deadline = time.monotonic() + 60
    while placer is None and victim.poll() is None and time.monotonic() < deadline:
        with_children = psutil.Process(victim.pid).children()
        placer = next((p for p in with_children if _name_of(p) == "rashomon-placer"), None)
        time.sleep(0.05)
    assert placer is not None, "no placing process was started"
    time.sleep(1.5)  # parsing and placing under way
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 20
    while _running(placer.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(placer.pid), "the placing process outlived the killed run"
    for source in (a, b):
        done = ingest(source)
        _, err = done.communicate(timeout=600)
        assert done.returncode in (0, 1), err
    assert stream.placement(db) == stream.one_writer_in_recorded_order(db, {r["id"]: r for r in rows}, tmp_path)


def _name_of(process) -> str:  # type: ignore[no-untyped-def]
    import psutil

    try:
        return process.name()
    except psutil.Error:
        return ""
