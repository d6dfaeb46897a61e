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


def test_a_drafts_only_key_makes_drafts_and_files_outside_the_folder_stay_unknown(data_dir, tmp_path, settings):
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    from tests.support.api import make_key
    from tests.support.media import make_image

    inbox, elsewhere = tmp_path / "inbox", tmp_path / "private"
    image = make_image(inbox / "pin.jpg", (1000, 1500))
    secret = make_image(elsewhere / "secret.jpg", (1000, 1500))
    key = make_key(settings, "agent", scopes=["posts:draft"])["key"]
    env = {**os.environ, "STUDIO_MCP_MEDIA_DIR": str(inbox), "STUDIO_MCP_API_KEY": key}
    params = StdioServerParameters(command=sys.executable, args=["-m", "studio", "mcp"], env=env, cwd=str(ROOT))
    outside = [str(secret), str(elsewhere / "missing.jpg"), "../private/secret.jpg", "../private/missing.jpg"]

    async def session_run():
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            made = await session.call_tool(
                "create_post", {"media": "pin.jpg", "board": "Kitchen", "title": "Linen", "draft": False}
            )
            checks = [await session.call_tool("check_media", {"source": path}) for path in outside]
            posted = await session.call_tool("create_post", {"media": str(secret), "board": "Kitchen", "title": "X"})
            return json.loads(made.content[0].text), checks, posted

    post, checks, posted = asyncio.run(session_run())
    assert post["status"] == "draft" and post["studio"]["review_required"] is True
    assert all(check.is_error for check in checks) and posted.is_error
    # (each message starts "Error executing tool <name>:"; what follows is the studio's answer)
    answers = {result.content[0].text.split(": ", 1)[1] for result in [*checks, posted]}
    assert len(answers) == 1 and "media_not_in_folder" in answers.pop()  # existing or not: the same answer
    assert image.exists() and secret.exists()  # the agent's files stay where they are
    store = open_store(settings.db_path)
    try:
        assert store.get_draft(post["studio"]["draft_id"]).status.value == "in_review"
        assert len(store.list_media()) == 1  # only the file from the folder was taken in
    finally:
        store.close()
    assert not [p for p in data_dir.iterdir() if p.is_dir() and p.name.startswith("tmp")]  # nothing left behind
