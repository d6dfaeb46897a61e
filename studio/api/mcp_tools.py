"""MCP tools over stdio (the official `mcp` package): an AI agent checks media, drafts copy, creates posts
(drafts by default: a person approves them in Review), reads a post's status and lists boards.

Each tool calls the same studio functions as the HTTP API; errors come back as the studio's message and fix."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx

from studio.api import posts
from studio.api.schemas import CreatePostIn
from studio.config import Settings
from studio.errors import StudioError
from studio.services import Services
from studio.storage import Store

MCP_KEY = {"id": "mcp", "name": "mcp"}  # posts made through MCP are attributed to "api:mcp"


class Tools:
    """The tools as plain methods (the MCP server wraps them; tests may call them directly)."""

    def __init__(self, settings: Settings, http: httpx.Client | None = None) -> None:
        self.settings = settings
        self.services = Services.from_settings(settings)
        self.http = http or self.services.fetch_http  # media links go through the SSRF guard

    def _store(self) -> Store:
        return Store.open(self.settings.db_path)

    def check_media(self, source: str) -> dict:
        """Check an image or video (a local path or an http(s) link) against Pinterest's specs."""
        from studio.media import check_path, fetch_url, is_url

        path = fetch_url(source, self.settings.data_dir, http=self.http) if is_url(source) else Path(source)
        try:
            report = check_path(path, source=source)
            return {
                "ok": report.ok,
                "kind": report.kind,
                "errors": [i.model_dump() for i in report.errors],
                "warnings": [i.model_dump() for i in report.warnings],
            }
        finally:
            if is_url(source):
                path.unlink(missing_ok=True)

    def draft_copy(self, media: str, topic: str = "", keywords: str = "", link: str = "", board: str = "") -> dict:
        """Draft a title, description and alt text for the media (nothing is saved or posted)."""
        store = self._store()
        try:
            asset = self._ingest(store, media)
            service = self.services.drafting(store)
            result = service.draft(media_id=asset.id, topic=topic, keywords=keywords, link=link, board=board)
            out = result.output
            return {
                "title": out.title,
                "description": out.description,
                "alt_text": out.alt_text,
                "keywords": out.keywords,
                "provider": out.provider,
                "model": out.model,
            }
        finally:
            store.close()

    def create_post(
        self,
        media: str,
        board: str,
        description: str = "",
        title: str = "",
        link: str = "",
        alt_text: str = "",
        draft: bool = True,
        scheduled_at: str | None = None,
    ) -> dict:
        """Create a pin. By default a draft that waits for a person's approval in the studio's Review queue."""
        payload = CreatePostIn.model_validate(
            {
                "post": {"body": description, "draft": draft, "scheduled_at": scheduled_at},
                "media": [media] if "://" in media else [],
                "platforms": {
                    "pinterest": {
                        "title": title or None,
                        "board_id": board,
                        "destination_link": link or None,
                        "alt_text": alt_text or None,
                    }
                },
            }
        )
        uploads, tmp = [], None
        if "://" not in media:  # a local file: a copy is stored (the agent's file stays where it is)
            tmp = Path(tempfile.mkdtemp(dir=self.settings.data_dir))
            copy = tmp / Path(media).name
            shutil.copyfile(media, copy)
            uploads = [posts.Upload(copy, Path(media).name)]
        store = self._store()
        try:
            ctx = posts.ApiContext(self.settings, self.http, _backend(self.settings))
            row, _created = posts.create_post(store, ctx, MCP_KEY, payload, uploads=uploads, skip_duplicate_check=True)
            return posts.post_view(row, self.settings.public_base_url)
        finally:
            store.close()
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    def post_status(self, post_id: str) -> dict:
        """A post's status (draft, scheduled, pending, processing, processed) and its pin link once published."""
        store = self._store()
        try:
            return posts.post_view(posts.get_row(store, post_id), self.settings.public_base_url)
        finally:
            store.close()

    def list_boards(self, account: str = "") -> list[dict]:
        """The boards synced from Pinterest (name, id, account, sections)."""
        from studio.accounts import list_boards

        store = self._store()
        try:
            return [
                {k: b.get(k) for k in ("id", "name", "account", "sections")}
                for b in list_boards(store, account or None)
            ]
        finally:
            store.close()

    def _ingest(self, store: Store, media: str):
        from studio.media import fetch_url, ingest_path, is_url

        if is_url(media):
            path = fetch_url(media, self.settings.data_dir, http=self.http)
            return ingest_path(store, self.settings.data_dir, path, Path(media).name, move=True)[0]
        return ingest_path(store, self.settings.data_dir, Path(media))[0]


def _backend(settings: Settings) -> str:
    return Services.from_settings(settings).backend()


def build_server(settings: Settings) -> Any:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    tools = Tools(settings)
    server = MCPServer("pinstudio", instructions="Prepare Pinterest pins; a person approves them in Pinstudio.")

    def guarded(fn):
        def call(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except StudioError as exc:  # the agent reads what is wrong and how to fix it
                raise ToolError(f"{exc.code}: {exc.message} {exc.fix}".strip()) from None

        call.__name__, call.__doc__ = fn.__name__, fn.__doc__
        call.__annotations__ = fn.__annotations__
        call.__wrapped__ = fn  # type: ignore[attr-defined]
        return call

    for fn in (tools.check_media, tools.draft_copy, tools.create_post, tools.post_status, tools.list_boards):
        server.tool(name=fn.__name__, description=fn.__doc__)(guarded(fn))
    return server


def run_stdio(settings: Settings) -> None:
    build_server(settings).run("stdio")
