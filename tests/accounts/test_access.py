"""The bind/password rule, the constant-time check with rate limiting, and the page gate."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from studio.accounts import access
from studio.accounts.access import AccessError, AttemptLimiter, check_bind, log_in, password_matches
from studio.cli import main
from studio.preferences import load_settings
from tests.support.env import ROOT
from tests.support.shown import read


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_password(host):
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "studio.example.com", "::"])
def test_other_addresses_need_a_password(host):
    with pytest.raises(AccessError) as info:
        check_bind(host, None)
    assert "STUDIO_PASSWORD" in info.value.fix
    check_bind(host, "s3cret")  # with a password it may start


def test_run_refuses_a_public_bind_without_password(capsys, monkeypatch):
    monkeypatch.setenv("STUDIO_HOST", "0.0.0.0")
    assert main(["run", "--no-worker"]) == 2
    err = capsys.readouterr().err
    assert "Refusing to start on 0.0.0.0" in err and "STUDIO_PASSWORD" in err
    assert "Traceback" not in err
    assert main(["run", "--no-worker", "--host", "10.1.2.3"]) == 2


def test_password_comparison():
    assert password_matches("open sesame", "open sesame")
    assert not password_matches("open sesame!", "open sesame")
    assert not password_matches("", "open sesame")


def test_wrong_passwords_lock_the_door_for_a_while(monkeypatch):
    monkeypatch.setenv("STUDIO_PASSWORD", "open sesame")
    cfg = load_settings()
    now = [1000.0]
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(AccessError) as info:
            log_in("guess", cfg, limiter)
        assert info.value.code == "wrong_password"
    # Locked now: even the right password waits, so guessing can't continue at full speed.
    with pytest.raises(AccessError) as info:
        log_in("open sesame", cfg, limiter)
    assert info.value.code == "rate_limited" and "Wait 31 s" in info.value.fix
    now[0] += 31
    # Guessing on after the lockout: the second one lasts twice as long.
    for _ in range(3):
        with pytest.raises(AccessError):
            log_in("guess", cfg, limiter)
    now[0] += 31
    assert limiter.wait_s("all") > 0
    now[0] += 30
    assert limiter.wait_s("all") == 0
    log_in("open sesame", cfg, limiter)  # the right password, once allowed, gets in


def test_limits_are_per_client():
    limiter = AttemptLimiter(max_failures=1, lockout_s=30, clock=lambda: 0.0)
    limiter.failed("10.0.0.1")
    assert limiter.wait_s("10.0.0.1") == 30 and limiter.wait_s("10.0.0.2") == 0


def _app(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(access, "_LIMITER", None)  # a fresh server process
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def test_gate_hides_every_page_until_the_password_is_given(monkeypatch):
    at = _app(monkeypatch, STUDIO_PASSWORD="open sesame").run()
    assert [t.value for t in at.title] == ["🔒 Pinstudio"]
    at.text_input(key="studio_password").input("nope")
    at.button[0].click().run()
    assert "That password is not right." in read(at.error[0].value)
    assert [t.value for t in at.title] == ["🔒 Pinstudio"]
    at.text_input(key="studio_password").input("open sesame")
    at.button[0].click().run()
    assert not at.exception
    assert "🔒 Pinstudio" not in [t.value for t in at.title]
    assert at.title[0].value == "📌 Pinstudio"  # the home page rendered


def test_gate_is_open_on_loopback_without_password(monkeypatch):
    at = _app(monkeypatch).run()
    assert not at.exception
    assert at.title[0].value == "📌 Pinstudio"


def test_gate_refuses_to_render_on_a_public_address_without_password(monkeypatch):
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")  # as if `streamlit run` were started by hand on all interfaces
    try:
        at = _app(monkeypatch).run()
    finally:
        config.set_option("server.address", before)
    assert "without a password" in read(at.error[0].value)
    assert not at.title  # no page rendered
