"""Connecting Pinterest step by step: the redirect URI where the studio really runs, the app id and secret
checked before the user is sent to Pinterest, boards synced as soon as an account connects, and
PINTEREST_ACCESS_TOKEN taken in as a connected account wherever the studio needs one."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from studio.accounts.boards import sync_boards
from studio.accounts.connected import (
    Account,
    account_api,
    complete_authorization,
    connect,
    list_accounts,
    save_account,
)
from studio.accounts.errors import AccountError
from studio.config import Settings
from studio.errors import StudioError, ValidationError
from studio.people import Actor
from studio.pinterest import oauth
from studio.secrets import Vault
from studio.storage import Store

ACCOUNTS_PATH = "/accounts"


def redirect_uri_for(page_url: str | None, port: int | None) -> str:
    """Where Pinterest must send the user back: the Accounts page on the host and port the studio is
    opened on (the browser's address), else localhost and the port the server listens on."""
    if page_url:
        parts = urlsplit(page_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{ACCOUNTS_PATH}"
    return f"http://localhost:{port or 8501}{ACCOUNTS_PATH}"


def redirect_uri_from_env() -> str | None:
    """PINTEREST_REDIRECT_URI when set in the environment (it wins over the computed one)."""
    return os.environ.get("PINTEREST_REDIRECT_URI") or None


def verify_app(http: httpx.Client, settings: Settings, app_id: str, app_secret: str) -> None:
    """Ask Pinterest whether it knows this app id and secret, before sending anyone to sign in.

    A client-credentials token request authenticates the app with HTTP Basic: Pinterest answers 401
    to an unknown id or a wrong secret. Any other answer (a token, or a refusal of the grant itself)
    means the pair was recognised."""
    app_id, app_secret = app_id.strip(), app_secret.strip()
    if not app_id.isdigit():
        raise ValidationError(
            "The app id is a number (e.g. 1234567).",
            fix="Copy the App id from your app's page on developers.pinterest.com.",
            code="app_id_invalid",
        )
    if len(app_secret) < 8:
        raise ValidationError(
            "The app secret looks too short.",
            fix="Press “Show” next to the App secret key on your app's page and copy all of it.",
            code="app_secret_invalid",
        )
    basic = base64.b64encode(f"{app_id}:{app_secret}".encode()).decode()
    try:
        response = http.post(
            oauth.token_url(settings.pinterest_api_base),
            data={"grant_type": "client_credentials", "scope": "boards:read"},
            headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
            timeout=settings.http_timeout_s,
        )
    except httpx.HTTPError:
        raise AccountError(
            "Pinterest could not be reached to check the app.",
            fix="Check the internet connection and try again.",
            code="oauth_unreachable",
        ) from None
    if response.status_code == 401:
        raise AccountError(
            "Pinterest doesn't recognise this app id and secret.",
            fix="Copy both again from your app's page on developers.pinterest.com (the secret is under “Show”).",
            code="app_credentials_refused",
        )
    if response.status_code >= 500:
        raise AccountError(
            f"Pinterest could not check the app (HTTP {response.status_code}).",
            fix="Try again in a minute.",
            code="pinterest_unavailable",
        )


def sync_new_account(
    store: Store,
    vault: Vault,
    http: httpx.Client,
    settings: Settings,
    name: str,
    *,
    open_store: Callable[[], Store],
) -> str:
    """Sync a freshly connected account's boards; returns what to tell the user (a failure is not fatal).
    `open_store` is how its token source reaches the database (see `account_api`)."""
    try:
        result = sync_boards(store, account_api(settings, http, vault, name, open_store=open_store), name)
    except StudioError as exc:
        return f"Its boards could not be loaded yet ({exc.message}); press Refresh boards to try again."
    return f"{result['boards']} boards and {result['sections']} sections loaded."


def connect_and_sync(
    store: Store,
    vault: Vault,
    http: httpx.Client,
    settings: Settings,
    tokens: oauth.TokenSet,
    *,
    open_store: Callable[[], Store],
    actor: Actor,
) -> tuple[Account, str]:
    account = connect(store, vault, http, settings, tokens, actor=actor)
    return account, sync_new_account(store, vault, http, settings, account.name, open_store=open_store)


def finish_authorization(
    store: Store,
    vault: Vault,
    http: httpx.Client,
    settings: Settings,
    code: str | None,
    state: str | None,
    error: str | None = None,
    session: str | None = None,
    *,
    open_store: Callable[[], Store],
    actor: Actor,
) -> tuple[Account, str]:
    """Pinterest's redirect back, then the new account's boards right away."""
    account = complete_authorization(store, vault, http, settings, code, state, error, session, actor=actor)
    return account, sync_new_account(store, vault, http, settings, account.name, open_store=open_store)


def ensure_env_account(
    store: Store, vault: Vault, http: httpx.Client, settings: Settings, *, open_store: Callable[[], Store]
) -> Account | None:
    """With PINTEREST_ACCESS_TOKEN set and no account connected, take the token in as a connected account
    (boards synced), so board pickers, board checks and `boards --sync` work as with any account."""
    if list_accounts(store):
        return None
    if not settings.pinterest_access_token or not settings.pinterest_access_token.get_secret_value():
        return None
    tokens = oauth.TokenSet(
        access_token=settings.pinterest_access_token, refresh_token=settings.pinterest_refresh_token or None
    )
    account = save_account(store, vault, http, settings, tokens)  # the operator's token: nobody typed it here
    sync_new_account(store, vault, http, settings, account.name, open_store=open_store)
    return account
