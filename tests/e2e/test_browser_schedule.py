"""In Chromium: approve a pin, schedule it a minute ahead, and see the worker publish it."""

import pytest

from studio.drafts.lifecycle import save_draft, submit_for_review
from studio.media.assets import ingest_image
from studio.publishing import jobs
from studio.services import open_store
from tests.support.browser import chromium_page, studio_server
from tests.support.people import editor

pytestmark = pytest.mark.browser


def test_approve_schedule_and_the_worker_publishes(data_dir, tmp_path, make_image):
    store = open_store(data_dir / "studio.db")
    asset, _ = ingest_image(store, data_dir, make_image(), "pin.jpg")
    draft = save_draft(
        store, None, {"title": "Scheduled soup", "media_id": asset.id, "board": "123456789"}, actor=editor("ana")
    )
    submit_for_review(store, draft.id, actor=editor("ana"))
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_PUBLISHER": "dry-run",
        "STUDIO_WORKER_INTERVAL": "1",
        "STUDIO_TIMEZONE": "UTC",
    }
    with studio_server(env, with_worker=True) as base, chromium_page() as page:
        page.goto(f"{base}/review")
        page.get_by_role("button", name="Approve").click()
        page.get_by_text(f"Approved #{draft.id}").wait_for()

        page.goto(f"{base}/schedule")
        page.get_by_text("Worker is running").wait_for()
        page.get_by_role("button", name="Schedule", exact=True).click()  # default: the next minute
        page.get_by_text("scheduled for").wait_for()
        # The worker publishes it when it is due (within a minute); the schedule then shows it published.
        for _ in range(40):
            if store.get_draft(draft.id).status == "published":
                break
            page.wait_for_timeout(2000)
        page.reload()
        page.get_by_text("(published)").wait_for()
        page.screenshot(path=str(tmp_path / "schedule.png"), full_page=True)
    job = jobs.for_draft(store, draft.id)[0]
    assert job["status"] == "published" and job["pin_id"].startswith("dryrun-")
    assert any(e.action == "scheduled" for e in store.events(draft.id))
