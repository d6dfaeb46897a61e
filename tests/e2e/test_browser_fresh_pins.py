"""In Chromium: fresh pins from one image → three designs chosen → three drafts waiting in Review."""

import pytest
from playwright.sync_api import expect

from studio.design import fresh_pins_of
from studio.drafts.lifecycle import save_draft
from studio.media.assets import ingest_image
from studio.models import DraftStatus
from studio.services import open_store
from tests.support.browser import chromium_page, open_expander, settled, studio_server
from tests.support.people import editor

pytestmark = pytest.mark.browser


def test_fresh_pins_from_one_image_become_three_drafts_in_review(data_dir, tmp_path, make_image):
    store = open_store(data_dir / "studio.db")
    asset, _ = ingest_image(store, data_dir, make_image(size=(600, 900)), "pesto.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": "Basil pesto in 10 minutes",
            "media_id": asset.id,
            "board": "Recipes",
            "link": "https://example.com/pesto",
            "description": "A quick pesto for busy weeknights.",
        },
        actor=editor("ana"),
    )
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(60_000)  # rendering designs takes seconds on a busy 2-core machine
        page.goto(f"{base}/compose")
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
        page.get_by_role("option", name=f"#{draft.id} Basil pesto").click()
        page.get_by_text(f"Editing draft #{draft.id}").wait_for()
        gallery = open_expander(page, "Fresh pins: new designs for the same link")
        page.get_by_role("button", name="Make designs").click()
        boxes = page.locator('[data-testid="stCheckbox"]').filter(has_text="contrast")
        boxes.nth(2).wait_for(timeout=120_000)
        settled(gallery)  # grown to show the designs: until then their checkboxes are clipped
        expect(boxes).to_have_count(3)  # the three default templates × the draft's title
        for i in range(3):
            boxes.nth(i).locator("label").click()
            page.get_by_role("button", name=f"Make {i + 1} draft(s) from the chosen").wait_for()
        page.get_by_role("button", name="Make 3 draft(s) from the chosen").click()
        page.get_by_text("3 fresh pin draft(s) sent to review").wait_for()

        page.goto(f"{base}/review")
        page.get_by_text("Basil pesto in 10 minutes").first.wait_for()
        page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
        linked = fresh_pins_of(store, draft.id)
        assert len(linked) == 3
        # The Review grid ("needs my attention") shows the three fresh pins as cards beside the original draft.
        titles = page.get_by_text("Basil pesto in 10 minutes", exact=True)
        titles.nth(3).wait_for()  # four cards (the grid draws them after the first match on the page)
    assert {store.get_draft(r["draft_id"]).status for r in linked} == {DraftStatus.IN_REVIEW}
