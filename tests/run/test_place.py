"""Placement follows the store's recorded arrival order and needs every article's notes: whatever the writers,
their interleaving and the kill -9s, the families and stories are those of one writer adding the same
articles in the order the store recorded (real processes, real kills, a real SQLite file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.config import Config
from rashomon.group.stories import StoryIndex
from rashomon.model import Article, Notes
from rashomon.run.place import Placer, lacking
from rashomon.run.runner import assign
from rashomon.store import Store

from . import stream

CLI = [sys.executable, "-c", "from rashomon.cli import main; main()"]


def ingest(db: Path, source: Path, *, background: bool = False) -> subprocess.Popen:
    proc = subprocess.Popen([*CLI, "ingest", str(source), "--db", str(db), "--workers", "1", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if not background:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode in (0, 1), err
    return proc


def kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


placement, one_writer_in_recorded_order = stream.placement, stream.one_writer_in_recorded_order


# ------------------------------------------------------------------------------- in one process


def _store_with(tmp_path: Path, rows: list[dict]) -> Store:
    store = Store(tmp_path / "s.db")
    arts = [Article(id=r["id"], input="-", text=r["text"], title=r["title"], date=r["date"],
                    content_hash=f"h-{r['id']}", source_id=r["id"]) for r in rows]
    store.add_articles(arts)
    return store


def test_an_article_without_notes_stops_placing_until_its_notes_are_stored(tmp_path, nlp):
    from rashomon.run.annotate import annotate

    rows = stream.records()[:6]
    store = _store_with(tmp_path, rows)
    arts = store.articles()
    notes = annotate(arts)
    store.save_notes([n for n in notes if n.article_id != arts[2].id])  # the third is still being computed
    placer = Placer(Config(), store)
    families, stories = placer.finish()
    assert set(stories) == {a.id for a in arts[:2]}, "placed past an article without notes, or not up to it"
    assert placer.blocked == arts[2].id
    assert lacking(store) == [arts[2].id]
    store.save_notes([notes[2]])
    _, stories = assign(Config(), store)
    assert set(stories) == {a.id for a in arts}
    # the same as placing all six with their notes in arrival order in one go
    fresh = Store(tmp_path / "fresh.db")
    fresh.add_articles(arts)
    fresh.save_notes(notes)
    assert assign(Config(), fresh)[1] == stories
    assert StoryIndex.load(store.load_state("stories"), Config()).snapshot() == \
        StoryIndex.load(fresh.load_state("stories"), Config()).snapshot()
    store.close()
    fresh.close()


def test_orphans_are_articles_without_notes_whose_writer_is_gone(tmp_path):
    rows = stream.records()[:3]
    store = _store_with(tmp_path, rows)  # stored by this (live) process: nobody's orphans
    ids = [a.id for a in store.articles()]
    assert lacking(store, "orphans") == []
    assert lacking(store, "all") == ids
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with store.tx() as db:  # the first was stored by a process that has exited since (a killed run)
        owner = db.execute("SELECT owner FROM writers WHERE article_id=?", (ids[0],)).fetchone()[0]
        host, _, _ = owner.split("|")
        db.execute("UPDATE writers SET owner=? WHERE article_id=?", (f"{host}|{dead.stdout.strip()}|1.00", ids[0]))
        db.execute("DELETE FROM writers WHERE article_id=?", (ids[1],))  # stored before writers were recorded
    assert lacking(store, "orphans") == ids[:2]
    store.save_notes([Notes(article_id=ids[0])])
    assert lacking(store, "orphans") == ids[1:2]
    store.close()


def test_a_placer_takes_every_writers_articles_in_the_stores_order(tmp_path, nlp):
    """Two writers on one store, interleaved: each placer places both writers' articles in arrival order."""
    from rashomon.run.annotate import annotate

    rows = stream.records()[:8]
    a_store, b_store = Store(tmp_path / "s.db"), Store(tmp_path / "s.db")
    arts = [Article(id=r["id"], input="-", text=r["text"], title=r["title"], date=r["date"],
                    content_hash=f"h-{r['id']}", source_id=r["id"]) for r in rows]
    placer = Placer(Config(), a_store)
    for k, art in enumerate(arts):  # A stores the even ones, B the odd ones, alternately
        (a_store if k % 2 == 0 else b_store).add_articles([art])
        if k % 2 == 0:
            placer.arrive([art.id])
    b_store.save_notes(annotate(arts[1::2]))
    a_notes = annotate(arts[0::2])
    placer.offer(arts[0::2], a_notes)
    _, stories = placer.finish()
    assert set(stories) == {a.id for a in arts}
    assert [x[0] for x in placer.stories.snapshot()] == [a.id for a in arts]  # placed in arrival order
    a_store.close()
    b_store.close()


# ----------------------------------------------------------------------- real processes, real kills


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("halves")
    rows = stream.records()
    return {r["id"]: r for r in rows}, stream.write(tmp / "a.jsonl", rows[0::2]), stream.write(tmp / "b.jsonl", rows[1::2])


def test_killed_writer_then_another_then_the_first_again_equals_one_writer_in_recorded_order(tmp_path, halves):
    """The issue's case: ingest B killed after a moment, then ingest A, then ingest B."""
    rows, a, b = halves
    db = tmp_path / "s.db"
    kill_after(ingest(db, b, background=True), 4.0)
    ingest(db, a)
    ingest(db, b)
    assert placement(db) == one_writer_in_recorded_order(db, rows, tmp_path)


def test_two_writers_at_once_equal_one_writer_in_recorded_order(tmp_path, halves):
    rows, a, b = halves
    db = tmp_path / "s.db"
    first, second = ingest(db, a, background=True), ingest(db, b, background=True)
    for proc in (first, second):
        _, err = proc.communicate(timeout=600)
        assert proc.returncode in (0, 1), err
    assert placement(db) == one_writer_in_recorded_order(db, rows, tmp_path)


@settings(max_examples=int(os.environ.get("RASHOMON_KILL_EXAMPLES", "2")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kills=st.lists(st.tuples(st.sampled_from("ab"), st.floats(0.3, 7.0)), min_size=1, max_size=3),
       together=st.booleans())
def test_any_interleaving_of_writers_and_kills_equals_one_writer_in_recorded_order(tmp_path_factory, halves,
                                                                                   kills, together):
    """Writers killed at random moments (loading, reading, parsing, placing, saving), alone or beside another
    writer; then each half is ingested once more to the end. Placement is idempotent and order-exact."""
    rows, a, b = halves
    tmp = tmp_path_factory.mktemp("kills")
    db = tmp / "s.db"
    for which, delay in kills:
        victim = ingest(db, a if which == "a" else b, background=True)
        other = ingest(db, b if which == "a" else a, background=True) if together else None
        kill_after(victim, delay)
        if other is not None:
            other.communicate(timeout=600)
    ingest(db, a)
    ingest(db, b)
    got = placement(db)
    assert got == one_writer_in_recorded_order(db, rows, tmp)
    ingest(db, b)  # once more: nothing moves
    assert placement(db) == got
    with Store(db) as store:
        assert len(store.articles()) == len(rows)
