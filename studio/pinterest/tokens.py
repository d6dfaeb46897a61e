"""Where access tokens come from: a tiny protocol, and a settings-backed source that can refresh."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import httpx

from studio.config import Settings
from studio.errors import PinterestError
from studio.pinterest.oauth import refresh_form

RECONNECT = "Reconnect your Pinterest account on the Accounts page (or set a new PINTEREST_ACCESS_TOKEN)."


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh(self) -> str: ...


class StaticTokenSource:
    """A fixed token that cannot be refreshed (tests, one-off scripts)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        return self._token

    def refresh(self) -> str:
        raise PinterestError(
            "Your Pinterest connection has expired and can't be refreshed here.",
            fix=RECONNECT,
            code="reconnect_required",
        )


class SettingsTokenSource:
    """PINTEREST_ACCESS_TOKEN, refreshed through POST /oauth/token when refresh credentials are set."""

    def __init__(self, settings: Settings, http: httpx.Client, on_rotate: Callable[[dict], None] | None = None) -> None:
        self._http = http
        self._base = settings.pinterest_api_base.rstrip("/")
        self._timeout = settings.http_timeout_s
        self._access = settings.pinterest_access_token.get_secret_value() if settings.pinterest_access_token else ""
        self._refresh = settings.pinterest_refresh_token.get_secret_value() if settings.pinterest_refresh_token else ""
        self._app_id = settings.pinterest_app_id or ""
        self._secret = settings.pinterest_app_secret.get_secret_value() if settings.pinterest_app_secret else ""
        self._continuous = settings.pinterest_continuous_refresh
        self._on_rotate = on_rotate  # the accounts feature persists rotated tokens here
        self._lock = threading.Lock()

    @property
    def can_refresh(self) -> bool:
        return bool(self._refresh and self._app_id and self._secret)

    def access_token(self) -> str:
        if not self._access:
            raise PinterestError("No Pinterest account is connected.", fix=RECONNECT, code="not_connected")
        return self._access

    def refresh(self) -> str:
        """Exchange the refresh token for a new access token; keep the rotated refresh token."""
        if not self.can_refresh:
            raise PinterestError("Your Pinterest connection has expired.", fix=RECONNECT, code="reconnect_required")
        with self._lock:
            try:
                response = self._http.post(
                    f"{self._base}/oauth/token",
                    auth=(self._app_id, self._secret),
                    timeout=self._timeout,
                    data=refresh_form(self._refresh, self._continuous),
                )
            except httpx.HTTPError:
                raise PinterestError(
                    "Pinterest could not be reached to renew your connection.",
                    fix="Check the internet connection and retry.",
                    code="refresh_unreachable",
                    retryable=True,
                ) from None
            if response.status_code != 200:
                raise PinterestError(
                    "Pinterest refused to renew your connection.", fix=RECONNECT, code="reconnect_required"
                )
            data = response.json()
            self._access = data["access_token"]
            self._refresh = data.get("refresh_token") or self._refresh  # Pinterest rotates it
            if self._on_rotate:
                self._on_rotate(data)
            return self._access
