"""Tables built once per machine and kept on disk: the same table from the cache as built, rebuilt when what
it is built from changes or the file is damaged, and built in memory where nothing can be written."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

from rashomon.text import tables


def _run_twice(probe: str, cache) -> tuple[str, str]:
    """``probe``'s output in two fresh processes sharing the cache folder ``cache``: built, then loaded."""
    env = {"RASHOMON_CACHE": str(cache), "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:  # the tree under test, not the venv's installed copy (a git worktree)
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
            for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    return runs[0].stdout, runs[1].stdout


def test_a_cached_table_is_the_built_one_and_is_built_once(tmp_path, monkeypatch):
    monkeypatch.setenv("RASHOMON_CACHE", str(tmp_path))
    source = tmp_path / "source.tsv"
    source.write_text("a\t1\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return {"a": 1}

    assert tables.cached("t", build, [source]) == {"a": 1}
    assert tables.cached("t", build, [source]) == {"a": 1}
    assert len(builds) == 1
    source.write_text("a\t2\n", encoding="utf-8")  # what it is built from changed: built again
    tables.cached("t", build, [source])
    assert len(builds) == 2


def test_a_damaged_file_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RASHOMON_CACHE", str(tmp_path))
    tables.cached("t", lambda: [1, 2], ["pkg:numpy"])
    (path,) = tmp_path.glob("t-*.pickle")
    path.write_bytes(b"\x80\x05garbage")
    assert tables.cached("t", lambda: [1, 2], ["pkg:numpy"]) == [1, 2]
    assert pickle.loads(path.read_bytes()) == [1, 2]


def test_nothing_written_where_the_folder_cannot_be_made(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RASHOMON_CACHE", str(blocker / "sub"))  # a folder below a file cannot exist
    assert tables.cached("t", lambda: "built", []) == "built"
    monkeypatch.setenv("RASHOMON_CACHE", "off")
    assert tables.folder() is None


def test_places_come_back_the_same_from_the_cache(tmp_path):
    probe = ("from rashomon.text import geo\n"
             "print(geo.country_of('Ottawa'), geo.lookup('Kessin'), len(geo._tables()[1]))")
    first, second = _run_twice(probe, tmp_path)
    assert first == second and first.startswith("CAN")
    assert list(tmp_path.glob("geo-*.pickle"))


def test_tables_built_from_older_sources_go_after_a_week(tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("RASHOMON_CACHE", str(tmp_path))
    week_old = time.time() - tables.STALE_AFTER - 60
    old = tmp_path / "t-0123456789abcdef.pickle"  # the same table from other sources, a week old
    recent = tmp_path / "t-fedcba9876543210.pickle"  # another version used these days: kept
    other = tmp_path / "t-shared-0123456789abcdef.pickle"  # another table whose name starts alike: kept
    for path in (old, recent, other):
        path.write_bytes(pickle.dumps(0))
    os.utime(old, (week_old, week_old))
    os.utime(other, (week_old, week_old))
    tables.cached("t", lambda: 1, ["pkg:numpy"])
    assert not old.exists() and recent.exists() and other.exists()
    assert len(list(tmp_path.glob("t-*.pickle"))) == 3  # the new one, the recent one, the other table


def test_the_event_lexicon_comes_back_the_same_from_the_cache(tmp_path):
    probe = ("from rashomon.what import lexicon as plover\n"
             "lex = plover.lexicon()\n"
             "print(lex == plover._build_lexicon(), len(lex.verbs), len(lex.blocks))")
    first, second = _run_twice(probe, tmp_path)
    assert first == second and first.startswith("True ")
    assert list(tmp_path.glob("plover-lexicon-*.pickle"))
