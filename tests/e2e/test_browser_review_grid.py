"""In Chromium: the review grid as a reviewer and an author live it.

Selection is the truth (ticks, select all, cleared after an action; a missing note said once), the
open pin answers to the keyboard, a pin sent back shows its reason on Compose with the thread, and
the sidebar counts the pins waiting."""

import pytest
from playwright.sync_api import expect

from studio.drafts import save_draft, submit_for_review
from studio.media import ingest_image
from studio.services import open_store
from tests.support.browser import chromium_page, open_studio, studio_server
from tests.support.people import editor

pytestmark = pytest.mark.browser
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


def test_grid_selection_keyboard_and_notes_reach_the_author(data_dir, make_image):
    store = open_store(data_dir / "studio.db")
    ids = []
    for i in range(5):
        asset, _ = ingest_image(store, data_dir, make_image(color=(40 * i, 120, 90)), f"p{i}.jpg")
        d = save_draft(
            store, None, {"title": f"Soup idea {i}", "media_id": asset.id, "board": "Soups"}, actor=editor("ana")
        )
        submit_for_review(store, d.id, actor=editor("ana"))
        ids.append(d.id)
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_REVIEWER": "rita",
    }
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(90_000)  # a loaded 2-core CI box renders slowly; the flow itself is short
        open_studio(page, base, "review")
        page.get_by_text("Review · 5 waiting").wait_for()  # the sidebar counts what waits on rita
        page.get_by_text("0 selected").wait_for()
        boxes = page.locator("input[data-pin-select]")  # each card's box (plain HTML in the card)
        # Two ticks in quick succession, the second while the first one's run is still on its way: both count.
        boxes.nth(0).click()
        boxes.nth(1).click()
        page.get_by_text("2 selected").wait_for()
        page.wait_for_function(IDLE)
        assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked() and not boxes.nth(2).is_checked()
        page.get_by_role("button", name="Select all 5").click()
        page.get_by_text("5 selected").wait_for()

        # Reject without a note: one message, nothing done, the selection kept.
        page.get_by_label("Action").click()
        page.get_by_role("option", name="Reject (one note for all)").click()
        page.get_by_role("button", name="Apply to 5").click()
        page.get_by_text("A rejection needs a note.").wait_for()
        expect(page.get_by_text("A rejection needs a note.")).to_have_count(1)
        page.get_by_text("5 selected").wait_for()

        # Untick two, approve the other three: every box clears, the count says 0.
        page.wait_for_function(IDLE)
        boxes.nth(0).click()
        page.get_by_text("4 selected").wait_for()
        page.wait_for_function(IDLE)
        boxes.nth(1).click()
        page.get_by_text("3 selected").wait_for()
        page.get_by_label("Action").click()
        page.get_by_role("option", name="Approve").click()
        page.get_by_role("button", name="Apply to 3").click()
        page.get_by_text("Approve: 3 done.").wait_for()
        page.get_by_text("0 selected").wait_for()
        expect(page.locator("input[data-pin-select]:checked")).to_have_count(0)
        statuses = [store.get_draft(i).status.value for i in ids]
        assert statuses.count("approved") == 3 and statuses.count("in_review") == 2

        # The open pin answers to the keyboard, even right after ticking a box (the focus is then on the box):
        # J moves on, A approves; then a reviewer sends the last one back with a note.
        waiting = [d.id for d in store.list_drafts(["in_review"])]  # the grid's order: newest first
        page.get_by_text(f"#{waiting[0]} · Soup idea").wait_for()  # the first card is open
        page.wait_for_function(IDLE)
        boxes.nth(0).click()
        page.get_by_text("1 selected").wait_for()
        page.wait_for_function(IDLE)
        page.keyboard.press("j")
        page.get_by_text(f"#{waiting[1]} · Soup idea").wait_for()
        page.wait_for_function(IDLE)
        page.keyboard.press("a")
        page.get_by_text(f"Approved #{waiting[1]}.").wait_for()
        assert store.get_draft(waiting[1]).status.value == "approved"
        last = waiting[0]
        page.get_by_text(f"#{last} · Soup idea").wait_for()  # the one left is open
        page.wait_for_function(IDLE)
        page.get_by_placeholder("Required to reject or request changes").fill("Say which soup is vegan")
        page.get_by_role("button", name="Request changes").click()
        page.get_by_text(f"Sent #{last} back to its author.").wait_for()

        # The author (ana) sees the reason at the top of the draft and the thread beside the editor.
        page.goto(f"{base}/compose")
        page.get_by_text("Compose a pin").wait_for()
        page.get_by_label("Open a draft").click()
        page.get_by_role("option", name=f"#{last} Soup idea").click()
        page.get_by_text("Changes requested by rita").wait_for()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Say which soup is vegan").first.wait_for()
