"""An API draft whose approval is taken back after the API queued it: the post goes back to Review (listed as a
draft, still open, no "failed" webhook), and approving it again publishes it once."""

from postproxy import PlatformParams
from postproxy._types import PinterestParams

from studio.api import posts
from studio.api.processor import advance_approved, announce, run_queued
from studio.drafts import approve
from studio.preferences import load_settings
from studio.publishing import jobs
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import withdraw_approval
from studio.services import open_store
from tests.fakes.media_host import MediaHost
from tests.support.api import running_api
from tests.support.media import make_image
from tests.support.people import reviewer


def test_withdrawing_a_queued_api_draft_sends_it_back_to_review_and_a_new_approval_publishes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    make_image(tmp_path / "cdn" / "soup.jpg", (600, 900))
    cfg = load_settings()
    with MediaHost(tmp_path / "cdn") as host, running_api(cfg) as api:
        params = PlatformParams(pinterest=PinterestParams(title="Soup", board_id="Soups"))
        post = api.call(
            lambda c: c.posts.create("Soup", ["pinterest"], media=[host.url("soup.jpg")], platforms=params, draft=True)
        )
    # The API is stopped: its processor's steps run here, one by one, as a pass would run them.
    store = open_store(cfg.db_path)
    try:
        draft_id = posts.get_row(store, post.id)["draft_id"]
        approve(store, draft_id, actor=reviewer("Ana"))
        assert advance_approved(store, cfg, "dry-run") == 1  # queued: "publishes now"
        (queued,) = jobs.for_draft(store, draft_id)
        assert queued["status"] == "queued"

        withdraw_approval(store, draft_id, actor=reviewer("Ana"), note="wrong board")
        announce(store)
        row = posts.get_row(store, post.id)
        assert posts.statuses(row)[0] == "draft" and row["listed_status"] == "draft"
        assert row["open"] == 1 and row["notified"] == ""  # not closed, nor announced, as failed
        assert posts.listing_drift(store) == []

        approve(store, draft_id, actor=reviewer("Ana"))
        assert advance_approved(store, cfg, "dry-run") == 1
        assert run_queued(store, lambda job: DryRunPublisher()) == 1
        announce(store)
        row = posts.get_row(store, post.id)
        assert posts.statuses(row)[:2] == ("processed", "published")
        by_age = sorted(jobs.for_draft(store, draft_id), key=lambda j: j["id"])
        assert [(j["status"], j["error_code"]) for j in by_age] == [("failed", "cancelled"), ("published", None)]
        assert posts.listing_drift(store) == []
    finally:
        store.close()
