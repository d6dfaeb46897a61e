"""The Pinterest client's waits: backoff between retries, and the write limiter that keeps under the rate limit."""

from __future__ import annotations

from studio.pinterest import RequestPacer, RetryPolicy


def test_rate_limiter_spaces_writes():
    clock = [0.0]
    limiter = RequestPacer(10, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    for _ in range(21):
        limiter.acquire()
    assert clock[0] >= 2.0  # 20 gaps at ≤ 10/s


def test_rate_limiter_waits_a_window_after_a_late_answer():
    clock = [0.0]
    limiter = RequestPacer(10, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    sent = []
    for i in range(11):
        limiter.acquire()
        sent.append(clock[0])
        if i == 0:
            clock[0] += 0.1  # the first write is answered (and counted by the server) late
        limiter.done()
    assert sent[10] >= 0.1 + 1.0  # never 11 writes inside one server-side second


def test_backoff_grows_with_jitter_and_is_capped():
    policy = RetryPolicy(base_s=1, cap_s=8)
    for attempt, ceiling in ((1, 1), (2, 2), (3, 4), (4, 8), (9, 8)):
        delays = {policy.delay(attempt) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1
