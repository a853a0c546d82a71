"""The local worker pool (--workers): chunking, bounded in-flight work, and output equal to one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.config import Config
from rashomon.run.place import Placer
from rashomon.run.runner import analyze, annotate_stored, assign, ingest
from rashomon.run.workers import Workers, chunk_sizes, cut
from rashomon.store import Store

from ..conftest import EXAMPLES


@given(n=st.integers(0, 5000), workers=st.integers(1, 16), batch=st.integers(1, 256))
def test_chunks_cover_everything_evenly_and_respect_the_batch(n, workers, batch):
    sizes = chunk_sizes(n, workers, batch)
    assert sum(sizes) == n
    if n:
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) <= max(batch, 4)
        # a small corpus is cut so every worker gets several chunks (unless chunks would get tiny)
        assert len(sizes) >= min(workers * 4, n // 4, -(-n // max(batch, 4)))
    items = list(range(n))
    assert [x for part in cut(items, sizes) for x in part] == items


def _pid_and_square(x: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough that a second item is taken while the first is worked on, even on a busy machine
    return os.getpid(), x * x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_pool_keeps_order_uses_several_processes_and_bounds_what_is_in_flight():
    pulled = 0

    def source():
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield i

    out = []
    ahead = []
    with Workers(2, warm=False) as pool:
        for result in pool.imap(_pid_and_square, source(), in_flight=3):
            out.append(result)
            ahead.append(pulled - len(out))
        mapped = pool.map(_pid_and_square, list(range(7)))
    assert [sq for _, sq in out] == [i * i for i in range(40)]
    assert max(ahead) <= 3  # never more than 3 items read ahead of what was handed back
    assert len({pid for pid, _ in out}) == 2 and os.getpid() not in {pid for pid, _ in out}
    assert [sq for _, sq in mapped] == [i * i for i in range(7)]


def test_a_worker_error_reaches_the_caller_and_the_pool_still_closes():
    with pytest.raises(ValueError, match="three"), Workers(2, warm=False) as pool:
        list(pool.imap(_fail_on_three, range(10)))


def _contract(analysis) -> dict:
    data = analysis.to_contract()
    data.pop("generated_at")
    return data


def test_two_workers_write_the_same_analysis_and_notes_as_one_process(tmp_path):
    one, two = Config(workers=1), Config(workers=2, batch_size=8)
    with Store(tmp_path / "one.db") as a, Store(tmp_path / "two.db") as b:
        first = analyze([str(EXAMPLES)], one, a)
        second = analyze([str(EXAMPLES)], two, b)
        ids = [x.id for x in first.articles]
        assert len(ids) >= 8
        assert _contract(first) == _contract(second)
        assert a.notes(ids) == b.notes(ids)
        # and a family of copies was found, so the comparison covers more than singletons
        assert any(len(story.families[0]) > 1 for story in first.stories)


def test_annotate_stored_in_a_pool_stores_notes_for_every_article_once(tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = [{"id": f"x{i}", "date": f"2026-02-0{1 + i % 9}",
              "text": f"Mayor Lena Vost of Harl {i} opened bridge number {i} on Tuesday, officials said."}
             for i in range(23)]
    corpus.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    config = Config(workers=2, batch_size=4)
    with Store(tmp_path / "s.db") as store, Workers(2) as pool:
        ids, _ = ingest([str(corpus)], config, store, workers=pool)
        assert len(ids) == 23
        annotate_stored(ids, config, store, workers=pool)
        notes = store.notes(ids)
        assert set(notes) == set(ids) and store.without_notes(ids) == []
        assert all(n.mentions for n in notes.values())


def test_the_parent_of_the_workers_never_loads_a_spacy_pipeline(tmp_path):
    # the corpus-wide stages run in the parent; only the workers parse (fresh interpreter: this test
    # process has loaded the model for other tests)
    script = (
        "import sys\n"
        "from rashomon.text import nlp\n"
        "from rashomon.config import Config\n"
        "from rashomon.run.runner import analyze\n"
        "from rashomon.store import Store\n"
        "with Store(sys.argv[2]) as store:\n"
        "    analysis = analyze([sys.argv[1]], Config(workers=2), store)\n"
        "print(len(analysis.articles), len(analysis.stories), nlp.loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(EXAMPLES), str(tmp_path / "s.db")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    articles, stories, pipelines = map(int, done.stdout.split())
    assert articles >= 8 and stories >= 2
    assert pipelines == 0


def test_placing_while_the_workers_parse_gives_the_placements_of_placing_afterwards(tmp_path):
    config = Config(workers=2, batch_size=4)
    with Store(tmp_path / "s.db") as store:
        analysis = analyze([str(EXAMPLES)], config, store)  # placed chunk by chunk as notes come back
        during = store.assignments()
        store.clear_state()  # forget every placement: place all stored articles again, after the fact
        after = assign(config, store)
    assert during == after
    assert len(during[0]) == len(analysis.articles) >= 8
    assert len(set(during[1].values())) >= 2 and len(set(during[0].values())) < len(during[0])


def test_placing_while_the_workers_parse_reads_the_entity_mentions_that_placing_afterwards_reads(tmp_path):
    # Two arrests told in the same words with other people, clubs and towns: the entities' bar
    # (stories.AGREE_ENTITIES) keeps them apart, but only where the notes placing reads hold the entity
    # mentions. The workers hand the placing process a light copy of each article's notes
    # (stories.placing_notes): without the mentions there, a run placed them in one story and placing the
    # same store afterwards (the Dask engine, a rebuilt index, ``--workers 1``) in two.
    from ..group.test_stories import ARREST, ARREST_A, ARREST_B

    corpus = tmp_path / "arrests.jsonl"
    records = [{"id": "ka", "date": "2026-05-05", "text": ARREST.format(**ARREST_A)},
               {"id": "kb", "date": "2026-05-06", "text": ARREST.format(**ARREST_B)}]
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    config = Config(workers=2, batch_size=4)
    with Store(tmp_path / "s.db") as store:
        analyze([str(corpus)], config, store)
        during = store.assignments()
        assert all(n.mentions for n in store.notes(["ka", "kb"]).values())
        store.clear_state()
        after = assign(config, store)
    assert during == after
    assert during[1]["ka"] != during[1]["kb"]


def test_a_placer_whose_store_was_placed_meanwhile_saves_nothing_and_the_run_places_again(tmp_path):
    config = Config()
    with Store(tmp_path / "s.db") as store, Store(tmp_path / "s.db") as other:  # two connections, as two processes
        ids, _ = ingest([str(EXAMPLES)], config, store)
        placer = Placer(config, store)
        placer.expect(ids)
        annotate_stored(ids, config, store)
        theirs = assign(config, other)  # another process places the same articles first
        placer.offer(store.articles(ids), [store.notes(ids)[i] for i in ids])
        assert placer.finish() is None  # stale: its copy of the state is older than the saved one
        assert store.assignments() == theirs  # nothing of the stale placer was written
        assert assign(config, store) == theirs  # and placing again from the saved state changes nothing


def test_a_corpus_id_reused_for_other_content_is_renamed_with_its_notes_when_cleaning_and_parsing_are_fused(tmp_path):
    corpus = tmp_path / "c.jsonl"
    texts = [f"Harbour master Ines Calder of Dunmere said on Monday that pier {i} would close for repairs "
             f"until the spring, after storms damaged {i + 2} of its moorings." for i in range(10)]
    records = [{"id": "dup" if i in (2, 7) else f"r{i}", "date": "2026-03-02", "text": t} for i, t in enumerate(texts)]
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Store(tmp_path / "one.db") as a, Store(tmp_path / "two.db") as b:
        first = analyze([str(corpus)], Config(workers=1), a)
        second = analyze([str(corpus)], Config(workers=2, batch_size=4), b)  # cleaned and parsed in one task
        ids = [x.id for x in second.articles]
        assert len(ids) == 10 and "dup" in ids and any(i.startswith("dup~") for i in ids)
        notes = b.notes(ids)
        assert set(notes) == set(ids) and all(notes[i].article_id == i for i in ids)
        assert a.notes(ids) == notes and b.unassigned() == []
        assert _contract(first) == _contract(second)


def test_fused_reading_and_parsing_across_many_chunks_keeps_input_order_counts_and_notes(tmp_path, monkeypatch):
    import rashomon.run.runner as runner

    monkeypatch.setattr(runner, "INGEST_CHUNK", 5)  # 23 records: five chunks, read while earlier ones parse
    lines = [{"id": f"x{i}", "date": "2026-02-03",
              "text": f"Ferry operator Talvik Lines said crossing {i} to Orrin Isle resumed on Tuesday "
                      f"with {i + 3} sailings."} for i in range(21)]
    lines[12] = dict(lines[3])  # the same record again, in a later chunk
    lines.insert(7, {"id": "empty", "text": "   "})  # unreadable: skipped, the rest goes on
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(x) for x in lines) + "\n" + "{not json\n", encoding="utf-8")
    with Store(tmp_path / "one.db") as a, Store(tmp_path / "two.db") as b:
        first = analyze([str(corpus)], Config(workers=1), a)
        second = analyze([str(corpus)], Config(workers=2, batch_size=4), b)
        assert [x.id for x in first.articles] == [x.id for x in second.articles]
        assert first.run == second.run
        assert (second.run.new, second.run.duplicates, len(second.run.skipped)) == (20, 1, 2)
        ids = [x.id for x in second.articles]
        assert a.notes(ids) == b.notes(ids) and b.unassigned() == []
        assert _contract(first) == _contract(second)


def test_the_default_uses_every_usable_core_for_a_large_input_and_no_pool_for_one_core(tmp_path):
    """``rashomon analyze`` with no --workers (Config().workers == 0, "auto"): a worker per usable core for a
    large input, as far as memory allows; the count does not exceed what a small input needs."""
    import psutil

    from rashomon.run.workers import PER_WORKER_BYTES, auto_workers, usable_cores, worker_processes

    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Report {i}."}) + "\n" for i in range(400)),
                   encoding="utf-8")
    cores = usable_cores()
    by_memory = max(1, psutil.virtual_memory().available // PER_WORKER_BYTES)
    expected = 0 if cores < 2 else min(cores, by_memory)
    assert Config().workers == 0  # the default is auto
    assert worker_processes(Config(), [str(big)]) == expected
    assert worker_processes(Config(workers=1), [str(big)]) == 0  # --workers 1: everything in this process
    assert auto_workers(400, cores=16, available=64 * 2**30) == 16
    assert auto_workers(3, cores=16, available=64 * 2**30) == 1  # no pool bigger than the input needs


_EARLY = """
import sys
import rashomon.run.workers as w

seen = []
original = w.Workers.__init__


def record(self, *args, **kwargs):
    seen.append(sorted(m for m in ("rashomon.run.runner", "rashomon.store", "rashomon.report", "spacy")
                       if m in sys.modules))
    print("STARTED", seen, flush=True)  # here: main() ends the process when the command is done
    original(self, *args, **kwargs)


w.Workers.__init__ = record
from rashomon.cli import main

sys.argv = ["rashomon"] + sys.argv[1:]
main()
"""


def test_the_cli_starts_its_workers_before_it_loads_the_rest(tmp_path):
    """The workers load spaCy while the parent imports the runner, the store and the report, not after:
    ``rashomon analyze`` and ``rashomon ingest`` start the pool before importing any of them."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": f"The council of Kessin met on day {i}."}) + "\n"
                              for i in range(40)), encoding="utf-8")
    for command in (["analyze", str(corpus), "--out", str(tmp_path / "out")], ["ingest", str(corpus)]):
        done = subprocess.run([sys.executable, "-c", _EARLY, *command, "--workers", "2", "--quiet",
                               "--db", str(tmp_path / f"{command[0]}.db")],
                              capture_output=True, text=True, timeout=300, check=False)
        # the first pool starts before any of them; analyze's reduce pool later forks the loaded parent
        assert "STARTED [[]" in done.stdout, done.stdout + done.stderr[-2000:]
        assert (tmp_path / f"{command[0]}.db").is_file()


def test_the_reduce_runs_in_workers_without_the_map_stage_models_and_with_the_corpus_tables(tmp_path):
    """The per-story part of the reduce never parses: its workers must not hold spaCy's pipelines (the map
    stage's pool, kept for the reduce, held them through it: ~160 MB a worker), and they find the corpus
    stages' tables already loaded, forked from the process that loaded them (pages shared, not copied)."""
    script = (
        "from rashomon.run.runner import reduce_workers\n"
        "def state(_):\n"
        "    from rashomon.text import geo, nlp\n"
        "    return nlp.loaded(), geo._tables.cache_info().currsize\n"
        "with reduce_workers(2) as pool:\n"
        "    print(list(pool.imap(state, [0, 1])))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(0, 1), (0, 1)]", done.stdout


def test_the_reduce_pool_is_forked_frozen_and_leaves_this_process_unfrozen(monkeypatch):
    """The reduce's workers are forked with the parent's objects in the permanent generation (their
    collections then never walk, and copy, the parent's inherited heap), but the parent itself collects
    as before once they exist: nothing stays frozen in it."""
    import gc

    from rashomon.run import runner

    seen: list[int] = []
    real = runner.Workers

    class Spy(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs):
            seen.append(gc.get_freeze_count())
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(runner, "Workers", Spy)
    with runner.reduce_workers(1) as none:
        assert none is None  # one worker would only make this process wait for it: no pool
    with runner.reduce_workers(2) as pool:
        assert pool is not None
        assert list(pool.imap(len, [["a", "b"], ["c"]])) == [2, 1]
    assert seen and seen[0] > 0  # frozen while the workers were forked
    assert gc.get_freeze_count() == 0  # and unfrozen here after
