"""What the parent of the corpus-wide stages holds, stage by stage (the breakdown behind memory_corpus.py).

    PYTHONPATH=src .venv/bin/python benchmarks/memory_breakdown.py out/bench/corpus-events-10000.db

Runs what ``memory_corpus.py``'s child runs (placing, the reduce with its own pool, writing) on a copy of a
store it built, in this process, and prints at each stage boundary the RSS, pymalloc's live bytes and arenas
(``sys._debugmallocstats``) and glibc's heap (``mallinfo2``: live, free, mmapped); the deep sizes of the
reduce's inputs (articles, corpus notes) and of the Analysis it returns (shared objects counted once); and
the peak PSS of this process and of its workers per stage. Linux with glibc only.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

M = 2**20


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                 "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap() -> dict[str, int]:
    """MB: pymalloc's live bytes and arenas, glibc's live, free-held and mmapped bytes."""
    saved = os.dup(2)
    with tempfile.TemporaryFile("w+") as f:
        os.dup2(f.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read()

    def grab(label: str) -> int:
        m = re.search(re.escape(label) + r"\s*=\s*([\d,]+)", text)
        return int(m.group(1).replace(",", "")) if m else -1

    arena = re.search(r"(\d+) arenas \* (\d+) bytes/arena", text)
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = _MallInfo2
    mi = libc.mallinfo2()
    return {"py_live": round(grab("# bytes in allocated blocks") / M),
            "py_arenas": round(int(arena.group(1)) * int(arena.group(2)) / M) if arena else -1,
            "malloc_live": round(mi.uordblks / M), "malloc_free": round(mi.fordblks / M),
            "mmapped": round(mi.hblkhd / M)}


def deep(root: Any, seen: set[int]) -> int:
    """Bytes of everything reachable from ``root`` not in ``seen`` (types, modules and functions left out)."""
    total = 0
    stack = [root]
    skip = (type, type(sys), type(deep), type(len))
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, skip):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        stack.extend(gc.get_referents(o))
    return total


def main(db_src: str, workers: int = 2) -> None:
    from rashomon.config import Config
    from rashomon.report import write_outputs
    from rashomon.run import runner
    from rashomon.run.progress import Silent
    from rashomon.run.runner import analysis_of, assign
    from rashomon.run.workers import Workers
    from rashomon.store import Store

    me = psutil.Process()
    stages: dict[str, Any] = {}
    peaks: dict[str, tuple[int, int]] = {}
    current = ["start"]

    def sample() -> None:
        while True:
            own = me.memory_full_info().pss
            kids = 0
            for c in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    kids += c.memory_full_info().pss
            old = peaks.get(current[0], (0, 0))
            peaks[current[0]] = (max(old[0], own), max(old[1], kids))
            time.sleep(0.3)

    threading.Thread(target=sample, daemon=True).start()

    class Announce(Silent):  # reports each stage, nothing else
        def stage(self, name: str, total: int | None = None) -> None:
            current[0] = name
            stages[name] = {"rss": round(me.memory_info().rss / M), **heap()}
            print("stage", name, stages[name], flush=True)

    sizes: dict[str, Any] = {}
    real = runner.reduce

    def measured(articles: Any, notes: Any, config: Any, **kw: Any) -> Any:
        seen: set[int] = set()
        sizes["in: articles"] = round(deep(articles, seen) / M, 1)
        sizes["in: corpus notes"] = round(deep(notes, seen) / M, 1)
        return real(articles, notes, config, **kw)

    runner.reduce = measured  # type: ignore[assignment]
    progress = Announce()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite"
        shutil.copy(db_src, db)
        config = Config(workers=workers)
        with Store(db) as store:
            with Workers(workers) as pool:
                progress.stage("placing")
                families, stories = assign(config, store, progress, pool)
                ids = [row[0] for row in store.placements()]
            with runner.reduce_workers(workers) as reducer:
                analysis = analysis_of(ids, config, store, None, families, stories, mapper=reducer, progress=progress)
            progress.stage("measuring")
            seen: set[int] = set()
            for name in ("articles", "stories", "entities", "quotes", "claims", "events", "timeline", "differences",
                         "threads"):
                records = getattr(analysis, name)
                sizes[f"out: {name}"] = [len(records), round(deep(records, seen) / M, 1)]
            sizes["out: article texts"] = round(sum(sys.getsizeof(a.text) for a in analysis.articles) / M, 1)
            progress.stage("writing outputs")
            write_outputs(analysis, Path(tmp) / "out")
            progress.stage("end")
    print(json.dumps({"articles": len(ids), "stages": stages, "sizes_mb": sizes,
                      "pss_peaks_mb": {k: [round(a / M), round(b / M)] for k, (a, b) in peaks.items()}}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
