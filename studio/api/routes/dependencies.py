"""What every route is handed: the API's state (settings, vault, media context, processor, a store per server
thread), the caller's API key (authenticated and rate limited), and the error answers the OpenAPI lists."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Header, Request

from studio.api import keys, posts
from studio.api.errors import RateLimited, Unauthorized
from studio.api.processor import Processor
from studio.api.schemas import ErrorOut
from studio.config import Settings
from studio.people import Actor
from studio.secrets import Vault
from studio.services import Services
from studio.storage import Store

if TYPE_CHECKING:  # limits imports this module; media_checks is built by the app
    from studio.api.limits import InflightCap
    from studio.api.media_checks import MediaChecks

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (401, "Missing or wrong API key."),
        (403, "The key's scopes (or its owner's role) don't allow this."),
        (404, "Not found."),
        (409, "Duplicate post, or an Idempotency-Key still in flight."),
        (413, "The body is over STUDIO_API_MAX_JSON_KB, or the key's media would pass STUDIO_API_KEY_QUOTA_MB."),
        (422, "Invalid input: the message names the problem and the fix."),
        (429, "Too many requests for this key: wait `Retry-After` seconds."),
    )
}
TOUCH_EVERY_S = 60  # a key's last-used time is written at most once a minute
ADMITTED_KEY = "api_key"  # where the request guard leaves the key it admitted (the request's scope state)


class KeyRateLimiter:
    """A token bucket per API key: `per_minute` requests, refilled smoothly."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = max(1, per_minute)
        self.rate = self.capacity / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


@dataclass
class ApiState:
    """Built once by `create_app`; routes reach it through `State`."""

    settings: Settings
    services: Services
    vault: Vault
    context: posts.ApiContext  # media downloads and the backend recorded on jobs
    processor: Processor
    limiter: KeyRateLimiter
    creates: ThreadPoolExecutor  # posts being created (their downloads), apart from the threads of other requests
    checks: MediaChecks  # what posts need their media's bytes for, after the 201
    inflight: InflightCap  # posts being created, per key
    touched: dict[str, float] = field(default_factory=dict)  # key id → when its last-used time was written
    _local: threading.local = field(default_factory=threading.local)

    def store(self) -> Store:
        """The calling thread's store (SQLite connections are not shared between server threads)."""
        if getattr(self._local, "store", None) is None:
            self._local.store = self.services.store()
        return self._local.store

    def profile_names(self) -> dict[str, str]:
        return posts.profile_names(self.store())


async def api_state(request: Request) -> ApiState:
    return request.app.state.api


State = Annotated[ApiState, Depends(api_state)]


def admit(state: ApiState, authorization: str | None) -> dict:
    """The key an `Authorization: Bearer KEY` header presents, within its rate limit; raises Unauthorized or
    RateLimited. Run by `limits.RequestGuard` from the headers alone, before any body is read."""
    scheme, _, presented = (authorization or "").partition(" ")
    key = keys.verify_key(state.store(), presented.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        raise Unauthorized()
    wait = state.limiter.take(key["id"])
    if wait:
        raise RateLimited(
            f"Too many requests for this API key (limit {state.settings.api_rate_limit} a minute).",
            retry_after_s=max(1, math.ceil(wait)),
        )
    return key


async def authenticated(request: Request, state: State, authorization: Annotated[str | None, Header()] = None) -> dict:
    """The caller's API key (`Authorization: Bearer KEY`), within its rate limit: the one the request guard
    admitted (it checks before the body is read), else checked here."""
    key = request.scope.get("state", {}).get(ADMITTED_KEY) or admit(state, authorization)
    if time.monotonic() - state.touched.get(key["id"], -1e9) > TOUCH_EVERY_S:
        state.touched[key["id"]] = time.monotonic()
        keys.touch(state.store(), key["id"])
    return key


Key = Annotated[dict, Depends(authenticated)]


async def caller(state: State, key: Key) -> Actor:
    """Who the request acts as: the key's owner, with the key's scopes (resolved on every request, so a
    role change or a disabled owner applies at once). Run on the event loop, as `authenticated`: two indexed
    lookups cost less than a hop to a worker thread."""
    return keys.key_actor(state.store(), key)


Caller = Annotated[Actor, Depends(caller)]
