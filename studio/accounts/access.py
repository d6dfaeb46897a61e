"""Who may reach the studio: loopback by default; any other bind needs STUDIO_PASSWORD.

The password check is constant-time and rate-limited (failures lock the door for a while).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable

from studio.config import Settings
from studio.errors import StudioError

# Addresses only this machine can reach. "::1" is the IPv6 loopback: as private as 127.0.0.1.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class AccessError(StudioError):
    code = "access_denied"


def is_loopback(host: str) -> bool:
    return host.strip().strip("[]").lower() in LOOPBACK


def check_bind(host: str, password: str | None) -> None:
    """Refuse to serve on a reachable address without a password."""
    if is_loopback(host) or (password or "").strip():
        return
    raise AccessError(
        f"Refusing to start on {host}: anyone who can reach this address could use your Pinterest accounts.",
        fix="Set STUDIO_PASSWORD to a password (then restart), or bind to 127.0.0.1 (the default).",
        code="password_required",
    )


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (digests first, so the length doesn't leak either)."""
    a = hashlib.sha256(given.encode()).digest()
    b = hashlib.sha256(expected.encode()).digest()
    return hmac.compare_digest(a, b)


class AttemptLimiter:
    """Allows `max_failures` wrong passwords, then locks out for `lockout_s`, doubling each time."""

    def __init__(
        self, max_failures: int = 5, lockout_s: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures, self.lockout_s, self.clock = max(1, max_failures), lockout_s, clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lockouts: dict[str, int] = {}

    def wait_s(self, key: str) -> float:
        """Seconds until `key` may try again (0 when it may now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def failed(self, key: str) -> None:
        with self._lock:
            count = self._failures.get(key, 0) + 1
            if count >= self.max_failures:
                rounds = self._lockouts.get(key, 0)
                self._locked_until[key] = self.clock() + self.lockout_s * (2 ** min(rounds, 10))
                self._lockouts[key] = rounds + 1
                count = 0
            self._failures[key] = count

    def succeeded(self, key: str) -> None:
        with self._lock:
            for table in (self._failures, self._locked_until, self._lockouts):
                table.pop(key, None)


# One limiter per server process: a new browser session must not get fresh attempts.
_LIMITER: AttemptLimiter | None = None
_LIMITER_GUARD = threading.Lock()


def shared_limiter(settings: Settings) -> AttemptLimiter:
    global _LIMITER
    with _LIMITER_GUARD:
        if _LIMITER is None:
            _LIMITER = AttemptLimiter(settings.login_max_failures, settings.login_lockout_s)
        return _LIMITER


def password_required(settings: Settings) -> bool:
    return bool(settings.password and settings.password.get_secret_value())


def log_in(given: str, settings: Settings, limiter: AttemptLimiter, key: str = "all") -> None:
    """Accept the password or raise AccessError (wrong, or too many attempts: wait)."""
    wait = limiter.wait_s(key)
    if wait > 0:
        raise AccessError(
            "Too many wrong passwords.", fix=f"Wait {int(wait) + 1} s, then try again.", code="rate_limited"
        )
    expected = settings.password.get_secret_value() if settings.password else ""
    if expected and password_matches(given, expected):
        limiter.succeeded(key)
        return
    limiter.failed(key)
    raise AccessError(
        "That password is not right.", fix="Ask whoever set STUDIO_PASSWORD for this studio.", code="wrong_password"
    )
