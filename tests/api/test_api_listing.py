"""`GET /api/posts` filters on the status and time stored on each post (issue 24: fast at 100,000 posts). They
are kept by triggers at every change made anywhere in the studio: after each step here, the stored ones equal
what `statuses`/`post_view` compute, and the filtered listings show the post where its status says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postproxy import PlatformParams
from postproxy._types import PinterestParams

from studio.api import posts
from studio.drafts import approve
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import run_due, schedule
from studio.services import open_store
from tests.support.api import Api, listing_drift, wait_for
from tests.support.people import owner, reviewer


def _pin() -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(title="Listed", board_id="Ideas"))


def _listed(api: Api, post_id: str, settings) -> str:
    """The post's status, after checking that the stored one agrees and that each filter lists it by it."""
    assert listing_drift(settings) == []
    status = api.call(lambda c: c.posts.get(post_id), settle=False).status
    for candidate in ("draft", "scheduled", "pending", "processing", "processed"):

        def listed(client, wanted: str = candidate):
            return client.posts.list(status=wanted, per_page=100)

        found = {p.id for p in api.call(listed).data}
        assert (post_id in found) == (candidate == status), (candidate, status)
    return status


def test_the_listing_follows_a_draft_through_review_and_publishing(api, host, api_settings):
    post = api.call(
        lambda c: c.posts.create("Follow me", ["pinterest"], media=[host.url("p1.jpg")], platforms=_pin(), draft=True)
    )
    assert _listed(api, post.id, api_settings) == "draft"
    store = open_store(api_settings.db_path)
    try:  # a person approves it in the studio (no API call): the processor publishes it
        approve(store, _draft_id(api_settings, post.id), actor=reviewer("Ana"))
    finally:
        store.close()
    api.kick()
    wait_for(lambda: api.call(lambda c: c.posts.get(post.id)).status == "processed")
    assert _listed(api, post.id, api_settings) == "processed"


def test_the_listing_follows_a_post_moved_in_the_schedule_then_published(api, host, api_settings):
    first = datetime.now(UTC) + timedelta(days=3)
    post = api.call(
        lambda c: c.posts.create(
            "Later", ["pinterest"], media=[host.url("p2.jpg")], platforms=_pin(), scheduled_at=first
        )
    )
    assert _listed(api, post.id, api_settings) == "scheduled"
    assert [p.id for p in api.call(lambda c: c.posts.list(scheduled_after=first - timedelta(hours=1))).data] == [
        post.id
    ]
    moved = first + timedelta(days=2)
    store = open_store(api_settings.db_path)
    try:  # moved in the studio's calendar: the listing finds it at its new time, not at the one it asked for
        schedule(store, api_settings, _draft_id(api_settings, post.id), moved, actor=owner())
    finally:
        store.close()
    assert _listed(api, post.id, api_settings) == "scheduled"
    assert api.call(lambda c: c.posts.list(scheduled_after=first + timedelta(days=1))).total == 1
    assert api.call(lambda c: c.posts.list(scheduled_after=moved + timedelta(hours=1))).total == 0
    store = open_store(api_settings.db_path)
    try:
        run_due(store, DryRunPublisher(), api_settings, worker="w1", now=moved + timedelta(minutes=1))
    finally:
        store.close()
    wait_for(lambda: api.call(lambda c: c.posts.get(post.id)).status == "processed")
    assert _listed(api, post.id, api_settings) == "processed"


def _draft_id(settings, post_id: str) -> int:
    store = open_store(settings.db_path)
    try:
        return posts.get_row(store, post_id)["draft_id"]
    finally:
        store.close()


def test_the_stored_status_counts_retries_with_the_api_budget(api_settings):
    store = open_store(api_settings.db_path)
    try:
        triggers = [sql for (sql,) in store.db.execute("select sql from sqlite_master where type = 'trigger'")]
    finally:
        store.close()
    listed = [sql for sql in triggers if "listed_status" in sql]
    assert len(listed) == 7 and all(f"coalesce(p.auto_retries, 0) < {posts.AUTO_RETRIES}" in sql for sql in listed)
