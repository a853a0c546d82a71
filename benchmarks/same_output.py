"""Is the output of this tree the same as another commit's? (for refactors that must not change results)

Runs ``rashomon analyze`` (fresh store each time) on three corpora, with the code of a git commit and with
the working tree's code, and compares ``analysis.json``, ``brief.md``, ``report.html`` and the report's other
pages (``entities.html``, ``stories/*.html``) byte for byte after blanking the one value that must differ,
``generated_at``:

* ``seeds``: the five reference reports in ``../shared/seeds``;
* ``ecb150``: the first 150 articles of ``../shared/data/ecbplus/input.jsonl``;
* ``quotes``: ``../shared/data/quotes/input.jsonl`` (84 articles).

The commit's outputs are kept under ``out/same_output/<commit>/`` and reused, so checking a series of
refactoring commits against one base runs the base once::

    .venv/bin/python benchmarks/same_output.py --base a4d2c14          # exit 0: identical
    .venv/bin/python benchmarks/same_output.py --base a4d2c14 --only seeds

The commit's code runs from a ``git archive`` of its ``src/`` on ``PYTHONPATH`` (with this venv's packages).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "out" / "same_output"
FILES = ("analysis.json", "brief.md", "report.html")


def corpora(scratch: Path) -> dict[str, Path]:
    ecb = scratch / "ecb150.jsonl"
    if not ecb.exists():
        lines = (SHARED / "data/ecbplus/input.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        ecb.write_text("".join(lines[:150]), encoding="utf-8")
    return {"seeds": SHARED / "seeds", "ecb150": ecb, "quotes": SHARED / "data/quotes/input.jsonl"}


def run(src: Path, corpus: Path, out: Path, workers: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(src), RASHOMON_WORKERS=str(workers))
    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze", str(corpus),
           "--out", str(out), "--db", str(out / "store.db"), "--quiet"]
    done = subprocess.run(cmd, env=env, cwd=out, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def normalised(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.name == "analysis.json":
        stamp = json.loads(text).get("generated_at")
        if stamp:
            text = text.replace(stamp, "GENERATED_AT")
    return re.sub(r"generated \d{4}-\d\d-\d\dT[0-9:.+Z-]+", "generated GENERATED_AT", text)


def export(commit: str, dest: Path) -> Path:
    """The commit's ``src/`` unpacked into ``dest`` (via ``git archive``)."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit, "src"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryFile() as f:
        f.write(archive)
        f.seek(0)
        with tarfile.open(fileobj=f) as tar:
            tar.extractall(dest, filter="data")
    return dest / "src"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="git commit to compare against")
    parser.add_argument("--only", action="append", choices=("seeds", "ecb150", "quotes"))
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    scratch = OUT / "inputs"
    scratch.mkdir(parents=True, exist_ok=True)
    names = args.only or ["seeds", "ecb150", "quotes"]
    inputs = corpora(scratch)
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        base_src = None
        for name in names:
            base_out = OUT / commit / f"{name}-w{args.workers}"
            if not all((base_out / f).exists() for f in FILES):
                base_src = base_src or export(commit, Path(tmp))
                print(f"{name}: running {commit} ...", flush=True)
                run(base_src, inputs[name], base_out, args.workers)
            here = OUT / "worktree" / f"{name}-w{args.workers}"
            print(f"{name}: running the working tree ...", flush=True)
            run(ROOT / "src", inputs[name], here, args.workers)
            pages = sorted({p.relative_to(d).as_posix() for d in (base_out, here)
                            for p in [d / "entities.html", *(d / "stories").glob("*.html")]})
            for f in FILES:
                same = normalised(base_out / f) == normalised(here / f)
                differ += not same
                print(f"  {name}/{f}: {'identical' if same else 'DIFFERS'}"
                      + ("" if same else f"  (diff {base_out / f} {here / f})"))
            odd = [f for f in pages if not ((base_out / f).exists() and (here / f).exists()
                                            and normalised(base_out / f) == normalised(here / f))]
            differ += len(odd)
            print(f"  {name}: {len(pages) - len(odd)} of {len(pages)} other report pages identical"
                  + "".join(f"\n  {name}/{f}: DIFFERS or missing on one side" for f in odd))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
