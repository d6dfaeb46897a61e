"""Remote media against a real HTTP server on loopback: redirects, 404, oversize, slow, schemes."""

from __future__ import annotations

import httpx
import pytest

from studio import constraints
from studio.errors import MediaError
from studio.media.assets import check_path
from studio.media.fetch import fetch_url
from tests.fakes.media_server import MediaServer
from tests.support.media import make_image

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")


@pytest.fixture
def image_data(tmp_path):
    return make_image(tmp_path / "pin.jpg").read_bytes()


@pytest.fixture
def server(image_data):
    routes = {
        "/pin.txt": image_data,  # the extension lies: the content is judged
        "/hop1": ("redirect", "/hop2"),
        "/hop2": ("redirect", "/pin.txt"),
        "/loop": ("redirect", "/loop"),
        "/to-ftp": ("redirect", "ftp://127.0.0.1/pin.jpg"),
        "/gone": (410, b"gone"),
        "/huge": ("stream", 50 * 1024 * 1024),
        "/slow": ("slow", 3),
        "/page.jpg": (200, b"<html>not an image</html>"),
    }
    with MediaServer(routes) as srv:
        yield srv


@pytest.fixture
def http():
    with httpx.Client(timeout=httpx.Timeout(1.0)) as client:
        yield client


def fetch(server, path, data_dir, http, **kw):
    return fetch_url(
        server.url + path, data_dir, http=http, max_bytes=kw.pop("max_bytes", constraints.FETCH_MAX_BYTES), **kw
    )


def test_fetch_judges_content_not_extension(server, data_dir, http, image_data):
    path = fetch(server, "/pin.txt", data_dir, http)
    assert path.read_bytes() == image_data and path.is_relative_to(data_dir)
    assert check_path(path).facts.format == "JPEG"


def test_redirects_are_followed_within_limits(server, data_dir, http, image_data):
    assert fetch(server, "/hop1", data_dir, http).read_bytes() == image_data
    with pytest.raises(MediaError) as err:
        fetch(server, "/loop", data_dir, http)
    assert err.value.code == "download_failed" and "redirects" in err.value.message


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "javascript:alert(1)"])
def test_non_web_schemes_are_refused(data_dir, http, url):
    with pytest.raises(MediaError) as err:
        fetch_url(url, data_dir, http=http, max_bytes=1000)
    assert err.value.code == "download_failed"


def test_redirect_to_another_scheme_is_refused(server, data_dir, http):
    with pytest.raises(MediaError) as err:
        fetch(server, "/to-ftp", data_dir, http)
    assert err.value.code == "download_failed" and "ftp://" in err.value.message


def test_http_errors(server, data_dir, http):
    for path in ("/gone", "/missing"):
        with pytest.raises(MediaError) as err:
            fetch(server, path, data_dir, http)
        assert err.value.code == "download_failed" and "answered 4" in err.value.message


def test_oversize_download_stops_within_one_chunk_of_the_cap(server, data_dir, http):
    cap = 1024 * 1024
    with pytest.raises(MediaError) as err:
        fetch(server, "/huge", data_dir, http, max_bytes=cap)
    assert err.value.code == "file_too_large"
    assert cap < err.value.bytes_read <= cap + constraints.FETCH_CHUNK
    assert not list((data_dir / "downloads").iterdir())  # the partial file is gone


def test_declared_oversize_is_refused_before_reading(server, data_dir, http, image_data):
    with pytest.raises(MediaError) as err:
        fetch(server, "/pin.txt", data_dir, http, max_bytes=len(image_data) - 1)
    assert err.value.code == "file_too_large" and err.value.bytes_read == 0


def test_slow_server_times_out(server, data_dir, http):
    with pytest.raises(MediaError) as err:
        fetch(server, "/slow", data_dir, http)
    assert err.value.code == "download_failed" and "too long" in err.value.message


def test_whole_download_deadline(server, data_dir, http):
    with pytest.raises(MediaError) as err:
        fetch(server, "/huge", data_dir, http, deadline_s=0)
    assert err.value.code == "download_failed"


def test_html_behind_an_image_url_is_unreadable(server, data_dir, http):
    report = check_path(fetch(server, "/page.jpg", data_dir, http))
    assert [i.code for i in report.errors] == ["unreadable"]


def test_a_refused_connection_is_explained_in_plain_words(tmp_path, http):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MediaError) as err:
        fetch_url(f"http://127.0.0.1:{port}/pin.jpg", tmp_path, http=http)
    assert err.value.code == "download_failed" and "Could not reach the server" in err.value.message
    assert "ConnectError" not in err.value.message


def test_a_fetched_page_that_is_not_media_is_refused_and_not_kept(server, tmp_path, http):
    from studio.media.assets import ingest_path
    from studio.services import MIGRATIONS
    from studio.storage import Store

    path = fetch_url(server.url + "/page.jpg", tmp_path, http=http)
    with pytest.raises(MediaError) as err:
        ingest_path(Store.memory(migrations=MIGRATIONS), tmp_path, path, "page.jpg", move=True)
    assert err.value.code == "unreadable"
    assert list((tmp_path / "downloads").iterdir()) == []  # nothing left behind in the data dir
