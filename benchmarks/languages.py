"""Families and stories across languages, on reports of our own writing (benchmarks/data/languages).

Every file is ``e<N>_<lang>[_<kind>].txt``: ``e<N>_fr`` an original report of event N, ``*_translation`` a
translation of it, ``*_rewrite`` a close, condensed rewrite of it in another language, ``*_independent`` an
independent report of the same event (its own facts, order and quotes). Measured, for every pair of reports
in two different languages:

* translation pairs (original x translation or rewrite): how many become one family (should: all);
* independent same-event pairs: how many become one family (should: none) and one story (should: all);
* unrelated pairs (two events): how many become one family or one story (should: none).

    PYTHONPATH=src python benchmarks/languages.py [--workers 1]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from rashomon.config import Config
from rashomon.group import crossing
from rashomon.run.runner import analyze
from rashomon.store import Store

DATA = Path(__file__).resolve().parent / "data" / "languages"


def kind(a: str, b: str) -> str:
    """translation | independent | unrelated, from two file stems."""
    if a.split("_")[0] != b.split("_")[0]:
        return "unrelated"
    if "independent" in a or "independent" in b:
        return "independent"
    return "translation"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "s.db")) as store:
        t0 = time.perf_counter()
        result = analyze([str(DATA)], Config(workers=args.workers), store)
        seconds = time.perf_counter() - t0
    arts = {Path(a.input).stem: a for a in result.articles}
    counts: dict[str, list[int]] = {}
    misses = []
    for a, b in itertools.combinations(sorted(arts), 2):
        x, y = arts[a], arts[b]
        if x.language == y.language:
            continue
        k = kind(a, b)
        c = counts.setdefault(k, [0, 0, 0])
        c[0] += 1
        c[1] += x.family == y.family
        c[2] += x.story == y.story
        if ((k == "translation") != (x.family == y.family)) or ((k != "unrelated") != (x.story == y.story)):
            score = crossing.translation_score(crossing.anchors(x.text, x.language),
                                               crossing.anchors(y.text, y.language))
            misses.append(f"  {k:12s} {a} x {b}: family {x.family == y.family}, story {x.story == y.story}, "
                          f"anchor score {score:.2f}")
    langs = ", ".join(sorted({a.language or "?" for a in arts.values()}))
    print(f"{len(arts)} reports ({langs}), {len(result.stories)} stories, {seconds:.1f} s")
    for k in ("translation", "independent", "unrelated"):
        n, fam, story = counts.get(k, [0, 0, 0])
        print(f"{k:12s} pairs in two languages: {n:3d}   one family: {fam:3d}   one story: {story:3d}")
    if misses:
        print("not as they should be:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
