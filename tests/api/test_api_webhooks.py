"""Webhooks: managed through the SDK, signed deliveries the SDK's own `verify_signature` accepts, events its
`parse_event` reads, retries with backoff, and a delivery log."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from postproxy import PlatformParams, ValidationError, parse_event, verify_signature
from postproxy._types import PinterestParams, PlatformPostData, PostProcessedData

from studio.api import posts, webhooks
from tests.support.api import Api, start_api, wait_for
from tests.support.publishing import fast_retry, make_publisher


class Receiver:
    """A loopback endpoint that records every delivery; answers 500 to the first `fail_first` ones."""

    def __init__(self, fail_first: int = 0) -> None:
        self.got: list[tuple[str, dict]] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.got.append((body, dict(self.headers)))
                status = 500 if len(receiver.got) <= receiver.fail_first else 204
                self.send_response(status)
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


@pytest.fixture
def receiver():
    r = Receiver(fail_first=1)
    yield r
    r.close()


def test_events_are_signed_parsed_retried_and_logged(api, host, receiver, monkeypatch):
    monkeypatch.setattr(webhooks, "BACKOFF_S", (0.1,))
    hook = api.call(lambda c: c.webhooks.create(receiver.url, ["*"], description="cms"))
    assert hook.secret and hook.secret.startswith("whsec_")
    assert api.call(lambda c: c.webhooks.get(hook.id)).secret is None  # shown once
    post = api.call(
        lambda c: c.posts.create(
            "Hooked",
            ["pinterest"],
            media=[host.url("p0.jpg")],
            platforms=PlatformParams(pinterest=PinterestParams(title="Hooked", board_id="Ideas")),
        )
    )
    wait_for(lambda: {json.loads(b)["type"] for b, _h in receiver.got} >= {"post.processed", "platform_post.published"})
    for body, headers in receiver.got:
        assert verify_signature(body, headers["X-PostProxy-Signature"], hook.secret)
        assert not verify_signature(body, headers["X-PostProxy-Signature"], "whsec_other")
    events = {parse_event(b).type: parse_event(b) for b, _h in receiver.got}
    published = PlatformPostData.model_validate(events["platform_post.published"].data)
    processed = PostProcessedData.model_validate(events["post.processed"].data)
    assert published.post_id == post.id and published.status == "published" and published.platform_id
    assert processed.id == post.id and processed.status == "processed"

    def retried() -> list:
        log = api.call(lambda c: c.webhooks.deliveries(hook.id)).data
        return log if any(d.attempt_number == 2 and d.success for d in log) else []

    log = wait_for(retried)  # the first answer was a 500: the delivery is retried (after its backoff)
    assert all(d.success for d in log)


def test_a_failed_publish_is_announced(api, host, receiver, api_settings, monkeypatch):
    receiver.fail_first = 0
    api.call(lambda c: c.webhooks.create(receiver.url, ["platform_post.failed", "post.processed"]))
    from studio.publishing.dry_run import DryRunPublisher

    def refuse(self, request, **kw):
        from studio.errors import PublishError

        raise PublishError("Pinterest refused the pin.", fix="Check the board.", code="pinterest_refused")

    monkeypatch.setattr(DryRunPublisher, "publish", refuse)
    post = api.call(
        lambda c: c.posts.create(
            "Nope",
            ["pinterest"],
            media=[host.url("p1.jpg")],
            platforms=PlatformParams(pinterest=PinterestParams(title="Nope", board_id="Ideas")),
        )
    )
    wait_for(lambda: len(receiver.got) >= 2)
    failed = next(parse_event(b) for b, _h in receiver.got if json.loads(b)["type"] == "platform_post.failed")
    assert failed.data["post_id"] == post.id and failed.data["error"] == "Pinterest refused the pin."
    got = api.call(lambda c: c.posts.get(post.id))
    assert got.status == "processed" and got.platforms[0].status == "failed"
    assert got.platforms[0].error_details.postproxy_note.startswith("pinterest_refused")


def test_pinterest_down_on_the_first_try_is_announced_as_waiting_then_retried_and_published(
    fake, host, api_settings, receiver, monkeypatch
):
    receiver.fail_first = 0
    monkeypatch.setattr(posts, "RETRY_BACKOFF_S", (0.3,))  # 30 s in real life
    board = fake.add_board("Retry Board")
    fake.fail("POST", "/pins", status=503, body={"code": 0, "message": "Service unavailable"})
    publisher = make_publisher(fake, api_settings, retry=fast_retry(max_attempts=1))  # one HTTP try per run
    server, key, app = start_api(api_settings, publisher=publisher)
    api = Api(server, key, app)
    try:
        hook = api.call(lambda c: c.webhooks.create(receiver.url, ["*"]))
        post = api.call(
            lambda c: c.posts.create(
                "Soup for a rainy day",
                ["pinterest"],
                media=[host.url("p0.jpg")],
                platforms=PlatformParams(pinterest=PinterestParams(title="Rainy soup", board_id=board["id"])),
            )
        )
        types = lambda: [json.loads(b)["type"] for b, _h in receiver.got]  # noqa: E731
        wait_for(lambda: "post.processed" in types())
        got = api.call(lambda c: c.posts.get(post.id))
    finally:
        server.stop()
    assert types() == ["platform_post.failed_waiting_for_retry", "platform_post.published", "post.processed"]
    for body, headers in receiver.got:
        assert verify_signature(body, headers["X-PostProxy-Signature"], hook.secret)
    waiting, published = (PlatformPostData.model_validate(parse_event(b).data) for b, _h in receiver.got[:2])
    assert waiting.post_id == post.id and waiting.status == "failed"
    assert "temporary problem" in waiting.error and "503" in waiting.error
    assert published.status == "published" and published.platform_id
    assert got.status == "processed" and got.platforms[0].status == "published"
    assert len(fake.calls("POST", "/pins")) == 2 and len(fake.pins) == 1  # retried once, one pin
    assert published.platform_id == next(iter(fake.pins))


def test_retries_stop_after_their_budget_and_the_post_fails_for_good(api, host, receiver, monkeypatch):
    receiver.fail_first = 0
    monkeypatch.setattr(posts, "RETRY_BACKOFF_S", (0.1,))
    from studio.errors import PublishError
    from studio.publishing.dry_run import DryRunPublisher

    tries = []

    def down(self, request, **kw):
        tries.append(1)
        raise PublishError(
            "Pinterest had a temporary problem (HTTP 503).", code="pinterest_unavailable", retryable=True
        )

    monkeypatch.setattr(DryRunPublisher, "publish", down)
    api.call(lambda c: c.webhooks.create(receiver.url, ["*"]))
    post = api.call(
        lambda c: c.posts.create(
            "Down",
            ["pinterest"],
            media=[host.url("p1.jpg")],
            platforms=PlatformParams(pinterest=PinterestParams(title="Down", board_id="Ideas")),
        )
    )
    types = lambda: [json.loads(b)["type"] for b, _h in receiver.got]  # noqa: E731
    wait_for(lambda: "post.processed" in types())
    api.kick()
    time.sleep(0.4)  # a few more processor passes: nothing is retried any more
    got = api.call(lambda c: c.posts.get(post.id))
    retries = posts.AUTO_RETRIES  # the listing's triggers hold the same budget (tests/api/test_api_listing.py)
    assert types() == ["platform_post.failed_waiting_for_retry"] * retries + ["platform_post.failed", "post.processed"]
    assert len(tries) == retries + 1  # the first run and each retry, then no more
    assert got.status == "processed" and got.platforms[0].status == "failed"
    assert got.platforms[0].error_details.postproxy_note.startswith("pinterest_unavailable")


def test_webhooks_are_updated_listed_and_deleted(api):
    hook = api.call(lambda c: c.webhooks.create("https://example.com/h", ["post.processed"]))
    changed = api.call(lambda c: c.webhooks.update(hook.id, enabled=False, events=["platform_post.failed"]))
    assert changed.enabled is False and changed.events == ["platform_post.failed"]
    assert [h.id for h in api.call(lambda c: c.webhooks.list()).data] == [hook.id]
    with pytest.raises(ValidationError):
        api.call(lambda c: c.webhooks.create("ftp://x", ["post.processed"]))
    with pytest.raises(ValidationError):
        api.call(lambda c: c.webhooks.create("https://example.com/h", ["comment.created"]))
    assert api.call(lambda c: c.webhooks.delete(hook.id)).deleted is True
    assert api.call(lambda c: c.webhooks.list()).data == []


def test_a_keys_webhooks_hear_only_about_its_own_posts(api, host, api_settings):
    from tests.support.api import make_key

    mine, theirs = Receiver(), Receiver()
    try:
        other = make_key(api_settings, "blog", scopes=["posts:draft", "webhooks"])["key"]
        api.call(lambda c: c.webhooks.create(mine.url, ["*"]))
        api.call(lambda c: c.webhooks.create(theirs.url, ["*"]), key=other)
        api.call(
            lambda c: c.posts.create(
                "Mine only",
                ["pinterest"],
                media=[host.url("p1.jpg")],
                platforms=PlatformParams(pinterest=PinterestParams(title="Mine only", board_id="Ideas")),
            )
        )
        wait_for(lambda: {json.loads(b)["type"] for b, _h in mine.got} >= {"post.processed"})
        time.sleep(0.5)  # deliveries of one event go out together: the other key's would be here by now
        assert theirs.got == []
    finally:
        mine.close()
        theirs.close()
