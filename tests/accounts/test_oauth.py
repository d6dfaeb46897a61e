"""OAuth: the authorize URL and its single-use expiring state, and the round trip against the
fake Pinterest server (code exchange, expired and revoked tokens; the refresh call itself is in tests/pinterest)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from studio import accounts
from studio.accounts import oauth_states
from studio.errors import StudioError
from studio.pinterest.oauth import OAuthApp, OAuthError
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.people import owner

APP = OAuthApp(app_id="1234567", app_secret="app-secret-value", redirect_uri="http://localhost:8501/accounts")


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_authorize_url_asks_for_the_publishing_scopes_with_a_random_state(store):
    url = oauth_states.authorize_url(store, APP, authorize_base="https://www.pinterest.com/oauth/")
    assert url.startswith("https://www.pinterest.com/oauth/?")
    q = _query(url)
    assert q["client_id"] == "1234567" and q["response_type"] == "code"
    assert q["redirect_uri"] == "http://localhost:8501/accounts"
    assert q["scope"] == "boards:read,boards:write,pins:read,pins:write,user_accounts:read"
    other = _query(oauth_states.authorize_url(store, APP, authorize_base="https://www.pinterest.com/oauth/"))
    assert len(q["state"]) >= 32 and q["state"] != other["state"]
    # Only a hash of the state is kept: the database can't replay a callback.
    assert store.db.execute("select count(*) from oauth_states where state_hash = ?", [q["state"]]).fetchone()[0] == 0


def test_state_is_single_use(store):
    state = _query(oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/"))["state"]
    assert oauth_states.consume_state(store, state) == APP.redirect_uri
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state)
    assert info.value.code == "state_reused"


@pytest.mark.parametrize("state", ["", None, "forged-state-value", "x" * 43])
def test_unknown_or_missing_state_is_refused(store, state):
    oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/")
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state)
    assert info.value.code == "state_mismatch"
    assert "Connect Pinterest" in info.value.fix


def test_expired_state_is_refused_and_burnt(store):
    state = _query(oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/", ttl_s=-1))["state"]
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state)
    assert info.value.code == "state_expired"
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state)
    assert info.value.code == "state_reused"


def test_bad_state_never_reaches_the_token_endpoint(store, settings):
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500)))
    vault = vault_for(settings)
    accounts.save_app_credentials(store, vault, APP.app_id, "app-secret-value", APP.redirect_uri, actor=owner())
    with pytest.raises(OAuthError) as info:
        accounts.complete_authorization(store, vault, http, settings, code="a-code", state="not-ours", actor=owner())
    assert info.value.code == "state_mismatch" and sent == []


# --- round trip against the fake Pinterest server -------------------------------------------


def authorize(store, settings, fake, code: str = "auth-code-1") -> dict:
    """Open the authorize URL as a browser would; the user allows access and Pinterest redirects
    back with ?code=…&state=… (the fake learns the code it will accept)."""
    url = accounts.start_authorization(store, vault_for(settings), settings, actor=owner())
    fake.auth_codes.add(code)
    return {"code": code, "state": _query(url)["state"]}


def test_oauth_round_trip_connects_the_account(pinterest, store, settings):
    back = authorize(store, settings, pinterest)
    with httpx.Client(timeout=5) as http:
        account = accounts.complete_authorization(store, vault_for(settings), http, settings, **back, actor=owner())
    assert account.name == "studio_test" and account.can_refresh
    call = pinterest.calls("POST", "/oauth/token")[0]
    # Basic auth with app id:secret, and a form body (the fake validates the content type against the spec).
    assert call["authorization"] == "Basic " + base64.b64encode(b"1234:app-secret").decode()
    assert call["json"] == {
        "grant_type": "authorization_code",
        "code": "auth-code-1",
        "redirect_uri": "http://localhost:8501/accounts",
    }
    # The tokens Pinterest issued are the ones the account now uses.
    tokens = accounts.AccountTokenSource(
        lambda: open_store(settings.db_path), vault_for(settings), httpx.Client(), settings, "studio_test"
    )
    assert tokens.access_token() == pinterest.access_token


def test_the_callback_cannot_be_replayed(pinterest, store, settings):
    back = authorize(store, settings, pinterest)
    with httpx.Client(timeout=5) as http:
        accounts.complete_authorization(store, vault_for(settings), http, settings, **back, actor=owner())
        pinterest.auth_codes.add(back["code"])
        with pytest.raises(OAuthError) as info:
            accounts.complete_authorization(store, vault_for(settings), http, settings, **back, actor=owner())
    assert info.value.code == "state_reused"
    assert len(pinterest.calls("POST", "/oauth/token")) == 1


def test_a_bad_code_is_refused_and_connects_nothing(pinterest, store, settings):
    back = authorize(store, settings, pinterest)
    with httpx.Client(timeout=5) as http, pytest.raises(OAuthError) as info:
        accounts.complete_authorization(
            store, vault_for(settings), http, settings, code="not-issued", state=back["state"], actor=owner()
        )
    assert info.value.code == "oauth_refused" and "Invalid grant" in info.value.message
    assert accounts.list_accounts(store) == []


def test_a_wrong_app_secret_is_named(pinterest, store, settings):
    accounts.save_app_credentials(
        store, vault_for(settings), pinterest.app_id, "not-the-secret", settings.pinterest_redirect_uri, actor=owner()
    )
    back = authorize(store, settings, pinterest)
    with httpx.Client(timeout=5) as http, pytest.raises(OAuthError) as info:
        accounts.complete_authorization(store, vault_for(settings), http, settings, **back, actor=owner())
    assert info.value.code == "app_credentials_refused" and "not-the-secret" not in str(info.value)


def test_the_user_saying_no_is_reported(pinterest, store, settings):
    back = authorize(store, settings, pinterest)
    with httpx.Client(timeout=5) as http, pytest.raises(StudioError) as info:
        accounts.complete_authorization(
            store,
            vault_for(settings),
            http,
            settings,
            code=None,
            state=back["state"],
            error="access_denied",
            actor=owner(),
        )
    assert info.value.code == "oauth_denied" and pinterest.calls("POST", "/oauth/token") == []


# --- the state is bound to the browser session that started the flow (RFC 6749 §10.12) ------


def test_a_state_only_completes_in_the_browser_that_started_it(store):
    state = _query(oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/", session="browser-A"))[
        "state"
    ]
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state, "browser-B")  # the callback link carried to someone else's browser
    assert info.value.code == "state_session_mismatch"
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state, "browser-A")  # burnt by the foreign attempt: start again
    assert info.value.code == "state_reused"
    fresh = _query(oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/", session="browser-A"))[
        "state"
    ]
    assert oauth_states.consume_state(store, fresh, "browser-A") == APP.redirect_uri


def test_an_unbound_state_is_refused_in_a_browser_with_a_session(store):
    state = _query(oauth_states.authorize_url(store, APP, authorize_base="https://x/oauth/"))["state"]
    with pytest.raises(OAuthError) as info:
        oauth_states.consume_state(store, state, "victim-browser")
    assert info.value.code == "state_session_mismatch"


def test_a_foreign_callback_never_reaches_the_token_endpoint(pinterest, store, settings):
    url = accounts.start_authorization(store, vault_for(settings), settings, "attacker-browser", actor=owner())
    pinterest.auth_codes.add("attacker-code")
    with httpx.Client(timeout=5) as http, pytest.raises(OAuthError) as info:
        accounts.complete_authorization(
            store,
            vault_for(settings),
            http,
            settings,
            "attacker-code",
            _query(url)["state"],
            None,
            "victim-browser",
            actor=owner(),
        )
    assert info.value.code == "state_session_mismatch"
    assert pinterest.calls("POST", "/oauth/token") == [] and accounts.list_accounts(store) == []
