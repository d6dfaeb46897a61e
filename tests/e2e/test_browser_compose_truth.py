"""In headless Chromium, what a marketer would notice (issue 16, items 1, 2, 4, 5): long text is kept and
counted, media changes keep the copy, checks never contradict each other, dry runs are never "Published"."""

import pytest
from playwright.sync_api import expect

from studio.drafts import approve, save_draft
from studio.media import ingest_image
from studio.preferences import load_settings
from studio.publishing import publish_draft
from studio.publishing.dry_run import DryRunPublisher
from studio.services import open_store
from tests.support.browser import chromium_page, studio_server
from tests.support.people import editor, reviewer

pytestmark = pytest.mark.browser

LONG_TITLE = (
    "Easy weeknight pasta recipes for busy families who love Italian food and want dinner "
    "on the table in minutes"
)  # 108 characters: over Pinterest's 100


def seed_dry_run_pin(data_dir, make_image) -> None:
    """One pin taken all the way through the dry-run publisher."""
    store = open_store(data_dir / "studio.db")
    asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 1500)), "salad.jpg")
    draft = save_draft(store, None, {"title": "Summer salad", "board": "Lunch", "media_id": asset.id}, actor=editor())
    approve(store, draft.id, actor=reviewer("ana"))
    cfg = load_settings(data_dir=data_dir)
    assert publish_draft(store, DryRunPublisher(), draft.id, cfg, actor=reviewer())["status"] == "published"
    store.close()


def test_compose_keeps_text_and_media_changes_keep_copy_and_checks_tell_the_truth(
    data_dir, tmp_path, make_image, monkeypatch
):
    seed_dry_run_pin(data_dir, make_image)
    photo = tmp_path / "pasta.jpg"
    photo.write_bytes(make_image(size=(1000, 1500), color=(220, 180, 60)))
    tiny = tmp_path / "tiny.png"
    tiny.write_bytes(make_image(size=(50, 50), fmt="PNG"))
    notes = tmp_path / "notes.jpg"
    notes.write_bytes(b"just some text, not an image")
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_LLM_PROVIDER": "offline",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_FETCH_ALLOW_PRIVATE": "true",
    }
    with studio_server(env, timeout=90) as base, chromium_page() as page:
        page.set_default_timeout(60_000)  # seven engineers share two cores: pages can take a while to settle
        # Item 4: a dry run is counted apart on Home and told as a dry run in History.
        page.goto(base)
        dry = page.get_by_test_id("stMetric").filter(has_text="Dry runs")
        dry.wait_for()
        assert dry.get_by_test_id("stMetricValue").inner_text() == "1"
        published = page.get_by_test_id("stMetric").filter(has_text="Published")
        assert published.get_by_test_id("stMetricValue").inner_text() == "0"
        page.goto(f"{base}/history")
        page.get_by_text("Dry run — nothing was posted").first.wait_for()
        expect(page.get_by_text("Summer salad").first).to_be_visible()
        expect(page.get_by_text("Published on Pinterest")).to_have_count(0)

        page.goto(f"{base}/compose")
        page.get_by_text("Compose a pin").wait_for()
        title = page.get_by_label("Title", exact=True)
        page.get_by_label("Topic or product notes").fill("Weeknight pasta")
        page.get_by_label("Topic or product notes").press("Tab")

        # Item 1: the long title is kept, counted in red, saving is blocked with the reason.
        title.fill(LONG_TITLE)
        title.press("Tab")
        count = page.get_by_text(f"{len(LONG_TITLE)}/100", exact=True)
        count.wait_for()
        red, green, _ = (
            int(c) for c in count.evaluate("e => getComputedStyle(e).color").strip("rgba()").split(",")[:3]
        )
        assert red > 150 and green < 100  # shown in red
        expect(title).to_have_value(LONG_TITLE)
        # Checked with `expect` (it waits): the same run draws these a moment after the count above.
        expect(page.get_by_text("Can't save yet")).to_be_visible()
        # While Streamlit reruns, the old button can stand beside the new one: ask about the enabled one.
        enabled_save = page.locator("button:not([disabled])", has_text="Save draft")
        expect(enabled_save).to_have_count(0)
        # Item 5: empty alt text is one warning, not a warning and two ticks.
        expect(page.get_by_text("Alt text is empty")).to_be_visible()
        expect(page.get_by_text("in its own words")).to_have_count(0)
        page.get_by_role("button", name="Shorten").click()
        page.get_by_text("Can't save yet").wait_for(state="detached")
        short = title.input_value()
        assert len(short) <= 100 and LONG_TITLE.startswith(short) and LONG_TITLE[len(short)] == " "
        expect(enabled_save).to_have_count(1)

        # Item 2: uploading media keeps what was typed.
        page.locator("input[type=file]").first.set_input_files(str(photo))
        page.get_by_text("JPEG · 1000×1500").wait_for()
        expect(title).to_have_value(short)
        expect(page.get_by_label("Topic or product notes")).to_have_value("Weeknight pasta")

        # Item 5: a refused file is not left in the uploader as if accepted.
        page.locator("input[type=file]").first.set_input_files(str(notes))
        page.get_by_text("notes.jpg:").wait_for()
        expect(page.get_by_test_id("stFileUploaderFile")).to_have_count(0)

        # Item 5: too small is not also "sharp in feeds", and no pad/crop that wouldn't fix it.
        page.locator("input[type=file]").first.set_input_files(str(tiny))
        page.get_by_text("needs at least 100×100").wait_for()
        expect(page.get_by_text("sharp in feeds")).to_have_count(0)
        expect(page.get_by_role("button", name="Pad")).to_have_count(0)
        expect(page.get_by_text("No one-click fix can make this file work")).to_be_visible()

        # Item 5: a failed link fetch doesn't leave the previous media on screen.
        page.get_by_label("…or paste a link to an image or video").fill("http://127.0.0.1:9/missing.jpg")
        page.get_by_role("button", name="Fetch").click()
        page.get_by_text("missing").first.wait_for()
        page.get_by_text("needs at least 100×100").wait_for(state="detached")
        expect(title).to_have_value(short)
