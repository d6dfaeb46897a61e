"""In headless Chromium: nothing typed on Compose is lost (issue 25). The copy comes back after another page,
Back and a reload, with a note; Draft copy with no board picked drafts anyway, says so, and keeps the topic
and keywords typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from studio.media import ingest_image
from studio.services import open_store
from tests.support.browser import chromium_page, studio_server
from tests.support.seeded import sync_fake_boards

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)  # helpers share two cores: a rerun can take a while

TITLE = "Autumn squash soup in 30 minutes"
DESCRIPTION = "A velvety soup for cold evenings, with roasted squash, sage and a swirl of cream."


def _seed_photo(data_dir, make_image) -> None:
    store = open_store(data_dir / "studio.db")
    ingest_image(store, data_dir, make_image(size=(1000, 1500)), "squash.jpg")
    store.close()


def _env(data_dir) -> dict[str, str]:
    return {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_LLM_PROVIDER": "offline"}


def _compose_with_the_photo(page, base: str) -> None:
    page.goto(f"{base}/compose")
    page.get_by_text("Compose a pin").wait_for(timeout=90_000)
    page.get_by_label("…or pick stored media").click()
    page.get_by_role("option", name="squash.jpg").first.click()
    expect(page.get_by_role("button", name="Draft copy")).to_be_enabled()


def _box(page, label: str):
    """The text box called `label` on screen (Streamlit keeps a page's earlier elements in the DOM, hidden)."""
    return page.get_by_label(label, exact=True).filter(visible=True)


def _type(page, label: str, text: str) -> None:
    box = _box(page, label)
    box.fill(text)
    box.press("Tab")  # the box sends its value when it loses focus


def _settled(page) -> None:
    """Wait until the script run is over (Streamlit's "Running…" indicator is gone)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def _expect_copy_back(page) -> None:
    expect(_box(page, "Title")).to_have_value(TITLE)
    expect(_box(page, "Description")).to_have_value(DESCRIPTION)
    expect(page.get_by_text("Restored your unsaved changes from")).to_be_visible()


def test_typed_copy_comes_back_after_another_page_back_and_a_reload(data_dir, make_image):
    _seed_photo(data_dir, make_image)
    with studio_server(_env(data_dir), timeout=90) as base, chromium_page() as page:
        page.set_default_timeout(60_000)  # helpers share two cores
        _compose_with_the_photo(page, base)
        _type(page, "Title", TITLE)
        _type(page, "Description", DESCRIPTION)
        page.get_by_text(
            f"{len(DESCRIPTION)}/500 characters", exact=True
        ).wait_for()  # the run that saw the description is done

        page.get_by_role("link", name="History").click()  # another page, in the same tab
        page.get_by_role("heading", name="History").first.wait_for()
        page.get_by_role("link", name="Compose").click()
        _expect_copy_back(page)

        page.get_by_role("link", name="Schedule").click()
        page.get_by_role("heading", name="Schedule").first.wait_for()
        page.go_back()  # the browser's Back
        _expect_copy_back(page)

        page.reload()
        page.get_by_text("Compose a pin").wait_for(timeout=90_000)
        _expect_copy_back(page)

        _settled(page)  # the reload's run is over: the page as the person reads it
        page.get_by_role("button", name="Discard").click()  # thrown away on purpose: gone, and stays gone
        expect(page.get_by_text("Restored your unsaved changes from")).to_have_count(0)
        _settled(page)
        expect(_box(page, "Title")).to_have_value("")
        page.reload()
        page.get_by_text("Compose a pin").wait_for(timeout=90_000)
        expect(_box(page, "Title")).to_have_value("")
        expect(page.get_by_text("Restored your unsaved changes from")).to_have_count(0)


def test_draft_copy_with_no_board_picked_says_so_and_keeps_the_topic_and_keywords(data_dir, make_image, pinterest):
    sync_fake_boards(pinterest)  # boards synced: the board box is a picker, and nothing is picked
    _seed_photo(data_dir, make_image)
    with studio_server(_env(data_dir), timeout=90) as base, chromium_page() as page:
        page.set_default_timeout(60_000)
        _compose_with_the_photo(page, base)
        _type(page, "Topic or product notes", "Squash soup for cold nights")
        _type(page, "Target keywords (comma-separated, primary first)", "squash soup, autumn dinner")
        expect(_box(page, "Board")).to_have_count(1)
        page.get_by_role("button", name="Draft copy").click()

        expect(page.get_by_text("No board picked: drafted without one.")).to_be_visible()
        expect(_box(page, "Title")).not_to_have_value("")
        expect(_box(page, "Topic or product notes")).to_have_value("Squash soup for cold nights")
        keywords = _box(page, "Target keywords (comma-separated, primary first)")
        expect(keywords).to_have_value("squash soup, autumn dinner")
        expect(page.get_by_test_id("stException")).to_have_count(0)
