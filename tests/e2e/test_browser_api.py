"""In headless Chromium: a post sent through the HTTP API (official SDK) as a draft shows up in Review;
approved there, it is published and the API says so. The studio runs as `pinstudio run` (API included)."""

import asyncio
import time

import httpx
import pytest

from studio.api import create_key
from studio.services import open_store
from tests.support.browser import chromium_page, free_port, studio_server
from tests.support.media import make_image
from tests.support.people import owner

pytestmark = pytest.mark.browser


def test_an_api_draft_waits_in_review_and_publishes_once_approved(data_dir, tmp_path):
    from postproxy import PlatformParams, PostProxy
    from postproxy._types import PinterestParams

    store = open_store(data_dir / "studio.db")
    key = create_key(store, "cms", actor=owner())["key"]
    store.close()
    image = make_image(tmp_path / "lemon-tart.jpg", (1000, 1500), colour="#e8c547")
    api_port = free_port()
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_LLM_PROVIDER": "offline",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_API_PORT": str(api_port),
    }
    api = f"http://127.0.0.1:{api_port}"

    async def send(fn):
        async with PostProxy(key, base_url=api) as client:
            return await fn(client)

    with studio_server(env, with_worker=True) as base:
        post = asyncio.run(  # before Playwright, whose sync API keeps an event loop running in this thread
            send(
                lambda c: c.posts.create(
                    "A bright lemon tart for spring brunch",
                    ["pinterest"],
                    media_files=[image],
                    platforms=PlatformParams(pinterest=PinterestParams(title="Lemon tart", board_id="Baking")),
                    draft=True,
                )
            )
        )
        assert post.status == "pending"  # answered once stored; the pixels are checked after the 201
        for _ in range(100):  # ...and the post is a draft waiting in Review once they pass
            got = httpx.get(f"{api}/api/posts/{post.id}", headers={"Authorization": f"Bearer {key}"}).json()
            if got["status"] != "pending":
                break
            time.sleep(0.1)
        assert got["status"] == "draft"
        with chromium_page() as page:
            page.goto(f"{base}/review")
            page.get_by_text("Lemon tart").first.wait_for()
            page.get_by_text("cms (API key of").first.wait_for()  # the key, acting for its owner
            page.get_by_role("button", name="Approve").click()
            page.get_by_text("Approved #1").wait_for()
            for _ in range(100):
                got = httpx.get(f"{api}/api/posts/{post.id}", headers={"Authorization": f"Bearer {key}"}).json()
                if got["status"] == "processed":
                    break
                page.wait_for_timeout(200)
        assert got["status"] == "processed" and got["platforms"][0]["status"] == "published"
