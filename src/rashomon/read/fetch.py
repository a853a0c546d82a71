"""Downloading one web resource under a policy: the ``--fetch`` inputs and the feed follower (``rashomon watch``).

One GET, with redirects followed by hand, under four rules (:class:`FetchPolicy`):

* a **deadline** for the whole fetch (resolving, connecting, every redirect, every byte), not a timeout
  per socket read: a server trickling a byte a second is cut when the deadline passes;
* a **size cap**: a declared ``Content-Length`` over it is refused before the body is read, and reading
  stops one byte past it;
* at most ``max_redirects`` redirects, each to http(s) only;
* an **address rule**: no loopback, link-local, private, shared (CGNAT), multicast, reserved or
  unspecified address, in IPv4 or IPv6, including IPv4 addresses carried in IPv6 ones (IPv4-mapped,
  NAT64, 6to4). It is checked on every address the host name resolves to, before connecting, at every
  redirect hop, and the connection is made to the address that was checked (the Host header and the TLS
  server name stay the host name), so a DNS answer that changes between check and connect (rebinding)
  cannot move the request. ``allow_private`` lifts the rule; ``allowed_networks`` lifts it for the
  networks listed (an intranet's news server).

A refusal is a :class:`~rashomon.errors.FetchError` raised before any connection is attempted. Any final
status comes back as a :class:`Response` (status, headers, body), and extra request headers are sent as
given, so a caller can make conditional requests (``If-None-Match`` / ``If-Modified-Since``, answered 304).

>>> refusal(ipaddress.ip_address("169.254.169.254"))
'169.254.169.254 is a link-local address'
>>> refusal(ipaddress.ip_address("::ffff:10.0.0.1"))
'10.0.0.1 is a private address (inside ::ffff:a00:1)'
>>> refusal(ipaddress.ip_address("93.184.215.14")) is None
True
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from ..errors import FetchError

if TYPE_CHECKING:
    from ..config import Config

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _version() -> str:
    """rashomon's version as installed (pyproject.toml's, the same as ``rashomon.__version__``). Read from
    the package metadata, not imported from the package root: the root re-exports the runner, which reads
    inputs through this module, so that import would close a loop (tests/test_layout.py)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rashomon")
    except PackageNotFoundError:  # a source tree on PYTHONPATH that was never installed
        return "0+unknown"


USER_AGENT = f"rashomon/{_version()} (local-first news analysis)"
REDIRECTS = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_READ = 65536

Resolver = Callable[[str, int], list[str]]  # (host, port) -> the addresses it resolves to
Connector = Callable[[str, int, float], socket.socket]  # (checked address, port, timeout) -> connected socket


@dataclass(frozen=True)
class FetchPolicy:
    """What one fetch may do. ``deadline`` is seconds for the whole fetch, redirects included."""

    deadline: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = USER_AGENT

    @classmethod
    def from_config(cls, config: Config) -> FetchPolicy:
        """The policy of the ``fetch_*`` settings."""
        return cls(deadline=config.fetch_timeout, max_bytes=config.fetch_max_bytes,
                   max_redirects=config.fetch_max_redirects, allow_private=config.fetch_allow_private,
                   allowed_networks=config.fetch_allowed_networks)


@dataclass(frozen=True)
class Response:
    """The final answer of a fetch: its URL (after redirects), status, headers (lower-case names) and body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def refusal(address: IPAddress) -> str | None:
    """Why the address rule refuses an address, or None when it is a public one.

    >>> refusal(ipaddress.ip_address("::1"))
    '::1 is a loopback address'
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
                                        if address in _NAT64 else None)
        if inner is not None:
            why = refusal(inner)
            return f"{why} (inside {address})" if why else None
        if address.sixtofour is not None and (why := refusal(address.sixtofour)):
            return f"{why} (inside {address})"
        if address.is_site_local:
            return f"{address} is a site-local address"
    for attribute, kind in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"),
                            ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                            ("is_reserved", "reserved"), ("is_private", "private")):
        if getattr(address, attribute):
            return f"{address} is a{'n' * (kind[0] in 'aeiou')} {kind} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the system resolver), in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly this address (no further name resolution)."""
    return socket.create_connection((address, port), timeout=timeout)


def fetch(url: str, policy: FetchPolicy | None = None, headers: Mapping[str, str] | None = None, *,
          resolve: Resolver = system_resolve, connect: Connector = open_socket) -> Response:
    """GET ``url`` under ``policy``; redirects are followed (each hop checked again), any other status is
    returned. Raises :class:`FetchError` for a refused address, a passed deadline, an oversized body, too
    many redirects, or a network failure. ``resolve`` and ``connect`` are the name lookup and the TCP
    connect (tests replace them to see what would be connected to)."""
    policy = policy or FetchPolicy()
    deadline = _Deadline(policy.deadline)
    try:
        for _hop in range(policy.max_redirects + 1):
            response = _get(url, policy, headers or {}, deadline, resolve, connect)
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            url = urljoin(url, location.strip())
        raise FetchError(f"too many redirects (more than {policy.max_redirects})", "The page redirects in a loop.")
    finally:
        deadline.cancel()


def _get(url: str, policy: FetchPolicy, extra: Mapping[str, str], deadline: _Deadline, resolve: Resolver,
         connect: Connector) -> Response:
    """One request: check the URL and the addresses its host resolves to, connect to a checked one."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"refusing to fetch {url!r}: only http(s) URLs are fetched")
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"malformed URL {url!r}: {exc}") from exc
    if not host:
        raise FetchError(f"malformed URL {url!r}: no host")
    addresses = _checked(host, port, url, policy, deadline, resolve)
    sock = _connect(addresses, port, deadline, connect, url)
    try:
        if parts.scheme == "https":
            deadline.watch(sock)
            sock.settimeout(deadline.left())
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        deadline.watch(sock)
        conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_class(host, port, timeout=deadline.left())  # the port given: "::1" is not "host:port"
        conn.sock = sock  # already connected to the checked address: http.client must not resolve again
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~") + (
            "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?") if parts.query else "")
        conn.request("GET", target, headers={"User-Agent": policy.user_agent, "Accept": "*/*", **extra})
        answer = conn.getresponse()
        headers = {k.lower(): v for k, v in answer.getheaders()}
        if answer.status in REDIRECTS and headers.get("location"):
            return Response(url, answer.status, headers)
        return Response(url, answer.status, headers, _body(answer, policy, deadline))
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.passed():
            raise deadline.error() from None
        raise FetchError(f"fetch failed: {exc or type(exc).__name__}") from exc
    finally:
        sock.close()


def _checked(host: str, port: int, url: str, policy: FetchPolicy, deadline: _Deadline,
             resolve: Resolver) -> list[str]:
    """The addresses ``host`` resolves to, each passed by the address rule (else FetchError, unconnected)."""
    try:
        literal: list[str] | None = [str(ipaddress.ip_address(host))]
    except ValueError:
        literal = None
    addresses = literal or deadline.run(lambda: resolve(host, port), f"resolving {host!r}")
    if not addresses:
        raise FetchError(f"cannot resolve {host!r}")
    allowed = [ipaddress.ip_network(n, strict=False) for n in policy.allowed_networks]
    for text in addresses:
        address = ipaddress.ip_address(text)
        if policy.allow_private or any(address in net for net in allowed if net.version == address.version):
            continue
        why = refusal(address)
        if why:
            raise FetchError(f"refused {url!r}: {why}",
                             "Pass --allow-private (or set fetch_allow_private) to fetch from such addresses.")
    return addresses


def _connect(addresses: list[str], port: int, deadline: _Deadline, connect: Connector, url: str) -> socket.socket:
    failure: OSError | None = None
    for address in addresses:
        try:
            return connect(address, port, deadline.left())
        except OSError as exc:
            failure = exc
    if deadline.passed():
        raise deadline.error()
    raise FetchError(f"fetch failed: cannot connect to {url!r}: {failure}")


def _body(answer: http.client.HTTPResponse, policy: FetchPolicy, deadline: _Deadline) -> bytes:
    length = answer.getheader("content-length")
    if length and length.strip().isdigit() and int(length) > policy.max_bytes:
        raise FetchError(f"page too large: {int(length) / 1e6:.1f} MB > {policy.max_bytes / 1e6:g} MB limit",
                         "Raise fetch_max_bytes if needed.")
    parts: list[bytes] = []
    size = 0
    while chunk := answer.read1(_READ):
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"page too large: more than {policy.max_bytes / 1e6:g} MB",
                             "Raise fetch_max_bytes if needed.")
        parts.append(chunk)
        deadline.left()
    if deadline.passed():  # the watchdog shut the socket: what was read is cut short
        raise deadline.error()
    return b"".join(parts)


class _Deadline:
    """The time left to a fetch, and a watchdog that shuts the current socket when it runs out, so a read
    blocked on a trickling server returns at the deadline rather than at the next byte."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left; FetchError once none are."""
        remaining = self.end - time.monotonic()
        if remaining <= 0 or self.expired:
            self.expired = True
            raise self.error()
        return remaining

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.end

    def error(self) -> FetchError:
        return FetchError(f"fetch took longer than its {self.seconds:g} s deadline",
                          "Raise fetch_timeout if the site is that slow.")

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def run(self, work: Callable[[], list[str]], what: str) -> list[str]:
        """``work`` in a helper thread, waited for until the deadline (name resolution has no timeout)."""
        box: dict[str, object] = {}

        def target() -> None:
            try:
                box["value"] = work()
            except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = exc

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(self.left())
        if thread.is_alive():
            self.expired = True
            raise self.error()
        error = box.get("error")
        if isinstance(error, OSError):
            raise FetchError(f"fetch failed: {what}: {error.strerror or error}") from error
        if isinstance(error, Exception):
            raise FetchError(f"fetch failed: {what}: {error}") from error
        value = box.get("value")
        if not isinstance(value, list):
            raise FetchError(f"fetch failed: {what}: the resolver gave {type(value).__name__}, not a list")
        return value

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also under a TLS wrapper
