"""In headless Chromium (issue 25): a reviewer opens an API draft in Review and reads, before clicking, what
approving will do — here "Approving publishes it at HH:MM (Europe/Paris), the next free time", because another pin
goes out in a few minutes — clicks Approve, and the pin's card then shows it scheduled at that time, with the reason
in its history. The studio runs as `pinstudio run` (API and worker included)."""

import asyncio
from datetime import datetime, timedelta

import pytest

from studio.api import create_key
from studio.preferences import load_settings
from studio.scheduling import schedule, zone
from studio.services import open_store
from tests.support.browser import chromium_page, free_port, open_expander, studio_server
from tests.support.media import make_image
from tests.support.people import owner, reviewer
from tests.support.pins import approved_pin

pytestmark = pytest.mark.browser

PARIS = "Europe/Paris"


def test_review_says_when_approving_publishes_an_api_draft_and_the_card_shows_it(data_dir, tmp_path):
    from postproxy import PlatformParams, PostProxy
    from postproxy._types import PinterestParams

    store = open_store(data_dir / "studio.db")
    key = create_key(store, "cms", actor=owner())["key"]
    busy = approved_pin(store, data_dir, title="Plum cake", board="Baking")
    soon = (datetime.now(zone("UTC")) + timedelta(minutes=4)).replace(second=0, microsecond=0)
    schedule(store, load_settings(data_dir=data_dir), busy.id, soon, actor=reviewer())
    store.close()
    expected = (soon + timedelta(minutes=10)).astimezone(zone(PARIS))
    said = f"Approving publishes it at {expected:%H:%M} ({PARIS}), the next free time."
    image = make_image(tmp_path / "lemon-tart.jpg", (1000, 1500), colour="#e8c547")
    api_port = free_port()
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_LLM_PROVIDER": "offline",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_API_PORT": str(api_port),
        "STUDIO_TIMEZONE": PARIS,
    }

    async def send(fn):
        async with PostProxy(key, base_url=f"http://127.0.0.1:{api_port}") as client:
            return await fn(client)

    with studio_server(env, with_worker=True) as base:
        asyncio.run(  # before Playwright, whose sync API keeps an event loop running in this thread
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
        with chromium_page() as page:
            page.goto(f"{base}/review")
            page.get_by_text("Lemon tart").first.wait_for()
            page.get_by_text(said).wait_for()  # said before the click
            page.get_by_role("button", name="Approve").click()
            page.get_by_text(f"It publishes at {expected:%H:%M} ({PARIS}), the next free time.").wait_for()
            draft_id = _wait_scheduled(data_dir, page)
            page.reload()
            page.get_by_text("Approved", exact=True).first.click()  # the Approved view
            page.get_by_role("button", name=f"Open pin #{draft_id}").click()
            page.get_by_text(f"Scheduled for {expected:%a %Y-%m-%d %H:%M} ({PARIS})").wait_for()
            open_expander(page, "History and comments")
            page.get_by_text("on approval, the next free time").first.wait_for()


def _wait_scheduled(data_dir, page) -> int:
    """The API draft's id once the studio scheduled it (the API's background work does it within a second)."""
    for _ in range(100):
        store = open_store(data_dir / "studio.db")
        try:
            drafts = [d for d in store.list_drafts(["approved"]) if d.title == "Lemon tart" and d.scheduled_at]
        finally:
            store.close()
        if drafts:
            return drafts[0].id
        page.wait_for_timeout(200)
    raise AssertionError("the approved API draft was never scheduled")
