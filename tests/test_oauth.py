"""OAuth: the authorize URL and its single-use expiring state, and the round trip against the
fake Pinterest server (code exchange, refresh rotation, expired and revoked tokens)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from studio import accounts, oauth
from studio.oauth import OAuthApp, OAuthError
from studio.secrets import vault_for

APP = OAuthApp(app_id="1234567", app_secret="app-secret-value", redirect_uri="http://localhost:8501/accounts")


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_authorize_url_asks_for_the_publishing_scopes_with_a_random_state(store):
    url = oauth.authorize_url(store, APP, authorize_base="https://www.pinterest.com/oauth/")
    assert url.startswith("https://www.pinterest.com/oauth/?")
    q = _query(url)
    assert q["client_id"] == "1234567" and q["response_type"] == "code"
    assert q["redirect_uri"] == "http://localhost:8501/accounts"
    assert q["scope"] == "boards:read,boards:write,pins:read,pins:write,user_accounts:read"
    other = _query(oauth.authorize_url(store, APP, authorize_base="https://www.pinterest.com/oauth/"))
    assert len(q["state"]) >= 32 and q["state"] != other["state"]
    # Only a hash of the state is kept: the database can't replay a callback.
    assert store.db.execute("select count(*) from oauth_states where state_hash = ?", [q["state"]]).fetchone()[0] == 0


def test_state_is_single_use(store):
    state = _query(oauth.authorize_url(store, APP, authorize_base="https://x/oauth/"))["state"]
    assert oauth.consume_state(store, state) == APP.redirect_uri
    with pytest.raises(OAuthError) as info:
        oauth.consume_state(store, state)
    assert info.value.code == "state_reused"


@pytest.mark.parametrize("state", ["", None, "forged-state-value", "x" * 43])
def test_unknown_or_missing_state_is_refused(store, state):
    oauth.authorize_url(store, APP, authorize_base="https://x/oauth/")
    with pytest.raises(OAuthError) as info:
        oauth.consume_state(store, state)
    assert info.value.code == "state_mismatch"
    assert "Connect Pinterest" in info.value.fix


def test_expired_state_is_refused_and_burnt(store):
    state = _query(oauth.authorize_url(store, APP, authorize_base="https://x/oauth/", ttl_s=-1))["state"]
    with pytest.raises(OAuthError) as info:
        oauth.consume_state(store, state)
    assert info.value.code == "state_expired"
    with pytest.raises(OAuthError) as info:
        oauth.consume_state(store, state)
    assert info.value.code == "state_reused"


def test_bad_state_never_reaches_the_token_endpoint(store, settings):
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500)))
    vault = vault_for(settings)
    accounts.save_app_credentials(store, vault, APP.app_id, "app-secret-value", APP.redirect_uri)
    with pytest.raises(OAuthError) as info:
        accounts.complete_authorization(store, vault, http, settings, code="a-code", state="not-ours")
    assert info.value.code == "state_mismatch" and sent == []
