"""rashomon.read.fetch: the address rule (checked before any connection, at every redirect hop), a deadline for
the whole fetch, the size cap, conditional requests.

Nothing here sends a byte off this machine: names resolve through a table (or numerically), and every
connection goes through a hook that refuses any address but loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.config import Config
from rashomon.errors import FetchError
from rashomon.model import RawDocument, Skipped
from rashomon.read.fetch import USER_AGENT, FetchPolicy, fetch, refusal
from rashomon.read.ingest import iter_inputs

BODY = ("The council of Kell voted on Monday to rebuild the old harbour wall. The work will take two years, "
        "the mayor said, and will cost 14 million crowns. ") * 3
PAGE = f"<html><head><title>Kell</title></head><body><article><p>{BODY}</p></article></body></html>".encode()
LOOPBACK_ONLY = FetchPolicy(deadline=5, allowed_networks=("127.0.0.1/32",))


class Net:
    """Name resolution from a table (else numeric only: never a DNS query) and connections that may only
    reach loopback; both record what they were asked."""

    def __init__(self, names: dict[str, list[str]] | None = None) -> None:
        self.names = names or {}
        self.resolved: list[str] = []
        self.connected: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.resolved.append(host)
        if host in self.names:
            return self.names[host]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [str(i[4][0]) for i in infos]

    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connected.append(address)
        if not ipaddress.ip_address(address).is_loopback:
            raise AssertionError(f"the fetch tried to connect to {address}")
        return socket.create_connection((address, port), timeout=timeout)

    def fetch(self, url: str, policy: FetchPolicy = LOOPBACK_ONLY, **kw: object):
        return fetch(url, policy, resolve=self.resolve, connect=self.connect, **kw)  # type: ignore[arg-type]


Route = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture()
def server() -> Iterator[tuple[str, dict[str, Route], list[tuple[str, dict[str, str]]]]]:
    """A loopback HTTP server: ``routes[path](handler)`` answers; ``seen`` lists (path, headers) received."""
    routes: dict[str, Route] = {}
    seen: list[tuple[str, dict[str, str]]] = []

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

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda *a: None  # type: ignore[method-assign] # a client that hung up on purpose
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    httpd.shutdown()
    httpd.server_close()


def page(body: bytes = PAGE, status: int = 200, **headers: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            h.send_header(k.replace("_", "-"), v)
        h.end_headers()
        h.wfile.write(body)
    return route


def redirect(location: str, status: int = 302) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return route


# ------------------------------------------------------------------------------------ address rule


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("100.64.0.1", "not a public"), ("224.0.0.251", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("240.0.0.1", "reserved"), ("192.0.2.1", "private"),
    ("::ffff:169.254.169.254", "link-local"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("64:ff9b::a9fe:a9fe", "link-local"), ("2002:a00:1::1", "private"), ("::10.0.0.1", "reserved"),
    ("fec0::1", "site-local"),
])
def test_the_address_rule_refuses_every_non_public_range(address: str, kind: str) -> None:
    why = refusal(ipaddress.ip_address(address))
    assert why is not None and kind in why


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("url, kind", [
    ("http://metadata.test/latest/meta-data/", "link-local"),  # a name resolving to the cloud metadata address
    ("http://intranet.test/", "private"),
    ("http://mixed.test/", "private"),  # one public and one private answer: refused, not tried in turn
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::ffff:a9fe:a9fe]/", "link-local"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one number
    ("http://0x7f.1:8000/", "loopback"),
    ("https://[::1]:8443/", "loopback"),
    ("http://0.0.0.0:80/", "unspecified"),
])
def test_a_refused_address_is_refused_before_any_connection(url: str, kind: str) -> None:
    net = Net({"metadata.test": ["169.254.169.254"], "intranet.test": ["10.0.0.1"],
               "mixed.test": ["93.184.215.14", "10.0.0.1"]})
    start = time.monotonic()
    with pytest.raises(FetchError, match=kind) as info:
        net.fetch(url, FetchPolicy(deadline=5))
    assert net.connected == []  # refused on the resolved address, before connecting
    assert time.monotonic() - start < 2
    assert "--allow-private" in str(info.value)


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(server) -> None:
    base, routes, seen = server
    net = Net({"metadata.test": ["169.254.169.254"]})
    targets = {"/to-metadata": ("http://169.254.169.254/latest/meta-data/", "link-local"),
               "/to-intranet": ("http://10.0.0.1:8080/admin", "private"),
               "/to-mapped": ("http://[::ffff:a9fe:a9fe]/", "link-local"),
               "/to-name": ("http://metadata.test/", "link-local"),
               "/to-loopback": ("http://127.0.0.2:1/", "loopback")}  # loopback, but not the allowed network
    for path, (location, _kind) in targets.items():
        routes[path] = redirect(location, 307 if path == "/to-name" else 302)
    for path, (_location, kind) in targets.items():
        net.connected.clear()
        seen.clear()
        with pytest.raises(FetchError, match=kind):
            net.fetch(base + path)  # the first hop (loopback) is allowed, the redirect is not
        assert net.connected == ["127.0.0.1"], path  # only the first hop was connected to
        assert [p for p, _ in seen] == [path]


def test_allow_private_lets_a_loopback_page_through(server) -> None:
    base, routes, seen = server
    routes["/page"] = page()
    net = Net()
    with pytest.raises(FetchError, match="loopback"):
        net.fetch(base + "/page", FetchPolicy(deadline=5))
    assert net.connected == [] and seen == []
    response = net.fetch(base + "/page", FetchPolicy(deadline=5, allow_private=True))
    assert response.status == 200 and response.body == PAGE


def test_an_ipv6_literal_is_fetched_on_its_own_port() -> None:
    """http://[::1]/ must not be read as host "::" port 1 (http.client parses "host:port" when no port is
    given); served on the IPv6 loopback where the machine has one, the connection hook standing in for 80."""
    try:
        listener = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            request = conn.recv(65536)
            body = request.split(b"\r\n")[1]  # echo the Host header
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    asked: list[tuple[str, int]] = []

    def connect(address: str, wanted: int, timeout: float) -> socket.socket:  # port 80 is served elsewhere
        asked.append((address, wanted))
        return socket.create_connection((address, port), timeout=timeout)

    response = fetch("http://[::1]/", FetchPolicy(deadline=5, allow_private=True), connect=connect)
    assert asked == [("::1", 80)]
    assert response.status == 200 and response.body == b"Host: [::1]"


def test_the_connection_goes_to_the_address_that_was_checked(server) -> None:
    """DNS rebinding: a name answered once with a checked address is not looked up again to connect."""
    base, routes, _ = server
    routes["/page"] = page()
    port = base.rsplit(":", 1)[1]
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])  # the second answer would swap in a private address
    net = Net()
    net.resolve = lambda host, p: (net.resolved.append(host), next(answers))[1]  # type: ignore[method-assign]
    response = net.fetch(f"http://news.test:{port}/page")
    assert response.status == 200 and net.resolved == ["news.test"] and net.connected == ["127.0.0.1"]


# ----------------------------------------------------------------------------------- redirects


def test_redirects_are_followed_up_to_the_limit(server) -> None:
    base, routes, _ = server
    routes["/page"] = page()
    for n in range(1, 4):
        routes[f"/r{n}"] = redirect("/page" if n == 1 else f"/r{n - 1}", 301)
    net = Net()
    response = net.fetch(base + "/r3")
    assert response.status == 200 and response.body == PAGE and response.url == base + "/page"
    with pytest.raises(FetchError, match="too many redirects"):
        net.fetch(base + "/r3", FetchPolicy(deadline=5, max_redirects=2, allowed_networks=("127.0.0.1/32",)))
    routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchError, match="too many redirects"):
        net.fetch(base + "/loop")


def test_a_redirect_to_another_scheme_is_refused(server) -> None:
    base, routes, _ = server
    routes["/ftp"] = redirect("ftp://127.0.0.1/x")
    routes["/file"] = redirect("file:///etc/passwd")
    net = Net()
    for path in ("/ftp", "/file"):
        with pytest.raises(FetchError, match="only http"):
            net.fetch(base + path)


# -------------------------------------------------------------------------------- deadline, size


def _raw_server(reply: Callable[[socket.socket], None]) -> tuple[str, threading.Event]:
    """A loopback TCP server that answers each connection with ``reply`` (in its own thread)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_answer, args=(conn, reply), daemon=True).start()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", stop


def _answer(conn: socket.socket, reply: Callable[[socket.socket], None]) -> None:
    with conn:
        conn.recv(65536)
        with contextlib.suppress(OSError):  # the client hung up: that is the point
            reply(conn)


def _trickle(head: bytes, every: float = 0.1, n: int = 600) -> Callable[[socket.socket], None]:
    def reply(conn: socket.socket) -> None:
        conn.sendall(head)
        for _ in range(n):
            conn.sendall(b"x")
            time.sleep(every)
    return reply


@pytest.mark.parametrize("head", [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n",  # a body byte at a time
    b"HTTP/1.1 200 OK\r\nX-Slow: ",  # headers that never end
])
def test_a_trickling_server_is_cut_at_the_deadline(head: bytes) -> None:
    url, stop = _raw_server(_trickle(head))
    try:
        start = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            Net().fetch(url + "/slow", FetchPolicy(deadline=1.0, allow_private=True))
        took = time.monotonic() - start
    finally:
        stop.set()
    assert 0.9 < took < 4, took  # the server would trickle for 60 s; the 1 s deadline held (slack for a busy machine)


def test_a_tls_handshake_that_never_ends_is_cut_at_the_deadline() -> None:
    url, stop = _raw_server(lambda conn: time.sleep(10))  # accepts, then says nothing
    try:
        start = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            Net().fetch(url.replace("http://", "https://") + "/", FetchPolicy(deadline=1.0, allow_private=True))
    finally:
        stop.set()
    assert time.monotonic() - start < 4


def test_a_declared_oversized_body_is_refused_unread_and_an_undeclared_one_is_cut(server) -> None:
    base, routes, _ = server
    routes["/declared"] = page(b"x" * 50_000)

    def endless(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: the body ends when the server closes
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"y" * 10_000)

    routes["/endless"] = endless
    policy = FetchPolicy(deadline=5, max_bytes=20_000, allowed_networks=("127.0.0.1/32",))
    with pytest.raises(FetchError, match="too large: 0.1 MB"):
        Net().fetch(base + "/declared", policy)
    with pytest.raises(FetchError, match="too large: more than"):
        Net().fetch(base + "/endless", policy)


# ------------------------------------------------------------------------- headers, conditional GET


def test_conditional_requests_return_status_and_headers(server) -> None:
    base, routes, seen = server

    def feed(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.end_headers()
        else:
            page(b"<rss/>", ETag='"v1"', Last_Modified="Mon, 05 Jan 2026 10:00:00 GMT")(h)

    routes["/feed"] = feed
    net = Net()
    first = net.fetch(base + "/feed")
    assert (first.status, first.headers["etag"], first.body) == (200, '"v1"', b"<rss/>")
    assert first.headers["last-modified"] == "Mon, 05 Jan 2026 10:00:00 GMT"
    again = net.fetch(base + "/feed", headers={"If-None-Match": first.headers["etag"]})
    assert (again.status, again.body) == (304, b"")
    assert seen[0][1]["user-agent"] == USER_AGENT and USER_AGENT.startswith("rashomon/")
    assert seen[1][1]["if-none-match"] == '"v1"'


def test_the_user_agent_names_the_version_of_the_package() -> None:
    """read/fetch.py reads the version from the installed package's metadata (importing the package root
    would close an import loop): it must be the version rashomon says it is."""
    from importlib.metadata import PackageNotFoundError, version

    from rashomon import __version__

    try:
        installed = version("rashomon")
    except PackageNotFoundError:
        pytest.skip("rashomon is not installed (run from a source tree): the User-Agent says 0+unknown")
    assert installed == __version__
    assert USER_AGENT.startswith(f"rashomon/{__version__} ")


# ------------------------------------------------------------------------------- ingest and CLI


def test_a_trickled_fetch_input_is_skipped_at_the_deadline() -> None:
    url, stop = _raw_server(_trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9999\r\n\r\n"))
    try:
        start = time.monotonic()
        [skip] = iter_inputs([url + "/slow.html"], Config(fetch=True, fetch_timeout=1, fetch_allow_private=True))
    finally:
        stop.set()
    assert isinstance(skip, Skipped) and "deadline" in skip.reason and time.monotonic() - start < 4


def test_fetch_inputs_refuse_loopback_unless_allowed(server, tmp_path) -> None:
    base, routes, _ = server
    routes["/page.html"] = page()
    [refused] = iter_inputs([base + "/page.html"], Config(fetch=True, fetch_timeout=5))
    assert isinstance(refused, Skipped) and "loopback" in refused.reason and "--allow-private" in refused.reason
    [doc] = iter_inputs([base + "/page.html"], Config(fetch=True, fetch_timeout=5, fetch_allow_private=True))
    assert isinstance(doc, RawDocument) and "council of Kell" in doc.text

    runner = CliRunner()
    db = str(tmp_path / "db.sqlite")
    result = runner.invoke(app, ["ingest", base + "/page.html", "--fetch", "--db", db])
    assert result.exit_code == 1 and "loopback" in result.output
    result = runner.invoke(app, ["ingest", base + "/page.html", "--fetch", "--allow-private", "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
