"""The field's article extractors side by side on ../shared/data/extraction (ScrapingHub benchmark pages),
each scored by ../shared/tools/score.py's own 4-gram measure, on two fixed halves of the pages.

    .venv/bin/python benchmarks/extractors.py [--only NAME,NAME] [--fresh] [--data DIR] [--out DIR]

The halves are fixed by a hash of each page's id (``half``), not by anything in the page: anything fitted
or chosen on these pages (which extractors to combine, a threshold) is chosen on one half and read on the
other, and the other way round, so a figure on the half it was chosen on is never taken for a result.

Printed, in order:

1. every extractor's F1 on half A, half B and all pages, and CPU milliseconds per page (each extractor's text
   is cached in ``OUT/NAME.json``; ``--fresh`` re-runs them). ``rashomon`` is the whole HTML path
   (extraction with the agreement check, then cleaning), ``rashomon_trafilatura_only`` the same path with
   no voters. ``rs_trafilatura`` and the other published peers are read from gold.json, scored the same
   way: rs-trafilatura has no wheel for this platform and builds only with crates.io, so it cannot run here;
2. the agreement check's two thresholds (``rashomon.read.extract.choose``) fitted on one half and read on the
   other, both ways, next to the shipped values;
   then the same for the link-line filter's threshold (``rashomon.read.extract.drop_link_lines``);
3. the same check, at the shipped thresholds, applied to each published extractor's output as the primary:
   whether it helps extractors that fail in other ways than trafilatura, and leaves good ones alone;
4. faults injected into the primary on every page (cut short, empty, the whole page, the wrong end) and
   how much of the loss the check wins back.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PEERS = ("rs_trafilatura", "trafilatura", "go_trafilatura", "readability", "AutoExtract", "Diffbot", "newspaper",
         "justext", "boilerpipe", "goose3")


def half(page_id: str) -> str:
    """'A' or 'B': a fixed split by a hash of the page id (salted, so it is not the id's own first bit)."""
    return "AB"[hashlib.sha256(b"rashomon-extraction-half:" + page_id.encode()).digest()[0] & 1]


def scorer(path: Path | None = None) -> Any:
    """The shared scorer module itself (its ``prf`` and ``f1_of``), so every figure is computed its way."""
    path = path or SHARED / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("rashomon_shared_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(data: Path) -> tuple[list[dict[str, str]], dict[str, str], dict[str, dict[str, str]]]:
    pages = [json.loads(line) for line in (data / "input.jsonl").open(encoding="utf-8") if line.strip()]
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    return pages, gold["truth"], gold.get("peers", {})


# ------------------------------------------------------------------------------------------ extractors


def _trafilatura(precision: bool = False, recall: bool = False, fast: bool = False) -> Callable[[str, str | None], str]:
    def run(html: str, url: str | None) -> str:
        import trafilatura

        return trafilatura.extract(html, url=url, include_comments=False, include_tables=True, fast=fast,
                                   favor_precision=precision, favor_recall=recall) or ""
    return run


def _resiliparse(html: str, url: str | None) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True, preserve_formatting=True, list_bullets=False,
                              alt_texts=False, links=False, form_fields=False, noscript=False, comments=False)


def _readability(html: str, url: str | None) -> str:
    from readability import Document

    from rashomon.read.extract import html_fragment_text

    return html_fragment_text(Document(html).summary(html_partial=True))


def _justext(html: str, url: str | None) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _rashomon(voters: dict[str, Any] | None) -> Callable[[str, str | None], str]:
    """What `rashomon analyze` makes of a page (HTML reading as in ingest, then cleaning); ``voters={}``
    is trafilatura alone, the path before the extractors were combined."""
    def run(html: str, url: str | None) -> str:
        from rashomon.model import Article, RawDocument
        from rashomon.read.clean import clean
        from rashomon.read.extract import extract_html

        page = extract_html(html, url=url, voters=voters)
        if page is None or not page.text.strip():
            return ""
        art = clean(RawDocument(input="page.html", text=page.text, kind="html", title=page.title,
                                date=page.date, outlet=page.outlet, url=page.url, from_html=True))
        return art.text if isinstance(art, Article) else ""
    return run


EXTRACTORS: dict[str, Callable[[str, str | None], str]] = {
    "trafilatura": _trafilatura(),
    "trafilatura_fast": _trafilatura(fast=True),
    "trafilatura_precision": _trafilatura(precision=True),
    "trafilatura_precision_fast": _trafilatura(precision=True, fast=True),
    "trafilatura_recall": _trafilatura(recall=True),
    "trafilatura_recall_fast": _trafilatura(recall=True, fast=True),
    "resiliparse": _resiliparse,
    "readability_lxml": _readability,
    "justext": _justext,
    "rashomon_trafilatura_only": _rashomon({}),
    "rashomon": _rashomon(None),
}


def run_extractor(name: str, pages: list[dict[str, str]], out: Path, fresh: bool) -> tuple[dict[str, str], float]:
    """Texts by page id and CPU milliseconds per page (cached with the timing it took). CPU time, not wall
    time: the extractors are single-threaded, and on a shared machine wall time measures the neighbours."""
    path = out / f"{name}.json"
    if path.exists() and not fresh:
        cached = json.loads(path.read_text(encoding="utf-8"))
        return cached["texts"], cached["ms_per_page"]
    fn = EXTRACTORS[name]
    texts: dict[str, str] = {}
    start = time.process_time()
    for page in pages:
        try:
            texts[page["id"]] = fn(page["html"], page.get("url")) or ""
        except Exception as exc:  # noqa: BLE001 - an extractor failing on one page scores zero there
            print(f"  {name} failed on {page['id'][:12]}: {type(exc).__name__}: {exc}", file=sys.stderr)
            texts[page["id"]] = ""
    ms = 1000 * (time.process_time() - start) / max(1, len(pages))
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"texts": texts, "ms_per_page": ms}, ensure_ascii=False), encoding="utf-8")
    return texts, ms


_PRF: dict[tuple[str, int], tuple[float, float]] = {}


def halves_f1(score: Any, truth: dict[str, str], texts: dict[str, str]) -> dict[str, float]:
    """F1 (the scorer's: mean precision and mean recall over pages, then their F1) on A, B and all pages."""
    pairs = {}
    for k in truth:
        key = (k, hash(texts.get(k, "")))
        if key not in _PRF:
            _PRF[key] = score.prf(truth[k], texts.get(k, ""))
        pairs[k] = _PRF[key]
    result = {}
    for name, keys in (("A", [k for k in truth if half(k) == "A"]), ("B", [k for k in truth if half(k) == "B"]),
                       ("all", list(truth))):
        try:
            result[name] = score.f1_of([pairs[k] for k in keys])
        except ZeroDivisionError:  # nothing right anywhere: precision and recall both 0
            result[name] = 0.0
    return result


def table(rows: Iterable[tuple[str, dict[str, float], float | None]]) -> str:
    lines = ["| extractor | half A | half B | all | CPU ms/page |", "| --- | --- | --- | --- | --- |"]
    for name, f, ms in rows:
        lines.append(f"| {name} | {f['A']:.3f} | {f['B']:.3f} | {f['all']:.3f} | {'' if ms is None else f'{ms:.0f}'} |")
    return "\n".join(lines)


VOTER_NAMES = ("trafilatura_fast", "readability_lxml", "resiliparse")  # the cached runs of rashomon.read.extract.VOTERS
GRID = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def guarded(primary: dict[str, str], voters: dict[str, dict[str, str]], min_recall: float,
            min_precision: float) -> dict[str, str]:
    """rashomon.read.extract.choose applied page by page to cached texts."""
    from rashomon.read.extract import choose

    return {k: choose(primary.get(k, ""), {n: v.get(k, "") for n, v in voters.items()}, min_recall,
                      min_precision).text for k in primary}


def crossfit(score: Any, truth: dict[str, str], primary: dict[str, str],
             voters: dict[str, dict[str, str]]) -> list[str]:
    """The two thresholds of the agreement check chosen on one half and read on the other, both ways.
    Ties go to the smaller thresholds (the check intervening less)."""
    from rashomon.read.extract import MIN_PRECISION, MIN_RECALL

    table = {(r, p): halves_f1(score, truth, guarded(primary, voters, r, p)) for r in GRID for p in GRID}
    alone = halves_f1(score, truth, primary)
    lines = [f"primary alone: A {alone['A']:.3f}, B {alone['B']:.3f}"]
    for fit, test in (("A", "B"), ("B", "A")):
        best = max(table, key=lambda g: (round(table[g][fit], 6), -g[0], -g[1]))
        lines.append(f"fitted on {fit}: min_recall {best[0]}, min_precision {best[1]}: {fit} {table[best][fit]:.3f}"
                     f" (tuned), {test} {table[best][test]:.3f} (held out; primary alone {alone[test]:.3f})")
    d = table[(MIN_RECALL, MIN_PRECISION)]
    lines.append(f"shipped defaults ({MIN_RECALL}, {MIN_PRECISION}): A {d['A']:.3f}, B {d['B']:.3f}, all {d['all']:.3f}")
    return lines


def crossfit_links(score: Any, truth: dict[str, str], pages: list[dict[str, str]],
                   primary: dict[str, str]) -> list[str]:
    """The link-line filter's threshold (rashomon.read.extract.drop_link_lines) chosen on one half, read on the
    other; 1.01 turns it off. Ties go to the higher threshold (the filter dropping less)."""
    from rashomon.read.extract import MAX_LINK_DENSITY, drop_link_lines

    html = {p["id"]: p["html"] for p in pages}
    grid = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.01)
    table = {t: halves_f1(score, truth, {k: drop_link_lines(v, html[k], t) for k, v in primary.items()})
             for t in grid}
    lines = [f"primary alone: A {table[1.01]['A']:.4f}, B {table[1.01]['B']:.4f}"]
    for fit, test in (("A", "B"), ("B", "A")):
        best = max(grid, key=lambda t: (round(table[t][fit], 6), t))
        lines.append(f"fitted on {fit}: max_density {best}: {fit} {table[best][fit]:.4f} (tuned), "
                     f"{test} {table[best][test]:.4f} (held out; primary alone {table[1.01][test]:.4f})")
    lines.append("every threshold: " + ", ".join(f"{t}: A {table[t]['A']:.4f} B {table[t]['B']:.4f}" for t in grid[:-1]))
    d = halves_f1(score, truth, {k: drop_link_lines(v, html[k], MAX_LINK_DENSITY) for k, v in primary.items()})
    lines.append(f"shipped {MAX_LINK_DENSITY}: A {d['A']:.4f}, B {d['B']:.4f}, all {d['all']:.4f}")
    return lines


def base_swap(score: Any, truth: dict[str, str], pages: list[dict[str, str]], peers: dict[str, dict[str, str]],
              voters: dict[str, dict[str, str]]) -> str:
    """Each published extractor as the primary, checked by the same three voters at the shipped thresholds,
    then with the link-line filter too: do they help extractors that fail differently from trafilatura,
    and leave good ones alone?"""
    from rashomon.read.extract import MIN_PRECISION, MIN_RECALL, drop_link_lines

    html = {p["id"]: p["html"] for p in pages}
    rows = ["| primary (published output) | alone A | alone B | checked A | checked B | + link filter A | + link filter B |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in sorted(peers, key=lambda n: -halves_f1(score, truth, peers[n])["all"]):
        a = halves_f1(score, truth, peers[name])
        checked = guarded(peers[name], voters, MIN_RECALL, MIN_PRECISION)
        b = halves_f1(score, truth, checked)
        c = halves_f1(score, truth, {k: drop_link_lines(v, html.get(k, "")) for k, v in checked.items()})
        rows.append(f"| {name} | {a['A']:.3f} | {a['B']:.3f} | {b['A']:.3f} | {b['B']:.3f} | {c['A']:.3f} | {c['B']:.3f} |")
    return "\n".join(rows)


def faults(score: Any, truth: dict[str, str], pages: list[dict[str, str]], primary: dict[str, str],
           voters: dict[str, dict[str, str]]) -> str:
    """Failures of the primary injected on purpose, page by page, and what the check makes of them: cut
    to its first 30% of lines, nothing at all, the whole page's text (menus, comments and all), or only
    its last 30% of lines (the wrong end of a page)."""
    from resiliparse.extract.html2text import extract_plain_text

    from rashomon.read.extract import MIN_PRECISION, MIN_RECALL

    def cut(text: str, head: bool) -> str:
        lines = [x for x in text.split("\n") if x.strip()]
        n = max(1, round(0.3 * len(lines)))
        return "\n".join(lines[:n] if head else lines[-n:])

    whole = {p["id"]: extract_plain_text(p["html"], main_content=False, preserve_formatting=True) for p in pages}
    broken = {
        "none": primary,
        "first 30% of lines": {k: cut(t, True) for k, t in primary.items()},
        "last 30% of lines": {k: cut(t, False) for k, t in primary.items()},
        "empty": {k: "" for k in primary},
        "whole page text": {k: whole.get(k, "") for k in primary},
    }
    rows = ["| primary's fault | alone A | alone B | checked A | checked B |", "| --- | --- | --- | --- | --- |"]
    for name, texts in broken.items():
        a = halves_f1(score, truth, texts)
        b = halves_f1(score, truth, guarded(texts, voters, MIN_RECALL, MIN_PRECISION))
        rows.append(f"| {name} | {a['A']:.3f} | {a['B']:.3f} | {b['A']:.3f} | {b['B']:.3f} |")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(SHARED / "data" / "extraction"))
    ap.add_argument("--out", default=str(ROOT / "out" / "extractors"))
    ap.add_argument("--only", default="", help="comma-separated extractor names (default: all)")
    ap.add_argument("--fresh", action="store_true", help="re-run extractors even when cached")
    a = ap.parse_args()
    pages, truth, peers = load_pages(Path(a.data))
    score = scorer()
    names = [n for n in a.only.split(",") if n] or list(EXTRACTORS)
    counts = {h: sum(half(k) == h for k in truth) for h in "AB"}
    print(f"{len(truth)} pages: half A {counts['A']}, half B {counts['B']}")
    rows = []
    for name in names:
        texts, ms = run_extractor(name, pages, Path(a.out), a.fresh)
        rows.append((name, halves_f1(score, truth, texts), ms))
    for name in PEERS:
        if name in peers:
            rows.append((f"{name} (published output)", halves_f1(score, truth, peers[name]), None))
    print(table(rows))
    if not a.only:
        texts = {n: run_extractor(n, pages, Path(a.out), False)[0] for n in ("trafilatura_precision", *VOTER_NAMES)}
        voters = {n: texts[n] for n in VOTER_NAMES}
        print("\nAgreement check, thresholds cross-fitted (primary: trafilatura precision; voters: "
              + ", ".join(VOTER_NAMES) + ")")
        print("\n".join(crossfit(score, truth, texts["trafilatura_precision"], voters)))
        print("\nLink-line filter, threshold cross-fitted (on trafilatura precision's text)")
        print("\n".join(crossfit_links(score, truth, pages, texts["trafilatura_precision"])))
        print("\nThe same check on other extractors' published output\n")
        print(base_swap(score, truth, pages, peers, voters))
        print("\nFaults injected into the primary (trafilatura precision)\n")
        print(faults(score, truth, pages, texts["trafilatura_precision"], voters))
    return 0


if __name__ == "__main__":
    sys.exit(main())
