"""Settings: one class, read from the environment (and `.env`), overridable by keyword."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LLMProviderName = Literal["auto", "openai", "offline"]
PublisherName = Literal["auto", "pinterest", "postproxy", "dry-run"]

PINTEREST_PRODUCTION = "https://api.pinterest.com/v5"
PINTEREST_SANDBOX = "https://api-sandbox.pinterest.com/v5"


class Settings(BaseSettings):
    """Everything the studio can be told, with the environment variable that sets it."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path("data"), alias="STUDIO_DATA_DIR")
    llm_provider: LLMProviderName = Field("auto", alias="STUDIO_LLM_PROVIDER")
    llm_model: str = Field("gpt-4o-mini", alias="STUDIO_LLM_MODEL")
    llm_vision: Literal["auto", "on", "off"] = Field("auto", alias="STUDIO_LLM_VISION")
    llm_timeout_s: float = Field(60.0, alias="STUDIO_LLM_TIMEOUT")
    llm_max_retries: int = Field(2, alias="STUDIO_LLM_RETRIES")
    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    llm_temperature: float = Field(0.7, alias="STUDIO_LLM_TEMPERATURE")
    llm_concurrency: int = Field(8, alias="STUDIO_LLM_CONCURRENCY")
    # Brand voice: what every draft must sound like (used by the drafting prompt and the linter).
    brand_tone: str = Field("friendly, helpful, concrete", alias="STUDIO_BRAND_TONE")
    brand_words_use: str = Field("", alias="STUDIO_BRAND_WORDS_USE")
    brand_words_avoid: str = Field("", alias="STUDIO_BRAND_WORDS_AVOID")
    brand_language: str = Field("English", alias="STUDIO_BRAND_LANGUAGE")
    brand_hashtags: bool = Field(False, alias="STUDIO_BRAND_HASHTAGS")

    publisher: PublisherName = Field("auto", alias="STUDIO_PUBLISHER")
    pinterest_access_token: SecretStr | None = Field(None, alias="PINTEREST_ACCESS_TOKEN")
    pinterest_refresh_token: SecretStr | None = Field(None, alias="PINTEREST_REFRESH_TOKEN")
    pinterest_app_id: str | None = Field(None, alias="PINTEREST_APP_ID")
    pinterest_app_secret: SecretStr | None = Field(None, alias="PINTEREST_APP_SECRET")
    pinterest_api_base: str = Field(PINTEREST_PRODUCTION, alias="PINTEREST_API_BASE")
    postproxy_api_key: SecretStr | None = Field(None, alias="POSTPROXY_API_KEY")
    postproxy_api_base: str = Field("https://api.postproxy.dev/api", alias="POSTPROXY_API_BASE")
    http_timeout_s: float = Field(30.0, alias="STUDIO_HTTP_TIMEOUT")
    # Publishing (issue 5): retries, video processing wait, client-side write rate.
    publish_max_attempts: int = Field(5, alias="STUDIO_PUBLISH_MAX_ATTEMPTS")
    publish_backoff_base_s: float = Field(1.0, alias="STUDIO_PUBLISH_BACKOFF_BASE")
    publish_backoff_cap_s: float = Field(60.0, alias="STUDIO_PUBLISH_BACKOFF_CAP")
    media_processing_timeout_s: float = Field(600.0, alias="STUDIO_MEDIA_PROCESSING_TIMEOUT")
    media_poll_cap_s: float = Field(10.0, alias="STUDIO_MEDIA_POLL_CAP")
    pinterest_write_rate: float = Field(1.5, alias="PINTEREST_WRITE_RATE")  # writes/s; org_write is 100/min
    board_cache_ttl_s: float = Field(60.0, alias="STUDIO_BOARD_CACHE_TTL")
    # wait before checking whether an unanswered create-pin happened (a slow request may still land)
    publish_reconcile_grace_s: float = Field(5.0, alias="STUDIO_PUBLISH_RECONCILE_GRACE")

    # Accounts (issue 7): OAuth redirect back to the Accounts page, token refresh, login limits.
    pinterest_redirect_uri: str = Field("http://localhost:8501/accounts", alias="PINTEREST_REDIRECT_URI")
    pinterest_oauth_url: str = Field("https://www.pinterest.com/oauth/", alias="PINTEREST_OAUTH_URL")
    oauth_state_ttl_s: float = Field(600.0, alias="STUDIO_OAUTH_STATE_TTL")
    token_refresh_margin_s: float = Field(3600.0, alias="STUDIO_TOKEN_REFRESH_MARGIN")
    login_max_failures: int = Field(5, alias="STUDIO_LOGIN_MAX_FAILURES")
    login_lockout_s: float = Field(30.0, alias="STUDIO_LOGIN_LOCKOUT")

    secret_key: SecretStr | None = Field(None, alias="STUDIO_SECRET_KEY")
    password: SecretStr | None = Field(None, alias="STUDIO_PASSWORD")
    host: str = Field("127.0.0.1", alias="STUDIO_HOST")
    port: int = Field(8501, alias="STUDIO_PORT")
    reviewer: str = Field("", alias="STUDIO_REVIEWER")
    timezone: str = Field("UTC", alias="STUDIO_TIMEZONE")

    # Guardrails against spam flags (issue: review and scheduling).
    daily_cap: int = Field(25, alias="STUDIO_DAILY_CAP", description="pins per account per day")
    min_spacing_minutes: int = Field(10, alias="STUDIO_MIN_SPACING_MINUTES")
    repeat_days: int = Field(30, alias="STUDIO_REPEAT_DAYS", description="same link/image on a board")
    max_boards_per_pin: int = Field(10, alias="STUDIO_MAX_BOARDS_PER_PIN")
    slot_jitter_minutes: int = Field(7, alias="STUDIO_SLOT_JITTER_MINUTES")
    worker_interval_s: float = Field(20.0, alias="STUDIO_WORKER_INTERVAL")
    worker_enabled: bool = Field(True, alias="STUDIO_WORKER")

    @cached_property
    def db_path(self) -> Path:
        return self.data_dir / "studio.db"

    @cached_property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def effective_llm_provider(self) -> str:
        """`auto` means the OpenAI-compatible provider only when a key or a base URL is set."""
        if self.llm_provider != "auto":
            return self.llm_provider
        return "openai" if (self.openai_api_key or self.openai_base_url) else "offline"

    def effective_publisher(self) -> str:
        """`auto` picks a real backend only when its credentials are set."""
        if self.publisher != "auto":
            return self.publisher
        if self.pinterest_access_token:
            return "pinterest"
        if self.postproxy_api_key:
            return "postproxy"
        return "dry-run"

    def public_view(self) -> dict[str, str]:
        """The effective configuration as shown to a user: secrets masked."""
        view: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                shown = mask_secret(value.get_secret_value())
            elif value is None:
                shown = "(not set)"
            else:
                shown = str(value)
            view[field.alias or name] = shown
        view["effective LLM provider"] = self.effective_llm_provider()
        view["effective publisher"] = self.effective_publisher()
        return view


def mask_secret(secret: str | None) -> str:
    """Show at most the last 4 characters of a secret."""
    if not secret:
        return "(not set)"
    if len(secret) <= 8:
        return "••••"
    return "••••" + secret[-4:]


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment (and `.env`, or the file named by STUDIO_ENV_FILE;
    an empty STUDIO_ENV_FILE reads no file); keyword arguments win."""
    env_file = os.environ.get("STUDIO_ENV_FILE", ".env") or None
    return Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type, call-arg]
