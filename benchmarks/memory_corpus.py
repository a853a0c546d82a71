"""Peak memory of the corpus-wide stages (placing, the reduce, writing the outputs), stage by stage.

    .venv/bin/python benchmarks/memory_corpus.py 10000 30000 [--workers 2] [--src /tmp/before/src]
        [--json out/bench/memory-corpus.json]

For each size, a store of that many articles of the synthetic events stream (``synthetic.event_annotated``,
the stream ``throughput.py --corpus-stages`` uses; notes assembled from parsed sources, so nothing is parsed)
is built once and kept under out/bench (``corpus-events-N.db``); each measurement runs on a copy of it.
The measured part runs in a fresh child process, as ``rashomon analyze`` runs it after the map stage:
a pool of ``--workers`` processes, ``assign`` (families and stories), ``analysis_of`` (the reduce, its
per-story part in the pool ``runner.reduce_workers`` starts, or in the same pool for a library without it)
and ``write_outputs`` (analysis.json, brief.md, the report folder). This
process samples the proportional set size (PSS: shared pages counted once) of the child and its workers
every 0.2 s and keeps the peak of each stage the child announces. ``--src`` runs the child on another
copy of the library (``git archive COMMIT src | tar -x -C /tmp/before``) for before/after figures; both
build the same store, so both measure the same articles.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "out" / "bench"


# ------------------------------------------------------------------------------------------ the child


def child(db: str, out: str, workers: int) -> None:
    """The measured part, in its own process: announces each stage on stdout (``stage NAME``)."""
    from rashomon.config import Config
    from rashomon.report import write_outputs
    from rashomon.run.progress import Silent
    from rashomon.run.runner import analysis_of, assign
    from rashomon.run.workers import Workers
    from rashomon.store import Store

    class Announce(Silent):  # reports each stage, nothing else
        def stage(self, name: str, total: int | None = None) -> None:
            print(f"stage {name}", flush=True)

    progress = Announce()
    config = Config(workers=workers)
    from rashomon.run import runner

    reduce_workers = getattr(runner, "reduce_workers", None)  # None in a library from before it (--src)
    with Store(db) as store:
        with Workers(workers) as pool:  # as analyze's: the map stage's pool, there while placing
            progress.stage("placing")
            families, stories = assign(config, store, progress, pool)
            ids = [row[0] for row in store.placements()]
            if reduce_workers is None:  # that library reduced in the same pool
                analysis = analysis_of(ids, config, store, None, families, stories, mapper=pool, progress=progress)
        if reduce_workers is not None:  # as analyze's: the per-story part in a pool of its own
            apart = getattr(runner, "APART_MIN", None)  # as analyze's: the corpus-wide steps in a process apart
            kwargs = {"apart": len(ids) >= apart} if apart is not None else {}
            with reduce_workers(workers) as reducer:
                analysis = analysis_of(ids, config, store, None, families, stories, mapper=reducer,
                                       progress=progress, **kwargs)
        progress.stage("writing outputs")
        write_outputs(analysis, out)
        progress.stage("end")
        print(f"result {len(analysis.articles)} {len(analysis.stories)}", flush=True)


# ------------------------------------------------------------------------------------------ the parent


def build_store(n: int) -> Path:
    """The store of ``n`` synthetic events articles with their notes, built once."""
    path = OUT / f"corpus-events-{n}.db"
    if path.exists():
        return path
    sys.path.insert(0, str(HERE))
    import synthetic
    import throughput

    from rashomon.config import Config
    from rashomon.store import Store

    src = throughput.sources(Config(), [str(throughput.DATA / d / "input.jsonl") for d in ("quotes", "ecbplus", "timex")])
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with Store(tmp) as store:
        batch_a, batch_n = [], []
        for article, notes in synthetic.event_annotated(n, src):
            batch_a.append(article)
            batch_n.append(notes)
            if len(batch_a) >= 1000:
                store.add_articles(batch_a)
                store.save_notes(batch_n)
                batch_a, batch_n = [], []
        if batch_a:
            store.add_articles(batch_a)
            store.save_notes(batch_n)
    tmp.rename(path)
    return path


def pss(root: psutil.Process) -> tuple[int, int]:
    """PSS of ``root`` and of its children (the worker pool), apart."""
    totals = [0, 0]
    for k, p in enumerate([root, *root.children(recursive=True)]):
        try:
            info = p.memory_full_info()
            totals[min(k, 1)] += getattr(info, "pss", info.rss)
        except (psutil.Error, OSError):
            pass
    return totals[0], totals[1]


def measure(n: int, workers: int, src: str) -> dict[str, Any]:
    base = build_store(n)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        db = Path(tmp) / "db.sqlite"
        shutil.copy(base, db)
        env = {**os.environ, "PYTHONPATH": src}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(db), str(Path(tmp) / "out"),
                                 "--workers", str(workers)], env=env, stdout=subprocess.PIPE, text=True)
        watched = psutil.Process(proc.pid)
        state: dict[str, Any] = {"stage": "start-up", "peaks": {}, "parent": {}, "workers": {}, "times": {},
                                 "result": None}
        at = [time.perf_counter()]
        lock = threading.Lock()

        def read() -> None:
            assert proc.stdout is not None  # noqa: S101 - piped above
            for line in proc.stdout:
                if line.startswith("stage "):
                    with lock:
                        now = time.perf_counter()
                        state["times"][state["stage"]] = state["times"].get(state["stage"], 0.0) + now - at[0]
                        at[0] = now
                        state["stage"] = line[6:].strip()
                elif line.startswith("result "):
                    state["result"] = line.split()[1:]

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while proc.poll() is None:
            parent, workers_pss = pss(watched)
            with lock:
                name = state["stage"]
                for key, value in (("peaks", parent + workers_pss), ("parent", parent), ("workers", workers_pss)):
                    state[key][name] = max(state[key].get(name, 0), value)
            time.sleep(0.2)
        reader.join()
        wall = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in (Path(tmp) / "out").glob("*") if p.is_file()}
    if proc.returncode != 0:
        raise SystemExit(f"the measured run failed (exit {proc.returncode})")
    peak = max(state["peaks"].values())
    return {"n": n, "src": src, "workers": workers, "wall_s": round(wall, 1), "peak_mb": round(peak / 2**20),
            "stage_peaks_mb": {k: round(v / 2**20) for k, v in state["peaks"].items()},
            "parent_peaks_mb": {k: round(v / 2**20) for k, v in state["parent"].items()},
            "worker_peaks_mb": {k: round(v / 2**20) for k, v in state["workers"].items()},
            "stage_times_s": {k: round(v, 1) for k, v in state["times"].items()},
            "articles_stories": state["result"], "output_bytes": sizes, "load": os.getloadavg()[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--src", default=str(ROOT / "src"), help="the library to measure (PYTHONPATH of the child)")
    ap.add_argument("--json", default="")
    ap.add_argument("--child", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.workers)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in a.sizes:
        row = measure(n, a.workers, a.src)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if len(rows) >= 2:
        lo, hi = rows[0], rows[-1]
        slope = (hi["peak_mb"] - lo["peak_mb"]) / (hi["n"] - lo["n"])
        const = lo["peak_mb"] - slope * lo["n"]
        print(f"fit: {const:.0f} MB + {slope * 1000:.1f} MB per 1000 articles; projected 100k "
              f"{const + slope * 1e5:.0f} MB, 1M {const + slope * 1e6:.0f} MB", flush=True)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
