"""In Chromium: plan with the calendar. Pick your time zone (stored), add a pin to the shared posting
slots' queue, see its thumbnail on the week grid, move it by picking a time and then another day's slot,
and find it marked as scheduled on Publish, where publishing it early needs a confirmation."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from studio.drafts import approve, save_draft
from studio.media import ingest_image
from studio.scheduling import add_slot
from studio.services import open_store
from tests.support.browser import calendar_board, chromium_page, open_studio, studio_server
from tests.support.people import editor, reviewer

pytestmark = pytest.mark.browser
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


def test_calendar_queue_move_and_publish_confirmation(data_dir, make_image):
    store = open_store(data_dir / "studio.db")
    asset, _ = ingest_image(store, data_dir, make_image(color=(200, 80, 40)), "soup.jpg")
    draft = save_draft(
        store, None, {"title": "Tomato soup", "media_id": asset.id, "board": "Soups"}, actor=editor("ana")
    )
    approve(store, draft.id, actor=reviewer("rita"))
    for weekday in range(7):  # one shared set of slots, every board uses it
        add_slot(store, "", weekday, "09:00", "Asia/Tokyo", actor=reviewer())
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(90_000)
        open_studio(page, base, "calendar")
        page.get_by_text("Times in UTC").wait_for()
        page.get_by_role("combobox", name="Your time zone").click()
        page.get_by_role("option", name="Asia/Tokyo").click()
        page.get_by_text("Times in Asia/Tokyo").wait_for()
        assert json.loads((data_dir / "preferences.json").read_text())["timezone"] == "Asia/Tokyo"

        page.get_by_role("button", name="Add to queue").click()
        page.get_by_text(f"#{draft.id} queued for").wait_for()
        queued = store.get_draft(draft.id)
        assert queued.scheduled_at and queued.schedule_tz == "Asia/Tokyo"
        local_day = datetime.fromisoformat(queued.scheduled_at).astimezone(ZoneInfo("Asia/Tokyo")).date()
        board = calendar_board(page, showing=str(local_day))
        event = board.locator(f'td[data-date="{local_day}"] .fc-event', has_text="Tomato soup")
        assert "09:" in event.inner_text()  # on its day, at the slot's time in Tokyo
        thumb = event.evaluate("el => getComputedStyle(el).getPropertyValue('--thumb')")
        assert "data:image/jpeg" in thumb  # the pin's thumbnail

        # Move it: the picker offers the pin's day; another time on that day, then the next day's slot.
        assert page.get_by_role("spinbutton", name="day, Day").inner_text() == f"{local_day.day:02d}"
        page.get_by_text("another time…").click()
        page.wait_for_function(IDLE)
        page.get_by_role("button", name="Move here").click()
        page.get_by_text(f"#{draft.id} moved to {local_day:%a %d %b} 12:00 (Asia/Tokyo).").wait_for()
        assert store.get_draft(draft.id).scheduled_at != queued.scheduled_at
        calendar_board(page).locator(f'td[data-date="{local_day}"] .fc-event', has_text="12:00").wait_for()

        next_day = local_day + timedelta(days=1)
        page.wait_for_function(IDLE)  # the run that moved it is over (no stale copy of the day field)
        for part, value in (
            ("year", f"{next_day.year}"),
            ("month", f"{next_day.month:02d}"),
            ("day", f"{next_day.day:02d}"),
        ):
            page.get_by_role("spinbutton", name=f"{part}, Day").click()
            page.keyboard.type(value)
        page.get_by_text("Move a pin", exact=True).click()  # leave the date field: the day is picked
        # the day's slots are redrawn by the run that follows; until it ends the old list may show beside them
        slot = page.locator('[data-testid="stRadio"]').get_by_text("09:00", exact=True)
        expect(slot).to_have_count(1, timeout=15_000)
        page.wait_for_function(IDLE)
        slot.click()
        page.wait_for_function(IDLE)
        expect(page.get_by_role("radio", name="09:00")).to_be_checked()
        page.get_by_role("button", name="Move here").click()
        page.get_by_text(f"#{draft.id} moved to {next_day:%a %d %b} 09:00 (Asia/Tokyo).").wait_for()
        moved = store.get_draft(draft.id)
        assert (
            datetime.fromisoformat(moved.scheduled_at).astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
            == f"{next_day} 09:00"
        )
        board = calendar_board(page, showing=str(next_day))
        board.locator(f'td[data-date="{next_day}"] .fc-event', has_text="09:00").wait_for()

        # On Publish it is marked as scheduled; publishing it early needs a confirmation, then it goes out.
        page.goto(f"{base}/publish")
        page.get_by_text("Scheduled for").wait_for()
        publish = page.get_by_role("button", name="Publish now")
        assert publish.is_disabled()
        page.get_by_text("Publish it now instead").click()
        page.wait_for_function(
            "[...document.querySelectorAll('button')].some(b => b.innerText.includes('Publish now') && !b.disabled)"
        )
        assert store.get_draft(draft.id).status.value == "approved"  # nothing published without the click
        page.wait_for_function(IDLE)
        publish.click()
        page.get_by_text(f"Dry run of #{draft.id}: nothing was posted").wait_for()
        assert store.get_draft(draft.id).status.value == "published"
