"""In Chromium: the calendar's board (FullCalendar in the streamlit-calendar component). A scheduled pin dragged
to another day is rescheduled there (the store says so, the board shows it); a drop that breaks a guardrail is
refused with the reason, and the pin snaps back; what went out can't be dragged."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from studio.drafts import approve, save_draft
from studio.media import ingest_image
from studio.preferences import load_settings
from studio.publishing import publish_draft
from studio.scheduling import schedule, week_start_of
from studio.services import open_store
from tests.support.browser import IDLE, calendar_board, chromium_browser, chromium_page, open_studio, studio_server
from tests.support.people import editor, reviewer
from tests.support.publishing import PostedPublisher

pytestmark = pytest.mark.browser
TZ = "Europe/Paris"


def local(store, draft_id: int) -> datetime:
    return datetime.fromisoformat(store.get_draft(draft_id).scheduled_at).astimezone(ZoneInfo(TZ))


def test_drag_a_pin_to_another_day_and_a_refused_drop_says_why(data_dir, make_image):
    store = open_store(data_dir / "studio.db")
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_TIMEZONE": TZ,
        "STUDIO_WEEK_START": "sunday",
        "STUDIO_DAILY_CAP": "1",  # one pin a day: a drop on Thursday, where another pin is, breaks it
    }
    cfg = load_settings(STUDIO_DATA_DIR=str(data_dir), STUDIO_TIMEZONE=TZ)
    ids = []
    for n, title in enumerate(("Tomato soup", "Pea soup", "Old soup")):  # each its own image: no repeat guardrail
        asset, _ = ingest_image(store, data_dir, make_image(color=(200, 80 + 40 * n, 40)), f"soup{n}.jpg")
        draft = save_draft(store, None, {"title": title, "media_id": asset.id, "board": "Soups"}, actor=editor())
        approve(store, draft.id, actor=reviewer())
        ids.append(draft.id)
    tomato, pea, old = ids
    publish_draft(store, PostedPublisher("555"), old, cfg, actor=reviewer())  # went out today
    # Next week (Sunday first): every day of it is in the future, whatever today is.
    today = datetime.now(UTC).astimezone(ZoneInfo(TZ)).date()
    sunday = week_start_of(today, "sunday") + timedelta(days=7)
    tuesday, wednesday, thursday = (sunday + timedelta(days=n) for n in (2, 3, 4))
    for draft_id, day, at in ((tomato, tuesday, time(9, 0)), (pea, thursday, time(15, 0))):
        when = datetime.combine(day, at, ZoneInfo(TZ))
        schedule(store, cfg, draft_id, when, tz=TZ, actor=reviewer(), override=True)

    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(60_000)
        open_studio(page, base, "calendar")
        board = calendar_board(page)
        # This week: the pin that went out today is there, with its link in the list, and can't be dragged.
        published = board.locator(".fc-event", has_text="Old soup")
        published.wait_for()
        assert "fc-event-draggable" not in (published.get_attribute("class") or "")
        assert board.locator(".fc-col-header-cell").first.get_attribute("data-date") == str(
            week_start_of(today, "sunday")
        )  # the week starts on the setting's day

        page.get_by_role("button", name="▶").click()
        board = calendar_board(page, showing=str(sunday + timedelta(days=6)))
        assert board.locator(".fc-col-header-cell").first.get_attribute("data-date") == str(sunday)
        tomato_event = board.locator(f'td[data-date="{tuesday}"] .fc-event', has_text="Tomato soup")
        assert "fc-event-draggable" in (tomato_event.get_attribute("class") or "")
        tomato_event.drag_to(board.locator(f'td.fc-daygrid-day[data-date="{wednesday}"]'))
        page.get_by_text(f"#{tomato} moved to {wednesday:%a %d %b} 09:00 ({TZ}).").wait_for()
        moved = local(store, tomato)
        assert (moved.date(), moved.time()) == (wednesday, time(9, 0))  # the store has it, at the same time
        board = calendar_board(page)
        board.locator(f'td[data-date="{wednesday}"] .fc-event', has_text="Tomato soup").wait_for()
        expect(board.locator(f'td[data-date="{tuesday}"] .fc-event')).to_have_count(0)

        # Thursday has Pea soup already: the daily cap refuses the drop, says why, and the pin stays on Wednesday.
        board.locator(f'td[data-date="{wednesday}"] .fc-event', has_text="Tomato soup").drag_to(
            board.locator(f'td.fc-daygrid-day[data-date="{thursday}"]')
        )
        page.get_by_text(f"#{tomato} stays where it was").wait_for()
        assert "daily cap is 1" in page.get_by_role("alert").filter(has_text="stays where it was").inner_text()
        assert local(store, tomato).date() == wednesday
        board = calendar_board(page)
        board.locator(f'td[data-date="{wednesday}"] .fc-event', has_text="Tomato soup").wait_for()
        expect(board.locator(f'td[data-date="{thursday}"] .fc-event', has_text="Tomato soup")).to_have_count(0)
        page.wait_for_function(IDLE)


def test_the_week_start_reaches_the_month_board_too(data_dir):
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_WEEK_START": "saturday"}
    with studio_server(env) as base, chromium_page() as page:
        open_studio(page, base, "calendar")
        calendar_board(page)
        page.get_by_text("Month", exact=True).click()
        month_end = datetime.now(UTC).date().replace(day=28)
        board = calendar_board(page, showing=str(month_end))
        board.locator(".fc-dayGridMonth-view").wait_for()
        first = date.fromisoformat(board.locator("td.fc-daygrid-day").first.get_attribute("data-date") or "")
        assert first.weekday() == 5  # a Saturday


def test_one_week_start_in_the_board_and_the_date_picker_from_the_browsers_language(data_dir, make_image):
    """STUDIO_WEEK_START left at `auto`, a time zone in Europe: the board starts weeks where the browser's own
    date picker does (Streamlit's picker follows the browser's language and can't be told otherwise), for a
    US-English browser (Sunday) and a British one (Monday) on the same studio."""
    store = open_store(data_dir / "studio.db")
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    draft = save_draft(store, None, {"title": "Soup", "media_id": asset.id, "board": "Soups"}, actor=editor())
    approve(store, draft.id, actor=reviewer())  # the Move form (and its date picker) shows for an approved pin
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_TIMEZONE": TZ}
    seen = {}
    with studio_server(env) as base, chromium_browser() as browser:
        for language, first_day in (("en-US", "Sunday"), ("en-GB", "Monday")):
            context = browser.new_context(locale=language, viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            open_studio(page, base, "calendar")
            board = calendar_board(page)
            board_first = board.locator("td.fc-daygrid-day").first.get_attribute("data-date") or ""
            page.get_by_text(f"weeks start on {first_day}").wait_for()
            page.locator('[data-testid="stDateInputCalendarButton"]').first.click()
            picker = page.locator('[data-testid="stDateInputCalendar"] [role="grid"] tbody tr').first
            picker_first = picker.locator('[role="button"]').first.get_attribute("aria-label") or ""
            seen[language] = (f"{date.fromisoformat(board_first):%A}", picker_first.split(",")[0])
            context.close()
    assert seen == {"en-US": ("Sunday", "Sunday"), "en-GB": ("Monday", "Monday")}
