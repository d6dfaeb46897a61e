"""The composition root: the one place that builds what does I/O from Settings.

Pages get a `Services` through one `st.cache_resource` function (pages_support/ui.py), the CLI through
studio/cli/common.py, tests build one pointed at their loopback servers. Everything below it is handed
what it needs: HTTP clients, the vault, publishers (with the account's tokens and the saved keys), the
drafter and the drafting service. No factory below this module opens a Store or builds an HTTP client
(tests/core/test_architecture.py checks it). It also lists every package's migration set: `open_store`
hands them to storage, which knows no feature.

May import: every studio package face (it sits with the CLI, above the features).
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
from sqlite_utils import Migrations

from studio import accounts, analytics, api, bulk, design, drafting, drafts, people, publishing
from studio.accounts import account_api, list_accounts, postproxy_key, postproxy_keys, ready, token_source
from studio.config import Settings
from studio.drafting import Drafter, DraftingService, get_drafter, service_for
from studio.media import default_client
from studio.pinterest import PinterestAPI, TokenSource
from studio.preferences import load_settings
from studio.publishing import BackendDeps, Publisher, effective_backend, get_publisher
from studio.secrets import Vault, vault_for
from studio.storage import Store

__all__ = ["MIGRATIONS", "Services", "open_store"]

# Every package's migration set, applied in this order after storage's core set. A package that adds
# tables adds its set here (the API's too: its tables module imports nothing of studio).
MIGRATIONS: tuple[Migrations, ...] = (
    drafting.migrations,
    publishing.migrations,
    bulk.migrations,
    accounts.migrations,
    drafts.migrations,
    api.migrations,
    analytics.migrations,
    design.migrations,
    people.migrations,
)


def open_store(path: str | Path) -> Store:
    """The database at `path` (created if need be), migrated with every package's tables."""
    return Store.open(path, migrations=MIGRATIONS)


class Services:
    """HTTP clients, the vault, publishers and the drafter for one process (thread-safe to share)."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.Client | None = None,
        fetch_http: httpx.Client | None = None,
        vault: Vault | None = None,
        drafter: Drafter | None = None,
    ) -> None:
        self.settings = settings
        # Pinterest, Postproxy and OAuth calls share one pooled client (httpx clients are thread-safe).
        self.http = http or httpx.Client(timeout=settings.http_timeout_s)
        self._fetch_http = fetch_http
        self._vault = vault
        self._drafter = drafter
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: object) -> Services:
        """Services for these settings (the environment's when none are given)."""
        return cls(settings or load_settings(), **overrides)  # type: ignore[arg-type]

    # --- storage and secrets -----------------------------------------------------------------
    def store(self) -> Store:
        """A store for the calling thread (SQLite connections are not shared): use it as `with`."""
        return open_store(self.settings.db_path)

    @property
    def vault(self) -> Vault:
        with self._lock:
            if self._vault is None:
                self._vault = vault_for(self.settings)
            return self._vault

    @property
    def fetch_http(self) -> httpx.Client:
        """The client for media and landing-page downloads from links users paste."""
        with self._lock:
            if self._fetch_http is None:
                self._fetch_http = default_client(self.settings.http_timeout_s)
            return self._fetch_http

    # --- publishing ---------------------------------------------------------------------------
    def backend(self) -> str:
        """The publisher `STUDIO_PUBLISHER` means: `auto` looks at the connected accounts and saved keys."""
        if self.settings.publisher != "auto" or self.settings.effective_publisher() != "dry-run":
            return self.settings.effective_publisher()
        if not self.settings.db_path.exists():
            return "dry-run"
        with self.store() as store:
            return effective_backend(
                self.settings,
                connected_accounts=bool(list_accounts(store)),
                saved_postproxy_key=bool(postproxy_keys(store)),
            )

    def publisher(self, backend: str | None = None, account: str | None = None) -> Publisher:
        """The backend named (or the effective one), publishing as `account` (None: the default one)."""
        name = backend or self.backend()
        deps = BackendDeps(self.settings, self.http)
        if name == "pinterest":
            # The account's tokens, and whether an account is flagged "reconnect needed" (its jobs wait).
            deps = BackendDeps(self.settings, self.http, tokens=self.tokens(account), account_ready=ready)
        elif name == "postproxy":
            deps = BackendDeps(self.settings, self.http, postproxy_key=self.postproxy_key())
        return get_publisher(deps, name)

    def tokens(self, account: str | None = None) -> TokenSource:
        """The named (or default) connected account's tokens, else PINTEREST_ACCESS_TOKEN's."""
        return token_source(self.settings, self.http, self.vault, account, open_store=self.store)

    def account_api(self, account: str) -> PinterestAPI:
        """The Pinterest API as a connected account (its tokens refreshed in the database)."""
        return account_api(self.settings, self.http, self.vault, account, open_store=self.store)

    def postproxy_key(self, workspace: str | None = None) -> str:
        """POSTPROXY_API_KEY, else the key saved on the Accounts page: the workspace named, else "default",
        else the only one."""
        if self.settings.postproxy_api_key:
            return self.settings.postproxy_api_key.get_secret_value()
        if not self.settings.db_path.exists():
            return ""
        with self.store() as store:
            names = [row["workspace"] for row in postproxy_keys(store)]
            chosen = next((n for n in (workspace, "default") if n in names), names[0] if names else None)
            return (postproxy_key(store, self.vault, chosen) or "") if chosen else ""

    # --- analytics ----------------------------------------------------------------------------
    def analytics_api(self, account: str | None) -> PinterestAPI:
        """The Pinterest API for analytics reads as `account` (None or "default": the default account's
        tokens, else PINTEREST_ACCESS_TOKEN's)."""
        return analytics.analytics_api(self.settings, self.http, self.vault, account, open_store=self.store)

    # --- drafting -----------------------------------------------------------------------------
    def drafter(self) -> Drafter:
        with self._lock:
            if self._drafter is None:
                self._drafter = get_drafter(self.settings)
            return self._drafter

    def drafting(self, store: Store, *, drafter: Drafter | None = None) -> DraftingService:
        """The drafting service on `store`: the settings' drafter, brand voice and landing-page fetcher."""
        return service_for(store, self.settings, drafter=drafter or self.drafter())

    # --- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        self.http.close()
        if self._fetch_http is not None:
            self._fetch_http.close()
