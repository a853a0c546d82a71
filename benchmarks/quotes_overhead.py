"""What entity and quote extraction cost next to the spaCy parse they read (issue 8's < 30% budget).

    .venv/bin/python benchmarks/quotes_overhead.py ../shared/data/quotes/input.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rashomon.model import Article, Notes
from rashomon.text import geo, nlp
from rashomon.who import names
from rashomon.who.entities import resolve
from rashomon.who.mentions import find_mentions
from rashomon.who.quote_groups import build
from rashomon.who.quotes import find_quotes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.jsonl).read_text(encoding="utf-8").splitlines() if line.strip()]
    arts = [Article(id=str(r["id"]), input=args.jsonl, text=r.get("text") or "") for r in rows]
    nlp.load(), geo.lookup("x"), names.given_gender("Anna"), names.cue_strength("say")  # one-off loads
    t = time.perf_counter()
    docs = list(nlp.parse([a.text for a in arts], batch_size=64))
    parse = time.perf_counter() - t
    t = time.perf_counter()
    mentions = [find_mentions(d, a) for d, a in zip(docs, arts, strict=True)]
    ment = time.perf_counter() - t
    t = time.perf_counter()
    quotes = [find_quotes(d, a, m) for d, a, m in zip(docs, arts, mentions, strict=True)]
    quo = time.perf_counter() - t
    notes = {a.id: Notes(a.id, mentions=m, quotes=q) for a, m, q in zip(arts, mentions, quotes, strict=True)}
    t = time.perf_counter()
    _, index = resolve(arts, notes)
    build(arts, notes, index, {})
    corpus = time.perf_counter() - t
    print(f"{len(arts)} articles, {sum(len(d) for d in docs)} tokens; parse {parse:.2f}s; "
          f"find_mentions {ment:.2f}s ({ment / parse:.0%}); find_quotes {quo:.2f}s ({quo / parse:.0%}); "
          f"resolve+build {corpus:.2f}s")


if __name__ == "__main__":
    main()
