"""Settings: one class, read from the environment (and `.env`), overridable by keyword."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LLMProviderName = Literal["auto", "openai", "offline"]
PublisherName = Literal["auto", "pinterest", "postproxy", "dry-run"]

PINTEREST_PRODUCTION = "https://api.pinterest.com/v5"
PINTEREST_SANDBOX = "https://api-sandbox.pinterest.com/v5"


class Settings(BaseSettings):
    """Everything the studio can be told, with the environment variable that sets it."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(
        Path("data"),
        alias="STUDIO_DATA_DIR",
        description="Where the database, media, thumbnails and the secret key file live.",
    )
    llm_provider: LLMProviderName = Field(
        "auto",
        alias="STUDIO_LLM_PROVIDER",
        description="`auto` (OpenAI-compatible when a key or base URL is set, else offline), `openai`, `offline`.",
    )
    llm_model: str = Field(
        "gpt-4o-mini", alias="STUDIO_LLM_MODEL", description="Model name sent to the OpenAI-compatible endpoint."
    )
    llm_vision: Literal["auto", "on", "off"] = Field(
        "auto",
        alias="STUDIO_LLM_VISION",
        description="Send the image (or the video's cover frame) with the prompt: `auto`, `on`, `off`.",
    )
    llm_timeout_s: float = Field(60.0, alias="STUDIO_LLM_TIMEOUT", description="Seconds before an LLM call gives up.")
    llm_max_retries: int = Field(2, alias="STUDIO_LLM_RETRIES", description="Retries of a failed LLM call.")
    openai_api_key: SecretStr | None = Field(
        None, alias="OPENAI_API_KEY", description="Key for OpenAI or any compatible endpoint (secret)."
    )
    openai_base_url: str | None = Field(
        None,
        alias="OPENAI_BASE_URL",
        description="OpenAI-compatible endpoint, e.g. Ollama `http://localhost:11434/v1`.",
    )
    llm_temperature: float = Field(0.7, alias="STUDIO_LLM_TEMPERATURE", description="Sampling temperature for drafts.")
    llm_concurrency: int = Field(
        8, alias="STUDIO_LLM_CONCURRENCY", description="LLM calls in flight during batch drafting."
    )
    # Brand voice: what every draft must sound like (used by the drafting prompt and the linter).
    brand_tone: str = Field(
        "friendly, helpful, concrete", alias="STUDIO_BRAND_TONE", description="Brand voice: tone of every draft."
    )
    brand_words_use: str = Field(
        "", alias="STUDIO_BRAND_WORDS_USE", description="Brand voice: words to use (comma-separated)."
    )
    brand_words_avoid: str = Field(
        "",
        alias="STUDIO_BRAND_WORDS_AVOID",
        description="Brand voice: words to avoid (comma-separated; the linter flags them).",
    )
    brand_language: str = Field("English", alias="STUDIO_BRAND_LANGUAGE", description="Language of the drafts.")
    brand_hashtags: bool = Field(False, alias="STUDIO_BRAND_HASHTAGS", description="Allow hashtags in descriptions.")

    publisher: PublisherName = Field(
        "auto",
        alias="STUDIO_PUBLISHER",
        description="`auto` (Pinterest when a token or a connected account exists, else Postproxy with a key, "
        "else dry run), `pinterest`, `postproxy`, `dry-run`.",
    )
    pinterest_access_token: SecretStr | None = Field(
        None,
        alias="PINTEREST_ACCESS_TOKEN",
        description="Pinterest access token for scripts (secret); the Accounts page is the usual way.",
    )
    pinterest_refresh_token: SecretStr | None = Field(
        None, alias="PINTEREST_REFRESH_TOKEN", description="Refresh token that goes with it (secret)."
    )
    pinterest_app_id: str | None = Field(
        None, alias="PINTEREST_APP_ID", description="Your Pinterest app id (for OAuth and token refresh)."
    )
    pinterest_app_secret: SecretStr | None = Field(
        None, alias="PINTEREST_APP_SECRET", description="Your Pinterest app secret (secret)."
    )
    pinterest_api_base: str = Field(
        PINTEREST_PRODUCTION,
        alias="PINTEREST_API_BASE",
        description="API base URL; the sandbox is `https://api-sandbox.pinterest.com/v5`.",
    )
    postproxy_api_key: SecretStr | None = Field(
        None, alias="POSTPROXY_API_KEY", description="Postproxy API key (secret)."
    )
    postproxy_api_base: str = Field(
        "https://api.postproxy.dev/api", alias="POSTPROXY_API_BASE", description="Postproxy API base URL."
    )
    http_timeout_s: float = Field(
        30.0, alias="STUDIO_HTTP_TIMEOUT", description="Seconds before a Pinterest/Postproxy request times out."
    )
    # Publishing (issue 5): retries, video processing wait, client-side write rate.
    publish_max_attempts: int = Field(
        5,
        alias="STUDIO_PUBLISH_MAX_ATTEMPTS",
        description="Tries per publish step on transient failures (429, 5xx, network).",
    )
    publish_backoff_base_s: float = Field(
        1.0, alias="STUDIO_PUBLISH_BACKOFF_BASE", description="First retry delay in seconds (doubles, with jitter)."
    )
    publish_backoff_cap_s: float = Field(
        60.0, alias="STUDIO_PUBLISH_BACKOFF_CAP", description="Longest retry delay in seconds."
    )
    media_processing_timeout_s: float = Field(
        600.0,
        alias="STUDIO_MEDIA_PROCESSING_TIMEOUT",
        description="Seconds to wait for Pinterest to process an uploaded video.",
    )
    media_poll_cap_s: float = Field(
        10.0, alias="STUDIO_MEDIA_POLL_CAP", description="Longest wait between video status checks."
    )
    pinterest_write_rate: float = Field(
        1.5, alias="PINTEREST_WRITE_RATE", description="Client-side cap on Pinterest writes per second."
    )  # writes/s; org_write is 100/min
    board_cache_ttl_s: float = Field(
        60.0, alias="STUDIO_BOARD_CACHE_TTL", description="Seconds a board-name lookup is cached."
    )
    # wait before checking whether an unanswered create-pin happened (a slow request may still land)
    publish_reconcile_grace_s: float = Field(
        5.0,
        alias="STUDIO_PUBLISH_RECONCILE_GRACE",
        description="Seconds to wait before checking whether an unanswered create-pin landed.",
    )

    # Accounts (issue 7): OAuth redirect back to the Accounts page, token refresh, login limits.
    pinterest_redirect_uri: str = Field(
        "http://localhost:8501/accounts",
        alias="PINTEREST_REDIRECT_URI",
        description="OAuth redirect URI registered on your app (the Accounts page).",
    )
    pinterest_oauth_url: str = Field(
        "https://www.pinterest.com/oauth/", alias="PINTEREST_OAUTH_URL", description="Pinterest's authorize URL."
    )
    oauth_state_ttl_s: float = Field(
        600.0, alias="STUDIO_OAUTH_STATE_TTL", description="Seconds an OAuth `state` stays valid (single use)."
    )
    token_refresh_margin_s: float = Field(
        3600.0, alias="STUDIO_TOKEN_REFRESH_MARGIN", description="Refresh a token this many seconds before it expires."
    )
    pinterest_continuous_refresh: bool = Field(
        True,
        alias="PINTEREST_CONTINUOUS_REFRESH",
        description="Send `continuous_refresh=true` when renewing a token (apps created before 2025-09-25 need it).",
    )
    login_max_failures: int = Field(
        5, alias="STUDIO_LOGIN_MAX_FAILURES", description="Wrong passwords before the login locks."
    )
    login_lockout_s: float = Field(
        30.0, alias="STUDIO_LOGIN_LOCKOUT", description="First lockout in seconds (doubles each time)."
    )

    secret_key: SecretStr | None = Field(
        None,
        alias="STUDIO_SECRET_KEY",
        description="Key that encrypts tokens at rest (secret); default: a 0600 key file in the data dir.",
    )
    password: SecretStr | None = Field(
        None,
        alias="STUDIO_PASSWORD",
        description="Password for the studio; required when it binds to anything but localhost (secret).",
    )
    host: str = Field("127.0.0.1", alias="STUDIO_HOST", description="Address the studio binds to.")
    port: int = Field(8501, alias="STUDIO_PORT", description="Port of the studio.")
    reviewer: str = Field(
        "",
        alias="STUDIO_REVIEWER",
        description="Default reviewer name recorded on events (each browser session can set its own).",
    )
    require_second_approver: bool | None = Field(
        None,
        alias="STUDIO_REQUIRE_SECOND_APPROVER",
        description="Four eyes: the author of a pin's current content may not approve it. Unset: on once two "
        "or more people are reviewers or owners; `true` or `false` forces it.",
    )
    sso_auto_role: Literal["viewer", "editor", "reviewer"] | None = Field(
        None,
        alias="STUDIO_SSO_AUTO_ROLE",
        description="Single sign-on: the role given to someone the provider vouches for (verified email) "
        "who has no account yet. Unset: such people are refused until an owner adds them.",
    )
    timezone: str = Field(
        "UTC",
        alias="STUDIO_TIMEZONE",
        description="Your time zone for scheduling, e.g. `Europe/Paris` (stored in UTC).",
    )
    week_start: Literal["auto", "monday", "sunday", "saturday"] = Field(
        "auto",
        alias="STUDIO_WEEK_START",
        description="The day weeks start on in the calendar: monday, sunday or saturday; `auto`: as the "
        "browser's language starts them (as its date pickers do), else sunday for a time zone in the Americas and "
        "monday elsewhere.",
    )

    # Guardrails against spam flags (issue: review and scheduling).
    daily_cap: int = Field(25, alias="STUDIO_DAILY_CAP", description="Guardrail: pins per account per day.")
    min_spacing_minutes: int = Field(
        10, alias="STUDIO_MIN_SPACING_MINUTES", description="Guardrail: minutes between two pins of an account."
    )
    repeat_days: int = Field(
        30,
        alias="STUDIO_REPEAT_DAYS",
        description="Guardrail: days before the same link or image may go to the same board again.",
    )
    max_boards_per_pin: int = Field(
        10, alias="STUDIO_MAX_BOARDS_PER_PIN", description="Guardrail: boards one image or link may be pinned to."
    )
    slot_jitter_minutes: int = Field(
        7, alias="STUDIO_SLOT_JITTER_MINUTES", description="Random minutes added to a posting slot."
    )
    worker_interval_s: float = Field(
        20.0, alias="STUDIO_WORKER_INTERVAL", description="Seconds between the scheduler worker's passes."
    )
    worker_enabled: bool = Field(
        True, alias="STUDIO_WORKER", description="Start the scheduler worker with `pinstudio run`."
    )

    # Hardening (issue 12): what a typed URL may reach, the LLM answer's size, who may say who the client is.
    fetch_allow_private: bool = Field(
        False,
        alias="STUDIO_FETCH_ALLOW_PRIVATE",
        description="Let media links, landing pages and CSV media URLs reach private and loopback addresses "
        "(media served from your own network); link-local and cloud-metadata addresses stay refused.",
    )
    llm_max_tokens: int = Field(
        1024,
        alias="STUDIO_LLM_MAX_TOKENS",
        description="Most tokens an LLM answer may use (`max_tokens`); longer answers are cut and refused.",
    )
    trusted_proxies: str = Field(
        "",
        alias="STUDIO_TRUSTED_PROXIES",
        description="Reverse proxies (comma-separated IPs or networks) whose `X-Forwarded-For` names the client "
        "for the login lockout; empty trusts none.",
    )
    api_port: int = Field(
        8502, alias="STUDIO_API_PORT", description="Port of the HTTP API (`pinstudio api`, and `pinstudio run`)."
    )
    api_rate_limit: int = Field(
        120, alias="STUDIO_API_RATE_LIMIT", description="HTTP API: requests per minute per API key (then 429)."
    )
    api_duplicate_window_s: float = Field(
        300.0,
        alias="STUDIO_API_DUPLICATE_WINDOW",
        description="HTTP API: seconds in which an identical post is refused (409) unless `X-Skip-Duplicate-Check`.",
    )
    api_max_json_kb: int = Field(
        1024,
        alias="STUDIO_API_MAX_JSON_KB",
        description="HTTP API: largest request body in KB (then 413), multipart uploads excepted: those stream "
        "to disk, up to 2 GB a file.",
    )
    api_key_quota_mb: int = Field(
        20_480,
        alias="STUDIO_API_KEY_QUOTA_MB",
        description="HTTP API: MB of media the posts of one API key may keep stored (then 413 "
        "`storage_quota_exceeded`); deleting posts frees it.",
    )
    api_max_inflight_per_key: int = Field(
        8,
        ge=1,
        alias="STUDIO_API_MAX_INFLIGHT_PER_KEY",
        description="HTTP API: posts one API key may have being created at once (then 429 with `Retry-After`): "
        "one client's slow media links never hold the server for the others.",
    )
    api_media_deadline_s: float = Field(
        30.0,
        gt=0,
        alias="STUDIO_API_MEDIA_DEADLINE_S",
        description="HTTP API: seconds a post's media link may take to download, redirects included (then 422 "
        "`download_failed`).",
    )
    api_media_workers: int = Field(
        16,
        ge=1,
        alias="STUDIO_API_MEDIA_WORKERS",
        description="HTTP API: posts created at once, all keys together (their downloads run in this pool, "
        "apart from the threads that answer every other request).",
    )
    public_base_url: str | None = Field(
        None,
        alias="STUDIO_PUBLIC_BASE_URL",
        description="Public address of the HTTP API server (e.g. `https://pins.example.com`): the media of "
        "approved and published pins is served read-only under `/media/`, so CSV exports of uploaded media get "
        "public URLs. Unset: `/media/` serves nothing.",
    )
    mcp_api_key: SecretStr | None = Field(
        None,
        alias="STUDIO_MCP_API_KEY",
        description="API key `pinstudio mcp` acts as (secret): with the `posts:publish` scope `create_post` may "
        "skip Review; without a key (or that scope) every post is a draft that waits in Review.",
    )
    mcp_media_dir: Path | None = Field(
        None,
        alias="STUDIO_MCP_MEDIA_DIR",
        description="The one folder `pinstudio mcp` reads local media from (files inside it only; "
        "unset: local paths are refused, links still work).",
    )

    # Analytics (issue 14): metrics synced daily and kept past Pinterest's 90 days.
    analytics_sync_at: str = Field(
        "04:00",
        alias="STUDIO_ANALYTICS_SYNC_AT",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Local time (HH:MM, `STUDIO_TIMEZONE`) the worker syncs each account's metrics once a day.",
    )
    analytics_read_rate: float = Field(
        0.9,
        alias="STUDIO_ANALYTICS_READ_RATE",
        description="Analytics requests per second (Pinterest allows 60 a minute per user).",
    )
    analytics_max_requests: int = Field(
        900,
        alias="STUDIO_ANALYTICS_MAX_REQUESTS",
        description="Requests one sync may spend (Trial apps get 1,000 a day); the next sync carries on.",
    )
    analytics_grounding: bool = Field(
        True,
        alias="STUDIO_ANALYTICS_GROUNDING",
        description="Show the drafter the best titles and keywords of the same board (when metrics exist).",
    )
    analytics_min_slot_pins: int = Field(
        5,
        alias="STUDIO_ANALYTICS_MIN_SLOT_PINS",
        description="Pins a weekday × hour cell needs before it is suggested as a posting slot.",
    )
    trends_region: str = Field(
        "US", alias="STUDIO_TRENDS_REGION", description="Region of the Pinterest Trends keyword ideas on Compose."
    )

    @field_validator("sso_auto_role", mode="before")
    @classmethod
    def _blank_role_is_none(cls, value: object) -> object:
        """`STUDIO_SSO_AUTO_ROLE=` (empty, as a .env often says "unset") means no role; case doesn't matter."""
        if isinstance(value, str):
            return value.strip().lower() or None
        return value

    @cached_property
    def db_path(self) -> Path:
        return self.data_dir / "studio.db"

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


def settings_table() -> str:
    """The configuration as a Markdown table (the README shows it)."""
    rows = ["| Variable | Default | What it does |", "|---|---|---|"]
    for field in Settings.model_fields.values():
        default = field.default
        shown = (
            ""
            if default is None
            else (
                "`true`"
                if default is True
                else "`false`"
                if default is False
                else f"`{default}`"
                if default != ""
                else ""
            )
        )
        rows.append(f"| `{field.alias}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


def mask_secret(secret: str | None) -> str:
    """Show at most the last 4 characters of a secret."""
    if not secret:
        return "(not set)"
    if len(secret) <= 8:
        return "••••"
    return "••••" + secret[-4:]


def settings_fingerprint(settings: Settings) -> str:
    """A digest of every value, secrets included (SecretStr's dump hides them): equal settings, equal digest."""
    values = {
        name: value.get_secret_value() if isinstance(value, SecretStr) else value
        for name, value in ((name, getattr(settings, name)) for name in type(settings).model_fields)
    }
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def env_file() -> str | None:
    """The file read besides the environment: `.env`, or the one STUDIO_ENV_FILE names (empty: no file)."""
    return os.environ.get("STUDIO_ENV_FILE", ".env") or None


def environment_settings(**overrides: object) -> Settings:
    """Settings from the environment (and the env file) alone; keyword arguments win.

    What the studio reads is `studio.preferences.load_settings`: these, with the values saved on the
    Settings page filling what the environment leaves unset."""
    return Settings(_env_file=env_file(), **overrides)  # type: ignore[arg-type, call-arg]
