"""Wiring: the Pinterest client for an account's analytics reads, syncing every account, the daily run.
The HTTP client, the vault and the way to open a store come from the composition root (studio.services)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

import httpx

from studio.analytics import identity, tables
from studio.analytics.identity import ENV_ACCOUNT
from studio.analytics.sync import Clock, ReadBudget, is_sandbox, sync_account
from studio.config import Settings
from studio.errors import StudioError
from studio.models import utcnow
from studio.secrets import Vault
from studio.storage import Store

if TYPE_CHECKING:
    from studio.pinterest import PinterestAPI

# The Pinterest API for reads as one account (studio.services.Services.analytics_api).
ApiFor = Callable[[str], "PinterestAPI"]


def analytics_api(
    settings: Settings, http: httpx.Client, vault: Vault, account: str | None, *, open_store: Callable[[], Store]
):
    """A PinterestAPI for reads as `account` (retries honour 429 Retry-After; tokens refresh on 401)."""
    from studio.accounts import account_api, token_source
    from studio.pinterest import PinterestAPI, RetryPolicy

    if account and account != ENV_ACCOUNT:
        return account_api(settings, http, vault, account, open_store=open_store)
    return PinterestAPI(
        http,
        token_source(settings, http, vault, open_store=open_store),
        settings.pinterest_api_base,
        timeout=settings.http_timeout_s,
        retry=RetryPolicy.from_settings(settings),
    )


def account_names(store: Store, settings: Settings, only: str | None = None) -> list[str]:
    """Connected accounts to sync, one per Pinterest user (`only` checked to exist); the env token counts as one
    when none is connected."""
    from studio.accounts import get_account, list_accounts

    if only:
        if only == ENV_ACCOUNT and not list_accounts(store):
            return [ENV_ACCOUNT]
        return [get_account(store, only).name]  # raises NotFoundError with the fix
    users: set[str] = set()
    names = []
    for connected in list_accounts(store):
        if connected.needs_reconnect or connected.user_id in users:
            continue  # the same user connected twice (e.g. under an old username) is synced once
        users.update([connected.user_id] if connected.user_id else [])
        names.append(connected.name)
    if not names and settings.pinterest_access_token is not None:
        names = [ENV_ACCOUNT]
    return names


def sync_all(
    store: Store,
    settings: Settings,
    *,
    api_for: ApiFor,
    account: str | None = None,
    clock: Clock = utcnow,
) -> list[dict]:
    """Sync each account (or the named one) through `api_for(name)`; one result per account, an `error`
    entry when one fails."""
    results = []
    budget = ReadBudget.from_settings(settings)  # shared by the accounts of one run: it is the app's quota
    for name in account_names(store, settings, account):
        api = api_for(name)
        try:
            if not is_sandbox(settings.pinterest_api_base):
                identity.claim(store, settings, api.http, name, api)  # one user's metrics under one name
            results.append(sync_account(store, api, name, settings=settings, clock=clock, budget=budget))
        except StudioError as exc:
            results.append({"account": name, "error": exc.to_dict()})
        budget.max_requests -= budget.used
        budget.used = 0
    return results


def due(store: Store, settings: Settings, now: datetime) -> bool:
    """Once a day at STUDIO_ANALYTICS_SYNC_AT (local time): due when today's moment has passed and no sync
    started since it."""
    from studio.scheduling import zone

    tz = zone(settings.timezone)
    local = now.astimezone(tz)
    hh, mm = (int(x) for x in settings.analytics_sync_at.split(":"))
    moment = datetime.combine(local.date(), time(hh, mm), tz)
    if local < moment:
        moment -= timedelta(days=1)
    started = tables.last_sync_started(store)
    return started is None or datetime.fromisoformat(started) < moment


_RUNNING = threading.Lock()


def daily_hook(
    settings: Settings,
    *,
    open_store: Callable[[], Store],
    api_for: ApiFor,
    clock: Clock = utcnow,
    log: Callable[[str], None] = print,
) -> Callable[[Store], None]:
    """What the scheduler worker calls on every pass: starts the day's sync in its own thread (on a store
    of its own, from `open_store`) when due, so a long backfill never holds up publishing."""

    def run() -> None:
        store = open_store()
        try:
            for r in sync_all(store, settings, api_for=api_for, clock=clock):
                log(
                    f"analytics {r['account']}: "
                    + (r["error"]["message"] if "error" in r else f"{r['rows_written']} rows, {r['requests']} requests")
                )
        except Exception as exc:  # a background thread must not die silently
            log(f"analytics sync failed: {exc}")
        finally:
            store.close()
            _RUNNING.release()

    def hook(store: Store) -> None:
        try:
            names = account_names(store, settings)
            if not names or not due(store, settings, clock()) or not _RUNNING.acquire(blocking=False):
                return
            for name in names:
                tables.save_sync_state(store, name, started_at=clock().isoformat())  # claim the day
        except Exception as exc:  # never let analytics stop the publishing worker
            log(f"analytics: {exc}")
            return
        threading.Thread(target=run, name="pinstudio-analytics", daemon=True).start()

    return hook
