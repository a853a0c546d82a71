"""Latency of the live desk (``rashomon serve``) over a real corpus: incremental uploads against a full
re-analysis, cached and cold story pages, search, and a burst of parallel uploads.

    .venv/bin/python benchmarks/api_bench.py ../shared/data/ecbplus/input.jsonl --limit 200 --held 12

The first ``limit`` records are stored with the batch runner (as `rashomon ingest` does); the next ``held``
are then posted one by one through HTTP, and ``burst`` more in parallel. Prints a markdown report.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from rashomon.api import create_app
from rashomon.config import Config
from rashomon.read.ingest import iter_inputs
from rashomon.run.runner import analysis_of, annotate_stored, assign, ingest_items
from rashomon.store import Store


def serve(app: object) -> tuple[str, uvicorn.Server]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a JSONL corpus")
    parser.add_argument("--limit", type=int, default=200, help="records stored first, in batch")
    parser.add_argument("--held", type=int, default=12, help="records then posted one by one")
    parser.add_argument("--burst", type=int, default=16, help="records then posted all at once")
    args = parser.parse_args()

    lines = [json.loads(x) for x in Path(args.corpus).read_text(encoding="utf-8").splitlines() if x.strip()]
    base_records = lines[:args.limit]
    held = lines[args.limit:args.limit + args.held]
    burst = lines[args.limit + args.held:args.limit + args.held + args.burst]
    folder = Path(tempfile.mkdtemp(prefix="rashomon-api-bench-"))
    db = folder / "desk.db"
    cfg = Config(db=str(db))
    out: list[str] = [f"corpus `{args.corpus}`: {len(base_records)} stored in batch, {len(held)} posted one by "
                      f"one, {len(burst)} posted in parallel", ""]

    # ---------------------------------------------------------------- the batch baseline (as `rashomon ingest`)
    tmp = folder / "base.jsonl"
    tmp.write_text("\n".join(json.dumps(r) for r in base_records), encoding="utf-8")
    start = time.perf_counter()
    with Store(db) as store:
        ids, _ = ingest_items(iter_inputs([str(tmp)], cfg), cfg, store)
        annotate_stored(ids, cfg, store)
        assign(cfg, store)
        batch_seconds = time.perf_counter() - start
        _, full_reduce = timed(analysis_of, ids, cfg, store)
    out += ["| step | time |", "| --- | --- |",
            f"| batch ingest + annotate + place, {len(ids)} articles | {batch_seconds:.1f} s "
            f"({len(ids) / batch_seconds:.1f} articles/s) |",
            f"| full re-analysis of the whole store (`analysis_of` all {len(ids)}) | {full_reduce:.1f} s |"]

    app = create_app(cfg, warm=False)
    base, server = serve(app)
    desk = app.state.desk
    client = httpx.Client(base_url=base, timeout=600)
    try:
        _, cold_list = timed(client.get, "/api/stories")
        stories, warm_list = timed(client.get, "/api/stories")
        rows = stories.json()["stories"]
        biggest = max(rows, key=lambda r: len(r["article_ids"]))
        _, cold_story = timed(client.get, f"/api/stories/{biggest['id']}")
        _, warm_story = timed(client.get, f"/api/stories/{biggest['id']}")
        out += [f"| GET /api/stories, {len(rows)} stories: first / cached | {ms(cold_list)} / {ms(warm_list)} |",
                f"| GET /api/stories/{{id}}, biggest story ({len(biggest['article_ids'])} articles): "
                f"computed / cached | {ms(cold_story)} / {ms(warm_story)} |"]

        # ------------------------------------------------------------------------ incremental uploads
        posts, refreshes, joined = [], [], 0
        for record in held:
            before = desk.stats["analyses"]
            r, seconds = timed(client.post, "/api/articles", json=record)
            r.raise_for_status()
            placed = r.json()["articles"][0]
            _, page = timed(client.get, f"/api/stories/{placed['story']}")
            posts.append(seconds)
            refreshes.append(page)
            joined += len(client.get(f"/api/stories/{placed['story']}").json()["articles"]) > 1
            desk.idle()
            assert desk.stats["analyses"] - before <= 2, "an upload refreshed more than its story"
        out += [f"| POST one article (clean, parse, place), median of {len(posts)} | {ms(statistics.median(posts))} "
                f"(max {ms(max(posts))}) |",
                f"| then GET its story, median | {ms(statistics.median(refreshes))} |",
                f"| uploads that joined an existing story | {joined} of {len(held)} |"]

        # -------------------------------------------------------------------------------- search
        words = ["police", "earthquake", "arrested", "fire", "killed", "\"new york\"", "minister", "award"]
        search_times = [timed(client.get, "/api/search", params={"q": w})[1] for w in words * 3]
        _, entities = timed(client.get, "/api/entities")
        out += [f"| GET /api/search, median of {len(search_times)} queries | {ms(statistics.median(search_times))} |",
                f"| GET /api/entities (cold: entity stage per story, merged) | {ms(entities)} |"]

        # -------------------------------------------------------------------------------- burst
        count_before = client.get("/api/status").json()["articles"]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(burst) or 1) as pool:
            results = list(pool.map(lambda rec: httpx.post(f"{base}/api/articles", json=rec, timeout=600), burst))
        wall = time.perf_counter() - start
        ok = sum(r.status_code in (200, 201) for r in results)
        count_after = client.get("/api/status").json()["articles"]
        out += [f"| {len(burst)} parallel POSTs: wall time | {wall:.1f} s ({ok} ok, "
                f"{count_after - count_before} new articles stored) |"]
    finally:
        client.close()
        server.should_exit = True
    print("\n".join(out))


if __name__ == "__main__":
    main()
