"""rashomon.config: defaults < TOML file < environment < flags, and every bad value a ConfigError (exit 2
before any work), never a crash later in the run."""

from __future__ import annotations

import pytest

from rashomon.config import Config
from rashomon.errors import ConfigError


def test_file_then_environment_then_overrides(tmp_path):
    f = tmp_path / "r.toml"
    f.write_text("[rashomon]\nworkers = 2\nbrief_sentences = 4\n", encoding="utf-8")
    cfg = Config.load(f, env={"RASHOMON_BRIEF_SENTENCES": "6", "RASHOMON_FETCH_ALLOW_PRIVATE": "yes"}, seed=5)
    assert (cfg.workers, cfg.brief_sentences, cfg.fetch_allow_private, cfg.seed) == (2, 6, True, 5)


@pytest.mark.parametrize("toml, says", [
    ("a = " + "[" * 5_000, "nested too deep"),  # tomllib recursed into a RecursionError
    ("rashomon = 5\n", "'rashomon' must be a table"),
    ("workers = -1\n", "'workers' must be 'auto' or a number"),
    ("fetch_timeout = nan\n", "must be a finite number"),
    ("fetch_timeout = -1.0\n", "'fetch_timeout' must be at least"),
    ("family_jaccard = 1.5\n", "between 0 and 1"),
    ("engine = 'spark'\n", "must be one of local, dask"),
    ("workers = 'many'\n", "'workers' must be 'auto' or a number"),
    ("batch_size = 0\n", "'batch_size' must be at least 1"),
    ("thread_threshold = 2.0\n", "between 0 and 1"),
    ("workers = inf\n", "'workers' must be 'auto' or a number"),  # int(inf) raised OverflowError
    ("batch_size = inf\n", "'batch_size' must be int"),
    ("workers = 1\nworkers = 2\n", "cannot read"),
])
def test_a_bad_config_file_is_a_config_error(tmp_path, toml, says):
    f = tmp_path / "r.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        Config.load(f, env={})


@pytest.mark.parametrize("name, value, says", [
    ("RASHOMON_WORKERS", "9" * 5_000, "'workers' must be 'auto' or a number"),
    ("RASHOMON_WORKERS", "-2", "'workers' must be 'auto' or a number"),
    ("RASHOMON_FETCH_TIMEOUT", "inf", "finite"),
    ("RASHOMON_BATCH_SIZE", "-3", "at least 1"),
    ("RASHOMON_FETCH", "maybe", "must be bool"),
])
def test_a_bad_environment_value_is_a_config_error(name, value, says):
    with pytest.raises(ConfigError, match=says):
        Config.load(env={name: value})


@pytest.mark.parametrize("value", ["0", "auto", " Auto "])
def test_workers_zero_or_auto_is_the_automatic_count_not_an_error(tmp_path, value):
    """workers = 0 means "auto" (run/workers.auto_workers picks the count), so the bound starts at 0."""
    assert Config.load(env={"RASHOMON_WORKERS": value}).workers == 0
    f = tmp_path / "r.toml"
    f.write_text("workers = 0\n", encoding="utf-8")
    assert Config.load(f, env={}).workers == 0


def test_a_config_path_that_is_a_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        Config.load(tmp_path, env={})


def test_a_run_freezes_what_survives_a_full_collection():
    """The CLI's run commands freeze what survives each full pass of the cycle collector, so the next pass
    walks only what is new; a process that never asks keeps Python's default behaviour."""
    import subprocess
    import sys

    code = ("import gc\n"
            "from rashomon.config import freeze_survivors, survivors_frozen\n"
            "assert not survivors_frozen()\n"
            "kept = [[i] for i in range(1000)]\n"
            "gc.collect(1); before = gc.get_freeze_count()\n"
            "freeze_survivors(); freeze_survivors()\n"
            "assert survivors_frozen() and gc.callbacks.count(gc.callbacks[-1]) == 1\n"
            "gc.collect(1); assert gc.get_freeze_count() == before\n"  # a young pass freezes nothing
            "gc.collect(); assert gc.get_freeze_count() >= before + 1000\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
