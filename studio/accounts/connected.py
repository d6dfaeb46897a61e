"""Connected Pinterest accounts: encrypted tokens, refresh, the "reconnect needed" flag, app
credentials, Postproxy keys, and the boards and sections synced per account.

Tokens and keys are stored only as Fernet ciphertext (studio.secrets); what is shown is a hint
(last 4 characters at most).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import NoReturn

import httpx
import sqlite_utils
from pydantic import BaseModel, SecretStr
from sqlite_utils import Migrations

from studio import people
from studio.accounts import oauth_states
from studio.accounts.errors import AccountError
from studio.config import Settings
from studio.errors import NotFoundError, PinterestError, StudioError, ValidationError
from studio.models import iso
from studio.people import Actor, Permission
from studio.pinterest import oauth
from studio.secrets import Vault, hint
from studio.storage import Store

migrations = Migrations("pinstudio.accounts")

RECONNECT_FIX = "Open the Accounts page and connect this Pinterest account again."
# Keep a continuous refresh token alive: it lapses after 60 days unused (docs/pinterest.md §6).
REFRESH_TOKEN_MARGIN = timedelta(days=7)
ROW_CACHE_S = 5.0  # how long a token source trusts its last read of the account row
_ACCOUNT_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@migrations()
def m001_accounts(db: sqlite_utils.Database) -> None:
    db.table("accounts").create(
        {
            "name": str,
            "user_id": str,
            "account_type": str,
            "business_name": str,
            "profile_image": str,
            "access_token": str,
            "refresh_token": str,  # Fernet ciphertext, never plaintext
            "token_hint": str,
            "scope": str,
            "expires_at": str,
            "refresh_expires_at": str,
            "status": str,
            "status_reason": str,
            "connected_at": str,
            "refreshed_at": str,
            "boards_synced_at": str,
            "api_base": str,
        },
        pk="name",
        not_null={"status"},
        defaults={"status": "connected"},
    )
    db.table("boards").create(
        {
            "account": str,
            "id": str,
            "name": str,
            "description": str,
            "privacy": str,
            "owner": str,
            "pin_count": int,
            "synced_at": str,
            "deleted_at": str,
        },
        pk=("account", "id"),
    )
    db.table("boards").create_index(["account", "name"])
    db.table("board_sections").create(
        {"account": str, "board_id": str, "id": str, "name": str, "synced_at": str, "deleted_at": str},
        pk=("account", "board_id", "id"),
    )
    db.table("oauth_states").create(
        {"state_hash": str, "created_at": str, "expires_at": str, "used_at": str, "redirect_uri": str},
        pk="state_hash",
    )
    # App credentials and API keys: one row per (kind, name); `value` is ciphertext.
    db.table("credentials").create(
        {
            "kind": str,
            "name": str,
            "value": str,
            "extra": str,
            "hint": str,
            "verified_at": str,
            "detail": str,
            "updated_at": str,
        },
        pk=("kind", "name"),
    )


@migrations()
def m002_oauth_state_session(db: sqlite_utils.Database) -> None:
    """OAuth states remember (a hash of) the browser session that started them."""
    db.table("oauth_states").add_column("session_hash", str)


class Account(BaseModel):
    """A connected account as shown to users: no token, only its hint."""

    name: str
    user_id: str = ""
    account_type: str = ""
    business_name: str = ""
    profile_image: str = ""
    token_hint: str = ""
    scope: str = ""
    expires_at: str | None = None
    status: str = "connected"
    status_reason: str = ""
    connected_at: str | None = None
    refreshed_at: str | None = None
    boards_synced_at: str | None = None
    can_refresh: bool = False

    @property
    def needs_reconnect(self) -> bool:
        return self.status == "reconnect_needed"


def _account(row: dict) -> Account:
    fields = {k: v for k, v in row.items() if k in Account.model_fields and v is not None}
    return Account(**fields, can_refresh=bool(row.get("refresh_token")))


# --- app credentials and Postproxy keys ---------------------------------------------------
def save_app_credentials(
    store: Store, vault: Vault, app_id: str, app_secret: str, redirect_uri: str, *, actor: Actor
) -> None:
    """Remember the Pinterest app entered on the Accounts page (the secret encrypted). Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    if not (app_id.strip() and app_secret.strip() and redirect_uri.strip()):
        raise ValidationError(
            "The app id, app secret and redirect URI are all needed.",
            fix="Copy them from your app on developers.pinterest.com.",
            code="app_incomplete",
        )
    store.db.table("credentials").upsert(
        {
            "kind": "pinterest_app",
            "name": "default",
            "value": vault.encrypt(app_secret.strip()),
            "extra": app_id.strip(),
            "detail": redirect_uri.strip(),
            "hint": hint(app_secret.strip()),
            "updated_at": iso(),
        },
        pk=("kind", "name"),
    )


def oauth_app(store: Store, vault: Vault, settings: Settings) -> oauth.OAuthApp | None:
    """The Pinterest app: what was saved on the Accounts page, else PINTEREST_APP_ID/SECRET."""
    row = _credential(store, "pinterest_app", "default")
    if row:
        return oauth.OAuthApp(
            app_id=row["extra"],
            app_secret=SecretStr(vault.decrypt(row["value"])),
            redirect_uri=row["detail"] or settings.pinterest_redirect_uri,
        )
    if settings.pinterest_app_id and settings.pinterest_app_secret:
        return oauth.OAuthApp(
            app_id=settings.pinterest_app_id,
            app_secret=settings.pinterest_app_secret,
            redirect_uri=settings.pinterest_redirect_uri,
        )
    return None


def _credential(store: Store, kind: str, name: str) -> dict | None:
    rows = list(store.db.table("credentials").rows_where("kind = ? and name = ?", [kind, name]))
    return rows[0] if rows else None


def save_postproxy_key(
    store: Store, vault: Vault, http: httpx.Client, settings: Settings, workspace: str, api_key: str, *, actor: Actor
) -> dict:
    """Verify a Postproxy key (GET /profiles) and store it for the workspace; returns what was found. Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    workspace, api_key = workspace.strip() or "default", api_key.strip()
    if not api_key:
        raise ValidationError("Paste the Postproxy API key first.", code="key_missing")
    url = f"{settings.postproxy_api_base.rstrip('/')}/profiles"
    try:
        response = http.get(url, headers={"Authorization": f"Bearer {api_key}"}, timeout=settings.http_timeout_s)
    except httpx.HTTPError:
        raise AccountError(
            "Postproxy could not be reached to check the key.",
            fix="Check the internet connection and POSTPROXY_API_BASE, then save again.",
            code="postproxy_unreachable",
        ) from None
    if response.status_code in (401, 403):
        raise AccountError(
            "Postproxy refused this API key.",
            fix="Copy the key again from your Postproxy dashboard.",
            code="postproxy_key_refused",
        )
    if not response.is_success:
        raise AccountError(
            f"Postproxy could not check the key (HTTP {response.status_code}).",
            fix="Try again in a minute.",
            code="postproxy_unavailable",
        )
    try:
        profiles = response.json().get("data") or []
    except (ValueError, AttributeError):
        profiles = []
    pins = [p for p in profiles if isinstance(p, dict) and p.get("platform") == "pinterest"]
    detail = f"{len(profiles)} profile(s), {len(pins)} Pinterest"
    store.db.table("credentials").upsert(
        {
            "kind": "postproxy",
            "name": workspace,
            "value": vault.encrypt(api_key),
            "hint": hint(api_key),
            "verified_at": iso(),
            "detail": detail,
            "updated_at": iso(),
            "extra": "",
        },
        pk=("kind", "name"),
    )
    return {"workspace": workspace, "hint": hint(api_key), "detail": detail}


def postproxy_keys(store: Store) -> list[dict]:
    """Saved Postproxy workspaces: name, key hint, when verified (never the key)."""
    rows = store.db.table("credentials").rows_where("kind = 'postproxy'", order_by="name")
    return [
        {"workspace": r["name"], "hint": r["hint"], "verified_at": r["verified_at"], "detail": r["detail"]}
        for r in rows
    ]


def postproxy_key(store: Store, vault: Vault, workspace: str = "default") -> str | None:
    """The plaintext key for a workspace, for the Postproxy publisher only."""
    row = _credential(store, "postproxy", workspace)
    return vault.decrypt(row["value"]) if row else None


# --- accounts ---------------------------------------------------------------------------
def fetch_user_account(http: httpx.Client, api_base: str, access_token: str, timeout: float) -> dict:
    """GET /user_account: the cheap "is this token alive" probe (docs/pinterest.md §5)."""
    try:
        response = http.get(
            f"{api_base.rstrip('/')}/user_account", timeout=timeout, headers={"Authorization": f"Bearer {access_token}"}
        )
    except httpx.HTTPError:
        raise AccountError(
            "Pinterest could not be reached to check the token.",
            fix="Check the internet connection and retry.",
            code="pinterest_unreachable",
        ) from None
    if response.status_code == 401:
        raise AccountError(
            "Pinterest refused this access token (expired, revoked or mistyped).",
            fix="Create a new token (or use “Connect Pinterest”) and try again.",
            code="token_refused",
        )
    if response.status_code == 403:
        raise AccountError(
            "This token may not read the account profile.",
            fix="Reconnect with the user_accounts:read scope.",
            code="missing_scopes",
        )
    if not response.is_success:
        raise AccountError(
            f"Pinterest could not check the token (HTTP {response.status_code}).",
            fix="Try again in a minute.",
            code="pinterest_unavailable",
        )
    return response.json()


def connect(
    store: Store, vault: Vault, http: httpx.Client, settings: Settings, tokens: oauth.TokenSet, *, actor: Actor
) -> Account:
    """Verify the tokens with GET /user_account and save (or update) that account. Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    return save_account(store, vault, http, settings, tokens)


def save_account(store: Store, vault: Vault, http: httpx.Client, settings: Settings, tokens: oauth.TokenSet) -> Account:
    """Verify and save tokens nobody typed here: the environment's (PINTEREST_ACCESS_TOKEN) and their rotations.
    A person connecting an account goes through `connect`."""
    access = tokens.access_token.get_secret_value().strip()
    if not access:
        raise ValidationError("Paste an access token first.", code="token_missing")
    refresh = tokens.refresh_token.get_secret_value().strip() if tokens.refresh_token else ""
    if not (access + refresh).isascii() or not (access + refresh).isprintable() or " " in access + refresh:
        # Pinterest's tokens are printable ASCII without spaces; anything else can't even travel in a header.
        raise ValidationError(
            "That doesn't look like a Pinterest token: it has spaces or characters a token never has.",
            fix="Copy the token again from Pinterest's developer page (it starts with pina_).",
            code="token_malformed",
        )
    profile = fetch_user_account(http, settings.pinterest_api_base, access, settings.http_timeout_s)
    name = profile.get("username") or str(profile.get("id") or "")
    if not name:
        raise AccountError("Pinterest returned no username for this token.", fix="Try another token.")
    now = iso()
    row = {
        "name": name,
        "user_id": str(profile.get("id") or ""),
        "account_type": profile.get("account_type") or "",
        "business_name": profile.get("business_name") or "",
        "profile_image": profile.get("profile_image") or "",
        "access_token": vault.encrypt(access),
        "refresh_token": vault.encrypt(refresh) if refresh else None,
        "token_hint": hint(access),
        "scope": tokens.scope,
        "expires_at": tokens.expires_at(),
        "refresh_expires_at": tokens.refresh_expires_at(),
        "status": "connected",
        "status_reason": "",
        "connected_at": now,
        "refreshed_at": None,
        "api_base": settings.pinterest_api_base,
    }
    store.db.table("accounts").upsert(row, pk="name")
    return get_account(store, name)


def list_accounts(store: Store) -> list[Account]:
    return [_account(r) for r in store.db.query("select * from accounts order by name")]


def get_account(store: Store, name: str) -> Account:
    rows = list(store.db.table("accounts").rows_where("name = ?", [name]))
    if not rows:
        known = ", ".join(a.name for a in list_accounts(store)) or "none yet"
        raise NotFoundError(
            f"There is no connected account called “{name}”.",
            fix=f"Connected accounts: {known}. Connect one on the Accounts page.",
        )
    return _account(rows[0])


def default_account(store: Store, name: str | None = None) -> Account | None:
    """The named account, or the only/first connected one (None when there is none)."""
    if name:
        return get_account(store, name)
    accounts = list_accounts(store)
    return accounts[0] if accounts else None


def remove_account(store: Store, name: str, *, actor: Actor) -> None:
    """Disconnect an account: its tokens and synced boards go. Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    get_account(store, name)
    with store.db.atomic():
        for table in ("board_sections", "boards"):
            store.db.execute(f"delete from {table} where account = ?", [name])
        store.db.execute("delete from accounts where name = ?", [name])


def mark_reconnect_needed(store: Store, name: str, reason: str) -> None:
    store.db.table("accounts").update(name, {"status": "reconnect_needed", "status_reason": reason})


def ready(store: Store, name: str | None) -> bool:
    """False when the account must be reconnected: its queued jobs should wait, not fail.
    No name means the default account, the one publishing uses for such drafts."""
    if not name:
        chosen = default_account(store)
        return chosen is None or not chosen.needs_reconnect
    rows = list(store.db.table("accounts").rows_where("name = ?", [name], select="status"))
    return not rows or rows[0]["status"] != "reconnect_needed"


def save_tokens(store: Store, vault: Vault, name: str, tokens: oauth.TokenSet) -> None:
    """The rotated refresh token and the new access token, written together (one transaction)."""
    access = tokens.access_token.get_secret_value()
    fields = {
        "access_token": vault.encrypt(access),
        "token_hint": hint(access),
        "expires_at": tokens.expires_at(),
        "refreshed_at": iso(),
        "status": "connected",
        "status_reason": "",
    }
    if tokens.refresh_token:
        fields["refresh_token"] = vault.encrypt(tokens.refresh_token.get_secret_value())
        fields["refresh_expires_at"] = tokens.refresh_expires_at()
    if tokens.scope:
        fields["scope"] = tokens.scope
    with store.db.atomic():
        store.db.table("accounts").update(name, fields)


class AccountTokenSource:
    """The TokenSource of one connected account: reads its tokens from SQLite, refreshes them
    shortly before expiry and on a 401, and flags the account when a refresh is refused.

    It opens a short-lived store per database touch, so it is safe to share across threads."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        vault: Vault,
        http: httpx.Client,
        settings: Settings,
        account: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.open_store, self.vault, self.http, self.settings = open_store, vault, http, settings
        self.account, self.clock = account, clock
        with _LOCKS_GUARD:  # one lock per account in this process: two refreshes must not race
            self._lock = _ACCOUNT_LOCKS.setdefault(account, threading.Lock())
        self._last = ""  # the token handed out last: a 401 on it means "refresh"
        self._cached: tuple[float, dict] | None = None

    def __repr__(self) -> str:
        return f"AccountTokenSource({self.account!r})"

    def _row(self, fresh: bool = False) -> dict:
        # A publish or a sync asks for the token on every request: re-read it only every few seconds.
        if not fresh and self._cached and time.monotonic() - self._cached[0] < ROW_CACHE_S:
            return self._cached[1]
        self._cached = None
        store = self.open_store()
        try:
            rows = list(store.db.table("accounts").rows_where("name = ?", [self.account]))
        finally:
            store.close()
        if not rows:
            raise AccountError(
                f"The Pinterest account “{self.account}” is not connected.", fix=RECONNECT_FIX, code="not_connected"
            )
        if rows[0]["status"] == "reconnect_needed":
            raise AccountError(
                f"The Pinterest account “{self.account}” needs to be reconnected.",
                fix=RECONNECT_FIX,
                code="reconnect_required",
            )
        self._cached = (time.monotonic(), rows[0])
        return rows[0]

    def _due(self, row: dict) -> bool:
        now = self.clock()
        margin = timedelta(seconds=self.settings.token_refresh_margin_s)
        if row.get("expires_at") and datetime.fromisoformat(row["expires_at"]) - margin <= now:
            return True
        refresh_by = row.get("refresh_expires_at")
        return bool(refresh_by and datetime.fromisoformat(refresh_by) - REFRESH_TOKEN_MARGIN <= now)

    def access_token(self) -> str:
        """The current access token, refreshed first when it expires soon."""
        with self._lock:
            row = self._row()
            if row.get("refresh_token") and self._due(row):
                row = self._row(fresh=True)  # maybe someone renewed it already
            if row.get("refresh_token") and self._due(row):
                self._last = self._refresh(row)
            else:
                self._last = self.vault.decrypt(row["access_token"])
            return self._last

    def refresh(self) -> str:
        """A fresh access token (after a 401); another process's newer token is used if there is one."""
        with self._lock:
            row = self._row(fresh=True)
            stored = self.vault.decrypt(row["access_token"])
            if self._last and stored != self._last and not self._due(row):
                self._last = stored  # someone else refreshed since we read it
            else:
                self._last = self._refresh(row)
            return self._last

    def _refresh(self, row: dict) -> str:
        if not row.get("refresh_token"):
            self._flag("The access token expired and there is no refresh token to renew it.")
        used = self.vault.decrypt(row["refresh_token"])
        store = self.open_store()
        try:
            app = oauth_app(store, self.vault, self.settings)
            if app is None:
                self._flag("The Pinterest app id and secret are needed to renew the connection.")
            token_url = oauth.token_url(row["api_base"] or self.settings.pinterest_api_base)
            try:
                tokens = oauth.refresh_tokens(
                    self.http,
                    app,
                    used,
                    token_url=token_url,
                    timeout=self.settings.http_timeout_s,
                    continuous=self.settings.pinterest_continuous_refresh,
                )
            except oauth.OAuthError as exc:
                if exc.retryable:
                    raise PinterestError(exc.message, fix=exc.fix, code="refresh_unreachable", retryable=True) from None
                latest = self._row(fresh=True)  # another process may have rotated the token meanwhile: use theirs
                if latest.get("refresh_token") and self.vault.decrypt(latest["refresh_token"]) != used:
                    return self.vault.decrypt(latest["access_token"])
                self._flag(exc.message)
            save_tokens(store, self.vault, self.account, tokens)
            self._cached = None
        finally:
            store.close()
        return tokens.access_token.get_secret_value()

    def _flag(self, reason: str) -> NoReturn:
        self._cached = None
        store = self.open_store()
        try:
            mark_reconnect_needed(store, self.account, reason)
        finally:
            store.close()
        raise AccountError(
            f"The Pinterest account “{self.account}” needs to be reconnected: {reason}",
            fix=RECONNECT_FIX,
            code="reconnect_required",
        )


def token_source(
    settings: Settings,
    http: httpx.Client,
    vault: Vault,
    account: str | None = None,
    *,
    open_store: Callable[[], Store],
):
    """The TokenSource publishing should use: the named (or only) connected account, else the
    PINTEREST_ACCESS_TOKEN settings source. This is the hook the publisher factory calls;
    `open_store` (from the composition root) opens a short-lived store per database touch."""
    from studio.pinterest import SettingsTokenSource

    store = open_store()
    try:
        chosen = default_account(store, account)
    finally:
        store.close()
    if chosen is None:
        return SettingsTokenSource(
            settings, http, on_rotate=lambda data: _keep_rotated(settings, http, vault, data, open_store)
        )
    return AccountTokenSource(open_store, vault, http, settings, chosen.name)


def _keep_rotated(
    settings: Settings, http: httpx.Client, vault: Vault, data: dict, open_store: Callable[[], Store]
) -> None:
    """PINTEREST_REFRESH_TOKEN is spent once Pinterest rotates it: save the new pair as a connected
    account, so the next run renews from it instead of the dead one in the environment."""
    tokens = oauth.TokenSet(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token"),
        expires_in=data.get("expires_in"),
        refresh_token_expires_in=data.get("refresh_token_expires_in"),
        scope=data.get("scope") or "",
    )
    store = open_store()
    try:
        save_account(store, vault, http, settings, tokens)
    except StudioError:
        pass  # the new token still works for this run; the next one asks to reconnect if need be
    finally:
        store.close()


def account_api(settings: Settings, http: httpx.Client, vault: Vault, account: str, *, open_store: Callable[[], Store]):
    """A PinterestAPI for one account (retries, refresh on 401) built from settings; its tokens are read
    through `open_store` (from the composition root)."""
    from studio.pinterest import PinterestAPI, RetryPolicy, shared_pacer

    tokens = AccountTokenSource(open_store, vault, http, settings, account)
    return PinterestAPI(
        http,
        tokens,
        settings.pinterest_api_base,
        timeout=settings.http_timeout_s,
        retry=RetryPolicy.from_settings(settings),  # board/section writes count too
        limiter=shared_pacer(settings.pinterest_write_rate, settings.pinterest_api_base),
    )


# --- the OAuth round trip, as the Accounts page drives it ----------------------------------
def start_authorization(
    store: Store, vault: Vault, settings: Settings, session: str | None = None, *, actor: Actor
) -> str | None:
    """Pinterest's authorize URL with a fresh state bound to the browser `session` (None until an app id
    and secret are known). Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    app = oauth_app(store, vault, settings)
    if app is None:
        return None
    return oauth_states.authorize_url(
        store, app, authorize_base=settings.pinterest_oauth_url, ttl_s=settings.oauth_state_ttl_s, session=session
    )


def complete_authorization(
    store: Store,
    vault: Vault,
    http: httpx.Client,
    settings: Settings,
    code: str | None,
    state: str | None,
    error: str | None = None,
    session: str | None = None,
    *,
    actor: Actor,
) -> Account:
    """Handle Pinterest's redirect back: check the state (and that this browser session started it),
    trade the code for tokens, save the account. Owners only."""
    people.require(actor, Permission.ACCOUNTS)
    redirect_uri = oauth_states.consume_state(store, state, session)  # first: nothing is trusted before the state
    if error:
        raise AccountError(
            f"Pinterest did not connect the account ({error[:100]}).",
            fix="Press “Connect Pinterest” again and choose “Give access”.",
            code="oauth_denied",
        )
    app = oauth_app(store, vault, settings)
    if app is None:
        raise AccountError(
            "The Pinterest app id and secret are missing.",
            fix="Enter them under “Pinterest app” and connect again.",
            code="app_missing",
        )
    tokens = oauth.exchange_code(
        http,
        app,
        code or "",
        token_url=oauth.token_url(settings.pinterest_api_base),
        redirect_uri=redirect_uri,
        timeout=settings.http_timeout_s,
    )
    return connect(store, vault, http, settings, tokens, actor=actor)
