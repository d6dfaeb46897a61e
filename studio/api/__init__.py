"""The HTTP API: the Pinterest part of the Postproxy API (posts, profiles, webhooks) served over the studio,
with API keys, idempotency, duplicate checks, rate limits and signed webhooks; and MCP tools.

Posts become studio drafts; publishing is `studio.publishing`'s jobs (no second path).
May import: studio core, people, media, drafts, publishing, scheduling, accounts. Pages use this face only.
FastAPI and uvicorn are imported only when an app or a server is built (the CLI stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studio.api.keys import active_key_count, create_key, list_keys, revoke_key, verify_key
from studio.api.tables import migrations

if TYPE_CHECKING:
    from fastapi import FastAPI

    from studio.config import Settings
    from studio.services import Services


def create_app(settings: Settings, **options: Any) -> FastAPI:
    """The ASGI app over the studio in `settings.data_dir` (see `studio.api.app.create_app`)."""
    from studio.api.app import create_app as build

    return build(settings, **options)


def serve(settings: Settings, host: str, port: int, **options: Any) -> None:
    """Run the API in this thread until stopped (uvicorn)."""
    from studio.api.server import serve as run

    run(settings, host, port, **options)


def start_background_server(settings: Settings, host: str, port: int, **options: Any):
    """The API in a thread of this process (what `pinstudio run` uses); returns the server (`.stop()`)."""
    from studio.api.server import BackgroundServer, build_app

    return BackgroundServer(build_app(settings, **options), host, port).start()


def run_mcp_stdio(services: Services, key: str | None = None) -> None:
    """The MCP tools over stdio (`pinstudio mcp`), on the caller's `services` (the caller closes them), acting
    as API key `key` (default STUDIO_MCP_API_KEY; none: drafts only, for the local operator)."""
    from studio.api.mcp_tools import run_stdio

    run_stdio(services, key)


def public_media_url(settings: Settings, media_path: str) -> str | None:
    """The public URL of a stored media file when `STUDIO_PUBLIC_BASE_URL` is set."""
    from pathlib import Path

    base = (settings.public_base_url or "").rstrip("/")
    return f"{base}/media/{Path(media_path).name}" if base else None


__all__ = [
    "active_key_count",
    "create_app",
    "create_key",
    "list_keys",
    "migrations",
    "public_media_url",
    "revoke_key",
    "run_mcp_stdio",
    "serve",
    "start_background_server",
    "verify_key",
]
