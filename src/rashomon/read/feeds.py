"""RSS and Atom feeds as records: the feed's title and language and each entry's id, link, title, date and
text. One parser for the two readers of feeds: a feed file given as input (:func:`rashomon.read.ingest.read_feed`,
one article per entry) and the feed follower (``rashomon watch``, :mod:`rashomon.run.watch`), which needs
the entries whose text is empty too, since it fetches each entry's page for the full text.

A document feedparser cannot read at all, or that holds no entry and is not well-formed, is *malformed*
(:attr:`ParsedFeed.error`); a valid feed with no entries is only empty. A web page that names its feed
(``<link rel="alternate" type="application/rss+xml" href=...>``) gives it by :func:`discover`.

>>> feed = parse_feed('<rss><channel><title>Kell Post</title><item><title>Quay reopens</title>'
...                   '<link>https://kellpost.example/quay</link><description>The quay of Kell reopened.'
...                   '</description></item></channel></rss>')
>>> feed.title, [(e.key, e.title, e.text) for e in feed.entries]
('Kell Post', [('https://kellpost.example/quay', 'Quay reopens', 'The quay of Kell reopened.')])
>>> discover('<head><link rel="alternate" type="application/atom+xml" href="/feed.atom"></head>',
...          "https://kellpost.example/news/")
'https://kellpost.example/feed.atom'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from . import extract

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed. ``text`` is plain text (markup taken out), ``body`` the content as given;
    ``key`` names the entry across polls (its id, else its link, else a digest of its title and text)."""

    index: int  # 1-based, in the feed's order
    key: str
    id: str | None
    link: str | None
    title: str | None
    date: str | None
    body: str
    text: str
    from_html: bool
    language: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title, declared language and entries; ``error`` says why a document is not a feed at all."""

    title: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    error: str | None = None
    recovered: str | None = None  # not well-formed, but entries could be read: what was wrong


def parse_feed(text: str) -> ParsedFeed:
    """The entries of an RSS or Atom document (feedparser, which recovers what it can of broken markup)."""
    import feedparser

    try:
        feed = feedparser.parse(text)
    except Exception as exc:  # noqa: BLE001 - feedparser raises on some markup (a character reference past
        # U+10FFFF is a ValueError from chr()): one bad feed must not stop a run
        return ParsedFeed(None, None, (), f"malformed feed: {type(exc).__name__}: {exc}")
    problem = str(feed.get("bozo_exception")) if feed.get("bozo") else None
    if not feed.entries and problem:
        return ParsedFeed(None, None, (), f"malformed feed: {problem}")
    title = _text(feed.feed.get("title")).strip() or None
    declared = _text(feed.feed.get("language")) or None  # a hint: the text decides (read/language.py)
    return ParsedFeed(title, declared, tuple(_entry(i + 1, e, declared) for i, e in enumerate(feed.entries)),
                      recovered=problem)


def _entry(index: int, entry: dict[str, object], declared: str | None) -> FeedEntry:
    found = entry.get("content")
    contents = list(found) if isinstance(found, list | tuple) else []
    body = " ".join(_text(c.get("value")) for c in contents if isinstance(c, dict)).strip()
    body = body or _text(entry.get("summary")) or _text(entry.get("description"))
    from_html = "<" in body and ">" in body
    plain = (extract.html_fragment_text(body) if from_html else body).strip()
    title = _text(entry.get("title")).strip() or None
    link = _text(entry.get("link")).strip() or None
    ident = _text(entry.get("id")).strip() or None
    first = contents[0] if contents else {}
    language = _text(first.get("language") if isinstance(first, dict) else None) or declared
    key = ident or link or "digest:" + hashlib.sha1(f"{title}\x1f{plain}".encode()).hexdigest()[:20]
    return FeedEntry(index, key, ident, link, title, _struct_date(entry.get("published_parsed")
                                                                  or entry.get("updated_parsed")),
                     body, plain, from_html, language)


def _text(value: object) -> str:
    """A feed field as text: feedparser leaves a field of an empty element as None (an empty <description>
    beside markup it could not place), which is no text at all."""
    return value if isinstance(value, str) else ""


def _struct_date(value: object) -> str | None:
    if not value:
        return None
    try:
        y, m, d = value[:3]  # type: ignore[index]
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    except (TypeError, ValueError):
        return None


def looks_like_feed(text: str, content_type: str = "") -> bool:
    """Whether a fetched document is a feed (by its media type, else by its first element).

    >>> looks_like_feed("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"), looks_like_feed("<html>")
    (True, False)
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES or kind.endswith(("+xml", "/xml")) and "html" not in kind:
        return True
    head = text.lstrip()[:1000].lower()
    return head.startswith("<?xml") and any(tag in head for tag in ("<rss", "<feed", "<rdf")) or \
        head.startswith(("<rss", "<feed", "<rdf"))


def discover(html: str, base_url: str) -> str | None:
    """The feed a web page names as its alternate (RSS, Atom), as an absolute URL; None when it names none."""
    finder = _AlternateFinder()
    try:
        finder.feed(html[:500_000])  # the <head>: a page's feed link is near its top
        finder.close()
    except Exception:  # noqa: BLE001 - html.parser tolerates nearly anything; a page it cannot read names no feed
        return None
    return urljoin(base_url, finder.found) if finder.found else None


class _AlternateFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None or tag != "link":
            return
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        rel = values.get("rel", "").lower().split()
        if "alternate" in rel and values.get("type", "").lower() in FEED_TYPES and values.get("href"):
            self.found = values["href"]
