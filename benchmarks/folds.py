"""A development figure on two fixed halves of its gold standard, so that every figure comes with the spread
of its folds and with a half that whatever was fitted on the other half never saw.

    .venv/bin/python benchmarks/folds.py TASK ANALYSIS_JSON GOLD_JSON

TASK is one of ../shared/tools/score.py's tasks (clustering, events, timex, quotes, extraction). The halves
are fixed: a record goes to half A or B by the parity of the first byte of the SHA-1 of its key — for ECB+
(``clustering``) the key is the topic ("ecb-12-..." -> "12"), so the two events of a topic stay together
and a half holds whole topics. Each half is scored by score.py itself, on the same analysis.json, and the
whole set too. Fitting on one half and scoring the other is the job of the component that fits
(``--half A`` lists the keys of a half, one per line, for such a script to read).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import io
import json
import sys
from pathlib import Path

SCORE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"


def scorer():
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def group_key(task: str, key: str) -> str:
    """What keeps related records in one half: the ECB+ topic, else the record itself."""
    if task == "clustering" and key.startswith("ecb-"):
        return key.split("-")[1]
    return key


def half_of(task: str, key: str) -> str:
    return "AB"[hashlib.sha1(group_key(task, key).encode()).digest()[0] % 2]


def split(task: str, gold: dict) -> dict[str, dict]:
    """The gold standard cut into halves A and B (extraction's gold keeps its peers, cut the same way)."""
    if task == "extraction":
        out = {h: {"truth": {}, "peers": {p: {} for p in gold["peers"]}} for h in "AB"}
        for k, v in gold["truth"].items():
            h = half_of(task, k)
            out[h]["truth"][k] = v
            for p, texts in gold["peers"].items():
                if k in texts:
                    out[h]["peers"][p][k] = texts[k]
        return out
    out = {"A": {}, "B": {}}
    for k, v in gold.items():
        out[half_of(task, k)][k] = v
    return out


def size(task: str, gold: dict) -> int:
    return len(gold["truth"]) if task == "extraction" else len(gold)


def keys(task: str, gold: dict) -> set[str]:
    return set(gold["truth"] if task == "extraction" else gold)


def restricted(data: dict, wanted: set[str]) -> dict:
    """The analysis as if it held only the half's articles (what the scorer counts as predicted follows)."""
    kept = [a for a in data.get("articles") or [] if str(a.get("source_id") or a.get("id")) in wanted]
    return {**data, "articles": kept}


def score(task: str, data: dict, gold: dict) -> tuple[float, str]:
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        value, line = getattr(scorer(), task)(restricted(data, keys(task, gold)), gold)
    return value, f"{line}  [{printed.getvalue().strip()}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("task", choices=("clustering", "events", "timex", "quotes", "extraction"))
    parser.add_argument("analysis", nargs="?")
    parser.add_argument("gold")
    parser.add_argument("--half", choices=("A", "B"), help="print the keys of this half and stop")
    args = parser.parse_args()
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    halves = split(args.task, gold)
    if args.half:
        sys.stdout.write("".join(f"{k}\n" for k in sorted(keys(args.task, halves[args.half]))))
        return 0
    if not args.analysis:
        parser.error("ANALYSIS_JSON is needed unless --half is given")
    data = json.loads(Path(args.analysis).read_text(encoding="utf-8"))
    for name, part in (("all", gold), ("A", halves["A"]), ("B", halves["B"])):
        _, line = score(args.task, data, part)
        print(f"{name:>3} ({size(args.task, part)}): {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
