"""CPU-time profile of each part of the analysis, in one process, for before/after comparisons.

    .venv/bin/python benchmarks/profile_stages.py [CORPUS] [--parts clean,map,reduce,report]
        [--focus roles.py:nationalise stance.py:_entity_at ...] [--top 25] [--dump out/bench/prof]
        [--notes out/bench/notes.pkl] [--synthetic 1000 [--events]]

The machine is shared, so wall time says little: this profiles with ``time.process_time`` as the timer
(CPU time of this process only) and prints, for each part, its CPU seconds, the functions with the most
own time, and the call counts and cumulative CPU time of the ``--focus`` functions (``file.py:name``
substrings). Parts:

* ``clean``: ``clean.clean`` of every record of CORPUS (default ../shared/data/quotes/input.jsonl);
* ``map``: the spaCy parse alone (``nlp.parse``), then the whole map stage (``annotate.annotate``,
  parse included) in chunks of the batch size, so "map minus parse" is the extractors' cost;
* ``reduce``: ``pipeline.reduce`` over the annotated articles (families, stories, entities, quotes,
  claims, differences, briefs; with ``--placed``, families and stories are placed first, outside the
  profile, as the runner places them while the map stage runs);
* ``report``: rendering report.html and brief.md.

``--notes PATH`` keeps the cleaned articles and their notes in a pickle: the first run writes it, later runs
read it instead of cleaning and annotating again, so profiling ``reduce``/``report`` after a change to them
takes seconds rather than the parse's minute. Delete the file after changing cleaning or the map stage.
``--synthetic N`` profiles ``reduce``/``report`` over N synthetic collages (``--events``: articles of a stream
of events, as ``throughput.py --corpus-stages`` uses; benchmarks/synthetic.py, the
sources parsed once and cached by throughput.py) instead of CORPUS, to see how the corpus-wide stages scale.

Everything is loaded and warmed up (one invented article through clean and annotate) before profiling.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pickle
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from rashomon.config import Config
from rashomon.group.families import FamilyIndex
from rashomon.group.stories import StoryIndex
from rashomon.model import Article, RawDocument
from rashomon.read.clean import clean
from rashomon.read.ingest import iter_inputs
from rashomon.run.annotate import annotate
from rashomon.run.reduce import reduce
from rashomon.run.workers import warm_up
from rashomon.text import nlp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


PLAIN = False  # --plain: CPU time only, no profiler (whose overhead falls mostly on Python-level code)


def profiled(fn: Any, *args: Any) -> tuple[Any, float, pstats.Stats]:
    """``fn(*args)`` under cProfile with CPU time as the clock; (result, CPU seconds, stats)."""
    prof = cProfile.Profile(time.process_time)
    start = time.process_time()
    result = fn(*args) if PLAIN else prof.runcall(fn, *args)
    took = time.process_time() - start
    if PLAIN:
        prof.runcall(int)  # an empty profile, so the reporting code needs no special case
    return result, took, pstats.Stats(prof, stream=io.StringIO())


def focus_rows(stats: pstats.Stats, patterns: list[str]) -> list[tuple[str, int, float, float]]:
    """(function, calls, own CPU s, cumulative CPU s) for every profiled function matching a pattern."""
    rows = []
    for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        label = f"{Path(file).name}:{name}"
        if any(p in label for p in patterns):
            rows.append((f"{label}:{line}", nc, tt, ct))
    return sorted(rows, key=lambda r: -r[3])


def top_rows(stats: pstats.Stats, n: int) -> list[tuple[str, int, float, float]]:
    rows = [(f"{Path(f).name}:{name}:{line}", nc, tt, ct)
            for (f, line, name), (_cc, nc, tt, ct, _c) in stats.stats.items()]  # type: ignore[attr-defined]
    return sorted(rows, key=lambda r: -r[2])[:n]


def show(title: str, took: float, stats: pstats.Stats, focus: list[str], top: int,
         callers: list[str] | None = None) -> None:
    print(f"\n== {title}: {took:.2f} s CPU")
    if focus:
        rows = focus_rows(stats, focus)
        if rows:
            print("  focus (calls, own s, cumulative s):")
            for name, nc, tt, ct in rows:
                print(f"    {name:60s} {nc:9d} {tt:8.3f} {ct:8.3f}")
    if top:
        print(f"  top {top} by own CPU time (calls, own s, cumulative s):")
        for name, nc, tt, ct in top_rows(stats, top):
            print(f"    {name:60s} {nc:9d} {tt:8.3f} {ct:8.3f}")
    for pattern in callers or ():
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_callers(pattern, 12)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def annotate_all(articles: list[Article], config: Config) -> dict[str, Any]:
    out = {}
    for i in range(0, len(articles), config.batch_size):
        for n in annotate(articles[i:i + config.batch_size], config):
            out[n.article_id] = n
    return out


def parse_all(texts: list[str], config: Config) -> int:
    return sum(1 for _ in nlp.parse(texts, batch_size=config.batch_size))


def synthetic_corpus(n: int, config: Config, events: bool = False) -> tuple[list[Article], dict[str, Any]]:
    """``n`` synthetic collages (with ``events``: articles of a stream of events) with notes assembled from
    their parsed sources (no parsing of their own)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import synthetic
    import throughput

    pool = [str(DATA / d / "input.jsonl") for d in ("quotes", "ecbplus", "timex")]
    articles, notes = [], {}
    make = synthetic.event_annotated if events else synthetic.annotated
    for article, note in make(n, throughput.sources(config, pool)):
        articles.append(article)
        notes[article.id] = note
    return articles, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DATA / "quotes" / "input.jsonl"))
    ap.add_argument("--parts", default="clean,map,reduce,report")
    ap.add_argument("--focus", nargs="*", default=[])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--plain", action="store_true", help="CPU seconds only, without the profiler's overhead")
    ap.add_argument("--callers", nargs="*", default=[], help="also print who calls these functions")
    ap.add_argument("--dump", default="", help="directory to write each part's .prof file to")
    ap.add_argument("--notes", default="", help="pickle of the articles and notes to reuse (written if absent)")
    ap.add_argument("--placed", action="store_true",
                    help="place articles in families and stories before profiling reduce (as the runner does)")
    ap.add_argument("--synthetic", type=int, default=0, help="N synthetic articles instead of CORPUS (reduce, report)")
    ap.add_argument("--events", action="store_true",
                    help="with --synthetic: a stream of events (as throughput.py --corpus-stages), not collages")
    a = ap.parse_args()
    global PLAIN
    PLAIN = a.plain
    parts = set(a.parts.split(","))
    config = Config()
    warm_up()
    results: dict[str, tuple[float, pstats.Stats]] = {}
    saved = Path(a.notes) if a.notes else None
    if saved is not None and saved.exists() and not parts & {"clean", "map"}:
        articles, notes = pickle.loads(saved.read_bytes())  # noqa: S301 - our own file
        print(f"{len(articles)} articles and their notes from {saved}")
    elif a.synthetic:
        articles, notes = synthetic_corpus(a.synthetic, config, a.events)
        print(f"{len(articles)} synthetic articles")
        if saved is not None:
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_bytes(pickle.dumps((articles, notes)))
    else:
        raws = [x for x in iter_inputs([a.corpus], config) if isinstance(x, RawDocument)]
        cleaned, took, stats = profiled(lambda: [clean(r, config) for r in raws])
        articles = [x for x in cleaned if isinstance(x, Article)]
        print(f"{len(raws)} records, {len(articles)} articles from {a.corpus}")
        if "clean" in parts:
            results["clean"] = (took, stats)
            show("clean", took, stats, a.focus, a.top, a.callers)
        if parts & {"map", "reduce", "report"}:
            if "map" in parts:
                _, took, stats = profiled(parse_all, [x.text for x in articles], config)
                show("parse alone (nlp.parse)", took, stats, [], 0)
                parse_s = took
            notes, took, stats = profiled(annotate_all, articles, config)
            if "map" in parts:
                results["map"] = (took, stats)
                show(f"map stage (annotate; beyond the parse: {took - parse_s:.2f} s = "
                     f"{100 * (took - parse_s) / parse_s:.0f} % of it)", took, stats, a.focus, a.top, a.callers)
            if saved is not None:
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_bytes(pickle.dumps((articles, notes)))
    if parts & {"reduce", "report"}:
        placed: dict[str, Any] = {}
        if a.placed:  # as the runner does: articles placed while they are parsed, before the reduce
            families = FamilyIndex(config)
            story_index = StoryIndex(config)
            for x in articles:
                story_index.add(x, notes[x.id], families.add(x))
            placed = {"families": families.assignments(), "story_of": story_index.assignments()}
        analysis, took, stats = profiled(lambda: reduce(articles, notes, config, **placed))
        if "reduce" in parts:
            results["reduce"] = (took, stats)
            show("reduce", took, stats, a.focus, a.top, a.callers)
    if "report" in parts:
        from rashomon.report import render_markdown, render_report

        _, took, stats = profiled(lambda: (render_report(analysis), render_markdown(analysis)))
        results["report"] = (took, stats)
        show("report (html + markdown)", took, stats, a.focus, a.top, a.callers)
    if a.dump:
        Path(a.dump).mkdir(parents=True, exist_ok=True)
        for name, (_, stats) in results.items():
            stats.dump_stats(str(Path(a.dump) / f"{name}.prof"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
