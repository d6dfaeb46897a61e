"""One Pinterest user, one set of metrics. An account is its Pinterest user id, whether it came from
PINTEREST_ACCESS_TOKEN or was connected on the Accounts page: before an account is synced, every other synced
account of the same user is folded into it, so that user's days are stored, and counted, once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from studio.analytics import tables
from studio.config import Settings
from studio.errors import StudioError
from studio.storage import Store

if TYPE_CHECKING:
    from studio.pinterest import PinterestAPI

ENV_ACCOUNT = "default"  # the name metrics of PINTEREST_ACCESS_TOKEN are kept under (no connected account)


def _connected_user(store: Store, name: str) -> str | None:
    from studio.accounts import list_accounts

    return next((a.user_id for a in list_accounts(store) if a.name == name and a.user_id), None)


def _env_user(settings: Settings, http: httpx.Client) -> str | None:
    """Who PINTEREST_ACCESS_TOKEN belongs to (one GET /user_account), None when unset or not answered."""
    from studio.accounts import fetch_user_account

    token = settings.pinterest_access_token
    if token is None or not token.get_secret_value():
        return None
    try:
        profile = fetch_user_account(
            http, settings.pinterest_api_base, token.get_secret_value(), settings.http_timeout_s
        )
    except StudioError:
        return None
    return str(profile.get("id") or "") or None


def user_of(store: Store, name: str, api: PinterestAPI) -> str | None:
    """`name`'s Pinterest user id: stored, or the connected account's, or asked with its own token."""
    known = tables.account_users(store).get(name) or _connected_user(store, name)
    if known:
        return known
    try:
        profile = api.call("GET", "/user_account", step="analytics_user")
    except StudioError:
        return None  # unknown for now: it is synced as is and identified on a later sync
    return str(profile.get("id") or "") or None


def claim(store: Store, settings: Settings, http: httpx.Client, name: str, api: PinterestAPI) -> None:
    """Record who `name` is and fold into it every other synced account of the same Pinterest user (accounts
    synced before ids were kept are identified first: a connected one knows its id, the environment token is
    asked)."""
    user = user_of(store, name, api)
    if not user:
        return
    tables.save_sync_state(store, name, user_id=user)
    for other, other_user in tables.account_users(store).items():
        if other == name:
            continue
        if other_user is None:
            other_user = _env_user(settings, http) if other == ENV_ACCOUNT else _connected_user(store, other)
            if other_user:
                tables.save_sync_state(store, other, user_id=other_user)
        if other_user == user:
            tables.merge_account(store, other, name)
