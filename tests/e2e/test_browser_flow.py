"""End to end in headless Chromium against a real `streamlit run`: upload → draft → approve → publish."""

import re

import pytest
from playwright.sync_api import expect

from studio.publishing import jobs
from studio.services import open_store
from tests.support.browser import chromium_page, studio_server

pytestmark = pytest.mark.browser


def test_upload_draft_approve_publish_and_see_history(data_dir, tmp_path, make_image):
    image = tmp_path / "summer-salad.jpg"
    image.write_bytes(make_image(size=(1000, 1500), color=(60, 160, 80)))
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_LLM_PROVIDER": "offline",
        "STUDIO_PUBLISHER": "dry-run",
    }
    with studio_server(env) as base, chromium_page() as page:
        page.goto(base)
        page.get_by_text("Welcome!").wait_for()
        page.goto(f"{base}/compose")
        page.get_by_text("Compose a pin").wait_for()
        page.locator("input[type=file]").first.set_input_files(str(image))
        page.get_by_text("JPEG · 1000×1500").wait_for()
        page.get_by_label("Topic or product notes").fill("Summer salad")
        page.get_by_label("Board").fill("123456789")
        page.get_by_label("Board").press("Enter")
        page.get_by_role("button", name="Draft copy").click()
        page.get_by_text("Drafted by offline").wait_for()
        # `expect` waits: the caption above the fields can be drawn a moment before the drafted title
        expect(page.get_by_label("Title", exact=True)).to_have_value(re.compile("Summer salad"))
        page.screenshot(path=str(tmp_path / "compose.png"), full_page=True)
        page.get_by_role("button", name="Submit for review").click()
        page.get_by_text("submitted for review").wait_for()

        page.goto(f"{base}/review")
        page.get_by_role("button", name="Approve").click()
        page.get_by_text("Approved #1").wait_for()

        page.goto(f"{base}/publish")
        page.get_by_role("button", name="Publish now").click()
        page.get_by_text("Dry run of #1").wait_for()

        page.goto(f"{base}/history")
        page.get_by_text("Summer salad").first.wait_for()
        page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    store = open_store(data_dir / "studio.db")
    draft = store.get_draft(1)
    assert draft.status == "published"
    assert jobs.for_draft(store, 1)[0]["request"][0]["json"]["media_source"]["source_type"] == "image_base64"
    assert (tmp_path / "compose.png").stat().st_size > 10_000
