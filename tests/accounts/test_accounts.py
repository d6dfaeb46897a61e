"""Accounts against the fake Pinterest server: connect, several accounts, tokens encrypted at rest,
refresh (before expiry, on a 401, rotation, races, revoked), and "reconnect needed"."""

from __future__ import annotations

import httpx
import pytest

from studio import accounts
from studio.accounts import AccountError
from studio.accounts.connected import AccountTokenSource
from studio.errors import PinterestError, StudioError
from studio.pinterest.oauth import TokenSet
from studio.preferences import load_settings
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.people import owner


def db_bytes(path) -> bytes:
    """Everything SQLite wrote for this database: the file, its WAL and shared memory."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as client:
        yield client


def connect(store, http, fake, *, refresh: bool = True, expires_in: int | None = 2592000):
    cfg = load_settings()
    return accounts.connect(
        store,
        vault_for(cfg),
        http,
        cfg,
        TokenSet(
            access_token=fake.access_token, refresh_token=fake.refresh_token if refresh else None, expires_in=expires_in
        ),
        actor=owner(),
    )


def source(settings, http, name="studio_test", **kw) -> AccountTokenSource:
    return AccountTokenSource(
        lambda: open_store(settings.db_path), vault_for(settings), http, load_settings(**kw), name
    )


def test_connect_verifies_the_token_and_keeps_it_encrypted(pinterest, store, http, settings):
    account = connect(store, http, pinterest)
    assert (account.name, account.account_type, account.status) == ("studio_test", "BUSINESS", "connected")
    assert account.profile_image == "https://i.pinimg.com/75x75_RS/studio_test.jpg"
    assert account.token_hint == "••••" + pinterest.access_token[-4:] and account.can_refresh
    assert pinterest.calls("GET", "/user_account")[0]["authorization"] == f"Bearer {pinterest.access_token}"
    on_disk = db_bytes(settings.db_path)
    assert b"studio_test" in on_disk
    for token in (pinterest.access_token, pinterest.refresh_token):
        assert token.encode() not in on_disk
    assert "pina" not in account.model_dump_json()


def test_a_refused_token_connects_nothing(pinterest, store, http):
    pinterest.access_token = "pina_not_a_real_token"
    with pytest.raises(StudioError) as info:
        connect(store, http, pinterest)
    assert info.value.code == "token_refused" and "pina_not" not in str(info.value)
    assert accounts.list_accounts(store) == []


def test_several_accounts_can_be_connected(pinterest, store, http):
    connect(store, http, pinterest)
    pinterest.username = "second_brand"
    connect(store, http, pinterest, refresh=False)
    assert [a.name for a in accounts.list_accounts(store)] == ["second_brand", "studio_test"]
    assert not accounts.get_account(store, "second_brand").can_refresh
    accounts.remove_account(store, "second_brand", actor=owner())
    assert [a.name for a in accounts.list_accounts(store)] == ["studio_test"]


def test_a_401_refreshes_and_stores_the_rotated_refresh_token(pinterest, store, http, settings):
    connect(store, http, pinterest)
    first_refresh = pinterest.refresh_token
    pinterest.expire_token()
    api = accounts.account_api(
        settings, http, vault_for(settings), "studio_test", open_store=lambda: open_store(settings.db_path)
    )
    assert api.call("GET", "/user_account", step="check")["username"] == "studio_test"
    token_calls = pinterest.calls("POST", "/oauth/token")
    # continuous_refresh=true (docs/pinterest.md §6) passes the fake's check against the spec's schema
    assert len(token_calls) == 1 and token_calls[0]["json"] == {
        "grant_type": "refresh_token",
        "refresh_token": first_refresh,
        "continuous_refresh": "true",
    }
    # Both new tokens were saved together: the next process starts from the rotated pair.
    assert pinterest.refresh_token != first_refresh
    fresh = source(settings, http)
    assert fresh.access_token() == pinterest.access_token
    row = store.db["accounts"].get("studio_test")
    assert vault_for(settings).decrypt(row["refresh_token"]) == pinterest.refresh_token
    assert row["refreshed_at"] and row["token_hint"].endswith(pinterest.access_token[-4:])


def test_continuous_refresh_can_be_turned_off(pinterest, store, http, settings, monkeypatch):
    monkeypatch.setenv("PINTEREST_CONTINUOUS_REFRESH", "false")
    connect(store, http, pinterest)
    pinterest.expire_token()
    assert source(settings, http).refresh() == pinterest.access_token
    (call,) = pinterest.calls("POST", "/oauth/token")
    assert "continuous_refresh" not in call["json"]


def test_a_token_close_to_expiry_is_refreshed_before_use(pinterest, store, http, settings):
    connect(store, http, pinterest, expires_in=600)  # 10 minutes left, margin is 1 hour
    old = pinterest.access_token
    token = source(settings, http).access_token()
    assert token != old and token == pinterest.access_token
    assert len(pinterest.calls("POST", "/oauth/token")) == 1
    assert pinterest.calls("GET", "/boards") == []  # refreshed without waiting for a 401
    assert source(settings, http).access_token() == token  # now valid for 30 days: no second refresh
    assert len(pinterest.calls("POST", "/oauth/token")) == 1


def test_a_revoked_refresh_token_marks_the_account_reconnect_needed(pinterest, store, http, settings):
    connect(store, http, pinterest)
    pinterest.refresh_token = "pinr_revoked_elsewhere"  # the stored one no longer works
    pinterest.expire_token()
    api = accounts.account_api(
        settings, http, vault_for(settings), "studio_test", open_store=lambda: open_store(settings.db_path)
    )
    with pytest.raises(AccountError) as info:
        api.call("GET", "/boards", step="check")
    assert info.value.code == "reconnect_required" and not info.value.retryable
    account = accounts.get_account(store, "studio_test")
    assert account.needs_reconnect and "refused to renew" in account.status_reason
    assert account.status_reason.endswith("“Invalid grant”.")  # Pinterest's words, one full stop
    assert not accounts.ready(store, "studio_test") and accounts.ready(store, "someone_else")
    calls = len(pinterest.requests)
    with pytest.raises(AccountError) as info:  # queued work asks again: answered locally, nothing sent
        source(settings, http).access_token()
    assert info.value.code == "reconnect_required" and len(pinterest.requests) == calls
    pinterest.access_token = "pina_new_token_from_reconnect"
    pinterest.valid_tokens.add(pinterest.access_token)
    connect(store, http, pinterest)  # reconnecting clears the flag
    assert accounts.ready(store, "studio_test")


def test_an_expired_token_without_refresh_token_needs_reconnect(pinterest, store, http, settings):
    connect(store, http, pinterest, refresh=False)
    pinterest.expire_token()
    with pytest.raises(AccountError) as info:
        accounts.account_api(
            settings, http, vault_for(settings), "studio_test", open_store=lambda: open_store(settings.db_path)
        ).call("GET", "/boards", step="x")
    assert info.value.code == "reconnect_required"
    assert accounts.get_account(store, "studio_test").needs_reconnect


def test_pinterest_down_during_refresh_is_retryable_and_keeps_the_account(pinterest, store, http, settings):
    connect(store, http, pinterest)
    pinterest.expire_token()
    pinterest.fail("POST", "/oauth/token", status=503)
    with pytest.raises(PinterestError) as info:
        source(settings, http).refresh()
    assert info.value.retryable and info.value.code == "refresh_unreachable"
    assert accounts.ready(store, "studio_test")
    assert source(settings, http).refresh() == pinterest.access_token  # works once Pinterest is back


def test_two_workers_refreshing_at_once_keep_the_account(pinterest, store, http, settings):
    connect(store, http, pinterest)
    a, b = source(settings, http), source(settings, http)
    assert a.access_token() == b.access_token()
    pinterest.expire_token()
    # Worker A renews first; B's 401 on the old token then finds A's new token instead of
    # spending the (now rotated) refresh token, which Pinterest would refuse.
    new = a.refresh()
    assert b.refresh() == new
    assert len(pinterest.calls("POST", "/oauth/token")) == 1
    assert accounts.ready(store, "studio_test")


def test_token_source_hook_picks_the_account_or_falls_back_to_settings(pinterest, store, http, settings):
    from studio.pinterest.tokens import SettingsTokenSource

    assert isinstance(
        accounts.token_source(settings, http, vault_for(settings), open_store=lambda: open_store(settings.db_path)),
        SettingsTokenSource,
    )
    connect(store, http, pinterest)
    chosen = accounts.token_source(settings, http, vault_for(settings), open_store=lambda: open_store(settings.db_path))
    assert isinstance(chosen, AccountTokenSource) and chosen.access_token() == pinterest.access_token
    with pytest.raises(StudioError):
        accounts.token_source(
            settings, http, vault_for(settings), "nobody", open_store=lambda: open_store(settings.db_path)
        )
