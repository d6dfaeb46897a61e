"""Dry-run records, the Postproxy request shape and idempotency key, the rate limiter, drafts."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from studio.pinterest.retry import RequestPacer
from studio.publishing import jobs
from studio.publishing.dry_run import DryRunPublisher
from studio.publishing.payload import PublishRequest
from studio.publishing.postproxy import PostproxyPublisher
from tests.support.media import make_video
from tests.support.people import reviewer
from tests.support.publishing import fast_retry

PAYLOAD = {
    "post": {"body": "10 Tips"},
    "profiles": ["pinterest"],
    "media": ["https://example.com/image.jpg"],
    "platforms": {
        "pinterest": {"title": "10 Tips", "board_id": "987654321", "destination_link": "https://example.com/blog"}
    },
}


def test_dry_run_records_the_video_flow_steps(store, tmp_path):
    video = make_video(tmp_path / "v.mp4", seconds=5)
    req = PublishRequest.model_validate({**PAYLOAD, "media": [str(video)]})
    publisher = DryRunPublisher()
    job = jobs.run_job(store, publisher, jobs.create_job(store, req, "dry-run", actor=reviewer()), actor=reviewer())
    assert job["status"] == "published"
    assert [c["step"] for c in publisher.sent] == ["register_media", "upload_media", "poll_media", "create_pin"]
    assert publisher.sent[-1]["json"]["media_source"]["source_type"] == "video_id"


class _Postproxy(BaseHTTPRequestHandler):
    seen: ClassVar[list] = []
    fail_first = 0
    pending_polls = 0  # GET /posts/{id} answers "pending" this many times first
    final = "published"

    def log_message(self, *a):
        pass

    def _post(self, status: str, code: int = 200) -> None:
        platform = {"platform": "pinterest", "status": status}
        if status == "published":
            platform.update(platform_post_id="555", url="https://www.pinterest.com/pin/555/")
        if status == "failed":
            platform["error"] = "Board not found"
        data = json.dumps(
            {"id": "post-1", "status": "processed" if status == "published" else status, "platforms": [platform]}
        ).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        cls = type(self)
        cls.seen.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
        if cls.pending_polls > 0:
            cls.pending_polls -= 1
            return self._post("pending")
        self._post(cls.final)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"method": "POST", "path": self.path, "headers": dict(self.headers), "json": body})
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._post("pending" if type(self).pending_polls else "published", 201)


@pytest.fixture
def postproxy():
    _Postproxy.seen, _Postproxy.fail_first, _Postproxy.pending_polls, _Postproxy.final = [], 0, 0, "published"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Postproxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_postproxy_sends_the_unified_payload_with_one_idempotency_key(store, postproxy):
    _Postproxy.fail_first = 1
    publisher = PostproxyPublisher(httpx.Client(timeout=5), "pp-key", api_base=postproxy, retry=fast_retry())
    job = jobs.run_job(
        store,
        publisher,
        jobs.create_job(store, PublishRequest.model_validate(PAYLOAD), "postproxy", actor=reviewer()),
        actor=reviewer(),
    )
    assert job["status"] == "published" and job["pin_id"] == "555"
    first, second = _Postproxy.seen
    assert first["path"] == "/api/posts" and first["json"]["post"]["body"] == "10 Tips"
    assert first["json"]["platforms"]["pinterest"]["board_id"] == "987654321"
    assert first["headers"]["Authorization"] == "Bearer pp-key"
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]  # a retry reuses it


def postproxy_publisher(base: str, **options) -> PostproxyPublisher:
    return PostproxyPublisher(
        httpx.Client(timeout=5), "pp-key", api_base=base, retry=fast_retry(), poll_base_s=0.01, **options
    )


def test_postproxy_pending_post_is_polled_until_published(store, postproxy):
    _Postproxy.pending_polls = 3
    job = jobs.run_job(
        store,
        postproxy_publisher(postproxy),
        jobs.create_job(store, PublishRequest.model_validate(PAYLOAD), "postproxy", actor=reviewer()),
        actor=reviewer(),
    )
    assert (job["status"], job["pin_id"], job["pin_url"]) == ("published", "555", "https://www.pinterest.com/pin/555/")
    assert [(s["method"], s["path"]) for s in _Postproxy.seen] == [("POST", "/api/posts")] + [
        ("GET", "/api/posts/post-1")
    ] * 4  # created pending; polled: pending ×3, then published
    assert all(s["headers"]["Authorization"] == "Bearer pp-key" for s in _Postproxy.seen)


def test_postproxy_still_pending_gives_up_and_a_retry_reuses_the_key(store, postproxy):
    _Postproxy.pending_polls = 1000
    publisher = postproxy_publisher(postproxy, poll_timeout_s=0.1)
    job_id = jobs.create_job(store, PublishRequest.model_validate(PAYLOAD), "postproxy", actor=reviewer())
    job = jobs.run_job(store, publisher, job_id, actor=reviewer())
    assert job["status"] == "failed" and job["error_code"] == "postproxy_pending"
    assert "still publishing" in job["error_message"] and job["error_fix"]
    _Postproxy.pending_polls = 0
    again = jobs.retry_job(store, publisher, job_id, actor=reviewer())
    assert again["status"] == "published"
    posts = [s for s in _Postproxy.seen if s["method"] == "POST"]
    assert len(posts) == 2 and posts[0]["headers"]["Idempotency-Key"] == posts[1]["headers"]["Idempotency-Key"]


def test_postproxy_failed_status_names_the_reason(store, postproxy):
    _Postproxy.pending_polls, _Postproxy.final = 1, "failed"
    job = jobs.run_job(
        store,
        postproxy_publisher(postproxy),
        jobs.create_job(store, PublishRequest.model_validate(PAYLOAD), "postproxy", actor=reviewer()),
        actor=reviewer(),
    )
    assert job["status"] == "failed" and job["error_code"] == "postproxy_failed"
    assert "Board not found" in job["error_message"]


def test_a_slow_write_does_not_bunch_the_next_ones_into_a_429(fake, settings, store):
    """The server counts the first create 0.1 s late; spacing alone then puts 11 writes in its
    one-second window. The limiter waits for the window instead: zero 429s."""
    from tests.support.publishing import make_publisher

    fake.write_limit_per_s = 10
    fake.delay("POST", "/pins", 0.1)
    publisher = make_publisher(fake, settings, limiter=RequestPacer(10))
    board = fake.boards[0]["id"]
    for i in range(11):
        req = PublishRequest.model_validate(
            {**PAYLOAD, "platforms": {"pinterest": {"title": f"Pin {i}", "board_id": board}}}
        )
        assert (
            jobs.run_job(
                store, publisher, jobs.create_job(store, req, "pinterest", actor=reviewer()), actor=reviewer()
            )["status"]
            == "published"
        )
    assert fake.rate_limited == 0 and len(fake.pins) == 11


def test_publishers_built_in_one_process_share_one_write_limiter(settings):
    import httpx

    from studio.publishing.pinterest import build

    with httpx.Client() as page_http, httpx.Client() as worker_http:
        a, b = build(settings, page_http), build(settings, worker_http)  # e.g. the Publish page and the worker
    assert a.limiter is b.limiter and a.limiter.interval > 0
