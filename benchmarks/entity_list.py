"""What a reader of an analysis sees first in its entity list and timeline, counted (``first_read.md``, section 7).

    .venv/bin/rashomon analyze ../shared/data/quotes-train/input.jsonl --out out/q840 --db out/q840/db.sqlite
    .venv/bin/python benchmarks/entity_list.py out/q840/analysis.json [--top 40]

Prints, for the analysis:

* the ``--top`` persons by articles (read them: a state, a party or a headline there is a visible error);
* persons whose name the same corpus labels something else more often than a person, counted from the
  analysis' own entities (a person "Florida" beside a place "Florida" in more articles);
* names that more than one entity of one type carries (eighteen "Donald Trump"s);
* persons named by a surname alone next to a person of that surname named in full ("Obama" beside "Barack Obama");
* the timeline's items dated before 1900 (a count or a law's number read as a year: "nearly 1000").
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("analysis", type=Path)
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args()
    data = json.loads(a.analysis.read_text(encoding="utf-8"))
    ents = data["entities"]
    persons = sorted((e for e in ents if e["type"] == "PERSON"), key=lambda e: -len(e["article_ids"]))
    print(f"{len(ents)} entities, {len(persons)} persons")
    print(f"top {a.top} persons:", ", ".join(f"{e['name']} ({len(e['article_ids'])})" for e in persons[:a.top]))
    other = defaultdict(int)
    for e in ents:
        if e["type"] != "PERSON":
            other[e["name"].lower()] += len(e["article_ids"])
    outvoted = [(e["name"], len(e["article_ids"]), other[e["name"].lower()]) for e in persons
                if other[e["name"].lower()] > len(e["article_ids"])]
    print(f"persons named like a non-person entity found in more articles: {len(outvoted)}",
          sorted(outvoted, key=lambda x: -x[1])[:15])
    names = Counter((e["name"], e["type"]) for e in ents)
    shared = sorted(((n, t, k) for (n, t), k in names.items() if k > 1), key=lambda x: -x[2])
    print(f"names carried by more than one entity of a type: {len(shared)}", shared[:10])
    full = defaultdict(list)
    for e in persons:
        words = e["name"].split()
        if len(words) > 1:
            full[words[-1].lower()].append(len(e["article_ids"]))
    alone = [(e["name"], len(e["article_ids"]), max(full[e["name"].lower()])) for e in persons
             if len(e["name"].split()) == 1 and full.get(e["name"].lower())]
    print(f"surname-only persons beside a full name: {len(alone)}", sorted(alone, key=lambda x: -x[1])[:10])
    early = [(t["date"], t["expression"]) for t in data["timeline"] if t.get("date") and t["date"][:4] < "1900"]
    print(f"timeline items dated before 1900: {len(early)}", early[:12])


if __name__ == "__main__":
    main()
