"""MinHash signatures and the banded index: the same band layout and candidates as datasketch's MinHashLSH,
without importing scipy at start."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from rashomon.group.minhash import Bands, minhash, optimal_bands


@pytest.mark.parametrize("num_perm", [16, 64, 128])
def test_band_layout_is_datasketchs(num_perm):
    from datasketch.lsh import _optimal_param

    for threshold in [x / 20 for x in range(1, 20)]:
        assert optimal_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), threshold


def test_candidates_are_datasketchs():
    from datasketch import MinHashLSH

    rnd = random.Random(3)
    words = [f"w{i}".encode() for i in range(60)]
    sigs = {f"d{k}": minhash(set(rnd.sample(words, 20)), 128, 13) for k in range(80)}
    ours, theirs = Bands(0.5, 128), MinHashLSH(threshold=0.5, num_perm=128)
    for key, sig in sigs.items():
        ours.insert(key, sig)
        theirs.insert(key, sig)
    for key in list(sigs)[::7]:
        ours.remove(key)
        theirs.remove(key)
    for sig in sigs.values():
        assert ours.query(sig) == set(theirs.query(sig))


def test_signatures_need_no_scipy_at_start():
    probe = ("import sys, rashomon.run.runner\n"
             "from rashomon.group.minhash import minhash\nminhash({b'a'}, 16, 1)\n"
             "print(sorted(m for m in ('scipy', 'scipy.integrate', 'datasketch.lsh') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("threshold", [0.5, 0.25, 0.2])
def test_candidates_are_datasketchs_after_merges_removals_and_a_reload(monkeypatch, threshold):
    # the compact tables: entries merged into sorted arrays (a small MERGE_MIN merges often), hashed bands
    # checked value by value, removed keys skipped, and the same after pickling
    import pickle

    from datasketch import MinHashLSH

    from rashomon.group.minhash import RankTable

    monkeypatch.setattr(RankTable, "MERGE_MIN", 16)
    rnd = random.Random(5)
    words = [f"w{i}".encode() for i in range(40)]
    sigs = {f"d{k}": minhash(set(rnd.sample(words, 15)), 128, 13) for k in range(300)}
    ours, theirs = Bands(threshold, 128), MinHashLSH(threshold=threshold, num_perm=128)
    for key, sig in sigs.items():
        ours.insert(key, sig)
        theirs.insert(key, sig)
    for key in list(sigs)[::5]:
        ours.remove(key)
        theirs.remove(key)
    ours = pickle.loads(pickle.dumps(ours))
    for key in list(sigs)[::10]:
        ours.insert(key + "x", sigs[key])
        theirs.insert(key + "x", sigs[key])
    for sig in sigs.values():
        assert ours.query(sig) == set(theirs.query(sig))


def test_a_rank_table_keeps_each_keys_ranks_in_the_order_added(monkeypatch):
    from rashomon.group.minhash import RankTable

    monkeypatch.setattr(RankTable, "MERGE_MIN", 8)
    rnd = random.Random(1)
    table, want = RankTable(), {}
    for rank in range(500):
        key = rnd.choice([1, 2, 3, 2**63 + 5, 2**64 - 1, rnd.randrange(2**64)])
        table.add(key, rank)
        want.setdefault(key, []).append(rank)
    assert len(table) == 500 and len(table._keys) > 0  # merged at least once
    for key, ranks in want.items():
        assert table.get(key).tolist() == ranks
    assert table.get(4).tolist() == []
