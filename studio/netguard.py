"""The one guard in front of every fetch of a URL someone typed (media links, landing pages, CSV cells).

A typed URL must never make the studio reach inside its own network: loopback, link-local (cloud
metadata at 169.254.169.254), private ranges, reserved or multicast addresses. The host is resolved
once, every resolved address is checked, and the connection goes to the address that was checked
(the request is re-addressed to that IP; the Host header and the TLS server name stay the original
host, so certificates are still verified against it). There is no second DNS lookup for a rebinding
attacker to answer differently. Redirects are not followed by the client: callers follow them hop by
hop through `send_guarded`, so each hop is resolved and checked again.

`STUDIO_FETCH_ALLOW_PRIVATE=true` lets private and loopback addresses through (media served from your
own network; the project's tests). Link-local, multicast, reserved and unspecified addresses are
refused whatever the setting.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

__all__ = [
    "LOOPBACK",
    "AddressRefused",
    "GuardedTransport",
    "Watchdog",
    "allow_private_default",
    "check_address",
    "deadline",
    "guarded_client",
    "is_loopback",
    "pin_request",
    "resolve_checked",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the IPv4 address sits in the last 32 bits (RFC 6052)

# Bind addresses only this machine can reach. "::1" is the IPv6 loopback: as private as 127.0.0.1.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host: str) -> bool:
    """Whether a bind address (as typed: `127.0.0.1`, `[::1]`, `localhost`) is reachable from this machine only."""
    return host.strip().strip("[]").lower() in LOOPBACK


class AddressRefused(httpx.ConnectError):
    """The URL's host is (or resolves to) an address the studio does not fetch from.

    Deliberately carries no detail: callers answer every refusal with one generic message. It is an
    `httpx.ConnectError`, so code that only knows httpx treats it as a connection that never happened.
    """

    def __init__(self, message: str = "address refused", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


def allow_private_default() -> bool:
    """`STUDIO_FETCH_ALLOW_PRIVATE` as the settings read it (environment, `.env`; not a saved preference)."""
    from studio.config import environment_settings

    return environment_settings().fetch_allow_private


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (IPv4-mapped, 6to4, Teredo client, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_address(ip: IPAddress | str, *, allow_private: bool = False) -> bool:
    """True when the studio may connect to `ip`."""
    ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False  # a zone id (fe80::1%eth0) only makes sense on the local link
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return check_address(embedded, allow_private=allow_private)
    if ip.is_loopback:  # before `is_reserved`: ::1 sits in the reserved ::/8
        return allow_private
    # never, whatever the setting: cloud metadata, "this host", multicast, reserved ranges
    if ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return False
    if isinstance(ip, ipaddress.IPv4Address) and ip == ipaddress.IPv4Address("255.255.255.255"):
        return False
    if ip.is_private or ip in _SHARED_ADDRESS_SPACE or not ip.is_global:
        return allow_private
    return True


def resolve_checked(host: str, port: int, *, allow_private: bool = False) -> str:
    """Resolve `host` once and return the address to connect to; raises AddressRefused.

    Every address the name resolves to must pass: a name that answers with one public and one
    internal address is refused rather than gambling on which one a retry would use.
    """
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise AddressRefused() from None
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0])
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            raise AddressRefused() from None
        if not check_address(ip, allow_private=allow_private):
            raise AddressRefused()
        addresses.append(ip)
    if not addresses:
        raise AddressRefused()
    return str(addresses[0])


def pin_request(request: httpx.Request, *, allow_private: bool = False) -> httpx.Request:
    """A copy of `request` addressed to the checked IP of its host; raises AddressRefused.

    The Host header is kept from the original request and the TLS server name (SNI, and the name the
    certificate is checked against) is the original host, through httpcore's `sni_hostname` extension.
    """
    url = request.url
    if url.scheme not in ("http", "https"):
        raise AddressRefused()
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    ip = resolve_checked(host, port, allow_private=allow_private)
    if ipaddress.ip_address(ip) == _literal(host):
        return request  # already an address literal (and now checked)
    extensions = dict(request.extensions)
    extensions.setdefault("sni_hostname", host)
    return httpx.Request(
        request.method,
        url.copy_with(host=ip),
        headers=request.headers,  # carries the original Host header
        stream=request.stream,
        extensions=extensions,
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


_deadlines = threading.local()


@contextlib.contextmanager
def deadline(at: float) -> Iterator[None]:
    """Every network wait of this thread's requests through a guarded client ends by `at` (time.monotonic):
    each read, write and connect waits at most what is left, so a server that drips bytes (in its status line
    and headers as much as in its body) is cut at `at`, on a fresh connection or a pooled one alike."""
    previous = getattr(_deadlines, "at", None)
    _deadlines.at = at if previous is None else min(at, previous)
    try:
        yield
    finally:
        _deadlines.at = previous


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` capped by what is left of this thread's deadline (raises `error` once it passed)."""
    at = getattr(_deadlines, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("deadline")
    return left if timeout is None else min(timeout, left)


# Linux only. Acknowledge each read at once: a server that writes its headers and body apart (Nagle on) holds
# the body's last segment until the previous one is acknowledged, and a reused connection's delayed ACK makes
# that a 40 ms stall on every download. One setsockopt per read; a fresh connection starts this way anyway.
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every wait ends by the deadline of the thread using it (see `deadline`)."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner
        sock = inner.get_extra_info("socket")
        self._sock = sock if isinstance(sock, socket.socket) and _QUICKACK is not None else None

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)  # type: ignore[arg-type]
        return self.inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None):
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sockets, each wrapped in a `_DeadlineStream`."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None):
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _pooled_transport() -> httpx.HTTPTransport:
    """httpx's own transport (connection reuse per checked address), its sockets under `deadline`."""
    transport = httpx.HTTPTransport()
    # httpx builds the pool without a way to name its network backend: set on the pool it made (httpcore 1.x)
    pool = transport._pool
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that pins every request to a checked address (see the module docstring).

    The client sees the original URL (httpx sets `response.request` to the request it sent), so even a
    client-followed redirect is resolved and checked again here, hop by hop.
    """

    def __init__(self, *, allow_private: bool = False, inner: httpx.BaseTransport | None = None) -> None:
        self.allow_private = allow_private
        self.inner = inner or _pooled_transport()
        self.keeps_deadlines = inner is None  # `deadline` holds on every socket: pooled connections may be reused

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            pinned = pin_request(request, allow_private=self.allow_private)
        except AddressRefused:
            raise AddressRefused(request=request) from None
        return self.inner.handle_request(pinned)

    def close(self) -> None:
        self.inner.close()


def guarded_client(
    *, allow_private: bool | None = None, timeout: float | httpx.Timeout = 30.0, headers: dict | None = None
) -> httpx.Client:
    """An httpx client whose every request goes through the guard; redirects are left to the caller.

    `trust_env=False`: an environment proxy would do its own DNS lookup, out of the guard's reach.
    """
    allow = allow_private_default() if allow_private is None else allow_private
    return httpx.Client(
        transport=GuardedTransport(allow_private=allow),
        timeout=timeout,
        headers=headers,
        follow_redirects=False,
        trust_env=False,
    )


class Watchdog:
    """Shuts a request's sockets down at `deadline` (time.monotonic), even while a read waits on a server
    that drips bytes, in its status line and headers as much as in its body.

    Hand `trace` to httpcore as the request's `trace` extension: it reports each socket it connects, and a
    timer cuts them when time is up (at once if a socket only arrives after that). Send the request with
    `Connection: close` so that no pooled connection, unseen by the watchdog, is reused.
    """

    def __init__(self, deadline: float) -> None:
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._fired = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, object]) -> None:
        if not event.endswith(".complete") or "return_value" not in info:
            return
        get_extra = getattr(info["return_value"], "get_extra_info", None)
        sock = get_extra("socket") if get_extra is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._socks.append(sock)
                fired = self._fired
            if fired:
                _cut(sock)

    def _fire(self) -> None:
        with self._lock:
            self._fired = True
            socks = list(self._socks)
        for sock in socks:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
