"""Backoff with jitter and a client-side write-rate limiter, both injectable so tests run fast."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from studio.config import Settings


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter, capped; Retry-After wins when the server sends it."""

    max_attempts: int = 5
    base_s: float = 1.0
    cap_s: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_attempts=max(1, settings.publish_max_attempts),
            base_s=settings.publish_backoff_base_s,
            cap_s=settings.publish_backoff_cap_s,
        )

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None and retry_after >= 0:
            return retry_after  # the server knows its window better than our cap does
        ceiling = min(self.cap_s, self.base_s * (2 ** (attempt - 1)))
        return self.rng.uniform(ceiling / 2, ceiling)  # "equal jitter": never zero, spreads clients


class RequestPacer:
    """Spaces calls evenly at `rate` per second (thread-safe); `rate <= 0` disables it.

    Spacing alone is not enough: the server counts a write when it arrives, which can be later
    than we sent it (a slow first request bunches the next ones into one window). So a call also
    waits until `window_s` has passed since the answer to the call `ceil(rate)` calls back: by
    then the server has certainly counted that one outside the current window."""

    # Stay a hair under the configured rate: server windows and our clock never line up exactly.
    SAFETY = 0.97

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        window_s: float = 1.0,
    ) -> None:
        self.interval = 1.0 / (rate * self.SAFETY) if rate > 0 else 0.0
        self.window_s = window_s
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._answered: deque[float] = deque(maxlen=max(1, math.ceil(rate)) if rate > 0 else 1)
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until the next call may go out."""
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            if len(self._answered) == self._answered.maxlen:
                slot = max(slot, self._answered[0] + self.window_s)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)

    def done(self) -> None:
        """A limited call got its answer (or failed): the server has counted it by now."""
        if self.interval:
            with self._lock:
                self._answered.append(self._clock())


_SHARED: dict[tuple, RequestPacer] = {}
_SHARED_LOCK = threading.Lock()


def shared_pacer(rate: float, key: str) -> RequestPacer:
    """One limiter per API base and rate in this process: the Publish page, the worker thread and a
    bulk batch each build their own publisher, but Pinterest counts their writes together."""
    with _SHARED_LOCK:
        return _SHARED.setdefault((key, rate), RequestPacer(rate))


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (Pinterest documents none, but proxies send it)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
