"""A post is answered once its media is stored and judged from its header (`pending`); its pixels are checked
after the 201: then it is a draft in Review (or queued), or it fails as `media_processing_failed` and its
webhook says so. One key's slow media links can't hold the server: a cap on its posts in flight (429), and
downloads in a pool of their own with a deadline, while every other request is answered."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from postproxy import PlatformParams
from postproxy._types import PinterestParams

from studio.api import posts
from studio.models import DraftFilter, DraftStatus
from studio.services import open_store
from tests.support.api import make_key, start_api, wait_for
from tests.support.media import make_image


class Receiver:
    """A loopback webhook endpoint recording every delivery's JSON body."""

    def __init__(self) -> None:
        self.got: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Drip(socketserver.ThreadingTCPServer):
    """Answers every request with headers, then one body byte a second (for a minute); counts requests."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        drip = self
        self.requests = 0
        self.stop = threading.Event()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                drip.requests += 1
                try:
                    self.request.recv(65536)
                    self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
                    for _ in range(60):
                        if drip.stop.wait(1.0):
                            return
                        self.request.sendall(b"x")
                except OSError:
                    pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server_address[1]}/slow.jpg"

    def close(self) -> None:
        self.stop.set()
        self.shutdown()
        self.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def drip():
    server = Drip()
    yield server
    server.close()


def _pin(title: str) -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(title=title, board_id="Ideas"))


def _damaged_png(path):
    """A PNG whose header reads fine and whose pixel data is cut in the middle (damage only a decode finds)."""
    make_image(path, (400, 600), fmt="PNG", colour=(10, 120, 200))
    data = path.read_bytes()
    idat = data.index(b"IDAT")
    path.write_bytes(data[: idat + 40] + b"\0" * 64 + data[idat + 104 :])
    return path


def _review_ids(settings) -> list[int]:
    store = open_store(settings.db_path)
    try:
        drafts, _total = store.query_drafts(DraftFilter(statuses=[DraftStatus.DRAFT, DraftStatus.IN_REVIEW]))
        return [d.id for d in drafts]
    finally:
        store.close()


def test_a_post_is_pending_until_its_media_decodes_then_waits_in_review(api, host, api_settings):
    post = api.call(
        lambda c: c.posts.create(
            "Checked after", ["pinterest"], media=[host.url("p1.jpg")], platforms=_pin("A"), draft=True
        ),
        settle=False,
    )
    assert post.status in ("pending", "draft")  # pending when answered; the check may be done by now
    done = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id), settle=False)).status == "draft" and p)
    assert done.media[0].status == "processed"
    store = open_store(api_settings.db_path)
    try:
        row = posts.get_row(store, post.id)
        assert store.get_draft(row["draft_id"]).status is DraftStatus.IN_REVIEW
        assert row["draft_id"] in _review_ids(api_settings)
        assert posts.sql_status(store, post.id) == posts.statuses(row)[0] == "draft"
    finally:
        store.close()


def test_media_damaged_mid_file_fails_after_the_answer_with_its_webhook_and_never_reaches_review(
    api, host, receiver, api_settings
):
    _damaged_png(host.root / "cut.png")
    api.call(lambda c: c.webhooks.create(receiver.url, ["platform_post.failed", "post.processed"]))
    post = api.call(
        lambda c: c.posts.create(
            "Cut short", ["pinterest"], media=[host.url("cut.png")], platforms=_pin("B"), draft=True
        ),
        settle=False,
    )
    assert post.status in ("pending", "media_processing_failed")  # a 201: the header was fine
    failed = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).status == "media_processing_failed" and p)
    platform = failed.platforms[0]
    assert platform.status == "failed" and "damaged" in platform.error
    assert platform.error_details.postproxy_note.startswith("media_processing_failed")
    assert failed.media[0].status == "failed"
    api.kick()
    wait_for(lambda: len(receiver.got) >= 2)
    kinds = {event["type"]: event["data"] for event in receiver.got}
    assert kinds["platform_post.failed"]["post_id"] == post.id and "damaged" in kinds["platform_post.failed"]["error"]
    assert kinds["post.processed"]["status"] == "media_processing_failed"
    store = open_store(api_settings.db_path)
    try:
        row = posts.get_row(store, post.id)
        assert row["draft_id"] not in _review_ids(api_settings)
        assert store.get_draft(row["draft_id"]).status is DraftStatus.DRAFT
        assert posts.sql_status(store, post.id) == "media_processing_failed"
    finally:
        store.close()
    listed = httpx.get(
        f"{api.url}/api/posts",
        params={"status": "media_processing_failed"},
        headers={"Authorization": f"Bearer {api.key}"},
    ).json()
    assert [p["id"] for p in listed["data"]] == [post.id] and listed["total"] == 1


def test_a_media_pending_draft_is_not_in_review(store, tmp_path, data_dir):
    from studio.drafts import save_draft
    from studio.media import finish_check, ingest_path
    from tests.support.people import owner

    image = make_image(tmp_path / "in.jpg", (1000, 1500))
    from studio.media import check_path

    asset, _dup = ingest_path(store, data_dir, image, "in.jpg", report=check_path(image, decode=False), deferred=True)
    draft = save_draft(store, None, {"media_id": asset.id, "title": "Soon", "board": "Ideas"}, actor=owner())
    shown = lambda: [d.id for d in store.query_drafts(DraftFilter(statuses=[DraftStatus.DRAFT]))[0]]  # noqa: E731
    assert draft.id not in shown() and store.media_check_state(asset.id) == "checking"
    assert finish_check(store, data_dir, asset).ok
    assert draft.id in shown() and store.media_check_state(asset.id) is None


def test_one_key_may_have_only_so_many_posts_in_flight(api_settings, drip, monkeypatch):
    monkeypatch.setenv("STUDIO_API_MAX_INFLIGHT_PER_KEY", "2")
    monkeypatch.setenv("STUDIO_API_MEDIA_DEADLINE_S", "4")
    from studio.preferences import load_settings

    server, key, _app = start_api(load_settings())
    try:
        url = f"{server.url}/api/posts"

        def send(n: int) -> httpx.Response:
            body = {
                "post": {"body": f"Drip {n}"},
                "media": [drip.url],
                "platforms": {"pinterest": {"title": "D", "board_id": "B"}},
            }
            return httpx.post(url, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)

        with ThreadPoolExecutor(3) as pool:
            slow = [pool.submit(send, n) for n in range(2)]
            wait_for(lambda: drip.requests >= 2)
            refused = send(9)
            answers = [f.result() for f in slow]
        assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
        assert (
            refused.json()["code"] == "too_many_in_flight"
            and "STUDIO_API_MAX_INFLIGHT_PER_KEY" in refused.json()["fix"]
        )
        # the slow ones end at the media deadline, with a clear refusal
        assert [a.status_code for a in answers] == [422, 422]
        assert all(a.json()["code"] == "download_failed" and "4 s" in a.json()["error"] for a in answers)
        assert send(10).status_code == 422  # the key's slots are free again
    finally:
        server.stop()


def test_posts_whose_media_drips_never_stop_the_api_answering_others(api_settings, drip, monkeypatch):
    monkeypatch.setenv("STUDIO_API_MEDIA_DEADLINE_S", "20")
    from studio.preferences import load_settings

    settings = load_settings()
    server, key, _app = start_api(settings)
    other = make_key(settings, "other", scopes=["posts:draft"])["key"]
    try:

        def send(n: int) -> int:
            body = {
                "post": {"body": f"Drip {n}"},
                "media": [drip.url],
                "platforms": {"pinterest": {"title": "D", "board_id": "B"}},
            }
            return httpx.post(
                f"{server.url}/api/posts", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60
            ).status_code

        with ThreadPoolExecutor(42) as pool:
            sent = [pool.submit(send, n) for n in range(42)]
            wait_for(lambda: drip.requests >= settings.api_max_inflight_per_key)
            started = time.monotonic()
            answer = httpx.get(f"{server.url}/api/profiles", headers={"Authorization": f"Bearer {other}"}, timeout=30)
            took = time.monotonic() - started
            assert answer.status_code == 200 and answer.json()["data"]
            assert took < 5, f"GET /api/profiles took {took:.1f} s while another key's media dripped"
            assert not all(f.done() for f in sent)  # the drips were still in flight
            drip.stop.set()  # let the held posts end
            codes = [f.result() for f in sent]
        assert codes.count(429) >= 42 - settings.api_max_inflight_per_key
    finally:
        server.stop()
