"""What one client may cost the API before a route runs: the request guard, a pure ASGI middleware.

It works from the request's headers first, so an unauthenticated client costs a header parse and a key
lookup, never a body: `/api/…` and `/openapi.json` need a key (checked and rate limited here, answered 401 or
429 before a byte of the body is read). Then the body: multipart posts (`POST /api/posts`) stream to disk as
they arrive (api/uploads.py caps each file at 2 GB); every other body is read here up to
`STUDIO_API_MAX_JSON_KB` (413 beyond, at once when Content-Length says so) and its JSON nesting is capped
(`MAX_JSON_DEPTH`: a deep `[[[[…]]]]` would exhaust the parsers' recursion), then handed on as it came.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studio.api.errors import PayloadTooLarge, RateLimited
from studio.api.routes.dependencies import ADMITTED_KEY, ApiState, admit
from studio.errors import StudioError, ValidationError

# The deepest JSON any route takes is 4 levels (platforms → pinterest → alt_text list); 32 leaves room for a
# client's extra fields while staying far below the recursion limits of the JSON parser and pydantic.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)  # brackets inside strings don't nest anything
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


def needs_key(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


def streams_body(scope: Scope, headers: dict[str, str]) -> bool:
    """The one request whose body may be large: a multipart post, parsed as it arrives."""
    multipart = headers.get("content-type", "").lower().startswith("multipart/form-data")
    return multipart and scope["method"] == "POST" and scope["path"] == "/api/posts"


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep (strings don't count)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # what nearly every request is: too few brackets to be that deep
    depth = 0
    for bracket in _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        if depth > limit:
            return True
    return False


class RequestGuard:
    """Key, rate limit, body size and JSON depth, checked before the app reads anything (module docstring).

    `render` turns a StudioError into the API's error response (the app's one mapping, `app.error_response`).
    """

    def __init__(self, app: ASGIApp, *, state: ApiState, render: Callable[[StudioError], Response]) -> None:
        self.app = app
        self.state = state
        self.render = render
        self.max_body = state.settings.api_max_json_kb * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            if needs_key(scope["path"]):
                scope.setdefault("state", {})[ADMITTED_KEY] = admit(self.state, headers.get("authorization"))
            if not streams_body(scope, headers):
                body = await self._capped_body(headers, receive)
                if body is None:
                    return  # the client went away
                receive = _replay(body, receive)
        except StudioError as exc:
            await self.render(exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _capped_body(self, headers: dict[str, str], receive: Receive) -> bytes | None:
        """The whole body, at most `max_body` bytes (PayloadTooLarge beyond), its JSON not too deep."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise self._too_large()  # nothing read: the client said how much it would send
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if too_deep(body):
            raise ValidationError(
                f"The JSON body nests more than {MAX_JSON_DEPTH} levels deep.",
                fix="Send the post as the API documents it (its deepest field is 4 levels down).",
                code="json_too_deep",
            )
        return body

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"The request body is over {self.state.settings.api_max_json_kb} KB.",
            fix="Send media as links or as multipart file uploads, not inside JSON "
            "(STUDIO_API_MAX_JSON_KB sets the limit).",
        )


class InflightCap:
    """At most `per_key` posts of one API key being created at once (STUDIO_API_MAX_INFLIGHT_PER_KEY): a
    client whose media links drip bytes holds a few of the create pool's threads, never all of them."""

    RETRY_AFTER_S = 2

    def __init__(self, per_key: int) -> None:
        self.per_key = max(1, per_key)
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, key_id: str) -> Iterator[None]:
        """One create of `key_id`, for the time of the block; RateLimited (429) when it has `per_key` already."""
        with self._lock:
            if self._counts.get(key_id, 0) >= self.per_key:
                raise RateLimited(
                    f"This API key already has {self.per_key} posts being created; wait for one to finish.",
                    fix="Send posts one after another (or a few at a time), or raise STUDIO_API_MAX_INFLIGHT_PER_KEY.",
                    code="too_many_in_flight",
                    retry_after_s=self.RETRY_AFTER_S,
                )
            self._counts[key_id] = self._counts.get(key_id, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._counts[key_id] - 1
                if left:
                    self._counts[key_id] = left
                else:
                    del self._counts[key_id]

    def in_flight(self, key_id: str) -> int:
        with self._lock:
            return self._counts.get(key_id, 0)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then waits on the client as the original does."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


__all__ = ["MAX_JSON_DEPTH", "InflightCap", "RequestGuard", "needs_key", "streams_body", "too_deep"]
