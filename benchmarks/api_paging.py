"""The API's list endpoints over a real store, whole and paged: size and time of each answer.

    rashomon analyze ../shared/data/ecbplus/input.jsonl --out out/ecbplus --db out/ecb.db --workers 2
    .venv/bin/python benchmarks/api_paging.py out/ecb.db

Works on a copy of the store (its cached lists dropped first, so the first request is cold, as after a
change of the store), through the ASGI app in-process (FastAPI's TestClient: no network, the same code as
``rashomon serve``). Each request is timed cold (first) and warm (median of the next five) and printed as a
Markdown table (benchmarks/desk.md keeps the figures).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from rashomon.api import create_app
from rashomon.config import Config

REQUESTS = ("/api/stories", "/api/stories?limit=20", "/api/entities", "/api/entities?limit=50",
            "/api/entities?limit=50&offset=500", "/api/entities?limit=50&type=PERSON&q=john", "/api/threads",
            "/api/search?q=police", "/api/search?q=police&limit=20&offset=20")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rashomon-paging-"))
    db = scratch / "store.db"
    shutil.copy(args.db, db)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM cache WHERE key LIKE 'api:list:%' OR key LIKE 'api:story-entities:%'")
    print("| request | answer | cold | warm (median of 5) |\n| --- | --- | --- | --- |")
    with TestClient(create_app(Config(db=str(db)), warm=False)) as client:
        for path in REQUESTS:
            started = time.perf_counter()
            first = client.get(path)
            cold = time.perf_counter() - started
            warm = []
            for _ in range(5):
                started = time.perf_counter()
                client.get(path)
                warm.append(time.perf_counter() - started)
            assert first.status_code == 200, (path, first.text)
            print(f"| `GET {path}` | {len(first.content) / 1000:.1f} KB | {cold * 1000:.0f} ms "
                  f"| {statistics.median(warm) * 1000:.0f} ms |")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
