"""Size and first paint of the HTML report, in Chromium, on an analysis (ECB+ by default).

    rashomon analyze ../shared/data/ecbplus/input.jsonl --out out/ecbplus --workers 2
    .venv/bin/python benchmarks/report_size.py out/ecbplus/analysis.json

Renders the report folder from the analysis (report.html, stories/*.html, entities.html) and, for
comparison, the one page that holds everything (the layout before the report became a folder); then opens
each page in Debian's Chromium (headless, Playwright, a fresh tab per load, nothing cached) and reads the
first contentful paint from the page's own Paint Timing entries. Prints the figures as a Markdown table
(benchmarks/desk.md keeps them). Budget: report.html under 1 MB, first paint under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rashomon.model import Analysis
from rashomon.report import render_html, write_outputs

CHROMIUM = "/usr/bin/chromium"


def first_paint(paths: list[Path], rounds: int) -> dict[Path, tuple[float, float, int, int]]:
    """Median first contentful paint and load (ms), page height (px) and width at 390 px (px) of each page."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            times, loads = [], []
            for _ in range(rounds):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(path.as_uri())
                paint = None
                while paint is None:  # (wait_for_function evaluates a string: the page's CSP forbids that)
                    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime")
                    time.sleep(0.02)
                times.append(paint)
                page.wait_for_load_state("load")
                loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                height = page.evaluate("document.documentElement.scrollHeight")
                page.close()
            narrow = browser.new_page(viewport={"width": 390, "height": 844})
            narrow.goto(path.as_uri())
            width = narrow.evaluate("document.documentElement.scrollWidth")
            narrow.close()
            out[path] = (statistics.median(times), statistics.median(loads), height, width)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("analysis", type=Path, nargs="?", default=Path("out/ecbplus/analysis.json"))
    parser.add_argument("--out", type=Path, default=None, help="folder for the report (default: a temporary one)")
    parser.add_argument("--rounds", type=int, default=5, help="loads per page (the median is kept)")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="also measure this page (e.g. a report.html written by an older rashomon)")
    args = parser.parse_args()
    analysis = Analysis.from_contract(json.loads(args.analysis.read_text(encoding="utf-8")))
    out = (args.out or Path(tempfile.mkdtemp(prefix="rashomon-report-"))).resolve()
    started = time.perf_counter()
    write_outputs(analysis, out)
    written = time.perf_counter() - started
    single = out / "single-page.html"
    single.write_text(render_html(analysis), encoding="utf-8")
    pages = sorted((out / "stories").glob("*.html"), key=lambda p: p.stat().st_size)
    biggest = pages[-1]
    folder = sum(p.stat().st_size for p in [out / "report.html", out / "entities.html", *pages])
    texts = sum(len(a.text.encode()) for a in analysis.articles)
    others = [p.resolve() for p in args.compare]
    measured = first_paint([out / "report.html", biggest, out / "entities.html", single, *others], args.rounds)
    print(f"{len(analysis.articles)} articles, {len(analysis.stories)} stories, {len(analysis.threads)} threads; "
          f"article texts {texts / 1e6:.2f} MB; report folder written in {written:.1f} s "
          f"({len(pages)} story pages, {folder / 1e6:.2f} MB in all)\n")
    print(f"| page | size | first contentful paint (median of {args.rounds}) | loaded | height at 1280 px "
          f"| width at 390 px |\n| --- | --- | --- | --- | --- | --- |")
    names = {out / "report.html": "report.html (the index)", biggest: f"biggest story page ({biggest.name})",
             out / "entities.html": "entities.html", single: "one page of everything (the layout before)",
             **{p: f"{p} (compared)" for p in others}}
    for path, (paint, load, height, width) in measured.items():
        print(f"| {names[path]} | {path.stat().st_size / 1e6:.3f} MB | {paint / 1000:.3f} s | {load / 1000:.3f} s "
              f"| {height:,} px | {width} px |")


if __name__ == "__main__":
    main()
