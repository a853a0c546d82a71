"""Wall and CPU seconds of each corpus-wide step, without a profiler, on the synthetic events stream.

    .venv/bin/python benchmarks/stage_times.py 10000 [--every 10000] [--json out/bench/stages-10k.json]

Places N articles of ``synthetic.event_annotated`` (the stream ``throughput.py --corpus-stages`` uses;
sources parsed once and cached by throughput.py) in families and stories, in memory and in one process,
printing the time of each ``--every`` articles so a growing per-article cost shows; then runs
``pipeline.reduce`` and prints each of its steps (entities, quotes, claims, briefs, ...) with the time
Python's garbage collector took inside it, and the stories' size law (the mean story size of an article,
sum of squared sizes / N, drives the story-local work: re-clustering and claim alignment are quadratic
in a story's size). cProfile's overhead falls on Python-level code and hides costs that grow in C
(a sparse transpose sized by the vocabulary was one), so the growth is measured here without it.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import profile_stages  # noqa: E402

from rashomon.config import Config  # noqa: E402
from rashomon.group.families import FamilyIndex  # noqa: E402
from rashomon.group.stories import StoryIndex  # noqa: E402
from rashomon.run import reduce as pipeline  # noqa: E402
from rashomon.run.workers import warm_up  # noqa: E402

STEPS = (("temporal", "infer_dates", "dates"), ("entities", "resolve", "entities"), ("quotes", "build", "quotes"),
         ("temporal", "timeline", "timeline"), ("events", "build", "events"), ("claims", "build", "claims"),
         ("compare", "differences", "differences"), ("story_titles", "describe", "titles"), ("brief", "write", "briefs"))


class Clock:
    """Wall, CPU (all threads) and garbage-collection seconds since it was made."""

    gc_seconds = 0.0
    _started = 0.0

    def __init__(self) -> None:
        self.wall, self.cpu, self.gc = time.perf_counter(), time.process_time(), Clock.gc_seconds

    def read(self) -> dict[str, float]:
        return {"wall_s": time.perf_counter() - self.wall, "cpu_s": time.process_time() - self.cpu,
                "gc_s": Clock.gc_seconds - self.gc}


def _gc_callback(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":
        Clock._started = time.perf_counter()
    else:
        Clock.gc_seconds += time.perf_counter() - Clock._started


def timed_steps() -> dict[str, dict[str, float]]:
    """Wrap each reduce step (as ``pipeline`` calls it) so its time adds up in the returned dict."""
    totals: dict[str, dict[str, float]] = {}
    for module_name, fn_name, label in STEPS:
        module = getattr(pipeline, module_name)
        fn = getattr(module, fn_name)

        def wrapper(*args: Any, _fn: Any = fn, _label: str = label, **kwargs: Any) -> Any:
            clock = Clock()
            try:
                return _fn(*args, **kwargs)
            finally:
                row = totals.setdefault(_label, {"wall_s": 0.0, "cpu_s": 0.0, "gc_s": 0.0, "calls": 0})
                for k, v in clock.read().items():
                    row[k] += v
                row["calls"] += 1

        setattr(module, fn_name, wrapper)
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="articles of the synthetic events stream")
    ap.add_argument("--every", type=int, default=10000, help="print placing times every this many articles")
    ap.add_argument("--json", default="", help="also write the figures to this file")
    a = ap.parse_args()
    config = Config()
    warm_up()
    articles, notes = profile_stages.synthetic_corpus(a.n, config, events=True)
    print(f"{len(articles)} synthetic articles (events stream)", flush=True)
    gc.callbacks.append(_gc_callback)
    out: dict[str, Any] = {"n": len(articles), "placing_blocks": []}

    families, stories = FamilyIndex(config), StoryIndex(config)
    clock, block = Clock(), Clock()
    fam_cpu = story_cpu = 0.0
    for k, article in enumerate(articles, 1):
        c0 = time.process_time()
        family = families.add(article)
        c1 = time.process_time()
        stories.add(article, notes[article.id], family)
        fam_cpu += c1 - c0
        story_cpu += time.process_time() - c1
        if k % a.every == 0 or k == len(articles):
            row = {"upto": k, **block.read()}
            out["placing_blocks"].append(row)
            print(f"  placed {k}: this block {row['wall_s']:.1f} s wall, {row['cpu_s']:.1f} s CPU", flush=True)
            block = Clock()
    out["placing"] = {**clock.read(), "families_cpu_s": round(fam_cpu, 2), "stories_cpu_s": round(story_cpu, 2),
                      "vocabulary": len(stories._df)}
    p = out["placing"]
    print(f"placing: {p['wall_s']:.1f} s wall, {p['cpu_s']:.1f} s CPU (families {fam_cpu:.1f}, stories "
          f"{story_cpu:.1f}), GC {p['gc_s']:.1f} s; story vocabulary {p['vocabulary']}", flush=True)

    story_of = stories.assignments()
    sizes = Counter(story_of.values())
    out["stories"] = {"count": len(sizes), "largest": max(sizes.values()),
                      "mean_size_of_an_article": round(sum(s * s for s in sizes.values()) / len(story_of), 2),
                      "families": len(set(families.assignments().values()))}
    s = out["stories"]
    print(f"stories: {s['count']}, largest {s['largest']}, mean story size of an article "
          f"{s['mean_size_of_an_article']}; families: {s['families']}", flush=True)

    steps = timed_steps()
    clock = Clock()
    pipeline.reduce(articles, notes, config, families=families.assignments(), story_of=story_of)
    out["reduce"] = {**clock.read(), "steps": steps}
    r = out["reduce"]
    print(f"reduce: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, GC {r['gc_s']:.1f} s")
    for label, row in steps.items():
        print(f"  {label:12s} {row['wall_s']:8.1f} s wall {row['cpu_s']:8.1f} s CPU {row['gc_s']:6.1f} s GC "
              f"({int(row['calls'])} calls)")
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak resident memory {out['max_rss_mb']} MB")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(out, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
