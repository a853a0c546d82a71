"""Rewrite an analysis.json so every article's ``id`` is its ``source_id``, for ../shared/tools/score.py.

score.py maps rashomon article ids back to the corpus ids with
``{a["id"]: k for k, a in by_source(data).items()}``; because ``by_source`` files each article under both
its ``source_id`` and its ``id``, the later key (the rashomon id itself) wins and no gold record is ever
matched unless the two ids are equal. This rewrites the ids (and every ``article_ids``/``article_id``
reference) so the scorer sees what rashomon produced.

    .venv/bin/python benchmarks/rekey_by_source.py out/x/analysis.json out/x/analysis.rekeyed.json
"""

from __future__ import annotations

import json
import sys
from typing import Any


def rekey(data: dict[str, Any]) -> dict[str, Any]:
    """The same analysis with article ids replaced by source ids (when an article has one)."""
    new = {a["id"]: str(a["source_id"]) for a in data.get("articles") or [] if a.get("source_id") is not None}

    def walk(x: Any, key: str | None = None) -> Any:
        if isinstance(x, dict):
            return {k: walk(v, k) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v, key) for v in x]
        if key in {"article_ids", "article_id"} and isinstance(x, str):
            return new.get(x, x)
        return x

    out = walk(data)
    for a in out.get("articles") or []:
        a["id"] = new.get(a["id"], a["id"])
    return out


def main() -> int:
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(rekey(data), f, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
