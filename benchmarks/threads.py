"""Choosing the thread threshold on ECB+: which story pairs the threads link, against the gold events.

ECB+ holds 20 topics, each with two different real-world events of one kind (two rehab check-ins, two
earthquakes); rashomon's stories are its clusters of the 462 articles. For every pair of stories that the
threads put in one thread (rashomon.group.threads), by the gold event of each story's articles:

* **same event** — the clustering split one gold event into two stories: a thread should join them;
* **same topic, other event** — two events of one kind and often one cast (the second trial of one
  defendant): a thread may join them, not counted either way;
* **other topic** — a thread must never join these.

    .venv/bin/python benchmarks/threads.py out/ecbplus/analysis.json ../shared/data/ecbplus/gold.json

prints, per threshold and minimum of shared names, the linked pairs of each kind and the threads, so the
chosen defaults can be checked (benchmarks/desk.md has the figures).
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from pathlib import Path

from rashomon.group import threads
from rashomon.model import Analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("analysis", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--thresholds", default="0.10,0.15,0.20,0.25,0.30,0.35,0.40,0.50")
    parser.add_argument("--min-names", default="1,2,3")
    parser.add_argument("--show", action="store_true", help="list the threads at the defaults")
    args = parser.parse_args()
    analysis = Analysis.from_contract(json.loads(args.analysis.read_text(encoding="utf-8")))
    gold: dict[str, str] = json.loads(args.gold.read_text(encoding="utf-8"))
    event = {}
    for s in analysis.stories:
        votes = Counter(gold[a] for a in s.article_ids if a in gold)
        event[s.id] = votes.most_common(1)[0][0] if votes else None
    topic = {sid: (e or "").replace("ecbplus", "").replace("ecb", "") for sid, e in event.items()}
    facts = threads.facts(analysis.stories, analysis.entities)
    split = sum(1 for a, b in itertools.combinations(analysis.stories, 2) if event[a.id] and event[a.id] == event[b.id])
    print(f"{len(analysis.stories)} stories, {len(set(event.values()))} gold events; "
          f"{split} story pairs are one gold event split in two")
    print("threshold  min_names  threads  stories  same-event  same-topic  other-topic")
    for t in (float(x) for x in args.thresholds.split(",")):
        for m in (int(x) for x in args.min_names.split(",")):
            found = threads.link(facts, threshold=t, min_names=m)
            kinds: Counter[str] = Counter()
            for th in found:
                for a, b in itertools.combinations(th.story_ids, 2):
                    kinds["same-event" if event[a] == event[b] else
                          "same-topic" if topic[a] == topic[b] else "other-topic"] += 1
            flag = "  <- default" if (t, m) == (threads.THRESHOLD, threads.MIN_NAMES) else ""
            print(f"{t:9.2f}  {m:9d}  {len(found):7d}  {sum(len(x.story_ids) for x in found):7d}  "
                  f"{kinds['same-event']:10d}  {kinds['same-topic']:10d}  {kinds['other-topic']:11d}{flag}")
    if args.show:
        titles = {s.id: s.title for s in analysis.stories}
        for th in threads.link(facts):
            print(f"\n{th.id}  {th.title}  {th.date_range}")
            for sid in th.story_ids:
                print(f"   {event[sid]:>10}  {titles[sid][:90]}")


if __name__ == "__main__":
    main()
