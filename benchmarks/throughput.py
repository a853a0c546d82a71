"""Articles per second and peak memory of `rashomon analyze` on a corpus (a fresh store each run).

    .venv/bin/python benchmarks/throughput.py examples/corpus [--workers N] [--repeat 1]

Runs the real CLI in a child process so the figures include start-up, model loading and writing the
outputs, exactly what a user waits for.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    rashomon = Path(sys.executable).with_name("rashomon")
    times = []
    for _ in range(a.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            proc = subprocess.run([str(rashomon), "analyze", *a.inputs, "--out", tmp, "--db", f"{tmp}/db.sqlite",
                                   "--workers", str(a.workers), "--quiet"], capture_output=True, text=True)
            took = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            n = len(json.loads(Path(tmp, "analysis.json").read_text())["articles"])
            times.append(took)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    best = min(times)
    print(f"{n} articles in {best:.1f}s (best of {a.repeat}): {n / best:.1f} articles/s, "
          f"peak memory {peak_mb:.0f} MB, workers {a.workers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
