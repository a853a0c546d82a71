"""Article-text extraction on ../shared/data/extraction (ScrapingHub benchmark pages), scored by
../shared/tools/score.py against trafilatura and the other extractors' published output.

    .venv/bin/python benchmarks/extraction.py [--data ../shared/data/extraction] [--out out/extraction]

Runs exactly rashomon's ingest + clean path (the one `rashomon analyze` uses) and writes an
analysis.json holding the articles; the NLP stages do not change article text, so they are skipped here
(`rashomon analyze ../shared/data/extraction/input.jsonl --out DIR` gives the same texts). The last line
gives F1 on the two fixed halves of the pages that benchmarks/extractors.py defines.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

from rashomon.config import Config
from rashomon.model import Analysis, Article, Skipped
from rashomon.read.clean import clean
from rashomon.read.ingest import read_jsonl

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "extraction"))
    ap.add_argument("--out", default=str(ROOT / "out" / "extraction"))
    a = ap.parse_args()
    config = Config()
    start = time.perf_counter()
    articles, skipped = [], 0
    for item in read_jsonl(Path(a.data) / "input.jsonl", config):
        result = item if isinstance(item, Skipped) else clean(item, config)
        if isinstance(result, Article):
            articles.append(result)
        else:
            skipped += 1
    took = time.perf_counter() - start
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "analysis.json"
    path.write_text(json.dumps(Analysis(generated_at="", articles=tuple(articles)).to_contract(), ensure_ascii=False))
    print(f"{len(articles)} pages extracted, {skipped} skipped, {took:.1f}s ({len(articles) / took:.1f} pages/s)")
    score = ROOT.parent / "shared" / "tools" / "score.py"
    rc = subprocess.call([sys.executable, str(score), "extraction", str(path), str(Path(a.data) / "gold.json")])
    _halves(path, Path(a.data) / "gold.json")
    return rc


def _halves(analysis: Path, gold: Path) -> None:
    """The same F1 on the two fixed halves of benchmarks/extractors.py (see there why)."""
    spec = importlib.util.spec_from_file_location("rashomon_bench_extractors", ROOT / "benchmarks" / "extractors.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    truth = json.loads(gold.read_text(encoding="utf-8"))["truth"]
    texts = {str(x.get("source_id") or x.get("id")): x.get("text", "")
             for x in json.loads(analysis.read_text(encoding="utf-8"))["articles"]}
    f = bench.halves_f1(bench.scorer(), truth, texts)
    print(f"halves: A {f['A']:.3f}, B {f['B']:.3f}, all {f['all']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
