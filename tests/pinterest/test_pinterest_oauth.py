"""The Pinterest client's OAuth calls against the fake Pinterest server (the connect flow is in tests/accounts)."""

from __future__ import annotations

import httpx
import pytest

from studio.pinterest import oauth
from studio.pinterest.oauth import OAuthApp, OAuthError


def test_refresh_rotates_and_the_old_refresh_token_dies(pinterest, settings):
    app = OAuthApp(app_id=pinterest.app_id, app_secret=pinterest.app_secret, redirect_uri="http://x/")
    url = oauth.token_url(pinterest.base)
    with httpx.Client(timeout=5) as http:
        first = pinterest.refresh_token
        rotated = oauth.refresh_tokens(http, app, first, token_url=url)
        assert rotated.refresh_token.get_secret_value() == pinterest.refresh_token != first
        assert rotated.expires_in == 2592000 and rotated.refresh_token_expires_in == 5184000
        with pytest.raises(OAuthError) as info:  # the previous one was rotated away
            oauth.refresh_tokens(http, app, first, token_url=url)
    assert info.value.code == "oauth_refused" and not info.value.retryable
    assert "pinr" not in repr(rotated)  # tokens stay out of reprs and logs
