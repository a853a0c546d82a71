"""How the whole ``rashomon analyze`` scales with worker processes, against a bare spaCy pass scaled the same way,
as a user times it (fresh processes, start-up included, a fresh store each run), with the parent process's
CPU, which bounds the scaling (Amdahl): with ``p`` seconds of parent CPU per article and ``w`` seconds of
worker CPU per article, the workers can be kept busy up to about ``w / p`` of them. Where placing runs in a
process of its own (``rashomon-placer``, with a pool of workers), ``p`` is the busier of the two.

    .venv/bin/python benchmarks/scaling.py CORPUS --workers 1,2 [--json out/bench/scaling.json]

Used here on 2 cores and on a 16-core machine (``--workers 2,8,16``; see benchmarks/throughput.md). Also
times one article end to end against loading the spaCy model (``--one``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from usertime import BARE, bytecode_ready, timed  # noqa: E402


def texts_of(corpus: Path) -> list[str]:
    return [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]


def rashomon(corpus: Path, folder: Path, workers: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "rashomon", "analyze", str(corpus),  # the console script's entry
           "--out", str(folder), "--db", str(folder / "store.db"), "--quiet"]
    return timed(cmd + (["--workers", workers] if workers != "auto" else []))


def bare(texts_file: Path, n: int, count: int, batch: int = 64) -> dict[str, Any]:
    per = max(4, min(batch, -(-count // max(1, n * 4))))  # rashomon's chunk size (run/workers.chunk_sizes)
    return timed([sys.executable, "-c", BARE, str(texts_file), str(n), str(per)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", default="1,2", help="comma-separated counts; 'auto' for rashomon's default")
    ap.add_argument("--one", action="store_true", help="also one article end to end against loading spaCy")
    ap.add_argument("--json", type=Path, default=Path("out/bench/scaling.json"))
    args = ap.parse_args()
    texts = texts_of(args.corpus)
    bytecode_ready()
    report: dict[str, Any] = {"corpus": str(args.corpus), "articles": len(texts), "cpus": os.cpu_count(),
                              "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts_file = folder / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        if args.one:
            one = folder / "one.jsonl"
            first = json.loads(args.corpus.read_text(encoding="utf-8").splitlines()[0])
            one.write_text(json.dumps({"id": "one", "text": first["text"]}) + "\n", encoding="utf-8")
            (folder / "none.json").write_text("[]", encoding="utf-8")
            ours = rashomon(one, folder / "one", "auto")
            load = timed([sys.executable, "-c", BARE, str(folder / "none.json"), "1", "1"])
            report["one_article"] = {"rashomon_s": ours["seconds"], "spacy_load_s": load["seconds"]}
            print(f"one article: rashomon analyze {ours['seconds']:.2f}s, loading spaCy {load['seconds']:.2f}s "
                  f"(+{ours['seconds'] - load['seconds']:.2f}s)", flush=True)
        for workers in args.workers.split(","):
            ours = rashomon(args.corpus, folder / f"w{workers}", workers)
            row: dict[str, Any] = {"workers": workers, "rashomon_s": ours["seconds"],
                                   "parent_cpu_s": ours["parent_cpu"], "cpu_s": ours["cpu"]}
            if workers != "auto":
                n = int(workers)
                base = bare(texts_file, n, len(texts))
                row.update(bare_s=base["seconds"], bare_cpu_s=base["cpu"], ratio=ours["seconds"] / base["seconds"])
            # the run's process and its placing process (where placing runs apart) each work through every
            # article once, serially: the busier of the two bounds the workers (Amdahl: w/p)
            worker_cpu = max(0.0, ours["cpu"] - ours["parent_cpu"] - ours["placer_cpu"])
            serial = max(ours["parent_cpu"], ours["placer_cpu"])
            row.update(placer_cpu_s=ours["placer_cpu"],
                       parent_ms_per_article=1000 * ours["parent_cpu"] / len(texts),
                       placer_ms_per_article=1000 * ours["placer_cpu"] / len(texts),
                       saturates_at=worker_cpu / max(1e-9, serial))
            report["runs"].append(row)
            print(f"workers {workers}: rashomon {ours['seconds']:.1f}s" +
                  (f", bare nlp.pipe {row['bare_s']:.1f}s, x{row['ratio']:.2f}" if "bare_s" in row else "") +
                  f"; parent CPU {ours['parent_cpu']:.1f}s ({row['parent_ms_per_article']:.0f} ms/article), "
                  f"placing process {ours['placer_cpu']:.1f}s ({row['placer_ms_per_article']:.0f} ms/article), "
                  f"workers' CPU {worker_cpu:.1f}s: saturated at ~{row['saturates_at']:.0f} workers",
                  flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
