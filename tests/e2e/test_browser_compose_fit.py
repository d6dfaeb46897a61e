"""In Chromium on a laptop-sized window: Compose shows a 100-character title whole, the "Fresh ideas" label
uncut, and Pinterest's own upload limits (images 20 MB, videos 2 GB) instead of Streamlit's 200 MB."""

import pytest
from playwright.sync_api import expect

from studio.media import ingest_image
from studio.services import open_store
from tests.support.browser import chromium_page, studio_server

pytestmark = pytest.mark.browser

TITLE = "Autumn soup recipe: roasted squash and ginger in 30 minutes, a cosy weeknight dinner for the family."
LAPTOP = (1280, 800)

# Whether an element's text overflows the box it is drawn in (cut off, scrolled away or ellipsised).
OVERFLOWS = "e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1"


def test_compose_shows_long_titles_whole_uncut_labels_and_pinterest_s_upload_limits(data_dir, make_image):
    assert len(TITLE) == 100
    store = open_store(data_dir / "studio.db")
    ingest_image(store, data_dir, make_image(size=(1000, 1500)), "soup.jpg")
    store.close()
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_LLM_PROVIDER": "offline"}
    with studio_server(env, timeout=90) as base, chromium_page(viewport=LAPTOP) as page:
        page.set_default_timeout(60_000)
        page.goto(f"{base}/compose")
        page.get_by_text("Compose a pin").wait_for()

        title = page.get_by_label("Title", exact=True)
        title.fill(TITLE)
        title.press("Tab")
        page.get_by_text("100/100 characters", exact=True).wait_for()
        expect(title).to_have_value(TITLE)
        assert not title.evaluate(OVERFLOWS), title.evaluate("e => [e.clientWidth, e.scrollWidth, e.scrollHeight]")

        fresh = page.get_by_test_id("stCheckbox").filter(has_text="Fresh ideas")
        label = fresh.get_by_test_id("stMarkdownContainer")
        assert label.inner_text() == "Fresh ideas" and not label.evaluate(OVERFLOWS)

        uploader = page.get_by_role("region", name="Upload an image or a video")
        dropzone = uploader.get_by_test_id("stFileUploaderDropzoneInstructions").inner_text()
        assert "200" not in dropzone and "2GB" in dropzone.replace(" ", ""), dropzone
        page.get_by_text("images up to 20 MB").wait_for()
        assert "videos up to 2 GB" in page.get_by_text("images up to 20 MB").inner_text()
