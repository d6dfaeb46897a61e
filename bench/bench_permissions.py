"""What a permission costs: `require()` per action, and per request the session check plus the user lookup
(`session_user`: HMAC check, one indexed read) on a real SQLite file with 200 accounts. Also one argon2id
hash (what a sign-in costs, on purpose).

Run: .venv/bin/python bench/bench_permissions.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402

from studio import people  # noqa: E402
from studio.people import passwords  # noqa: E402
from studio.services import open_store  # noqa: E402


def per_call_us(call, repeat: int = 20_000) -> float:
    """Median of 5 runs of `repeat` calls, in µs per call."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            call()
        runs.append((time.perf_counter() - started) / repeat * 1e6)
    return statistics.median(runs)


def bench_require() -> None:
    reviewer = people.Actor(7, "Rita", people.Role.REVIEWER, "user", "user:7", "user:7")
    for permission in people.Permission:
        if people.may(reviewer, permission):
            cost = per_call_us(lambda p=permission: people.require(reviewer, p))
            print(f"require(reviewer, {permission.value:<16}) allowed  {cost:6.2f} µs")

    def refused() -> None:
        try:
            people.require(reviewer, people.Permission.SETTINGS)
        except people.PermissionDenied:
            pass

    print(f"require(reviewer, settings        ) refused  {per_call_us(refused, 5_000):6.2f} µs (builds the error)")


def bench_session(tmp: str) -> None:
    # Test-sized argon2 while filling the team: the bench measures the per-request path, not 200 hashes.
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    store = open_store(Path(tmp) / "studio.db")
    operator = people.Actor.cli("bench")
    people.add_user(store, "owner@example.com", "Owner", "owner", actor=operator)
    users = [
        people.add_user(store, f"person{i}@example.com", f"Person {i}", "editor", actor=operator)[0] for i in range(199)
    ]
    key = people.session_key(os.urandom(32))
    token = people.issue_session(users[100], key, 3600)
    print(f"read_session (HMAC, expiry)                {per_call_us(lambda: people.read_session(token, key)):6.2f} µs")

    def request() -> None:
        user = people.session_user(store, token, key)
        assert user is not None
        people.require(people.Actor.for_user(user), people.Permission.EDIT)

    print(f"session_user + Actor.for_user + require    {per_call_us(request, 5_000):6.2f} µs per request")
    store.close()


def bench_hash() -> None:
    hasher = PasswordHasher()
    started = time.perf_counter()
    stored = hasher.hash("correct horse battery staple")
    hashed = time.perf_counter() - started
    started = time.perf_counter()
    hasher.verify(stored, "correct horse battery staple")
    print(
        f"argon2id hash {hashed * 1000:.0f} ms, verify {(time.perf_counter() - started) * 1000:.0f} ms "
        "(m=64 MiB, t=3, p=4: once per sign-in)"
    )


if __name__ == "__main__":
    bench_require()
    with tempfile.TemporaryDirectory() as tmp:
        bench_session(tmp)
    bench_hash()
