"""Which door a studio puts before its pages (none, the shared password, a person's own sign-in), a
reachable bind with studio accounts, and the lockout around a person's sign-in: per client and per account."""

from __future__ import annotations

import pytest

from studio import people
from studio.accounts.access import AccessError, AttemptLimiter, check_bind, door_for, sign_in_user
from studio.preferences import load_settings

pytestmark = pytest.mark.usefixtures("quick_hashes")


def add(store, email: str, role: str, password: str = "a long password") -> people.User:
    user, one_time = people.add_user(store, email, email.split("@")[0], role, actor=people.Actor.cli("tests"))
    return people.change_password(store, user.id, one_time, password)


def test_the_door_follows_who_uses_the_studio(store, monkeypatch):
    cfg = load_settings()
    assert door_for(store, cfg, "127.0.0.1") == "open"  # one person, as the studio always was
    assert door_for(store, cfg, "0.0.0.0") == "refuse"  # reachable, nobody could be kept out
    monkeypatch.setenv("STUDIO_PASSWORD", "open sesame")
    with_password = load_settings()
    assert door_for(store, with_password, "0.0.0.0") == "password"  # no account yet: the shared password
    add(store, "olga@example.com", "owner")
    assert door_for(store, cfg, "127.0.0.1") == "open"  # one account on loopback: its owner, no sign-in
    assert door_for(store, cfg, "0.0.0.0") == "accounts"
    assert door_for(store, with_password, "127.0.0.1") == "accounts"  # accounts replace the password
    add(store, "ed@example.com", "editor")
    assert door_for(store, cfg, "127.0.0.1") == "accounts"  # a second person: everyone signs in


def test_a_reachable_bind_with_an_owner_account_needs_no_shared_password():
    check_bind("0.0.0.0", None, has_owner=True)
    with pytest.raises(AccessError) as refused:
        check_bind("0.0.0.0", None)
    assert "pinstudio users add" in refused.value.fix and "STUDIO_PASSWORD" in refused.value.fix


def test_wrong_passwords_lock_out_the_client_and_the_account_not_the_team(store):
    add(store, "olga@example.com", "owner", "olga's password")
    add(store, "ed@example.com", "editor", "ed's long password")
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: 0.0)
    for _ in range(3):
        with pytest.raises(people.SignInError):
            sign_in_user(store, "ed@example.com", "guess", limiter, "203.0.113.9")
    with pytest.raises(AccessError) as locked:  # that client, even with the right password
        sign_in_user(store, "ed@example.com", "ed's long password", limiter, "203.0.113.9")
    assert locked.value.code == "rate_limited"
    with pytest.raises(AccessError):  # that account, from another address too
        sign_in_user(store, "ED@example.com", "ed's long password", limiter, "198.51.100.7")
    # a teammate elsewhere signs in
    assert (
        sign_in_user(store, "olga@example.com", "olga's password", limiter, "198.51.100.7").email == "olga@example.com"
    )


def test_guessing_across_accounts_from_one_client_is_locked_out_too(store):
    add(store, "olga@example.com", "owner", "olga's password")
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: 0.0)
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        with pytest.raises(people.SignInError):
            sign_in_user(store, email, "guess", limiter, "203.0.113.9")
    with pytest.raises(AccessError):
        sign_in_user(store, "olga@example.com", "olga's password", limiter, "203.0.113.9")
    assert len(people.audit_entries(store, action="sign_in_failed")) == 3  # a locked-out try is not even tried


def test_a_success_clears_the_failures_of_that_client_and_account(store):
    add(store, "ed@example.com", "owner", "ed's long password")
    limiter = AttemptLimiter(max_failures=3, lockout_s=30, clock=lambda: 0.0)
    for _ in range(2):
        with pytest.raises(people.SignInError):
            sign_in_user(store, "ed@example.com", "guess", limiter, "10.0.0.5")
    sign_in_user(store, "ed@example.com", "ed's long password", limiter, "10.0.0.5")
    for _ in range(2):  # counting starts again
        with pytest.raises(people.SignInError):
            sign_in_user(store, "ed@example.com", "guess", limiter, "10.0.0.5")
    assert sign_in_user(store, "ed@example.com", "ed's long password", limiter, "10.0.0.5")
