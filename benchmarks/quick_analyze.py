"""Developer shortcut: annotate + reduce a JSONL corpus without ingest/clean/store, write analysis.json.

    .venv/bin/python benchmarks/quick_analyze.py ../shared/data/quotes/input.jsonl out/quotes.json [--limit N]

The real command is `rashomon analyze INPUT --out DIR`; this exists to iterate on one stage quickly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from rashomon.config import Config
from rashomon.model import Article
from rashomon.run.annotate import annotate
from rashomon.run.reduce import reduce


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    arts = []
    for i, line in enumerate(Path(a.jsonl).read_text(encoding="utf-8").splitlines()):
        if a.limit and i >= a.limit:
            break
        r = json.loads(line)
        text = r.get("text") or ""
        aid = "a" + hashlib.sha1(f"{r.get('id')}\n{text}".encode()).hexdigest()[:12]
        arts.append(Article(id=aid, input=a.jsonl, text=text, source_id=r.get("id"), date=r.get("date"),
                            title=r.get("title"), outlet=r.get("outlet"), date_source="metadata" if r.get("date") else None))
    t = time.time()
    notes = {n.article_id: n for n in annotate(arts, Config())}
    t1 = time.time()
    analysis = reduce(arts, notes, Config())
    t2 = time.time()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(analysis.to_contract(), ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(arts)} articles; annotate {t1 - t:.1f}s, reduce {t2 - t1:.1f}s -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
