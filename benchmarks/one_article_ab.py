"""One short article end to end, as a user times it, for this tree and another commit alternated (issue 21).

    .venv/bin/python benchmarks/one_article_ab.py --base 56d5e14 [--rounds 6] [--corpus ../shared/data/quotes/input.jsonl]

Each round times, as fresh processes with fresh stores: ``rashomon analyze`` of the corpus' first article with
this tree's code, the same with the commit's ``src`` (its ``git archive``, put on ``PYTHONPATH``), and, after
each, a fresh Python that only loads the spaCy model (``usertime.BARE``). It prints best and median of each,
and each side's time beyond loading the model. Alternating matters: a 2-3 s run on a shared machine swings by
more than the differences looked for, so the sides are compared within the same minutes. Both sides' bytecode
is compiled first (``usertime.bytecode_ready``).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from usertime import BARE, bytecode_ready, timed

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/data/quotes/input.jsonl"))
    args = parser.parse_args()

    first = json.loads(Path(args.corpus).read_text(encoding="utf-8").splitlines()[0])
    bytecode_ready()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        archive = subprocess.run(["git", "archive", "--format=tar", args.base, "src"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        (folder / "base.tar").write_bytes(archive)
        with tarfile.open(folder / "base.tar") as tar:
            tar.extractall(folder / "base", filter="data")
        compileall.compile_dir(str(folder / "base" / "src"), quiet=1)
        source = folder / "one.jsonl"
        source.write_text(json.dumps({"id": "one", "text": first["text"], "date": first.get("date")}) + "\n",
                          encoding="utf-8")
        (folder / "none.json").write_text("[]", encoding="utf-8")
        script = str(Path(sys.executable).parent / "rashomon")
        times: dict[str, list[float]] = {"tree": [], "base": [], "model load": []}
        for r in range(args.rounds):
            for side in ("tree", "base"):
                env = dict(os.environ)
                env.pop("PYTHONPATH", None)
                if side == "base":
                    env["PYTHONPATH"] = str(folder / "base" / "src")
                run = folder / f"{side}{r}"
                times[side].append(timed([script, "analyze", str(source), "--out", str(run), "--db",
                                          str(run / "store.db"), "--quiet"], env=env)["seconds"])
                times["model load"].append(timed([sys.executable, "-c", BARE, str(folder / "none.json"), "1", "1"])["seconds"])
    print(f"one article ({len(first['text'].split())} words), {args.rounds} rounds alternated:")
    for side, values in times.items():
        print(f"  {side}: best {min(values):.2f} s, median {statistics.median(values):.2f} s")
    load = times["model load"]
    for side in ("tree", "base"):
        print(f"  {side} beyond the model load: {min(times[side]) - min(load):+.2f} s by best, "
              f"{statistics.median(times[side]) - statistics.median(load):+.2f} s by medians (goal <= +1 s)")


if __name__ == "__main__":
    main()
