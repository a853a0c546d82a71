"""The SQLite store: round trips, idempotent adds, WAL readers, and state blobs."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.errors import StoreError
from rashomon.model import Article, Mention, Notes, QuoteMention, Sentence, TimeMention
from rashomon.store import Store

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
opt = st.one_of(st.none(), text)


@settings(max_examples=60, deadline=None)
@given(text=text.filter(bool), title=opt, outlet=opt, source=opt, removed=st.lists(text, max_size=3))
def test_article_round_trip(text, title, outlet, source, removed):
    a = Article(id="a1", input="in.txt", text=text, title=title, outlet=outlet, source_id=source,
                removed=tuple(removed), content_hash="h", date="2026-01-05", date_source="header", language="en")
    with Store(":memory:") as store:
        store.add_articles([a])
        assert store.article("a1") == a


def test_notes_round_trip():
    n = Notes(article_id="a1", sentences=(Sentence(0, 10),),
              mentions=(Mention("Kell", "GPE", 0, 4, 0, descriptions=("town",), country=None),),
              quotes=(QuoteMention("We will rebuild", 5, 20, cue="said", speaker="Ana Lind", fragment=False),),
              times=(TimeMention("Monday", 30, 36, 0, value="2026-01-05", rule="weekday", tense="past"),),
              vector=(0.5, -1.25))
    with Store(":memory:") as store:
        store.add_articles([Article(id="a1", input="x", text="t", content_hash="h")])
        store.save_notes([n])
        assert store.notes(["a1"]) == {"a1": n}
        assert store.without_notes(["a1", "a2"]) == ["a2"]


def test_same_content_hash_is_a_no_op_and_order_is_arrival():
    with Store(":memory:") as store:
        arts = [Article(id=f"a{i}", input="x", text=f"text {i}", content_hash=f"h{i}") for i in range(3)]
        assert [new for _, new in store.add_articles(arts)] == [True, True, True]
        assert [new for _, new in store.add_articles(arts[::-1])] == [False, False, False]
        assert [a.id for a in store.articles()] == ["a0", "a1", "a2"]
        assert store.count() == 3


def test_delete_cascades_notes_and_assignments():
    with Store(":memory:") as store:
        store.add_articles([Article(id="a1", input="x", text="t", content_hash="h")])
        store.save_notes([Notes(article_id="a1")])
        store.save_assignments({"a1": "a1"}, {"a1": "s1"}, {"families": b"\x00state"})
        assert store.delete_article("a1") and not store.delete_article("a1")
        assert store.notes(["a1"]) == {} and store.assignments() == ({}, {})
        assert store.load_state("families") == b"\x00state"


def test_a_state_written_by_a_function_is_streamed_in_and_read_back_as_a_file(tmp_path):
    # the indexes' states are pickled straight into the store (dump_to), never held whole as bytes, and
    # unpickled as they are read back: the same bytes either way
    import pickle

    from rashomon.config import Config
    from rashomon.group.families import FamilyIndex
    from rashomon.group.stories import StoryIndex

    index = FamilyIndex(Config())
    index.extend([Article(id=f"a{k}", input="x", text=f"The Kessin council met on day {k}. " * 20) for k in range(5)])
    stories = StoryIndex(Config())
    payload = {"big": bytes(range(256)) * 5000, "small": list(range(100))}
    with Store(tmp_path / "s.db") as store:
        store.save_assignments({}, {}, {"families": index.dump_to, "stories": stories.dump_to,
                                         "other": lambda f: pickle.Pickler(f, protocol=5).dump(payload)})
        assert store.load_state("families") == index.dump()
        assert store.load_state("stories") == stories.dump()
        with store.state_file("families") as f:
            assert FamilyIndex.load(f, Config()).assignments() == index.assignments()
        with store.state_file("other") as f:
            assert pickle.load(f) == payload
        with store.state_file("nothing") as f:
            assert f is None


def test_wal_lets_a_second_connection_read_during_a_write(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as writer, Store(path) as reader:
        writer.add_articles([Article(id="a1", input="x", text="t", content_hash="h1")])
        with writer.tx() as db:  # an open write transaction...
            db.execute("INSERT INTO meta VALUES ('k', 'v')")
            assert reader.count() == 1  # ...does not block readers, who see the last commit
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(RuntimeError), store.tx() as db:
            db.execute("INSERT INTO meta VALUES ('x', 'y')")
            raise RuntimeError("boom")
        assert store.db.execute("SELECT COUNT(*) FROM meta WHERE key='x'").fetchone()[0] == 0


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable rashomon database"):
        Store(bad)


def test_repeated_lines_per_outlet():
    with Store(":memory:") as store:
        for h in ("h1", "h2", "h3"):
            store.record_lines("Kell Gazette", h, ["follow us", f"unique {h}"])
        store.record_lines("Other", "h4", ["follow us"])
        assert store.repeated_lines("Kell Gazette", 3) == {"follow us"}
        assert store.repeated_lines("Other", 3) == set()


def test_corpus_ids_are_kept_and_made_unique():
    from rashomon.model import RawDocument
    from rashomon.read.clean import clean

    body = "The council of Kell voted on Monday to rebuild the old harbour wall, the mayor said."
    a = clean(RawDocument(input="c.jsonl:1", text=body, kind="jsonl", source_id="k-1"))
    b = clean(RawDocument(input="d.jsonl:1", text=body + " Again.", kind="jsonl", source_id="k-1"))
    odd = clean(RawDocument(input="e.jsonl:1", text=body, kind="jsonl", source_id="has space/slash"))
    assert a.id == "k-1" and odd.id.startswith("a")
    with Store(":memory:") as store:
        stored = [x.id for x, _ in store.add_articles([a, b])]
        assert stored[0] == "k-1" and stored[1].startswith("k-1~")
        assert {x.source_id for x in store.articles()} == {"k-1"}


def test_placement_lock_excludes_other_processes(tmp_path):
    import multiprocessing
    import time

    path = tmp_path / "lock.db"
    Store(path).close()
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()

    def hold() -> None:
        with Store(path) as other, other.placement_lock():
            started.set()
            time.sleep(1.0)

    proc = ctx.Process(target=hold)
    proc.start()
    assert started.wait(10)
    t0 = time.perf_counter()
    with Store(path) as store, store.placement_lock():
        waited = time.perf_counter() - t0
    proc.join()
    assert waited >= 0.5  # we could only enter after the other process let go


def test_notes_from_other_extractor_code_are_recomputed():
    from rashomon.model import NOTES_VERSION

    with Store(":memory:") as store:
        store.add_articles([Article(id=f"a{i}", input="x", text="t", content_hash=f"h{i}") for i in range(2)])
        store.save_notes([Notes(article_id="a0"), Notes(article_id="a1", version=NOTES_VERSION - 1)])
        assert store.without_notes(["a0", "a1"]) == ["a1"]
    assert NOTES_VERSION // 10**9 >= 4  # the major number leads; the rest digests the extractors' code and data


def test_notes_with_a_number_json_cannot_hold_are_stored_as_null():
    """json.dumps writes inf as 'Infinity', which SQLite's JSON functions (the quote index trigger) reject:
    the notes' transaction failed and the article stayed without notes for every later run to trip on.
    Found by tests/test_fuzz.py (a 300-digit figure times "billion")."""
    from rashomon.model import ValueMention

    with Store(":memory:") as store:
        store.add_articles([Article(id="a1", input="x", text="It cost a lot.", content_hash="h1")])
        notes = Notes(article_id="a1", values=(ValueMention("lots", 0, 4, 0, "money", float("inf"), "EUR"),
                                               ValueMention("none", 5, 9, 0, "number", float("nan"))),
                      quotes=(QuoteMention("We said so", 0, 10, speaker="Ida"),))
        store.save_notes([notes])
        back = store.notes(["a1"])["a1"]
        assert [v.value for v in back.values] == [None, None] and back.quotes == notes.quotes


def test_notes_encoded_elsewhere_are_stored_as_notes_encoded_here():
    """The workers encode each article's notes (the parent stores them as they come); an article stored under
    another id (its corpus id taken by other content) gets the row its renamed notes would have had."""
    import dataclasses

    from rashomon.model import ValueMention
    from rashomon.store import notes_row, renamed_row

    notes = Notes(article_id="a1", sentences=(Sentence(0, 14),), vector=(0.25, -1.5),
                  values=(ValueMention("lots", 0, 4, 0, "money", float("inf"), "EUR"),),
                  times=(TimeMention("Monday", 3, 9, "2026-03-02", "date", 0),),
                  quotes=(QuoteMention("We said «so»", 0, 10, speaker="Ída"),))
    assert renamed_row(notes_row(notes), "a1") == notes_row(notes)
    assert renamed_row(notes_row(notes), "a1~2") == notes_row(dataclasses.replace(notes, article_id="a1~2"))
    with Store(":memory:") as store:
        store.add_articles([Article(id="a1~2", input="x", text="It cost a lot.", content_hash="h1")])
        store.save_note_rows([renamed_row(notes_row(notes), "a1~2")])
        back = store.notes(["a1~2"])["a1~2"]
        assert back.article_id == "a1~2" and back.quotes == notes.quotes and back.vector == notes.vector
