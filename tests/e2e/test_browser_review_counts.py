"""In Chromium: the sidebar's count of pins waiting follows every action at once (issue 26: it said "302
waiting" after 16 more approvals, since the review grid's actions rerun only the grid)."""

import pytest
from playwright.sync_api import expect

from studio.drafts import save_draft, submit_for_review
from studio.media import ingest_image
from studio.services import open_store
from tests.support.browser import IDLE, chromium_page, open_studio, studio_server
from tests.support.people import editor

pytestmark = pytest.mark.browser


def test_the_sidebar_count_drops_as_soon_as_a_pin_is_approved(data_dir, make_image):
    store = open_store(data_dir / "studio.db")
    for i in range(4):
        asset, _ = ingest_image(store, data_dir, make_image(color=(50 * i, 120, 90)), f"p{i}.jpg")
        draft = save_draft(
            store, None, {"title": f"Soup idea {i}", "media_id": asset.id, "board": "Soups"}, actor=editor("ana")
        )
        submit_for_review(store, draft.id, actor=editor("ana"))
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_REVIEWER": "rita"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(60_000)
        open_studio(page, base, "review")
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Review · 4 waiting")
        page.wait_for_function(IDLE)
        page.get_by_role("button", name="✅ Approve").click()  # the open pin's action
        page.get_by_text("Approved #").wait_for()
        expect(nav).to_contain_text("Review · 3 waiting", timeout=10_000)

        page.wait_for_function(IDLE)  # a bulk action counts too
        page.get_by_role("button", name="Select all 3").click()
        page.get_by_text("3 selected").wait_for()
        page.wait_for_function(IDLE)
        page.get_by_role("button", name="Apply to 3").click()
        page.get_by_text("Approve: 3 done.").wait_for()
        expect(nav).not_to_contain_text("waiting", timeout=10_000)
        assert len(store.list_drafts(["approved"])) == 4
