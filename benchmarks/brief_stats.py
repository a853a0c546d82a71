"""Figures for claims, differences and briefs in an analysis.json (there is no gold standard for them).

    .venv/bin/python benchmarks/brief_stats.py out/seeds/analysis.json [--db out/seeds/db.sqlite]

Re-checks every brief sentence against the articles it cites with the support checker (independently of
the run that wrote it), and counts claims by status, differences by kind, sentences and citations. With
``--db`` the check splits the articles into sentences as the run did (from the stored parse); without it,
a plain split that can cut a sentence the parser kept whole.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from rashomon.agree import support
from rashomon.model import Article, from_data


def main() -> int:
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    articles = {a["id"]: from_data(Article, a) for a in data["articles"]}
    notes = {}
    if "--db" in sys.argv:
        from rashomon.store import Store

        with Store(sys.argv[sys.argv.index("--db") + 1]) as store:
            notes = store.notes(list(articles))
    stories = data["stories"]
    sentences = [s for st in stories for s in st["brief"]]
    t = time.time()
    failed = [s for s in sentences
              if not support.check(s["text"], [articles[i] for i in s["article_ids"]], notes).ok]
    took = time.time() - t
    multi = [st for st in stories if st["independent_sources"] >= 2]
    print(f"articles {len(articles)}  stories {len(stories)} ({len(multi)} with 2+ independent sources)")
    print(f"brief sentences {len(sentences)}  per story {len(sentences) / max(1, len(stories)):.1f}  "
          f"stories without a brief {sum(1 for st in stories if not st['brief'])}")
    print(f"citations per sentence {sum(len(s['article_ids']) for s in sentences) / max(1, len(sentences)):.2f}  "
          f"sentences citing 2+ articles {sum(1 for s in sentences if len(s['article_ids']) > 1)}")
    print(f"support re-check: {len(sentences) - len(failed)}/{len(sentences)} pass ({took:.1f}s)")
    for s in failed[:5]:
        print("  FAIL", s["text"][:120])
    claims = Counter(c["status"] for c in data["claims"])
    print("claims", len(data["claims"]), dict(claims))
    print("claims with figures", sum(1 for c in data["claims"] if c["values"]),
          " corroborated by 3+ families", sum(1 for c in data["claims"] if c["families"] >= 3))
    print("differences", dict(Counter(d["kind"] for d in data["differences"])))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
