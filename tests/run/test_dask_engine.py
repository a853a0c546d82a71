"""The Dask engine: the same analysis as the local engine, on a real two-worker LocalCluster.

The cluster is started once for the module (two worker processes, one thread each) and always closed;
the engine connects to it through ``config.scheduler``, the path used for an existing cluster.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from datasketch import MinHashLSH

from rashomon.config import Config
from rashomon.group import families as fam
from rashomon.group.families import FamilyIndex
from rashomon.run.dask_engine import DaskEngine, band_keys, components, family_record, linked
from rashomon.run.runner import analyze
from rashomon.store import Store

from ..conftest import EXAMPLES
from ..pipeline_runs import read


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _contract(analysis) -> dict:
    data = analysis.to_contract()
    data.pop("generated_at")
    return data


def _run(inputs, tmp_path, name, **settings):
    with Store(tmp_path / f"{name}.db") as store:
        return _contract(analyze([str(p) for p in inputs], Config(**settings), store))


def test_dask_writes_the_same_analysis_as_one_process(scheduler, seeds_dir, tmp_path):
    inputs = [seeds_dir, EXAMPLES]
    local = _run(inputs, tmp_path, "local", workers=1)
    dask = _run(inputs, tmp_path, "dask", engine="dask", scheduler=scheduler, batch_size=4)
    assert local == dask
    # the comparison is not trivial: both stories of the examples and the seed story, with copies
    families = [f for s in local["stories"] for f in s["families"]]
    assert len(local["stories"]) >= 3 and any(len(f) >= 3 for f in families)


def test_incremental_dask_runs_match_one_local_run(scheduler, seeds_dir, tmp_path):
    one_go = _run([seeds_dir, EXAMPLES], tmp_path, "one-go", workers=1)
    with Store(tmp_path / "steps.db") as store:
        cfg = Config(engine="dask", scheduler=scheduler)
        analyze([str(seeds_dir)], cfg, store)
        step = _contract(analyze([str(seeds_dir), str(EXAMPLES)], cfg, store))
        assert step["run"]["new"] == len(step["articles"]) - 5
        # the local engine on a store the Dask engine wrote rebuilds placements and agrees
        again = _contract(analyze([str(seeds_dir), str(EXAMPLES)], Config(workers=1), store))
    for data in (step, again):
        data.pop("run")
    one_go.pop("run")
    assert step == one_go == again


def test_engine_map_runs_on_the_cluster_in_order(scheduler):
    with DaskEngine(Config(engine="dask", scheduler=scheduler)) as engine:
        assert engine.workers == 2
        assert engine.map(pow, list(range(9)), 2) == [i * i for i in range(9)]
        assert engine.map(pow, [], 2) == []


# ------------------------------------------------- the family reduction agrees with FamilyIndex


@pytest.fixture(scope="module")
def articles(seeds_dir):
    return read(sorted(seeds_dir.iterdir()) + sorted(EXAMPLES.iterdir()), Config())


def test_band_keys_give_exactly_the_candidates_of_familyindex_lsh(articles):
    config = Config()
    records = [family_record(a, rank, config) for rank, a in enumerate(articles)]
    keys = [set(band_keys(r, config)) for r in records]
    dups = MinHashLSH(threshold=config.family_jaccard, num_perm=config.family_num_perm)
    rewrites = MinHashLSH(threshold=fam.REWRITE_CANDIDATE_JACCARD, num_perm=config.family_num_perm)
    translations = MinHashLSH(threshold=fam.TRANSLATION_CANDIDATE_JACCARD, num_perm=config.family_num_perm)
    for r in records:
        dups.insert(r.rank, r.shingles)
        rewrites.insert(r.rank, r.content)
        if r.language:
            translations.insert(r.rank, r.anchor_hash)
    for r in records:
        by_keys = {o.rank for o in records if o.rank != r.rank and keys[r.rank] & keys[o.rank]}
        by_lsh = (set(dups.query(r.shingles)) | set(rewrites.query(r.content))
                  | (set(translations.query(r.anchor_hash)) if r.language else set())) - {r.rank}
        assert by_keys == by_lsh


def test_pairwise_links_and_components_reproduce_familyindex(articles):
    config = Config()
    index = FamilyIndex(config)
    at_arrival = {a.id: index.add(a) for a in articles}
    records = [family_record(a, rank, config) for rank, a in enumerate(articles)]
    links = [(new.rank, old.rank) for new, old in itertools.combinations(records[::-1], 2)
             if linked(new, old, "dr", config)]
    final, first = components([a.id for a in articles], links)
    assert final == index.assignments()
    assert first == at_arrival
    assert len(set(final.values())) < len(final)  # some copies were linked


def test_components_ids_are_the_smallest_member_and_follow_arrival():
    final, first = components(["k", "c", "x", "a"], [(1, 0), (3, 2)])
    assert final == {"k": "c", "c": "c", "x": "a", "a": "a"}
    assert first == {"k": "k", "c": "c", "x": "x", "a": "a"}
    assert components([], []) == ({}, {})


def test_the_cli_runs_the_dask_engine(scheduler, seeds_dir, tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(seeds_dir), "--out", str(out), "--db", str(tmp_path / "c.db"),
                                      "--engine", "dask", "--scheduler", scheduler, "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 5 and len(data["stories"]) >= 1


@pytest.mark.slow
def test_dask_equals_the_local_engine_on_ecbplus(scheduler, data_dir, tmp_path):
    """A measured run: the first 150 ECB+ articles (many stories, copies among them). The local run
    is a separate `rashomon analyze` process, so it also has another string-hash seed than this one:
    the analysis must not depend on it."""
    lines = (data_dir / "ecbplus" / "input.jsonl").read_text(encoding="utf-8").splitlines()[:150]
    corpus = tmp_path / "ecb.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rashomon = Path(sys.executable).with_name("rashomon")
    done = subprocess.run([str(rashomon), "analyze", str(corpus), "--out", str(tmp_path / "local"),
                           "--db", str(tmp_path / "local.db"), "--workers", "2", "--quiet"],
                          capture_output=True, text=True, timeout=1200, env={**os.environ, "PYTHONHASHSEED": "1"})
    assert done.returncode == 0, done.stderr
    local = json.loads((tmp_path / "local" / "analysis.json").read_text(encoding="utf-8"))
    local.pop("generated_at")
    dask = _run([corpus], tmp_path, "dask", engine="dask", scheduler=scheduler)
    assert len(local["stories"]) > 10
    assert dask == local
