"""Following feeds (``rashomon watch``): RSS/Atom feeds and site pages polled on an interval, each new
entry's page fetched for its full text and added to the store, so its stories grow as reports arrive.

Every request goes through :func:`rashomon.read.fetch.fetch` under the ``--fetch`` policy (deadline, size
cap, redirect limit, no private addresses unless allowed), with a User-Agent naming rashomon, one request
at a time per host and ``watch_host_delay`` seconds between two requests to one host. A feed is asked
conditionally (``If-None-Match`` / ``If-Modified-Since`` from its last answer); a 304 costs nothing more.

Each followed URL's state (:class:`~rashomon.model.FeedState`) and every entry handled are kept in the
store, in this order, so a process killed at any point resumes without storing anything twice or losing
anything:

1. the feed is fetched and read; its entries not yet handled are the new ones (oldest first);
2. each new entry's page is fetched (if it fails, the entry's own text is kept, and the poll says so);
3. the documents are added through the sink (the same path as ``rashomon ingest`` or the API's POST:
   cleaned, annotated, placed in their family and story); an article already stored is recognised by its
   content hash, so an entry stored just before a kill is not stored again;
4. the entries are recorded as handled, and only then the feed's validators (ETag, Last-Modified): had
   they been saved first, a kill would leave new entries behind a 304.

An error (a refused address, a passed deadline, an HTTP error status, a document that is neither a feed
nor a page) is a poll outcome, never an exception: the feed waits ``interval x 2^(errors - 1)`` seconds
(at most ``watch_max_backoff``, at least what a ``Retry-After`` asks) before it is asked again, and the
wait is in the store, so a restart keeps it. An entry whose text could not be had at all is tried at the
next polls, at most :data:`MAX_ATTEMPTS` times.

A followed web page that names its feed (``<link rel="alternate">``) is followed through that feed; one
that names none is itself the item, stored again whenever its text changes.

>>> backoff(300, 1, 21600), backoff(300, 3, 21600), backoff(300, 12, 21600)
(300.0, 1200.0, 21600.0)
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Config
from ..errors import FetchError, InputNotFound, UsageError
from ..model import FeedState, RawDocument, Skipped
from ..read import metadata
from ..read.clean import content_hash
from ..read.feeds import FeedEntry, ParsedFeed, discover, looks_like_feed, parse_feed
from ..read.fetch import FetchPolicy, Response, fetch
from ..read.ingest import decode, read_html_record
from ..store import Store

MAX_ATTEMPTS = 3  # polls at which an entry whose text could not be had is tried
BATCH = 10  # documents added to the store at a time (each batch is annotated and placed before the next)
THREADS = 4  # feeds polled at once (each host still gets one request at a time)


@dataclass(frozen=True, slots=True)
class Stored:
    """What the sink made of one document: its article (``new`` if it was not stored before) and story, or
    why it was not stored."""

    article_id: str | None
    new: bool = False
    story: str | None = None
    reason: str | None = None


Sink = Callable[[Sequence[RawDocument]], list[Stored]]
Fetcher = Callable[[str, Mapping[str, str]], Response]


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll of one followed URL, for the log and the exit code."""

    url: str
    status: str  # "ok" | "not modified" | "error" | "backing off" | "stopped"
    entries: int = 0
    new: int = 0  # articles stored for the first time
    known: int = 0  # entries whose article was already stored
    stories: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # stored, with a loss (a page that failed: the entry's own text kept)
    skipped: tuple[str, ...] = ()  # entries not stored, and why
    error: str | None = None
    retry_at: float | None = None
    failures: int = 0

    @property
    def troubled(self) -> bool:
        """Whether this poll failed, or lost or skipped something (``--once`` exits 1)."""
        return self.status in {"error", "backing off"} or bool(self.warnings or self.skipped)

    def lines(self) -> list[str]:
        """The poll as log lines: one for the feed, one per problem with an entry."""
        if self.status == "error":
            head = (f"{self.url}: error: {self.error}; retry in {_span((self.retry_at or 0) - time.time())} "
                    f"({self.failures} error{'s' * (self.failures != 1)} in a row)")
        elif self.status == "backing off":
            head = (f"{self.url}: backing off until {time.strftime('%H:%M:%S', time.localtime(self.retry_at or 0))} "
                    f"after {self.failures} error{'s' * (self.failures != 1)} (last: {self.error})")
        elif self.status == "not modified":
            head = f"{self.url}: not modified"
        elif self.status == "stopped":
            head = f"{self.url}: stopped before the end of this poll ({self.new} new articles stored); resumes next run"
        else:
            stories = f" (stories {', '.join(self.stories)})" if self.stories else ""
            head = (f"{self.url}: {self.entries} entr{'y' if self.entries == 1 else 'ies'}, {self.new} new "
                    f"article{'s' * (self.new != 1)}, {self.known} already stored{stories}")
        return [head, *(f"  warning {w}" for w in self.warnings), *(f"  skipped {s}" for s in self.skipped)]


def backoff(interval: float, failures: int, ceiling: float) -> float:
    """Seconds to wait after ``failures`` errors in a row: the interval, doubled per error, capped."""
    return float(min(ceiling, interval * 2 ** max(0, min(failures - 1, 40))))


def read_feed_list(values: Sequence[str]) -> list[str]:
    """The URLs to follow: each value is a URL, or a file listing URLs one per line (blank lines and
    ``#`` comments left out). Anything else is a usage error naming the file and line, before any work.

    >>> read_feed_list(["https://kellpost.example/rss", "https://kellpost.example/rss"])
    ['https://kellpost.example/rss']
    """
    urls: list[str] = []
    for value in values:
        if "://" in value:
            urls.append(_checked_url(value, value))
            continue
        path = Path(value)
        if not path.is_file():
            raise InputNotFound(value) if not path.exists() else UsageError(
                f"{value!r} is not a file", "Give feed URLs, or a file listing them one per line.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the feed list {value!r}: {exc}", "Give a UTF-8 text file.") from exc
        for lineno, line in enumerate(text.splitlines(), 1):
            line = "" if line.lstrip().startswith("#") else line.split(" #", 1)[0].strip()  # a URL may hold '#'
            if line:
                urls.append(_checked_url(line, f"{value}:{lineno}"))
    if not urls:
        raise UsageError("no feeds to follow", "List feed URLs one per line (# starts a comment), or give URLs.")
    return list(dict.fromkeys(urls))


def _checked_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(f"{where}: {url!r} is not an http(s) URL", "Each line of a feed list is one feed's URL.")
    return url


# ---------------------------------------------------------------------------------------------- sinks


def local_sink(config: Config, store: Store) -> Sink:
    """Documents into ``store`` as ``rashomon ingest`` adds them: cleaned, stored, annotated and placed in
    their family and story (this process places its own articles; a killed writer's are placed too)."""
    from .runner import annotate_stored, assign, ingest_items

    def add(docs: Sequence[RawDocument]) -> list[Stored]:
        before = [store.has_hash(content_hash(d)) for d in docs]
        _, summary = ingest_items(list(docs), config, store)
        found = [store.has_hash(content_hash(d)) for d in docs]
        annotate_stored([aid for aid in found if aid], config, store)
        assign(config, store, others="orphans")
        stories = {a.id: a.story for a in store.articles([aid for aid in found if aid])}
        reasons = {s.input: s.reason for s in summary.skipped}
        return [Stored(aid, new=old is None, story=stories.get(aid)) if aid
                else Stored(None, reason=reasons.get(d.input, "not stored"))
                for d, old, aid in zip(docs, before, found, strict=True)]

    return add


# -------------------------------------------------------------------------------------------- watcher


class Watcher:
    """Follows a list of URLs into one store. ``sink`` adds documents (:func:`local_sink`, or the web
    app's desk so its readers stay consistent); ``fetcher`` replaces the fetch (tests); ``log`` hears every
    poll's lines. Thread-safe; call :meth:`close` when done."""

    def __init__(self, config: Config, urls: Sequence[str], sink: Sink, path: str | None = None, *,
                 fetcher: Fetcher | None = None, log: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.config, self.urls, self.sink = config, list(dict.fromkeys(urls)), sink
        self.path = path or config.db
        if self.path == ":memory:":
            raise UsageError("following feeds needs a database file, not ':memory:'", "Pass --db PATH.")
        policy = FetchPolicy.from_config(config)
        self._fetch: Fetcher = fetcher or (lambda url, headers: fetch(url, policy, headers))
        self.log = log or (lambda line: None)
        self.clock = clock
        self.stop = threading.Event()
        self._hosts = _Hosts(config.watch_host_delay, self.stop)
        self._adding = threading.Lock()  # one batch into the store at a time
        self._local = threading.local()
        self._stores: list[Store] = []
        self._guard = threading.Lock()

    # ------------------------------------------------------------------------------------- plumbing

    def store(self) -> Store:
        """This thread's connection to the store (state and entries; the sink writes articles its own way)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
            with self._guard:
                self._stores.append(store)
        return store

    def close(self) -> None:
        self.stop.set()
        with self._guard:
            for store in self._stores:
                store.close()
            self._stores.clear()

    # ---------------------------------------------------------------------------------------- loops

    def poll_due(self, once: bool = False) -> list[Poll]:
        """Poll every feed that is due, a few at a time; returns their outcomes in the list's order. With
        ``once`` every feed not backing off is due (``--once``, cron) and a backing-off one is reported;
        otherwise a feed is due ``watch_interval`` seconds after its last poll."""
        now = self.clock()
        states = {url: self.store().feed_state(url) for url in self.urls}
        waiting = [url for url, s in states.items() if s.retry_at > now]
        due = [url for url, s in states.items() if s.retry_at <= now
               and (once or s.polled_at is None or s.polled_at + self.config.watch_interval <= now)]
        done: dict[str, Poll] = {}
        if once:
            for url in waiting:
                s = states[url]
                done[url] = Poll(url, "backing off", error=s.error, retry_at=s.retry_at, failures=s.failures)
                self._say(done[url])
        if due:
            with ThreadPoolExecutor(max_workers=min(THREADS, len(due)), thread_name_prefix="rashomon-watch") as pool:
                futures = {pool.submit(self.poll, url): url for url in due}
                try:
                    for future in as_completed(futures):
                        done[futures[future]] = poll = future.result()
                        self._say(poll)
                except BaseException:  # Ctrl-C: the polls in flight stop at their next request or batch
                    self.stop.set()
                    for future, url in futures.items():
                        if url not in done and not future.cancel():
                            with contextlib.suppress(Exception):
                                self._say(future.result())
                    raise
        return [done[url] for url in self.urls if url in done]

    def next_due(self) -> float:
        """When the next feed is due (seconds since the epoch)."""
        states = [self.store().feed_state(url) for url in self.urls]
        return min(max(s.retry_at, (s.polled_at or 0) + self.config.watch_interval) for s in states)

    def run(self) -> None:
        """Poll as feeds fall due until :attr:`stop` is set (Ctrl-C, SIGTERM, or the web app stopping)."""
        while not self.stop.is_set():
            try:
                self.poll_due()
                wait = max(0.2, min(self.next_due() - self.clock(), 60.0))
            except Exception as exc:  # noqa: BLE001 - the store busy or full: say so, keep following
                wait = min(self.config.watch_interval, 60.0)
                self.log(f"error: {type(exc).__name__}: {exc}; trying again in {_span(wait)}")
            self.stop.wait(wait)

    def _say(self, poll: Poll) -> None:
        for line in poll.lines():
            self.log(line)

    # ----------------------------------------------------------------------------------- one feed

    def poll(self, url: str) -> Poll:
        """One poll of one followed URL; never raises for what the network or the document does."""
        state = self.store().feed_state(url)
        now = self.clock()
        try:
            return self._poll(state, now)
        except FetchError as exc:
            if self.stop.is_set():  # not the feed's fault: no backoff
                return Poll(url, "stopped")
            return self._failed(state, now, exc.message)
        except Exception as exc:  # noqa: BLE001 - a bug with one feed must not stop the others; it is logged
            return self._failed(state, now, f"internal error: {type(exc).__name__}: {exc}")

    def _poll(self, state: FeedState, now: float) -> Poll:
        target = state.feed_url or state.url
        validators = {k: v for k, v in (("If-None-Match", state.etag), ("If-Modified-Since", state.last_modified)) if v}
        response = self._get(target, validators)
        if response.status == 304:
            self.store().save_feed_state(dataclasses.replace(
                state, polled_at=now, failures=0, retry_at=0.0, status="not modified", error=None))
            return Poll(state.url, "not modified")
        if not 200 <= response.status < 300:
            return self._failed(state, now, f"HTTP {response.status}", _retry_after(response, now))
        decoded = decode(response.body) if response.body.strip() else Skipped(target, "empty document")
        if isinstance(decoded, Skipped):
            return self._failed(state, now, decoded.reason)
        text = decoded[0]
        content_type = response.headers.get("content-type", "")
        if looks_like_feed(text, content_type):
            feed = parse_feed(text)
            if feed.error:
                return self._failed(state, now, feed.error)
            return self._entries(state, now, response, feed)
        if "html" in content_type.lower() or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
            found = discover(text, response.url) if state.feed_url is None else None
            if found and found != state.url:  # a site page naming its feed: follow the feed from now on
                return self._poll(dataclasses.replace(state, feed_url=found, etag=None, last_modified=None), now)
            return self._page(state, now, response, text)
        kind = content_type.split(";")[0].strip() or "no content type"
        return self._failed(state, now, f"not a feed or a web page ({kind})")

    def _entries(self, state: FeedState, now: float, response: Response, feed: ParsedFeed) -> Poll:
        """Store a feed's new entries, oldest first, then record them and the feed's validators."""
        key = state.url
        handled = self.store().feed_items(key, [e.key for e in feed.entries])
        todo = [e for e in sorted(feed.entries, key=lambda e: (e.date or "", -e.index))
                if e.key not in handled or (handled[e.key][0] is None and handled[e.key][1] < MAX_ATTEMPTS)]
        new = known = 0
        stories: list[str] = []
        warnings: list[str] = []
        skipped: list[str] = [f"{key}: not well-formed; read what could be: {feed.recovered}"] if feed.recovered else []
        pending = False
        for batch in _batches(todo, BATCH):
            marks: list[tuple[str, str | None, str | None, str | None, bool]] = []
            docs: list[tuple[FeedEntry, RawDocument]] = []
            for entry in batch:
                reused = self.store().article_from_url(entry.link) if entry.link else None
                if reused:  # the same page through another feed: stored already, not fetched again
                    marks.append((entry.key, entry.link, reused, "stored through another feed", True))
                    known += 1
                    continue
                doc, problem = self._document(entry, feed, state.url)
                if doc is None:
                    pending = pending or (handled.get(entry.key, (None, 0))[1] + 1 < MAX_ATTEMPTS)
                    skipped.append(f"{entry.link or key + '#' + str(entry.index)}: {problem}")
                    marks.append((entry.key, entry.link, None, problem, False))
                else:
                    if problem:
                        warnings.append(f"{entry.link}: {problem}")
                    docs.append((entry, doc))
            if self.stop.is_set():  # stopping: this batch (pages cut short too), the rest and the validators
                return Poll(state.url, "stopped", len(feed.entries), new, known, tuple(stories))  # wait for a restart
            with self._adding:
                results = self.sink([d for _, d in docs]) if docs else []
            for (entry, doc), stored in zip(docs, results, strict=True):
                if stored.article_id is None:
                    skipped.append(f"{entry.link or doc.input}: {stored.reason}")
                    marks.append((entry.key, entry.link, None, stored.reason, True))
                    continue
                new += stored.new
                known += not stored.new
                if stored.story and stored.story not in stories:
                    stories.append(stored.story)
                marks.append((entry.key, entry.link, stored.article_id, None, True))
            self.store().mark_feed_items(key, marks)
        # validators only now: every new entry is recorded. With entries to try again, none, so the next
        # poll reads the whole feed rather than a 304
        etag = None if pending else response.headers.get("etag")
        modified = None if pending else response.headers.get("last-modified")
        self.store().save_feed_state(dataclasses.replace(
            state, etag=etag, last_modified=modified, polled_at=now, failures=0, retry_at=0.0, status="ok",
            error=None, items=state.items + new))
        return Poll(state.url, "ok", len(feed.entries), new, known, tuple(stories), tuple(warnings), tuple(skipped))

    def _document(self, entry: FeedEntry, feed: ParsedFeed, feed_url: str) -> tuple[RawDocument | None, str | None]:
        """An entry as a document: its page's text (fetched under the same policy), else the entry's own
        text with a warning saying so, else None and why."""
        own = RawDocument(input=entry.link or f"{feed_url}#{entry.index}", text=entry.text, kind="feed",
                          title=entry.title, date=entry.date, date_source="metadata" if entry.date else None,
                          outlet=feed.title, url=entry.link, source_id=entry.id or entry.link,
                          from_html=entry.from_html, language=entry.language) if entry.text else None
        if not entry.link or urlsplit(entry.link).scheme not in {"http", "https"}:
            return (own, None) if own else (None, "the entry has no text and no page to fetch")
        page, why = self._page_document(entry, feed)
        if page is not None and (own is None or len(page.text) >= len(own.text)):
            return page, None
        if page is not None:  # the feed carries more than the page gives (a teaser page, a paywall)
            return own, None
        if own is None:
            return None, f"page not read ({why}) and the entry has no text of its own"
        return dataclasses.replace(own, warnings=(f"page not read ({why}): stored the feed entry's own text",)), \
            f"page not read ({why}): stored the feed entry's own text"

    def _page_document(self, entry: FeedEntry, feed: ParsedFeed) -> tuple[RawDocument | None, str]:
        link = entry.link or ""
        try:
            response = self._get(link, {})
        except FetchError as exc:
            return None, exc.message
        if not 200 <= response.status < 300:
            return None, f"HTTP {response.status}"
        decoded = decode(response.body) if response.body.strip() else Skipped(link, "empty page")
        if isinstance(decoded, Skipped):
            return None, decoded.reason
        read = next(iter(read_html_record(link, decoded[0], kind="url", url=link, title=entry.title, date=entry.date,
                                          source_id=entry.id or link, language=entry.language)))
        if isinstance(read, Skipped):
            return None, read.reason
        # the page's own site name before the feed's title (an aggregator's feed carries many outlets), but
        # the feed's title before a bare host name, which is all a page without a site name gives
        host = {urlsplit(link).hostname, metadata.domain(link)}
        named = read.outlet if read.outlet and read.outlet not in host else None
        return dataclasses.replace(read, outlet=named or feed.title or read.outlet), ""

    def _page(self, state: FeedState, now: float, response: Response, html: str) -> Poll:
        """A followed page that names no feed: the page itself is the item, stored when its text changes."""
        read = next(iter(read_html_record(state.url, html, kind="url", url=response.url)))
        if isinstance(read, Skipped):
            return self._failed(state, now, read.reason)
        entry_key = "page:" + content_hash(read)
        if entry_key in self.store().feed_items(state.url, [entry_key]):
            poll = Poll(state.url, "ok", 1, 0, 1)
        else:
            with self._adding:
                [stored] = self.sink([read])
            self.store().mark_feed_items(state.url, [(entry_key, response.url, stored.article_id, stored.reason, True)])
            if stored.article_id is None:
                poll = Poll(state.url, "ok", 1, skipped=(f"{state.url}: {stored.reason}",))
            else:
                poll = Poll(state.url, "ok", 1, int(stored.new), int(not stored.new),
                            (stored.story,) if stored.story else ())
        self.store().save_feed_state(dataclasses.replace(
            state, etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
            polled_at=now, failures=0, retry_at=0.0, status="ok", error=None, items=state.items + poll.new))
        return poll

    def _failed(self, state: FeedState, now: float, why: str, at_least: float = 0.0) -> Poll:
        failures = state.failures + 1
        wait = max(backoff(self.config.watch_interval, failures, self.config.watch_max_backoff),
                   min(at_least, self.config.watch_max_backoff))
        self.store().save_feed_state(dataclasses.replace(
            state, failures=failures, retry_at=now + wait, polled_at=now, status="error", error=why))
        return Poll(state.url, "error", error=why, retry_at=now + wait, failures=failures)

    def _get(self, url: str, headers: Mapping[str, str]) -> Response:
        with self._hosts.turn(url):
            if self.stop.is_set():
                raise FetchError("stopping: the request was not sent")
            return self._fetch(url, headers)


# -------------------------------------------------------------------------------------------- helpers


class _Hosts:
    """One request at a time per host, ``delay`` seconds apart (waiting ends early when stopping)."""

    def __init__(self, delay: float, stop: threading.Event) -> None:
        self.delay, self.stop = delay, stop
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def turn(self, url: str) -> Iterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, -1e9) + self.delay - time.monotonic()
            if wait > 0:
                self.stop.wait(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()


def _retry_after(response: Response, now: float) -> float:
    """Seconds a ``Retry-After`` header asks to wait (a number or an HTTP date); 0 when there is none."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    return 0.0


def _batches(items: Sequence[FeedEntry], size: int) -> Iterator[Sequence[FeedEntry]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


