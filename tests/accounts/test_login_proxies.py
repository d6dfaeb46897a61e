"""Login lockout behind a reverse proxy: per forwarded client (trusted proxies only), plus a global
cap that slows everyone down but locks nobody out."""

from __future__ import annotations

import pytest

from studio.accounts.access import AccessError, AttemptLimiter, client_key, log_in
from studio.preferences import load_settings

PROXY = "10.0.0.2"


@pytest.fixture
def cfg(monkeypatch):
    monkeypatch.setenv("STUDIO_PASSWORD", "open sesame")
    monkeypatch.setenv("STUDIO_TRUSTED_PROXIES", "10.0.0.0/24, 127.0.0.1")
    return load_settings()


def via_proxy(client: str, cfg) -> str:
    return client_key(PROXY, {"X-Forwarded-For": client}, cfg.trusted_proxies)


def test_an_attacker_behind_the_proxy_locks_out_only_themselves(cfg):
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: 0.0)
    for _ in range(3):
        with pytest.raises(AccessError):
            log_in("guess", cfg, limiter, key=via_proxy("203.0.113.9", cfg))
    with pytest.raises(AccessError) as info:
        log_in("open sesame", cfg, limiter, key=via_proxy("203.0.113.9", cfg))
    assert info.value.code == "rate_limited"
    log_in("open sesame", cfg, limiter, key=via_proxy("198.51.100.7", cfg))  # a teammate still gets in


def test_forwarded_headers_count_only_from_trusted_proxies(cfg):
    # straight from the internet: the header is the client's own invention
    assert client_key("203.0.113.9", {"X-Forwarded-For": "198.51.100.7"}, cfg.trusted_proxies) == "203.0.113.9"
    # through the proxy: the nearest untrusted hop, read right to left (a spoofed left part is ignored)
    spoofed = {"x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.7"}
    assert client_key(PROXY, spoofed, cfg.trusted_proxies) == "203.0.113.9"
    # no trusted proxies configured: the connecting address, whatever the header says
    assert client_key(PROXY, {"X-Forwarded-For": "203.0.113.9"}, "") == PROXY


def test_a_flood_from_everywhere_slows_logins_but_never_blocks_them(cfg):
    slept: list[float] = []
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: 0.0, global_max=10, sleep=slept.append)
    for n in range(40):  # 40 addresses, one wrong password each: no per-client lockout fires
        with pytest.raises(AccessError):
            log_in("guess", cfg, limiter, key=f"198.51.100.{n}")
    assert slept and max(slept) <= limiter.max_delay_s and slept[-1] > slept[0]
    log_in("open sesame", cfg, limiter, key="192.0.2.50")  # slowed down, yet let in
    assert slept[-1] > 0
