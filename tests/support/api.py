"""The real HTTP API (uvicorn on a free loopback port) over a temp studio, a key, and the official Postproxy
SDK pointed at it; and a wait for what the API does in the background."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from studio.api import create_key
from studio.api.server import BackgroundServer
from studio.services import open_store
from tests.support.people import owner


class Api:
    """A running API: `url`, a valid `key`, `call(lambda client: client.posts.get(...))` through the SDK."""

    def __init__(self, server: BackgroundServer, key: str, app: Any) -> None:
        self.server, self.key, self.app = server, key, app
        self.url = server.url

    def call(self, fn: Callable[[Any], Awaitable[Any]], key: str | None = None, *, settle: bool = True) -> Any:
        """`fn(client)` through the SDK. A post it returns whose media is still being checked (the API answers
        `pending` and checks the pixels after) is read again until that check is done, as a client waiting
        for the webhook would (`settle=False`: the answer as it came)."""
        from postproxy import PostProxy

        async def run() -> Any:
            async with PostProxy(key or self.key, base_url=self.url) as client:
                result = await fn(client)
                for _ in range(300):
                    if not settle or not _media_pending(result):
                        return result
                    await asyncio.sleep(0.05)
                    result = await client.posts.get(result.id)
                return result

        return asyncio.run(run())

    def kick(self) -> None:
        self.app.state.processor.wake.set()


def _media_pending(result: Any) -> bool:
    media = getattr(result, "media", None) or []
    return bool(media) and getattr(result, "id", None) is not None and any(m.status == "pending" for m in media)


# What the tests' own key may do: publish without review and manage webhooks (as every key could before scopes).
TEST_SCOPES = ("posts:publish", "webhooks")


def make_key(settings, name: str = "tests", scopes=TEST_SCOPES) -> dict:
    """A key made by an owner (`{"id", "name", "key", "scopes"}`)."""
    store = open_store(settings.db_path)
    try:
        return create_key(store, name, actor=owner(), scopes=scopes)
    finally:
        store.close()


def start_api(settings, *, name: str = "tests", scopes=TEST_SCOPES, **options) -> tuple[BackgroundServer, str, Any]:
    from studio.api.app import create_app

    key = make_key(settings, name, scopes)["key"]
    app = create_app(settings, processor_interval_s=0.05, **options)
    return BackgroundServer(app).start(), key, app


def wait_for(check: Callable[[], Any], timeout: float = 15.0, every: float = 0.05) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; last value {value!r}")
        time.sleep(every)


@contextmanager
def running_api(settings, **options) -> Iterator[Api]:
    """The API over `settings` (the dry-run publisher) for as long as the block runs: for a test whose settings
    differ from the `api` fixture's (the guardrails on, a time zone)."""
    server, key, app = start_api(settings, **options)
    try:
        yield Api(server, key, app)
    finally:
        server.stop()
    assert listing_drift(settings) == []  # whatever the test did, each post is listed by its true status


def listing_drift(settings) -> list[dict]:
    """Posts whose stored listing status/time differ from the computed ones (`posts.listing_drift`)."""
    from studio.api import posts

    store = open_store(settings.db_path)
    try:
        return posts.listing_drift(store)
    finally:
        store.close()


def studio_view(api: Api, post_id: str) -> dict:
    """What the API says of a post's studio side (its draft id, status…)."""
    import httpx

    response = httpx.get(f"{api.url}/api/posts/{post_id}", headers={"Authorization": f"Bearer {api.key}"})
    return response.json()["studio"]
