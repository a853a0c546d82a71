"""A loopback HTTP server of feeds and article pages for the feed follower's tests, and a fetch that may
reach nothing but loopback. The outlets, places and people are invented for these tests."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rashomon.read.fetch import FetchPolicy, Response, fetch

Route = Callable[[BaseHTTPRequestHandler], None]

# one event (a ferry pier closed at Haldam) told by three outlets; the third is a light rewrite of the first
REPORTS = {
    "pier": ("Sorne council closes Haldam ferry pier", "Haldam Courier", "2026-03-03",
             "The town council of Sorne voted on Tuesday to close the old ferry pier at Haldam after an inspection "
             "found deep cracks in its oak pilings. Councillor Mirela Osk said the pier would stay shut for at "
             "least eight months while engineers drew up a plan to rebuild it. The ferry to the island of Vesk "
             "will sail from the fish quay at the north end of the harbour until then, the council said. Repairs "
             "are expected to cost 3.2 million crowns, to be shared between Sorne and the island's own council. "
             "Fishermen at the quay said they feared the ferry traffic would crowd their moorings during the "
             "herring season, and asked the council for a second berth."),
    "ferry": ("Vesk ferry moves to fish quay as pier shuts", "Vesk Island News", "2026-03-03",
              "Ferries to Vesk will leave from the fish quay at Haldam from next week, after Sorne's council shut "
              "the ferry pier on Tuesday. Engineers found cracks in the oak pilings that hold up the pier, the "
              "harbour master, Tomas Brekke, told islanders at a meeting on Wednesday evening. The island council "
              "said it would pay part of the 3.2 million crowns needed to rebuild the pier. Islanders who travel "
              "to the mainland for work said the walk from the fish quay to the bus station was twice as long. "
              "Mirela Osk, the Sorne councillor in charge of the harbour, said a shuttle bus would be laid on."),
    "rewrite": ("Haldam ferry pier shut after cracks found", "Sorne Evening Post", "2026-03-04",
                "Sorne's town council voted on Tuesday to shut the old ferry pier at Haldam after an inspection "
                "found deep cracks in its oak pilings. Councillor Mirela Osk said the pier would remain closed "
                "for at least eight months while engineers draw up a plan to rebuild it. Until then the ferry to "
                "the island of Vesk will sail from the fish quay at the north end of the harbour, the council "
                "said. Repairs are expected to cost 3.2 million crowns, shared between Sorne and the island's own "
                "council. Fishermen at the quay said they feared ferry traffic would crowd their moorings during "
                "the herring season, and asked the council for a second berth."),
    "school": ("Brennick school gets new roof", "Haldam Courier", "2026-03-05",
               "Builders finished the new slate roof of the primary school in Brennick on Thursday, two weeks ahead "
               "of plan. The headteacher, Anneli Sorvo, said the pupils would move back from the church hall on "
               "Monday. The roof cost 410,000 crowns, paid by the county. Parents had raised a further 12,000 "
               "crowns for a covered bicycle shed, which the builders put up in the same fortnight. The old roof "
               "had leaked into two classrooms every winter since the storm of 2019, Sorvo said."),
}


def page_html(key: str) -> bytes:
    """An article page for one of :data:`REPORTS`: its headline, outlet and full text, among some clutter."""
    title, outlet, date, text = REPORTS[key]
    paragraphs = "".join(f"<p>{escape(s.strip())}.</p>" for s in text.split(". ") if s.strip(". "))
    return (f"<!doctype html><html><head><title>{escape(title)} - {escape(outlet)}</title>"
            f'<meta property="og:site_name" content="{escape(outlet)}">'
            f'<meta property="article:published_time" content="{date}"></head><body>'
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{escape(title)}</h1>"
            f"{paragraphs}</article><footer>Copyright {escape(outlet)}</footer></body></html>").encode()


def rss(base: str, title: str, keys: list[str], *, full: bool = False) -> bytes:
    """An RSS feed with one item per report: its title, link to its page and a one-sentence teaser (or the
    whole text with ``full``)."""
    items = []
    for key in keys:
        head, _outlet, date, text = REPORTS[key]
        when = format_datetime(datetime.fromisoformat(date).replace(hour=9, tzinfo=UTC))
        teaser = text if full else text.split(". ")[0] + "."
        items.append(f"<item><title>{escape(head)}</title><link>{base}/news/{key}.html</link>"
                     f"<guid>{base}/news/{key}.html</guid><pubDate>{when}</pubDate>"
                     f"<description>{escape(teaser)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{base}/</link><description>News</description>{''.join(items)}</channel></rss>").encode()


class FeedServer:
    """``routes[path] = handler``; ``seen`` lists (path, headers) of every request. Serves on 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        routes, seen = self.routes, self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign] # a client that hung up on purpose
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [p for p, _ in self.seen]

    def feed(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> None:
        """Serve ``body`` at ``path`` with an ETag and Last-Modified, answering 304 to a matching request."""
        self.routes[path] = document(body, content_type)

    def page(self, key: str, delay: float = 0.0) -> None:
        self.routes[f"/news/{key}.html"] = document(page_html(key), "text/html; charset=utf-8", delay)


def document(body: bytes, content_type: str, delay: float = 0.0) -> Route:
    etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
    modified = "Tue, 03 Mar 2026 10:00:00 GMT"

    def route(h: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("ETag", etag)
        h.send_header("Last-Modified", modified)
        h.end_headers()
        h.wfile.write(body)
    return route


def status(code: int, **headers: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        for name, value in headers.items():
            h.send_header(name.replace("_", "-"), value)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return route


def stall(seconds: float) -> Route:
    """Headers at once, then a body that never comes (until ``seconds`` pass)."""
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "5000")
        h.end_headers()
        with contextlib.suppress(OSError):
            h.wfile.write(b"<?xml version='1.0'?><rss>")
            h.wfile.flush()
            time.sleep(seconds)
    return route


class LoopbackNet:
    """Names resolve numerically only (never a DNS query) and connections may reach loopback only: a fetch
    that tried anything else fails the test. ``connected`` lists every address connected to."""

    def __init__(self) -> None:
        self.connected: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [str(i[4][0]) for i in infos]

    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connected.append(address)
        if not ipaddress.ip_address(address).is_loopback:
            raise AssertionError(f"the follower tried to connect to {address}")
        return socket.create_connection((address, port), timeout=timeout)

    def fetcher(self, policy: FetchPolicy) -> Callable[[str, Mapping[str, str]], Response]:
        return lambda url, headers: fetch(url, policy, headers, resolve=self.resolve, connect=self.connect)
