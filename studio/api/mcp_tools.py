"""MCP tools over stdio (the official `mcp` package): an AI agent checks media, drafts copy, creates posts
(drafts: a person approves them in Review), reads a post's status and lists boards.

Each tool calls the same studio functions as the HTTP API; errors come back as the studio's message and fix.
The server acts as an API key (`STUDIO_MCP_API_KEY` or `pinstudio mcp --key`): only a key with the
`posts:publish` scope makes posts that skip Review. Without a key it acts for the local operator, drafts only
(recorded as "api:mcp"). Local media paths are read only inside `STUDIO_MCP_MEDIA_DIR`."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import httpx

from studio import constraints
from studio.api import keys, posts
from studio.api.errors import Unauthorized
from studio.api.schemas import CreatePostIn
from studio.errors import StudioError, ValidationError
from studio.people import Actor, Scope
from studio.services import Services
from studio.storage import Store

MCP_KEY = {"id": "mcp", "name": "mcp", "scopes": [Scope.POSTS_DRAFT.value]}  # the server started without a key
MAX_LOCAL_BYTES = constraints.VIDEO_MAX_BYTES  # a local file is copied in at most this big (the largest pin)


class Tools:
    """The tools as plain methods on the caller's `services` (the MCP server wraps them; tests may call them)."""

    def __init__(self, services: Services, http: httpx.Client | None = None, key: str | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.http = http or services.fetch_http  # media links go through the SSRF guard
        secret = self.settings.mcp_api_key
        self.key = key or (secret.get_secret_value() if secret else None)
        if self.key:
            with services.store() as store:
                self.caller(store)  # a wrong or revoked key stops the server at start, not at the first post

    def caller(self, store: Store) -> tuple[dict, Actor]:
        """The key this server acts as and who that is, read on every call (a revoked key stops working)."""
        if not self.key:
            operator = Actor.for_api_key_of(MCP_KEY, Actor.cli())
            return MCP_KEY, dataclasses.replace(operator, name="api:mcp")
        row = keys.verify_key(store, self.key)
        if row is None:
            raise Unauthorized("The MCP server's API key is wrong or revoked (STUDIO_MCP_API_KEY or --key).")
        return row, keys.key_actor(store, row)

    def check_media(self, source: str) -> dict:
        """Check an image or video (a file in the media folder, or an http(s) link) against Pinterest's specs."""
        from studio.media import check_path, fetch_url, is_url

        path = fetch_url(source, self.settings.data_dir, http=self.http) if is_url(source) else self.local(source)
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
        with self.services.store() as store:
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
        with self.services.store() as store:
            key, actor = self.caller(store)
            posts.check_may_post(actor, payload)  # before any file is copied
            try:
                if "://" not in media:  # a local file: a copy is stored (the agent's file stays where it is)
                    tmp = Path(tempfile.mkdtemp(dir=self.settings.data_dir))
                    uploads = [posts.Upload(self.copy_in(self.local(media), tmp), Path(media).name)]
                ctx = posts.ApiContext(self.settings, self.http, self.services.backend())
                row, _created = posts.create_post(
                    store, ctx, key, payload, actor=actor, uploads=uploads, skip_duplicate_check=True
                )
                if row.get("media_state") == "pending":  # one tool call at a time: its media is checked here
                    posts.finish_media(store, ctx, row["id"], lambda _key_id: actor)
                    row = posts.get_row(store, row["id"])
                return posts.post_view(row, self.settings.public_base_url)
            finally:
                if tmp:
                    shutil.rmtree(tmp, ignore_errors=True)

    def post_status(self, post_id: str) -> dict:
        """A post's status (draft, scheduled, pending, processing, processed) and its pin link once published."""
        with self.services.store() as store:
            key, actor = self.caller(store)
            row = posts.get_row(store, post_id, key_id=posts.visible_to(actor, key["id"]))
            return posts.post_view(row, self.settings.public_base_url)

    def list_boards(self, account: str = "") -> list[dict]:
        """The boards synced from Pinterest (name, id, account, sections)."""
        from studio.accounts import list_boards

        with self.services.store() as store:
            boards = list_boards(store, account or None)
        return [{field: board.get(field) for field in ("id", "name", "account", "sections")} for board in boards]

    def _ingest(self, store: Store, media: str):
        from studio.media import fetch_url, ingest_path, is_url

        if is_url(media):
            path = fetch_url(media, self.settings.data_dir, http=self.http)
            return ingest_path(store, self.settings.data_dir, path, Path(media).name, move=True)[0]
        tmp = Path(tempfile.mkdtemp(dir=self.settings.data_dir))
        try:
            copy = self.copy_in(self.local(media), tmp)
            return ingest_path(store, self.settings.data_dir, copy, Path(media).name, move=True)[0]
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def local(self, source: str) -> Path:
        """A local media path the agent gave, if it names a regular file inside STUDIO_MCP_MEDIA_DIR (relative
        paths are taken from there). A missing file, a file outside the folder (through `..` or a link) and a
        folder all get the same answer: the agent learns nothing about what exists elsewhere."""
        folder = self.settings.mcp_media_dir
        if folder is None:
            raise ValidationError(
                "Local media paths are turned off for this MCP server.",
                fix="Give an http(s) link, or set STUDIO_MCP_MEDIA_DIR to the folder the agent's files are in.",
                code="media_folder_unset",
            )
        root = Path(folder).expanduser().resolve()
        try:
            path = (root / Path(source).expanduser()).resolve(strict=True)
            usable = path.is_relative_to(root) and path.is_file()
        except (OSError, RuntimeError, ValueError):
            usable = False
        if not usable:
            raise ValidationError(
                "There is no such media file in the MCP media folder.",
                fix="Put the file in STUDIO_MCP_MEDIA_DIR and give its name (or its path inside that folder).",
                code="media_not_in_folder",
            )
        return path

    def copy_in(self, path: Path, folder: Path) -> Path:
        """Copy a checked local file into `folder`, at most MAX_LOCAL_BYTES (counted while copying: the file
        may grow after it was checked). A link swapped in since the check is not followed."""
        target = folder / path.name
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        try:
            source = os.open(path, flags)
        except OSError:
            raise ValidationError(
                f"The media file {path.name} can't be read.", fix="Check its permissions.", code="media_unreadable"
            ) from None
        with os.fdopen(source, "rb") as reader, target.open("wb") as writer:
            if not stat.S_ISREG(os.fstat(reader.fileno()).st_mode):
                raise ValidationError(f"{path.name} is not a regular file.", code="media_not_in_folder")
            copied = 0
            while chunk := reader.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_LOCAL_BYTES:
                    raise ValidationError(
                        f"{path.name} is larger than Pinterest takes ({MAX_LOCAL_BYTES // (1 << 20)} MB).",
                        fix="Use a smaller file.",
                        code="file_too_large",
                    )
                writer.write(chunk)
        return target


def build_server(services: Services, key: str | None = None) -> Any:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    tools = Tools(services, key=key)
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


def run_stdio(services: Services, key: str | None = None) -> None:
    build_server(services, key).run("stdio")
