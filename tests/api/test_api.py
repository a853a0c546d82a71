"""The REST API of ``rashomon serve``: contract paths, errors, incremental refresh, concurrency, round trip.

Everything runs the real pipeline (spaCy included) over short articles written for these tests (invented
towns and people) or over the seeds read from ../shared.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rashomon.api import Desk, create_app
from rashomon.cli import app as cli_app
from rashomon.config import Config
from rashomon.run.runner import analyze
from rashomon.store import Store, fts_query

HARBOUR = ("The town council of Kell voted on Monday to rebuild the old harbour at Sorne, ending a decade of "
           "argument over the crumbling quay. Mayor Ilse Brandvik said the work would start in the spring. "
           "\"We have waited long enough for this harbour,\" Brandvik told reporters after the vote.")
ORCHARD = ("Frost destroyed most of the apple blossom in the Varna valley this week, growers said on Wednesday. "
           "The growers' association in Dessau Minor expects the harvest to fall by half compared with last year.")


def story_text(n: int) -> str:
    """Distinct small articles for burst tests (each about a different invented village)."""
    return (f"Villagers in Ostmark-{n} opened a new library on Saturday after raising {n * 1000 + 17} crowns "
            f"in donations. The librarian, Tova Rensk-{n}, said the shelves hold {n + 3} hundred books.")


@pytest.fixture()
def client(tmp_path: Path):
    with TestClient(create_app(Config(db=str(tmp_path / "desk.db")), warm=False)) as c:
        yield c


def post(client: TestClient, body: object, **kw: object) -> httpx.Response:
    return client.post("/api/articles", json=body, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ contract


def test_openapi_documents_every_contract_path(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path, method in [("/api/articles", "post"), ("/api/stories", "get"), ("/api/stories/{story_id}", "get"),
                         ("/api/entities", "get"), ("/api/entities/{entity_id}", "get"), ("/api/search", "get"),
                         ("/api/articles/{article_id}", "delete")]:
        assert method in paths[path], path
    body = paths["/api/articles"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert "413" in paths["/api/articles"]["post"]["responses"]


def test_add_one_article_returns_ids_and_the_story_it_joined(client: TestClient) -> None:
    r = post(client, {"id": "kell-1", "title": "Kell votes to rebuild harbour", "outlet": "Kell Post",
                      "date": "2026-02-02", "text": HARBOUR})
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["skipped"] == []
    [a] = data["articles"]
    assert a["source_id"] == "kell-1" and a["new"] is True and a["story"] and a["family"]

    story = client.get(f"/api/stories/{a['story']}").json()
    assert story["schema"] == "rashomon.analysis/1"
    assert [x["id"] for x in story["articles"]] == [a["id"]]
    assert story["stories"][0]["id"] == a["story"] and a["id"] in story["stories"][0]["article_ids"]
    assert "run" not in story
    for key in ("entities", "quotes", "claims", "events", "timeline", "differences", "brief"):
        assert isinstance(story[key], list), key
    assert all(e["store_id"].startswith("e") for e in story["entities"])

    listed = client.get("/api/stories").json()["stories"]
    assert [s["id"] for s in listed] == [a["story"]]
    assert listed[0]["independent_sources"] == 1 and "brief" not in listed[0]
    assert listed[0]["outlets"] == ["Kell Post"]
    article = client.get(f"/api/articles/{a['id']}").json()
    assert article["title"] == "Kell votes to rebuild harbour" and article["date"] == "2026-02-02"


def test_stories_are_listed_newest_first(client: TestClient) -> None:
    post(client, [{"text": HARBOUR, "date": "2026-01-10", "title": "older"},
                  {"text": ORCHARD, "date": "2026-03-10", "title": "newer"}])
    dates = [s["date"] for s in client.get("/api/stories").json()["stories"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-03-10"


def test_a_batch_keeps_good_items_and_lists_the_bad_ones(client: TestClient) -> None:
    r = post(client, [{"text": HARBOUR}, {"title": "no body at all"}, "not an object", {"text": ORCHARD}])
    assert r.status_code == 201
    data = r.json()
    assert len(data["articles"]) == 2
    assert [(s["index"], s["reason"]) for s in data["skipped"]] == [
        (1, "record has no 'text' or 'html'"), (2, "record is not a JSON object")]


def test_the_same_article_twice_is_stored_once(client: TestClient) -> None:
    first = post(client, {"text": HARBOUR}).json()["articles"][0]
    again = post(client, {"text": HARBOUR})
    assert again.status_code == 200
    assert again.json()["articles"][0] == {**first, "new": False}
    assert client.get("/api/status").json()["articles"] == 1


def test_uploaded_txt_file_is_read_with_its_header_line(client: TestClient) -> None:
    content = (" date 2026-04-09 Kell begins harbour works\n\n" + HARBOUR).encode()
    r = client.post("/api/articles", files=[("file", ("kell.txt", content, "text/plain"))])
    assert r.status_code == 201, r.text
    article = client.get(f"/api/articles/{r.json()['articles'][0]['id']}").json()
    assert (article["date"], article["date_source"], article["title"]) == (
        "2026-04-09", "header", "Kell begins harbour works")
    assert article["input"] == "kell.txt"


def test_uploaded_html_page_and_raw_text_body(client: TestClient) -> None:
    page = (f"<html><head><title>Frost hits Varna orchards</title></head><body><nav>Home | Sport</nav>"
            f"<article><h1>Frost hits Varna orchards</h1><p>{ORCHARD}</p></article></body></html>").encode()
    r = client.post("/api/articles", files=[("file", ("varna.html", page, "text/html"))])
    assert r.status_code == 201, r.text
    text = client.get(f"/api/articles/{r.json()['articles'][0]['id']}").json()["text"]
    assert "Frost destroyed" in text and "Home | Sport" not in text
    raw = client.post("/api/articles", content=HARBOUR.encode(), headers={"content-type": "text/plain"})
    assert raw.status_code == 201 and raw.json()["articles"][0]["new"] is True


def test_a_form_with_pasted_text_adds_one_article(client: TestClient) -> None:
    r = client.post("/api/articles", data={"text": ORCHARD, "title": "Varna frost", "outlet": "Valley Radio"})
    assert r.status_code == 201, r.text
    assert r.json()["articles"][0]["outlet"] == "Valley Radio"


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("body", "ctype", "status", "words"), [
    (b"{\"text\": ", "application/json", 400, "malformed JSON"),
    (b"\xff\xfe\x00", "application/json", 400, "malformed JSON"),
    (b"{\"title\": \"only a title\"}", "application/json", 422, "missing text"),
    (b"{\"text\": \"   \"}", "application/json", 422, "missing text"),
    (b"[]", "application/json", 422, "empty batch"),
    (b"42", "application/json", 422, "expected an article object"),
    (b"<pdf>", "application/pdf", 415, "unsupported content type"),
    (b"[" * 100_000, "application/json", 400, "malformed JSON: nested deeper than 64 levels"),
    (b"{\"text\": [" + b"[" * 5_000 + b"]" * 5_001 + b"}", "application/json", 400, "nested deeper than 64"),
    (b"{\"text\": \"Kell votes.\", \"id\": " + b"9" * 5_000 + b"}", "application/json", 400, "4300 digits"),
    (b"{\"text\": \"Kell votes.\", \"title\": {\"a\": 1}}", "application/json", 422,
     "'title' must be a string, not an object"),
])
def test_bad_bodies_get_a_json_error_with_a_4xx(client: TestClient, body: bytes, ctype: str, status: int,
                                                words: str) -> None:
    r = client.post("/api/articles", content=body, headers={"content-type": ctype})
    assert r.status_code == status, r.text
    assert words in r.json()["error"]


def test_an_upload_keeps_its_good_lines_and_says_what_it_skipped_or_changed(client: TestClient) -> None:
    jsonl = "\n".join([json.dumps({"id": "h", "text": HARBOUR}), "[" * 100_000,
                       json.dumps({"id": "o", "text": ORCHARD, "outlet": ["not", "a", "string"]})]).encode()
    broken = ("Der Rat von Köln hat über die Brücke abgestimmt. " + ORCHARD).encode() + b" \xff"
    r = client.post("/api/articles", files=[("file", ("batch.jsonl", jsonl, "application/x-ndjson")),
                                            ("file", ("koeln.txt", broken, "text/plain"))])
    assert r.status_code == 201, r.text
    data = r.json()
    assert [a["source_id"] for a in data["articles"]] == ["h", None]
    assert [(s["line"], s["reason"]) for s in data["skipped"]] == [
        (2, "malformed JSON: nested deeper than 64 levels"), (3, "'outlet' must be a string, not a list")]
    assert [(w["input"], w["reason"]) for w in data["warnings"]] == [
        ("koeln.txt", "undecodable bytes: 1 invalid UTF-8 sequence replaced with U+FFFD")]
    assert "Köln" in client.get(f"/api/articles/{data['articles'][1]['id']}").json()["text"]


def test_every_document_of_one_uploaded_feed_is_reported_as_what_it_became(client: TestClient) -> None:
    """The documents of one file shared its item index, and the desk looked each up by that index: a stored
    entry followed by a too-short one was reported "not stored" (and the request 422) while the store kept
    it. Found by tests/test_fuzz.py."""
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Kell Radio</title>"
            f"<item><title>Harbour</title><description>{HARBOUR}</description></item>"
            "<item><title>Brief</title><description>Short.</description></item></channel></rss>").encode()
    r = client.post("/api/articles", files=[("file", ("radio.rss", feed, "application/rss+xml"))])
    assert r.status_code == 201, r.text
    data = r.json()
    assert [a["title"] for a in data["articles"]] == ["Harbour"]
    assert [(s["input"], s["reason"].split(":")[0]) for s in data["skipped"]] == [("radio.rss#2", "too short")]
    assert client.get("/api/status").json()["articles"] == 1


def test_oversized_bodies_are_refused_with_413(tmp_path: Path) -> None:
    cfg = Config(db=str(tmp_path / "small.db"), max_upload_bytes=2_000)
    with TestClient(create_app(cfg, warm=False)) as client:
        r = post(client, {"text": HARBOUR * 20})
        assert r.status_code == 413 and "too large" in r.json()["error"]
        big_file = client.post("/api/articles", files=[("file", ("big.txt", (HARBOUR * 20).encode(), "text/plain"))])
        assert big_file.status_code == 413
        assert post(client, {"text": HARBOUR}).status_code == 201  # under the limit is fine


def test_unknown_ids_and_paths_are_404_json(client: TestClient) -> None:
    for method, path in [("GET", "/api/stories/s-nothing"), ("GET", "/api/entities/e-nothing"),
                         ("GET", "/api/articles/a-nothing"), ("DELETE", "/api/articles/a-nothing"),
                         ("GET", "/api/no-such-thing")]:
        r = client.request(method, path)
        assert r.status_code == 404, path
        assert "error" in r.json() and ("nothing" in r.json()["error"] or "not found" in r.json()["error"])


def test_search_needs_words(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "  "})
    assert r.status_code == 400 and "empty search" in r.json()["error"]
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "kell", "limit": 0}).status_code == 422


# -------------------------------------------------------------------------------------------- security


def test_a_token_guards_every_write_but_not_reads(tmp_path: Path) -> None:
    app = create_app(Config(db=str(tmp_path / "t.db")), token="s3cret-desk", warm=False)
    with TestClient(app) as client:
        assert post(client, {"text": HARBOUR}).status_code == 401
        wrong = post(client, {"text": HARBOUR}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "wrong" in wrong.json()["error"]
        assert client.delete("/api/articles/x").status_code == 401
        ok = post(client, {"text": HARBOUR}, headers={"Authorization": "Bearer s3cret-desk"})
        assert ok.status_code == 201
        assert post(client, {"text": ORCHARD}, headers={"X-Rashomon-Token": "s3cret-desk"}).status_code == 201
        assert client.get("/api/stories").status_code == 200
        assert client.get("/api/status").json()["writes_need_token"] is True


def test_status_shows_no_filesystem_path_to_callers_without_the_token(tmp_path: Path) -> None:
    folder = tmp_path / "private-desk-folder"
    app = create_app(Config(db=str(folder / "t.db")), token="s3cret-desk", warm=False)
    with TestClient(app) as client:
        for headers in ({}, {"Authorization": "Bearer nope"}):
            r = client.get("/api/status", headers=headers)
            assert r.status_code == 200 and r.json()["writes_need_token"] is True
            assert "private-desk-folder" not in r.text and str(tmp_path) not in r.text, r.text
            assert r.json()["db"] is None
        shown = client.get("/api/status", headers={"Authorization": "Bearer s3cret-desk"}).json()
        assert shown["db"] == str(folder / "t.db")  # the holder of the token may see where the store is
    with TestClient(create_app(Config(db=str(folder / "t.db")), warm=False)) as client:  # no token: local desk
        assert client.get("/api/status").json()["db"] == str(folder / "t.db")


def test_writes_from_another_origin_are_refused(client: TestClient) -> None:
    r = post(client, {"text": HARBOUR}, headers={"Origin": "http://elsewhere.example"})
    assert r.status_code == 403 and "cross-origin" in r.json()["error"]
    same = post(client, {"text": HARBOUR}, headers={"Origin": "http://testserver"})
    assert same.status_code == 201


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/static/app.js").status_code == 200


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")],
                                env={"RASHOMON_TOKEN": ""})
    assert result.exit_code == 2
    assert "--token" in result.output


# ----------------------------------------------------------------------------------------- incremental


def test_an_upload_refreshes_only_the_story_it_touched(tmp_path: Path) -> None:
    desk = Desk(Config(db=str(tmp_path / "inc.db")), warm=False)
    try:
        harbour = _add(desk, {"text": HARBOUR, "title": "Kell harbour"})
        orchard = _add(desk, {"text": ORCHARD, "title": "Varna frost"})
        desk.idle()
        assert harbour["story"] != orchard["story"]
        desk.story(harbour["story"]), desk.story(orchard["story"])
        computed = desk.stats["analyses"]
        notes_before = _notes_rows(tmp_path / "inc.db")

        added = _add(desk, {"text": HARBOUR.replace("Monday", "Tuesday") + " Work crews arrive in May.",
                            "title": "Kell harbour, later"})
        desk.idle()
        # the untouched story is served from cache: no analysis recomputed for it
        before = desk.stats["analyses"]
        desk.story(orchard["story"])
        assert desk.stats["analyses"] == before
        # the touched story was refreshed (in the background) and now holds the new article
        fresh = desk.story(added["story"])
        assert added["id"] in [a["id"] for a in fresh["articles"]]
        assert desk.stats["analyses"] - computed == 1  # only the story the article went to
        # nothing already stored was parsed again
        notes_after = _notes_rows(tmp_path / "inc.db")
        assert {k: v for k, v in notes_after.items() if k in notes_before} == notes_before
    finally:
        desk.close()


def _add(desk: Desk, record: dict) -> dict:
    from rashomon.read.ingest import jsonl_record

    result = desk.add([(0, item) for item in jsonl_record("api", record, 0, kind="api")])
    return result["articles"][0]


def _notes_rows(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT article_id, data FROM notes"))


def test_deleting_an_article_updates_its_story_and_search(client: TestClient) -> None:
    added = post(client, [{"text": HARBOUR, "title": "Kell harbour"},
                          {"text": ORCHARD, "title": "Varna frost"}]).json()["articles"]
    harbour = added[0]
    assert client.get("/api/search", params={"q": "quay"}).json()["articles"]
    r = client.delete(f"/api/articles/{harbour['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["deleted"] == harbour["id"] and r.json()["story"] == harbour["story"]
    assert client.get(f"/api/articles/{harbour['id']}").status_code == 404
    ids = [aid for s in client.get("/api/stories").json()["stories"] for aid in s["article_ids"]]
    assert harbour["id"] not in ids and added[1]["id"] in ids
    assert client.get("/api/search", params={"q": "quay"}).json() == {"query": "quay", "articles": [], "quotes": []}
    assert client.get("/api/status").json()["articles"] == 1


# ---------------------------------------------------------------------------------------- search, FTS


def test_search_finds_articles_and_quotes_with_marked_snippets(client: TestClient) -> None:
    post(client, [{"text": HARBOUR, "title": "Kell harbour"}, {"text": ORCHARD, "title": "Varna frost"}])
    found = client.get("/api/search", params={"q": "harbo"}).json()  # a prefix, as typed
    assert [a["title"] for a in found["articles"]] == ["Kell harbour"]
    assert any(matched for _, matched in found["articles"][0]["snippet"])
    assert "".join(text for text, _ in found["articles"][0]["snippet"]).lower().count("harbour") >= 1
    quotes = client.get("/api/search", params={"q": "waited long enough"}).json()["quotes"]
    assert quotes and quotes[0]["text"].startswith("We have waited") and quotes[0]["story"]
    assert client.get("/api/search", params={"q": "\"NEAR( OR * ^"}).status_code == 200  # FTS syntax is inert


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('harbour AND "old quay" NOT') == '"harbour" "and" "old quay" "not"*'
    assert fts_query("Brandvik's vote ") == '"brandvik s" "vote"'  # one word stays one phrase; no prefix
    assert fts_query("***") == ""


def test_a_store_made_before_search_existed_is_indexed_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with TestClient(create_app(Config(db=str(db)), warm=False)) as client:
        post(client, {"text": HARBOUR})
    with sqlite3.connect(db) as con:  # take the index away, as in a store from before it existed
        for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au", "quote_index_ai",
                        "quote_index_ad", "notes_quotes_ai", "notes_quotes_ad"):
            con.execute(f"DROP TRIGGER {trigger}")
        for table in ("articles_fts", "quotes_fts", "quote_index"):
            con.execute(f"DROP TABLE {table}")
    with Store(db) as store:
        assert [a["id"] for a in store.search("quay")["articles"]]
        assert store.search("waited")["quotes"]


# -------------------------------------------------------------------------------------- concurrency


def test_a_burst_of_parallel_uploads_loses_no_article(tmp_path: Path, live_server) -> None:
    base = live_server(create_app(Config(db=str(tmp_path / "burst.db")), warm=False))
    n = 12

    def upload(i: int) -> httpx.Response:
        return httpx.post(f"{base}/api/articles", json={"id": f"lib-{i}", "text": story_text(i)}, timeout=120)

    with ThreadPoolExecutor(max_workers=n) as pool:
        responses = list(pool.map(upload, range(n)))
    assert [r.status_code for r in responses] == [201] * n, [r.text for r in responses if r.status_code != 201]
    ids = {r.json()["articles"][0]["id"] for r in responses}
    assert len(ids) == n
    stories = httpx.get(f"{base}/api/stories", timeout=60).json()["stories"]
    assert ids == {aid for s in stories for aid in s["article_ids"]}
    assert httpx.get(f"{base}/api/status", timeout=60).json()["articles"] == n


def test_reads_are_answered_while_a_slow_write_holds_the_writer(tmp_path: Path, live_server) -> None:
    """Issue 19: reads stalled for seconds behind a burst of uploads (each waiting upload held one of the
    server's threads, so readers queued behind them). Here the writer is held for HOLD seconds, as a long
    parse would, while more uploads than the server has threads wait for it: every kind of read is still
    answered, each in a fraction of the hold, and afterwards every upload is stored."""
    app = create_app(Config(db=str(tmp_path / "busy.db")), warm=False)
    base = live_server(app)
    desk = app.state.desk
    first = httpx.post(f"{base}/api/articles", json={"text": HARBOUR, "title": "Kell harbour"}, timeout=300).json()
    story, article = first["articles"][0]["story"], first["articles"][0]["id"]
    reads = ["/api/stories", f"/api/stories/{story}", f"/api/articles/{article}", "/api/search?q=harbour",
             "/api/status"]
    for path in reads:  # as on a desk that has been open a while: the story list and page computed once
        assert httpx.get(base + path, timeout=120).status_code == 200
    n, hold = 44, 10.0  # more uploads than the 40 threads a FastAPI server runs its handlers on
    with ThreadPoolExecutor(max_workers=n) as pool:
        desk._write.acquire()  # a write in progress, holding the writer for ``hold`` seconds
        release = threading.Timer(hold, desk._write.release)
        release.start()
        posts = [pool.submit(httpx.post, f"{base}/api/articles", json={"id": f"lib-{i}", "text": story_text(i)},
                             timeout=600) for i in range(n)]
        time.sleep(2.0)  # the uploads arrive and wait for the writer
        timings = []
        for path in reads:
            start = time.monotonic()
            r = httpx.get(base + path, timeout=60)
            timings.append((path, r.status_code, time.monotonic() - start, release.is_alive()))
        release.join()
        responses = [p.result() for p in posts]
    assert [code for _, code, _, _ in timings] == [200] * len(reads), timings
    # each read answered in a fraction of the hold, while the writer was still held (a stalled read waits
    # for the write to end)
    assert all(seconds < hold / 4 and holding for _, _, seconds, holding in timings), timings
    assert [r.status_code for r in responses] == [201] * n
    assert httpx.get(f"{base}/api/status", timeout=60).json()["articles"] == n + 1
    desk.idle()
    fresh = httpx.get(f"{base}/api/stories/{story}", timeout=120).json()
    assert "stale" not in fresh and fresh["version"] == httpx.get(f"{base}/api/stories/{story}/version").json()["version"]


def test_another_process_reads_while_the_server_writes(tmp_path: Path, live_server) -> None:
    db = tmp_path / "wal.db"
    base = live_server(create_app(Config(db=str(db)), warm=False))
    httpx.post(f"{base}/api/articles", json={"text": HARBOUR}, timeout=120)
    batch = [{"text": story_text(100 + i)} for i in range(16)]
    done = threading.Event()
    result: dict[str, httpx.Response] = {}

    def write() -> None:
        result["r"] = httpx.post(f"{base}/api/articles", json=batch, timeout=300)
        done.set()

    reader = ("import sys\nfrom rashomon.store import Store\n"
              "with Store(sys.argv[1], timeout=5) as s:\n    print(s.count(), len(s.story_ids()))\n")
    writer = threading.Thread(target=write)
    writer.start()
    reads = []
    while not done.is_set():
        started = time.monotonic()
        out = subprocess.run([sys.executable, "-c", reader, str(db)], capture_output=True, text=True, timeout=60)
        reads.append((out.returncode, out.stdout.split(), done.is_set(), time.monotonic() - started))
    writer.join()
    assert result["r"].status_code == 201
    assert reads and all(code == 0 for code, *_ in reads), reads
    assert any(not finished for *_, finished, _ in reads), "no read happened while the write was going on"
    assert int(reads[0][1][0]) >= 1


# --------------------------------------------------------------------------------------------- seeds


def test_seeds_added_one_by_one_match_analyze_on_the_folder(tmp_path: Path, seeds_dir: Path) -> None:
    cfg = Config(db=str(tmp_path / "api.db"))
    with TestClient(create_app(cfg, warm=False)) as client:
        for path in sorted(seeds_dir.glob("*.txt")):
            r = client.post("/api/articles", files=[("file", (path.name, path.read_bytes(), "text/plain"))])
            assert r.status_code == 201, r.text
        stories = client.get("/api/stories").json()["stories"]
        via_api = [client.get(f"/api/stories/{s['id']}").json() for s in stories]
    with Store(tmp_path / "cli.db") as store:
        batch = analyze([str(seeds_dir)], Config(), store).to_contract()

    def partition(objs: list[dict], key: str) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for a in objs:
            groups.setdefault(a[key], set()).add(a["id"])
        return {frozenset(g) for g in groups.values()}

    api_articles = [a for d in via_api for a in d["articles"]]
    assert sorted(a["id"] for a in api_articles) == sorted(a["id"] for a in batch["articles"])
    assert {(a["id"], a["date"], a["title"]) for a in api_articles} == \
        {(a["id"], a["date"], a["title"]) for a in batch["articles"]}
    assert partition(api_articles, "family") == partition(batch["articles"], "family")
    assert partition(api_articles, "story") == partition(batch["articles"], "story")

    def claims(objs: list[dict]) -> list[tuple]:
        return sorted((c["text"], c["status"], c["families"], tuple(sorted(c["article_ids"]))) for c in objs)

    assert claims([c for d in via_api for c in d["claims"]]) == claims(batch["claims"])
    assert {(frozenset(s["article_ids"]), s["independent_sources"]) for s in stories} == \
        {(frozenset(s["article_ids"]), s["independent_sources"]) for s in batch["stories"]}


def test_the_entity_list_of_a_cold_store_needs_no_full_analysis(tmp_path: Path) -> None:
    from rashomon.read.ingest import jsonl_record
    from rashomon.run.runner import annotate_stored, assign, ingest_items

    cfg = Config(db=str(tmp_path / "cold.db"))
    with Store(cfg.db) as store:  # a store made by the CLI: no cached analysis at all
        items = [x for i, r in enumerate([{"text": HARBOUR}, {"text": ORCHARD}]) for x in jsonl_record("t", r, i)]
        ids, _ = ingest_items(items, cfg, store)
        annotate_stored(ids, cfg, store)
        assign(cfg, store)
    desk = Desk(cfg, warm=False)
    try:
        listed = desk.entities()
        assert desk.stats["analyses"] == 0  # only the entity stage ran, per story
        person = next(e for e in listed if "Brandvik" in e["name"])
        assert person["type"] == "PERSON" and person["stories"]
        page = desk.entity(person["id"])
        assert page["stories"][0]["id"] == person["stories"][0]
        assert any("waited long enough" in q["text"] for q in page["quotes"])
    finally:
        desk.close()


def test_only_the_listed_host_names_are_answered(tmp_path: Path) -> None:
    app = create_app(Config(db=str(tmp_path / "h.db")), hosts=["127.0.0.1", "localhost"], warm=False)
    with TestClient(app, base_url="http://localhost:8000") as client:
        assert client.get("/api/stories").status_code == 200
        rebound = client.get("/api/stories", headers={"host": "attacker.example:8000"})
        assert rebound.status_code == 403 and "not served" in rebound.json()["error"]
        assert post(client, {"text": HARBOUR}, headers={"host": "attacker.example:8000",
                                                        "origin": "http://attacker.example:8000"}).status_code == 403


def test_rashomon_serve_runs_the_desk(tmp_path: Path) -> None:
    import os
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = Path(sys.executable).with_name("rashomon")
    env = {**os.environ, "RASHOMON_TOKEN": "desk-token"}
    proc = subprocess.Popen([str(exe), "serve", "--db", str(tmp_path / "served.db"), "--port", str(port), "-q"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/status", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "rashomon serve did not start"
            time.sleep(0.3)
        assert "<main id=\"view\"" in httpx.get(base + "/", timeout=10).text
        assert httpx.get(base + "/api/stories", timeout=10).json() == {"stories": []}
        assert httpx.post(base + "/api/articles", json={"text": HARBOUR}, timeout=60).status_code == 401
        ok = httpx.post(base + "/api/articles", json={"text": HARBOUR}, timeout=120,
                        headers={"Authorization": "Bearer desk-token"})
        assert ok.status_code == 201
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ------------------------------------------------------------------------------------ the live desk


THREAD = Path(__file__).resolve().parents[1] / "data" / "thread"


def test_every_list_pages_and_keeps_its_shape_without_paging(client: TestClient) -> None:
    post(client, [{"text": HARBOUR, "date": "2026-01-10", "outlet": "Kell Post"},
                  {"text": ORCHARD, "date": "2026-03-10", "outlet": "Varna Echo"},
                  {"text": story_text(1), "date": "2026-02-01"}])
    whole = client.get("/api/stories").json()
    assert set(whole) == {"stories"} and len(whole["stories"]) == 3
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert first["stories"] == whole["stories"][:2]
    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    last = client.get("/api/stories", params={"limit": 2, "offset": first["next_offset"]}).json()
    assert last["stories"] == whole["stories"][2:] and last["next_offset"] is None
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422

    entities = client.get("/api/entities").json()
    assert set(entities) == {"entities"} and len(entities["entities"]) >= 3
    page = client.get("/api/entities", params={"limit": 1, "offset": 1}).json()
    assert page["entities"] == entities["entities"][1:2] and page["total"] == len(entities["entities"])
    people = client.get("/api/entities", params={"type": "person", "q": "brandvik"}).json()["entities"]
    assert [e["name"] for e in people] == ["Ilse Brandvik"]

    assert set(client.get("/api/threads").json()) == {"threads"}
    assert client.get("/api/threads", params={"limit": 5}).json()["total"] == 0
    one = client.get("/api/search", params={"q": "the", "limit": 1}).json()
    two = client.get("/api/search", params={"q": "the", "limit": 1, "offset": 1}).json()
    assert len(one["articles"]) == len(two["articles"]) == 1 and one["articles"] != two["articles"]
    assert "offset" not in one and two["offset"] == 1


def test_an_outlet_and_title_edit_is_kept_and_used_by_the_story(client: TestClient) -> None:
    placed = post(client, {"text": HARBOUR, "date": "2026-01-10", "outlet": "kell-post.txt"}).json()["articles"][0]
    before = client.get(f"/api/stories/{placed['story']}/version").json()
    r = client.patch(f"/api/articles/{placed['id']}", json={"outlet": "Kell Post", "title": "Kell rebuilds harbour"})
    assert r.status_code == 200, r.text
    edited = r.json()
    assert edited["outlet"] == "Kell Post" and edited["title"] == "Kell rebuilds harbour"
    assert edited["edits"]["outlet"] == {"original": "kell-post.txt", "value": "Kell Post"}
    assert client.get(f"/api/stories/{placed['story']}/version").json()["version"] != before["version"]
    story = client.get(f"/api/stories/{placed['story']}").json()
    assert story["articles"][0]["outlet"] == "Kell Post"
    assert story["stories"][0]["title"] == "Kell rebuilds harbour"
    assert client.get("/api/stories").json()["stories"][0]["outlets"] == ["Kell Post"]
    md = client.get(f"/api/stories/{placed['story']}/export", params={"format": "md"}).text
    assert '1. Kell Post, "Kell rebuilds harbour", 2026-01-10' in md
    assert client.get("/api/search", params={"q": "Kell Post"}).json()["articles"][0]["outlet"] == "Kell Post"
    assert client.patch("/api/articles/nope", json={"outlet": "x"}).status_code == 404
    assert client.patch(f"/api/articles/{placed['id']}", json={"text": "rewritten"}).status_code == 422
    assert client.patch(f"/api/articles/{placed['id']}", json={}).status_code == 400


def test_an_edit_survives_re_analysis_of_the_same_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kell.txt").write_text(" date 2026-01-10 Kell votes on harbour\n" + HARBOUR, encoding="utf-8")
    db = str(tmp_path / "desk.db")
    runner = CliRunner()
    assert runner.invoke(cli_app, ["analyze", str(folder), "--out", str(tmp_path / "a"), "--db", db, "-q"]).exit_code == 0
    desk = Desk(Config(db=db), warm=False)
    try:
        aid = desk.stories()[0]["article_ids"][0]
        desk.edit(aid, {"outlet": "Kell Post"})
    finally:
        desk.close()
    again = runner.invoke(cli_app, ["analyze", str(folder), "--out", str(tmp_path / "b"), "--db", db, "-q"])
    assert again.exit_code == 0, again.output
    import json

    data = json.loads((tmp_path / "b" / "analysis.json").read_text(encoding="utf-8"))
    assert [a["outlet"] for a in data["articles"]] == ["Kell Post"]
    assert "1. Kell Post, \"Kell votes on harbour\"" in (tmp_path / "b" / "brief.md").read_text(encoding="utf-8")


def test_a_story_exports_as_markdown_json_and_html(client: TestClient) -> None:
    story = post(client, {"text": HARBOUR, "title": "Kell votes <b>now</b>", "outlet": "Kell Post"}).json()["articles"][0]["story"]
    md = client.get(f"/api/stories/{story}/export")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.headers["content-disposition"] == f'attachment; filename="{story}.md"' and "## References" in md.text
    js = client.get(f"/api/stories/{story}/export", params={"format": "json"})
    assert js.json()["stories"][0]["id"] == story and "coverage" in js.json()
    page = client.get(f"/api/stories/{story}/export", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "Coverage at a glance" in page.text
    assert "<b>now</b>" not in page.text and "&lt;b&gt;now&lt;/b&gt;" in page.text
    assert client.get(f"/api/stories/{story}/export", params={"format": "pdf"}).status_code == 422
    assert client.get("/api/stories/nope/export").status_code == 404


def test_the_version_of_a_story_moves_when_an_article_joins(client: TestClient) -> None:
    first = post(client, {"text": HARBOUR, "date": "2026-01-10", "outlet": "Kell Post"}).json()["articles"][0]
    v1 = client.get(f"/api/stories/{first['story']}/version").json()
    assert v1 == client.get(f"/api/stories/{first['story']}/version").json() and v1["articles"] == 1
    reprint = HARBOUR.replace("on Monday", "on Monday evening") + " Work is due to finish in two years."
    second = post(client, {"text": reprint, "date": "2026-01-11", "outlet": "Sorne Courier"}).json()["articles"][0]
    assert second["story"] == first["story"]
    v2 = client.get(f"/api/stories/{first['story']}/version").json()
    assert v2["version"] != v1["version"] and v2["articles"] == 2
    assert client.get("/api/stories/nope/version").status_code == 404
    story = client.get(f"/api/stories/{first['story']}").json()
    outlets = [o["name"] for o in story["coverage"]["outlets"]]
    assert outlets == ["Kell Post", "Sorne Courier"] and story["coverage"]["first"]["outlets"] == ["Kell Post"]


def test_threads_link_the_stories_of_one_investigation(client: TestClient) -> None:
    files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in sorted(THREAD.iterdir())]
    placed = client.post("/api/articles", files=files).json()["articles"]
    post(client, {"text": ORCHARD, "date": "2026-03-10"})
    stories = [a["story"] for a in placed]
    assert len(set(stories)) == 3
    [thread] = client.get("/api/threads").json()["threads"]
    assert thread["story_ids"] == stories and thread["date_range"] == ["2026-01-12", "2027-06-21"]
    assert [s["id"] for s in thread["stories"]] == stories and all(s["title"] for s in thread["stories"])
    assert client.get("/api/threads", params={"story": stories[1]}).json()["threads"] == [thread]
    assert client.get("/api/threads", params={"story": "elsewhere"}).json()["threads"] == []


# ------------------------------------------------------------------------------------ naming a source


def test_a_reader_names_a_pasted_articles_outlet(client: TestClient) -> None:
    added = post(client, [{"text": HARBOUR}, {"text": HARBOUR.replace("Monday", "Monday evening")
                                              .replace("said the work", "said that the work")}]).json()["articles"]
    first = added[0]
    page = client.get(f"/api/articles/{first['id']}").json()
    assert page["outlet"] is None and page["label"] == "Untitled report"
    r = client.patch(f"/api/articles/{first['id']}", json={"outlet": "  Kell   Post "})
    assert r.status_code == 200, r.text
    assert r.json()["outlet"] == "Kell Post" and r.json()["label"] == "Kell Post"
    story = client.get(f"/api/stories/{first['story']}").json()
    assert {a["id"]: a["outlet"] for a in story["articles"]}[first["id"]] == "Kell Post"
    assert "Kell Post" in client.get("/api/stories").json()["stories"][0]["outlets"]
    assert client.patch("/api/articles/nope", json={"outlet": "X"}).status_code == 404
    assert client.patch(f"/api/articles/{first['id']}", json={"outlet": "K" * 121}).status_code == 400
    cleared = client.patch(f"/api/articles/{first['id']}", json={"outlet": None}).json()
    assert cleared["outlet"] is None and cleared["label"] == "Untitled report"
    assert cleared["edits"]["outlet"] == {"original": None, "value": None}


def test_naming_an_outlet_is_a_write(tmp_path: Path) -> None:
    app = create_app(Config(db=str(tmp_path / "t.db")), token="s3cret-desk", warm=False)
    with TestClient(app) as client:
        assert client.patch("/api/articles/x", json={"outlet": "Kell Post"}).status_code == 401


def test_the_list_endpoints_filter_by_the_language_the_text_is_in(client: TestClient) -> None:
    german = ("Der Hafenklub Port-Avel hat am Samstag das Derby gegen den FC Saltmere mit 3:1 gewonnen. Vor 18.000 "
              "Zuschauern trafen Jonas Brell und Emil Harta. Trainer Viktor Lamm lobte die Mannschaft.")
    english = ("The Kessin council voted on Monday to close the old ferry port after forty years. Mayor Anika "
               "Horvath said the harbour would be turned into a park by June.")
    done = post(client, [{"id": "de1", "text": german, "language": "en"}, {"id": "en1", "text": english}])
    assert done.status_code == 201, done.text
    art = client.get("/api/articles/de1").json()
    assert (art["language"], art["language_declared"], art["analysed"]) == ("de", "en", False)
    assert art["analysed_reason"] == "German: no model installed for this language"
    stories = client.get("/api/stories", params={"language": "de"}).json()["stories"]
    assert [s["article_ids"] for s in stories] == [["de1"]] and stories[0]["not_analysed"] == 1
    assert [s["article_ids"] for s in client.get("/api/stories", params={"language": "en"}).json()["stories"]] == [["en1"]]
    entities = client.get("/api/entities", params={"language": "de"}).json()["entities"]
    assert entities == []  # no model read the German article: no entities from it
    assert client.get("/api/entities", params={"language": "en"}).json()["entities"]
