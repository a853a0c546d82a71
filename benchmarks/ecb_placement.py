"""Story placement on ECB+ again from a store the CLI filled: arrival orders and settings, no re-parsing.

    .venv/bin/rashomon analyze ../shared/data/ecbplus/input.jsonl --out out/ecbplus --db out/ecbplus/db.sqlite --workers 2
    .venv/bin/python benchmarks/ecb_placement.py [out/ecbplus/db.sqlite]

Feeds the stored (cleaned) articles and their notes to fresh ``FamilyIndex`` + ``StoryIndex`` instances,
in input order, in three shuffled orders, and with one setting changed at a time, and prints BCubed F1,
precision and recall against ``../shared/data/ecbplus/gold.json`` (the scorer's definition).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from rashomon.config import Config
from rashomon.group.families import FamilyIndex
from rashomon.group.metrics import bcubed
from rashomon.group.stories import StoryIndex
from rashomon.model import Article, Notes
from rashomon.store import Store

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus" / "gold.json"


def place(articles: list[Article], notes: dict[str, Notes], config: Config) -> dict[str, str]:
    families, stories = FamilyIndex(config), StoryIndex(config)
    for a in articles:
        stories.add(a, notes.get(a.id) or Notes(article_id=a.id), families.add(a))
    return stories.assignments()


def main() -> int:
    db = Path(sys.argv[1] if len(sys.argv) > 1 else "out/ecbplus/db.sqlite")
    if not db.is_file() or not GOLD.is_file():
        print(f"needs {db} (run `rashomon analyze ../shared/data/ecbplus/input.jsonl --out out/ecbplus "
              f"--db {db}` first) and {GOLD}", file=sys.stderr)
        return 2
    gold = json.loads(GOLD.read_text())
    store = Store(db)
    articles = store.articles()
    notes = store.notes([a.id for a in articles])
    by_source = {a.id: a.source_id or a.id for a in articles}

    def score(name: str, config: Config, order: list[Article]) -> None:
        s = place(order, notes, config)
        p, r, f1 = bcubed({by_source[k]: v for k, v in s.items()}, gold)
        print(name, round(f1, 3), round(p, 3), round(r, 3), flush=True)

    score("input order", Config(), articles)
    for seed in (1, 2, 3):
        order = articles[:]
        random.Random(seed).shuffle(order)
        score(f"shuffled (seed {seed})", Config(), order)
    for attach in (0.6, 0.9, 1.0):
        score(f"story_attach {attach}", Config(story_attach=attach), articles)
    for window in (10, 30, 90, 365):
        score(f"story_window_days {window}", Config(story_window_days=window), articles)
    for threshold in (0.12, 0.16):
        score(f"story_threshold {threshold}", Config(story_threshold=threshold), articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
