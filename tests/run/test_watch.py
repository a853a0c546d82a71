"""rashomon.run.watch: the feed follower against a real loopback HTTP server whose feeds change between polls.

Every fetch goes through a connection hook that refuses any address but loopback, and the policy allows only
127.0.0.1 among the non-public addresses, so a redirect to 169.254.169.254 or 10.0.0.1 must be refused
before it is connected to. The CLI runs (a subprocess killed with kill -9 and restarted) allow only
127.0.0.0/8 (``RASHOMON_FETCH_ALLOWED_NETWORKS``)."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.config import Config
from rashomon.errors import InputNotFound, UsageError
from rashomon.read.fetch import FetchPolicy
from rashomon.run.watch import MAX_ATTEMPTS, Watcher, backoff, local_sink, read_feed_list
from rashomon.store import Store

from ..feedserver import REPORTS, FeedServer, LoopbackNet, page_html, rss, stall, status

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Config(fetch_timeout=1.5, fetch_allowed_networks=("127.0.0.1/32",), watch_interval=60,
                watch_host_delay=0, workers=1)


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    yield srv
    srv.close()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def follower(tmp_path: Path, urls: list[str], config: Config = CONFIG, clock: Clock | None = None):
    """A Watcher over a store in tmp_path with the local sink, fetching through the loopback-only net."""
    db = str(tmp_path / "watch.db")
    config = dataclasses.replace(config, db=db)
    store = Store(db)
    net = LoopbackNet()
    lines: list[str] = []
    watcher = Watcher(config, urls, local_sink(config, store), db, fetcher=net.fetcher(FetchPolicy.from_config(config)),
                      log=lines.append, clock=clock or time.time)
    return watcher, store, net, lines


# --------------------------------------------------------------------------------------- new entries


def test_new_entries_are_stored_with_their_pages_text_then_304_then_only_what_is_new(server, tmp_path) -> None:
    base = server.base
    server.feed("/courier.rss", rss(base, "Haldam Courier", ["pier", "ferry"]))
    for key in REPORTS:
        server.page(key)
    watcher, store, net, lines = follower(tmp_path, [base + "/courier.rss"])
    try:
        [first] = watcher.poll_due(once=True)
        assert (first.status, first.entries, first.new, first.known) == ("ok", 2, 2, 0), lines
        articles = store.articles()
        assert len(articles) == 2
        pier = next(a for a in articles if a.url == base + "/news/pier.html")
        # the page's full text, not the feed's one-sentence teaser
        assert "second berth" in pier.text and "eight months" in pier.text
        assert pier.outlet == "Haldam Courier" and pier.title == REPORTS["pier"][0] and pier.story
        assert first.stories and pier.story in first.stories
        state = store.feed_state(base + "/courier.rss")
        assert state.etag and state.status == "ok" and state.items == 2 and state.failures == 0

        # the same feed again: a conditional request, answered 304, and no page fetched
        server.seen.clear()
        [again] = watcher.poll_due(once=True)
        assert again.status == "not modified" and store.count() == 2
        assert server.paths() == ["/courier.rss"]
        assert server.seen[0][1]["if-none-match"] == state.etag
        assert server.seen[0][1]["if-modified-since"] == "Tue, 03 Mar 2026 10:00:00 GMT"
        assert server.seen[0][1]["user-agent"].startswith("rashomon/")

        # the feed changes: only the new entry's page is fetched, and it joins the pier's story
        server.feed("/courier.rss", rss(base, "Haldam Courier", ["rewrite", "pier", "ferry"]))
        server.seen.clear()
        [third] = watcher.poll_due(once=True)
        assert (third.status, third.entries, third.new, third.known) == ("ok", 3, 1, 0), lines
        assert sorted(server.paths()) == ["/courier.rss", "/news/rewrite.html"]
        rewrite = next(a for a in store.articles() if a.url == base + "/news/rewrite.html")
        assert rewrite.story == store.article(pier.id).story, "the rewrite joins the pier story"
        assert store.feed_state(base + "/courier.rss").items == 3
        assert set(net.connected) == {"127.0.0.1"}
    finally:
        watcher.close()
        store.close()


def test_a_page_that_fails_keeps_the_entry_text_and_an_entry_without_text_is_tried_again(server, tmp_path) -> None:
    base = server.base
    server.feed("/feed.rss", rss(base, "Vesk Island News", ["ferry", "school"], full=True))
    server.page("ferry")
    server.routes["/news/school.html"] = status(503)  # the page fails; the feed carries the whole text
    empty = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Notes</title><item><title>Quay '
             f"notice</title><link>{base}/news/notice.html</link><guid>notice-1</guid></item></channel></rss>")
    server.feed("/empty.rss", empty.encode())
    server.routes["/news/notice.html"] = status(500)
    watcher, store, _net, lines = follower(tmp_path, [base + "/feed.rss", base + "/empty.rss"])
    try:
        full, teaser = watcher.poll_due(once=True)
        assert full.new == 2 and full.troubled
        assert any("school.html" in w and "HTTP 503" in w and "feed entry's own text" in w for w in full.warnings)
        school = next(a for a in store.articles() if "Brennick" in a.text)
        assert "bicycle shed" in school.text  # the feed's full text was kept
        assert "feed entry's own text" in "\n".join(lines)

        # no text anywhere: not stored, said, and the feed is asked in full again (no validators kept)
        assert teaser.new == 0 and any("notice.html" in s and "no text of its own" in s for s in teaser.skipped)
        assert store.feed_state(base + "/empty.rss").etag is None
        for attempt in range(2, MAX_ATTEMPTS + 2):
            server.seen.clear()
            watcher.poll_due(once=True)
            fetched = "/news/notice.html" in server.paths()
            assert fetched == (attempt <= MAX_ATTEMPTS), (attempt, server.paths())
        assert store.feed_state(base + "/empty.rss").etag is not None  # given up: validators kept again
    finally:
        watcher.close()
        store.close()


class Killed(BaseException):
    """Stands for kill -9 at one exact point: nothing after it runs (poll() catches Exception, not this)."""


def test_a_death_between_storing_and_recording_leaves_nothing_behind_a_304_and_nothing_twice(server, tmp_path) -> None:
    base = server.base
    server.feed("/courier.rss", rss(base, "Haldam Courier", ["pier", "school"]))
    for key in REPORTS:
        server.page(key)
    watcher, store, _net, _lines = follower(tmp_path, [base + "/courier.rss"])
    real = watcher.sink

    def dies_after_storing(docs):
        real(docs)  # the articles are committed ...
        raise Killed  # ... and the process dies before the entries or the feed's validators are recorded

    watcher.sink = dies_after_storing
    try:
        with pytest.raises(Killed):
            watcher.poll(base + "/courier.rss")
        assert store.count() == 2
        state = store.feed_state(base + "/courier.rss")
        assert state.etag is None and state.last_modified is None, "validators saved before the entries"
        watcher.sink = real
        server.seen.clear()
        poll = watcher.poll(base + "/courier.rss")
        assert server.seen[0][1].get("if-none-match") is None  # asked in full, not answered 304
        assert (poll.new, poll.known) == (0, 2) and store.count() == 2  # recognised, not stored twice
        assert store.feed_items(base + "/courier.rss", [f"{base}/news/{k}.html" for k in ("pier", "school")]) \
            .keys() == {f"{base}/news/pier.html", f"{base}/news/school.html"}
        assert watcher.poll(base + "/courier.rss").status == "not modified"
    finally:
        watcher.close()
        store.close()


# ---------------------------------------------------------------------------------- feeds that fail


def test_errors_timeouts_private_redirects_and_malformed_feeds_back_off_and_the_rest_go_on(server, tmp_path) -> None:
    base = server.base
    server.feed("/good.rss", rss(base, "Haldam Courier", ["pier"]))
    server.page("pier")
    server.routes["/error.rss"] = status(500)
    server.routes["/slow.rss"] = stall(20)
    server.routes["/metadata.rss"] = status(302, Location="http://169.254.169.254/latest/meta-data/")
    server.routes["/intranet.rss"] = status(307, Location="http://10.0.0.1:8080/feed.rss")
    server.feed("/broken.rss", b"<?xml version='1.0'?><rss><channel><title>Half a feed</titl")
    server.feed("/binary.rss", b"\x00\x01\x02\x03" * 200)
    server.routes["/busy.rss"] = status(503, Retry_After="7200")
    names = ["good", "error", "slow", "metadata", "intranet", "broken", "binary", "busy"]
    urls = [f"{base}/{n}.rss" for n in names]
    clock = Clock()
    watcher, store, net, lines = follower(tmp_path, urls, clock=clock)
    try:
        started = time.monotonic()
        polls = {p.url.rsplit("/", 1)[1][:-4]: p for p in watcher.poll_due(once=True)}
        assert time.monotonic() - started < 15  # the stalled feed was cut at its 1.5 s deadline
        assert polls["good"].status == "ok" and polls["good"].new == 1
        expected = {"error": "HTTP 500", "slow": "deadline", "metadata": "link-local", "intranet": "private",
                    "broken": "malformed feed", "binary": "binary content", "busy": "HTTP 503"}
        for name, why in expected.items():
            assert polls[name].status == "error" and why in (polls[name].error or ""), (name, polls[name])
        assert set(net.connected) == {"127.0.0.1"}, "a redirect to a private address was connected to"
        assert not any("169.254" in p or "10.0.0.1" in p for p in server.paths())
        assert any("metadata.rss: error: refused" in line for line in lines), lines

        # the backoff is in the store: a new store connection (a restart) sees it
        with Store(watcher.path) as other:
            state = other.feed_state(f"{base}/error.rss")
            busy = other.feed_state(f"{base}/busy.rss")
        assert state.failures == 1 and state.retry_at == pytest.approx(clock.now + 60)
        assert busy.retry_at == pytest.approx(clock.now + 7200)  # Retry-After asks for longer than the backoff

        # a second pass: the failing feeds are not asked (backing off), the good one is (304)
        server.seen.clear()
        again = {p.url.rsplit("/", 1)[1][:-4]: p for p in watcher.poll_due(once=True)}
        assert server.paths() == ["/good.rss"] and again["good"].status == "not modified"
        assert all(again[n].status == "backing off" for n in expected)
        assert any("backing off until" in line for line in lines)

        # after the wait: still failing doubles it; a feed that recovers is read and its errors forgotten
        server.feed("/error.rss", rss(base, "Sorne Evening Post", ["rewrite"]))
        server.page("rewrite")
        clock.now += 61
        third = {p.url.rsplit("/", 1)[1][:-4]: p for p in watcher.poll_due(once=True)}
        assert third["error"].status == "ok" and third["error"].new == 1
        assert store.feed_state(f"{base}/error.rss").failures == 0
        assert third["broken"].failures == 2 and store.feed_state(f"{base}/broken.rss").retry_at == \
            pytest.approx(clock.now + backoff(60, 2, CONFIG.watch_max_backoff)) == pytest.approx(clock.now + 120)
        assert third["busy"].status == "backing off"
        assert set(net.connected) == {"127.0.0.1"}
    finally:
        watcher.close()
        store.close()


def test_a_site_page_is_followed_through_the_feed_it_names(server, tmp_path) -> None:
    base = server.base
    server.feed("/", (b'<!doctype html><html><head><title>Haldam Courier</title><link rel="alternate" '
                      b'type="application/rss+xml" href="/courier.rss"></head><body><p>Front page</p></body>'
                      b"</html>"), "text/html")
    server.feed("/courier.rss", rss(base, "Haldam Courier", ["school"]))
    server.page("school")
    server.feed("/standalone.html", page_html("ferry"), "text/html")  # a page that names no feed: its own item
    watcher, store, _net, lines = follower(tmp_path, [base + "/", base + "/standalone.html"])
    try:
        site, page = watcher.poll_due(once=True)
        assert site.new == 1 and store.feed_state(base + "/").feed_url == base + "/courier.rss", lines
        assert page.new == 1 and any("Tomas Brekke" in a.text for a in store.articles())
        server.seen.clear()
        site, page = watcher.poll_due(once=True)
        assert (site.status, page.status) == ("not modified", "not modified")
        assert server.paths().count("/") == 0  # the site's feed is asked, not its front page
    finally:
        watcher.close()
        store.close()


# --------------------------------------------------------------------------------------- feed lists


def test_a_feed_list_is_urls_one_per_line_with_comments(tmp_path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# morning papers\nhttps://courier.example/rss   # the Courier\n\n"
                       "  https://vesk.example/feed#main\nhttps://courier.example/rss\n", encoding="utf-8")
    assert read_feed_list([str(listing), "https://post.example/atom"]) == [
        "https://courier.example/rss", "https://vesk.example/feed#main", "https://post.example/atom"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://courier.example/rss\ncourier.example/rss\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad.txt:2: 'courier.example/rss' is not an http\(s\) URL"):
        read_feed_list([str(bad)])
    with pytest.raises(UsageError, match=r"is not an http\(s\) URL"):
        read_feed_list(["ftp://courier.example/rss"])
    with pytest.raises(InputNotFound):
        read_feed_list([str(tmp_path / "missing.txt")])
    (tmp_path / "comments.txt").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no feeds to follow"):
        read_feed_list([str(tmp_path / "comments.txt")])


def test_an_old_store_gains_the_feed_tables_and_keeps_its_articles(tmp_path) -> None:
    from rashomon.model import Article, FeedState

    db = tmp_path / "old.db"
    with Store(db) as store:
        store.add_articles([Article(id="a1", input="x.txt", text="The pier at Haldam closed.", content_hash="h1")])
    con = sqlite3.connect(db)
    con.execute("DROP TABLE feeds")
    con.execute("DROP TABLE feed_items")
    con.commit()
    con.close()
    with Store(db) as store:  # opened by this version: the tables are made, nothing else is touched
        assert store.count() == 1 and store.feed_states() == []
        store.save_feed_state(FeedState("https://courier.example/rss", etag='"e1"', failures=2, retry_at=5.0))
        store.mark_feed_items("https://courier.example/rss", [("k1", "https://courier.example/a", "a1", None, True)])
    with Store(db) as store:
        assert store.feed_state("https://courier.example/rss") == FeedState(
            "https://courier.example/rss", etag='"e1"', failures=2, retry_at=5.0)
        assert store.feed_items("https://courier.example/rss", ["k1", "k2"]) == {"k1": ("a1", 1)}
        assert store.article_from_url("https://courier.example/a") == "a1"


# ------------------------------------------------------------------------------------------------ CLI


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RASHOMON_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
            "RASHOMON_WATCH_HOST_DELAY": "0", "RASHOMON_FETCH_TIMEOUT": "2", "RASHOMON_WORKERS": "1",
            "HOME": str(tmp_path)}


def test_the_cli_once_pass_exit_codes_and_messages(server, tmp_path) -> None:
    base = server.base
    server.feed("/good.rss", rss(base, "Haldam Courier", ["school"]))
    server.page("school")
    server.routes["/metadata.rss"] = status(302, Location="http://169.254.169.254/latest/meta-data/")
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# test feeds\n{base}/good.rss\n", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    env = {"RASHOMON_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8", "RASHOMON_WATCH_HOST_DELAY": "0"}
    result = runner.invoke(app, ["watch", str(listing), "--once", "--db", db], env=env)
    assert result.exit_code == 0, result.output
    assert "1 feeds (1 ok): 1 new articles" in " ".join(result.output.split())
    result = runner.invoke(app, ["watch", str(listing), base + "/metadata.rss", "--once", "--db", db], env=env)
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "link-local" in said and "not modified" in said, said
    # usage errors before any work: no store is made
    result = runner.invoke(app, ["watch", str(tmp_path / "nope.txt"), "--once", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 2 and "input not found" in result.output and not (tmp_path / "n.db").exists()
    result = runner.invoke(app, ["watch", base + "/good.rss", "--interval", "0", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 2 and "watch_interval" in result.output
    result = runner.invoke(app, ["serve", "--help"])
    assert "--watch" in result.output


def test_a_follower_killed_with_kill_9_resumes_without_storing_anything_twice(server, tmp_path) -> None:
    """Three feeds whose pages come slowly; the follower is killed once some articles are stored, then run
    again: every entry ends up stored exactly once, nothing is lost, and the store is intact."""
    base = server.base
    keys = list(REPORTS)
    feeds = {"courier": ["pier", "school"], "vesk": ["ferry"], "post": ["rewrite"]}
    for name, items in feeds.items():
        server.feed(f"/{name}.rss", rss(base, name.title(), items))
    for key in keys:
        server.page(key, delay=0.8)
    listing = tmp_path / "feeds.txt"
    listing.write_text("".join(f"{base}/{n}.rss\n" for n in feeds), encoding="utf-8")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "rashomon.cli", "watch", str(listing), "--db", str(db), "--interval", "1"]
    proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.time() + 240
    try:
        while time.time() < deadline and proc.poll() is None:
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                stored = 0
            if stored >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    before = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    con.close()
    assert 1 <= before < len(keys), before

    again = subprocess.run([*cmd, "--once"], env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    said = " ".join(again.stderr.split())
    assert f"{len(keys) - before} new articles" in said, said
    con = sqlite3.connect(db)
    urls = [r[0] for r in con.execute("SELECT url FROM articles ORDER BY seq")]
    items = con.execute("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM feed_items").fetchone()
    unplaced = con.execute("SELECT COUNT(*) FROM articles a LEFT JOIN assignments s ON s.article_id=a.id "
                           "WHERE s.story IS NULL").fetchone()[0]
    con.close()
    assert sorted(urls) == sorted(f"{base}/news/{k}.html" for k in keys)  # each once, none lost
    assert items == (len(keys), len(keys)) and unplaced == 0

    third = subprocess.run([*cmd, "--once"], env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert third.returncode == 0 and "0 new articles" in " ".join(third.stderr.split()), third.stderr
    assert "3 not modified" in " ".join(third.stderr.split())


def test_a_follower_stopped_by_sigterm_mid_poll_exits_cleanly_and_blames_no_feed(server, tmp_path) -> None:
    base = server.base
    server.feed("/courier.rss", rss(base, "Haldam Courier", ["school"]))
    server.page("school", delay=3)
    db = tmp_path / "stop.db"
    cmd = [sys.executable, "-m", "rashomon.cli", "watch", base + "/courier.rss", "--db", str(db)]
    proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while "/news/school.html" not in server.paths() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert "/news/school.html" in server.paths()
        proc.send_signal(signal.SIGTERM)  # while the page is being served
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    said = " ".join(err.split())
    assert "stopped before the end of this poll" in said and "stopped: everything stored so far is kept" in said
    with Store(db) as store:
        state = store.feed_state(base + "/courier.rss")
        assert state.failures == 0 and state.retry_at == 0 and state.etag is None  # no backoff, nothing skipped
        assert store.count() == 0
    server.page("school")  # quick this time (the 3 s page is past the 2 s deadline)
    again = subprocess.run([*cmd, "--once"], env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "1 new articles" in " ".join(again.stderr.split()), again.stderr
