"""The address guard: which addresses a typed URL may reach, and that the checked address is the one used."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from studio import netguard

REFUSED_ALWAYS = [
    "169.254.169.254",  # cloud metadata
    "::ffff:169.254.169.254",  # the same, IPv4-mapped
    "64:ff9b::a9fe:a9fe",  # the same, through NAT64
    "fe80::1",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "240.0.0.1",
]
PRIVATE = ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "fc00::1",
           "100.64.0.1", "2002:7f00:1::"]  # fmt: skip
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]


@pytest.mark.parametrize("address", REFUSED_ALWAYS)
def test_link_local_multicast_reserved_are_refused_even_when_private_is_allowed(address):
    assert not netguard.check_address(address)
    assert not netguard.check_address(address, allow_private=True)


@pytest.mark.parametrize("address", PRIVATE)
def test_private_and_loopback_only_with_the_setting(address):
    assert not netguard.check_address(address)
    assert netguard.check_address(address, allow_private=True)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert netguard.check_address(address)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "2130706433", "0x7f.1", "[::1]", "[::ffff:7f00:1]"])
def test_every_spelling_of_loopback_resolves_to_a_refusal(host):
    with pytest.raises(netguard.AddressRefused):
        netguard.pin_request(httpx.Request("GET", f"http://{host}:9/x"))


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (self.headers.get("Host") or "").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def echo():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(echo, monkeypatch):
    lookups = []
    real = socket.getaddrinfo

    def counting(host, *args, **kwargs):
        lookups.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    with netguard.guarded_client(allow_private=True, timeout=5) as http:
        response = http.get(f"http://localhost:{echo}/x")
    assert response.text == f"localhost:{echo}"  # the server sees the original Host
    # one name lookup (the guard's); the socket was opened on its answer, an address literal (no DNS)
    assert lookups[0] == "localhost" and len(lookups) == 2 and lookups[1] in ("127.0.0.1", "::1")
    assert response.url.host == "localhost"  # callers see the URL they asked for


def test_guarded_client_refuses_loopback_by_default_and_the_server_sees_nothing(echo):
    with netguard.guarded_client(allow_private=False, timeout=5) as http, pytest.raises(netguard.AddressRefused):
        http.get(f"http://127.0.0.1:{echo}/x")


def test_tls_server_name_stays_the_original_host():
    pinned = netguard.pin_request(httpx.Request("GET", "https://localhost:8443/a"), allow_private=True)
    assert pinned.url.host in ("127.0.0.1", "::1") and pinned.extensions["sni_hostname"] == "localhost"
    assert pinned.headers["host"] == "localhost:8443"
