"""Pinterest OAuth 2.0: the authorize URL with a single-use expiring `state`, the code exchange
and the refresh (both: HTTP Basic with app id and secret, form-encoded body; docs/pinterest.md §6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, SecretStr

from studio.models import iso
from studio.pinterest.errors import OAuthError

# What publishing needs (docs/pinterest.md §6 "Suggested request"); comma-separated as Pinterest expects.
SCOPES = ("boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read")


class OAuthApp(BaseModel):
    """The user's Pinterest app: id, secret, and the redirect URI registered on it."""

    app_id: str
    app_secret: SecretStr
    redirect_uri: str


class TokenSet(BaseModel):
    """What the token endpoint returns; SecretStr keeps tokens out of reprs and logs."""

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    expires_in: int | None = None
    refresh_token_expires_in: int | None = None
    scope: str = ""

    def expires_at(self, now: datetime | None = None) -> str | None:
        now = now or datetime.now(UTC)
        return iso(now + timedelta(seconds=self.expires_in)) if self.expires_in else None

    def refresh_expires_at(self, now: datetime | None = None) -> str | None:
        now = now or datetime.now(UTC)
        return iso(now + timedelta(seconds=self.refresh_token_expires_in)) if self.refresh_token_expires_in else None


def authorize_url(app: OAuthApp, state: str, *, authorize_base: str) -> str:
    """Pinterest's authorize URL for `app`, carrying `state` (the caller keeps it; see studio.accounts)."""
    query = urlencode(
        {
            "client_id": app.app_id,
            "redirect_uri": app.redirect_uri,
            "response_type": "code",
            "scope": ",".join(SCOPES),
            "state": state,
        }
    )
    return f"{authorize_base}?{query}"


def _token_call(http: httpx.Client, app: OAuthApp, token_url: str, form: dict, timeout: float, what: str) -> TokenSet:
    try:
        response = http.post(
            token_url,
            data=form,
            auth=(app.app_id, app.app_secret.get_secret_value()),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )
    except httpx.HTTPError:
        raise OAuthError(
            f"Pinterest could not be reached to {what}.",
            fix="Check the internet connection and retry.",
            code="oauth_unreachable",
            retryable=True,
        ) from None
    if response.status_code == 429 or response.status_code >= 500:
        raise OAuthError(
            f"Pinterest is busy and could not {what} (HTTP {response.status_code}).",
            fix="Try again in a minute.",
            code="oauth_unavailable",
            retryable=True,
        )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 401:
        raise OAuthError(
            "Pinterest refused the app id or app secret.",
            fix="Check PINTEREST_APP_ID and PINTEREST_APP_SECRET (or the values on the Accounts page).",
            code="app_credentials_refused",
        )
    if not response.is_success or not isinstance(body, dict) or not body.get("access_token"):
        # Pinterest's message says which field was wrong; it never echoes the token itself.
        detail = str(body.get("message") or "") if isinstance(body, dict) else ""
        detail = detail[:200].rstrip(" .")  # ours ends the sentence: no “Invalid grant.”.
        raise OAuthError(
            f"Pinterest refused to {what}" + (f": “{detail}”" if detail else "") + ".",
            fix="Connect the account again from the Accounts page.",
            code="oauth_refused",
        )
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token"),
        expires_in=body.get("expires_in"),
        refresh_token_expires_in=body.get("refresh_token_expires_in"),
        scope=body.get("scope") or "",
    )


def exchange_code(
    http: httpx.Client,
    app: OAuthApp,
    code: str,
    *,
    token_url: str,
    redirect_uri: str | None = None,
    timeout: float = 30.0,
) -> TokenSet:
    """Trade the authorization code for tokens."""
    if not code:
        raise OAuthError(
            "Pinterest sent no authorization code back.", fix="Press “Connect Pinterest” again.", code="code_missing"
        )
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri or app.redirect_uri}
    return _token_call(http, app, token_url, form, timeout, "finish connecting your account")


def refresh_form(refresh_token: str, continuous: bool) -> dict:
    """The refresh request. `continuous_refresh=true` is documented only in the text of the spec's
    /oauth/token (apps created before 2025-09-25 must send it, newer apps may ignore it); the
    request schema has no `additionalProperties: false`, so the extra field is valid."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if continuous:
        form["continuous_refresh"] = "true"
    return form


def refresh_tokens(
    http: httpx.Client,
    app: OAuthApp,
    refresh_token: str,
    *,
    token_url: str,
    timeout: float = 30.0,
    continuous: bool = True,
) -> TokenSet:
    """A new access token and (continuous refresh) a new refresh token."""
    form = refresh_form(refresh_token, continuous)
    return _token_call(http, app, token_url, form, timeout, "renew your connection")


def token_url(api_base: str) -> str:
    return f"{api_base.rstrip('/')}/oauth/token"
