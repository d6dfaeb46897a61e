"""Media links cannot reach inside the network (every hop checked) and a dripping server can't outlast
the download deadline."""

from __future__ import annotations

import time

import httpx
import pytest

from studio.bulk.media_check import MediaChecker
from studio.errors import MediaError
from studio.media.fetch import REFUSED_MESSAGE, default_client, fetch_url
from tests.fakes.media_server import MediaServer
from tests.support.media import make_image


@pytest.fixture
def internal(tmp_path):
    """An "internal service" holding a secret, and a redirector pointing at it and at cloud metadata."""
    image = make_image(tmp_path / "secret.jpg").read_bytes()
    with MediaServer({"/secret.jpg": image, "/admin": (500, b"internal admin: db password")}) as service:
        port = service.url.rsplit(":", 1)[1]
        redirects = {
            "/to-internal": ("redirect", service.url + "/secret.jpg"),
            "/to-metadata": ("redirect", "http://169.254.169.254/latest/meta-data/"),
            "/to-any": ("redirect", f"http://0.0.0.0:{port}/secret.jpg"),
            "/to-mapped": ("redirect", f"http://[::ffff:169.254.169.254]:{port}/"),
        }
        with MediaServer(redirects) as redirector:
            yield service, redirector


def hits(server) -> int:
    return len(server.sent)


@pytest.mark.parametrize("path", ["/secret.jpg", "/admin", "/nothing"])
def test_an_internal_address_is_refused_by_default_with_one_message(internal, data_dir, path):
    service, _ = internal
    port = service.url.rsplit(":", 1)[1]
    for url in (service.url + path, f"http://localhost:{port}{path}", f"http://[::ffff:127.0.0.1]:{port}{path}"):
        with default_client(5) as http, pytest.raises(MediaError) as err:
            fetch_url(url, data_dir, http=http)
        # the same words whatever is behind the address: no status, no content, no "connection refused"
        assert err.value.code == "download_failed" and err.value.message == REFUSED_MESSAGE
    assert hits(service) == 0


def test_a_plain_injected_client_is_guarded_too(internal, data_dir):
    service, _ = internal
    with httpx.Client(timeout=5) as http, pytest.raises(MediaError) as err:
        fetch_url(service.url + "/secret.jpg", data_dir, http=http)
    assert err.value.message == REFUSED_MESSAGE and hits(service) == 0


def test_the_setting_lets_private_addresses_through(internal, data_dir, monkeypatch):
    service, _ = internal
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    with default_client(5) as http:
        assert fetch_url(service.url + "/secret.jpg", data_dir, http=http).stat().st_size > 0


@pytest.mark.parametrize("hop", ["/to-metadata", "/to-any", "/to-mapped"])
def test_every_redirect_hop_is_checked_even_when_private_is_allowed(internal, data_dir, hop, monkeypatch):
    service, redirector = internal
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")  # the redirector on loopback may be reached
    with default_client(5) as http, pytest.raises(MediaError) as err:
        fetch_url(redirector.url + hop, data_dir, http=http)
    assert err.value.message == REFUSED_MESSAGE and hits(service) == 0


def test_a_redirect_into_the_network_is_refused_by_default(internal, data_dir):
    service, redirector = internal
    with pytest.raises(MediaError) as err:
        fetch_url(redirector.url + "/to-internal", data_dir, http=httpx.Client(timeout=5), allow_private=False)
    assert err.value.message == REFUSED_MESSAGE and hits(service) == 0 and hits(redirector) == 0


def test_csv_media_urls_pointing_inside_are_refused(internal, data_dir):
    service, _ = internal
    with default_client(5) as http:
        check = MediaChecker(http, data_dir / "bulk").check_one(service.url + "/secret.jpg")
    assert not check.ok and check.errors[0].code == "download_failed" and hits(service) == 0


@pytest.fixture
def drip():
    with MediaServer({"/drip.mp4": ("drip", "body"), "/headers": ("drip", "headers")}) as server:
        yield server.url


def test_a_server_dripping_bytes_is_cut_at_the_deadline(drip, data_dir):
    started = time.monotonic()
    with default_client(5, allow_private=True) as http, pytest.raises(MediaError) as err:
        fetch_url(drip + "/drip.mp4", data_dir, http=http, deadline_s=2.0, allow_private=True)
    elapsed = time.monotonic() - started
    assert err.value.code == "download_failed" and "longer than 2 s" in err.value.message
    assert elapsed < 3.0, f"the download ran {elapsed:.1f} s past a 2 s deadline"


def test_a_server_dripping_its_headers_is_cut_at_the_deadline(drip, data_dir):
    started = time.monotonic()
    with default_client(5, allow_private=True) as http, pytest.raises(MediaError) as err:
        fetch_url(drip + "/headers", data_dir, http=http, deadline_s=2.0, allow_private=True)
    elapsed = time.monotonic() - started
    assert err.value.code == "download_failed" and "longer than 2 s" in err.value.message
    assert elapsed < 3.0, f"the download ran {elapsed:.1f} s past a 2 s deadline"
