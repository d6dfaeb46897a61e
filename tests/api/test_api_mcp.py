"""`pinstudio mcp` driven by the official `mcp` client over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from studio.services import open_store
from tests.support.env import ROOT


def test_an_agent_checks_media_drafts_copy_and_creates_a_draft_pin(data_dir, tmp_path, settings):
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    from tests.support.media import make_image

    image = make_image(tmp_path / "pin.jpg", (1000, 1500))
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "studio", "mcp"],
        env={**os.environ, "STUDIO_MCP_MEDIA_DIR": str(tmp_path)},  # the agent's files are read from there only
        cwd=str(ROOT),
    )

    async def session_run():
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            names = {t.name for t in (await session.list_tools()).tools}
            checked = await session.call_tool("check_media", {"source": str(image)})
            drafted = await session.call_tool("draft_copy", {"media": str(image), "topic": "linen napkins"})
            copy = json.loads(drafted.content[0].text)
            created = await session.call_tool(
                "create_post",
                {"media": str(image), "board": "Kitchen", "title": copy["title"], "description": copy["description"]},
            )
            post = json.loads(created.content[0].text)
            status = await session.call_tool("post_status", {"post_id": post["id"]})
            bad = await session.call_tool("create_post", {"media": str(image), "board": ""})
            return names, json.loads(checked.content[0].text), copy, post, json.loads(status.content[0].text), bad

    names, checked, copy, post, status, bad = asyncio.run(session_run())
    assert {"check_media", "draft_copy", "create_post", "post_status", "list_boards"} <= names
    assert checked["ok"] is True and checked["kind"] == "image"
    assert copy["title"]
    assert post["status"] == "draft" and status["status"] == "draft"
    assert bad.is_error and "board_required" in bad.content[0].text
    store = open_store(settings.db_path)
    try:
        draft = store.get_draft(post["studio"]["draft_id"])
        assert draft.status.value == "in_review" and draft.author == "api:mcp" and draft.board == "Kitchen"
    finally:
        store.close()
