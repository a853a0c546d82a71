"""Cost of the time and event extractors against the spaCy parse they read (issue 8: the map stage may
cost at most 30% beyond the parse, all extractors together).

    .venv/bin/python benchmarks/time_events.py ../shared/data/timex/input.jsonl [--limit N]

Prints seconds for the parse, temporal.find_times and events.find_events (entity mentions are computed
first, as annotate does, but not counted) and their share of the parse time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rashomon.model import Article
from rashomon.text import nlp
from rashomon.what import events
from rashomon.when import times as temporal
from rashomon.who import mentions as entities


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    rows = [json.loads(line) for line in Path(a.jsonl).read_text(encoding="utf-8").splitlines() if line.strip()]
    if a.limit:
        rows = rows[: a.limit]
    arts = [Article(id=str(i), input=a.jsonl, text=r.get("text") or "", date=r.get("date")) for i, r in enumerate(rows)]
    pipeline = nlp.load()
    pipeline("warm up")
    t0 = time.perf_counter()
    docs = list(pipeline.pipe((x.text for x in arts), batch_size=32))
    parse = time.perf_counter() - t0
    mentions = [entities.find_mentions(d, x) for d, x in zip(docs, arts, strict=True)]
    t0 = time.perf_counter()
    times = [temporal.find_times(d, x) for d, x in zip(docs, arts, strict=True)]
    t_times = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d, x, m, t in zip(docs, arts, mentions, times, strict=True):
        events.find_events(d, x, m, t)
    t_events = time.perf_counter() - t0
    chars = sum(len(x.text) for x in arts)
    print(f"{len(arts)} articles, {chars} characters")
    print(f"parse       {parse:7.2f}s")
    print(f"find_times  {t_times:7.2f}s  {100 * t_times / parse:5.1f}% of the parse")
    print(f"find_events {t_events:7.2f}s  {100 * t_events / parse:5.1f}% of the parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
