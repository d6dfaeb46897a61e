"""The HTTP API keeps the guardrails (issue 25): a posts:publish key's "publish now" is refused past the spacing,
and approving API drafts in the studio goes through the same queue — the first one now, the others at the next
free times, never two within the spacing — as the Review page said before the click."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from postproxy import PlatformParams, ValidationError
from postproxy._types import PinterestParams

from studio.bulk import bulk
from studio.drafts import approve, timeline
from studio.preferences import load_settings
from studio.publishing import jobs
from studio.scheduling import after_approval, approval_summary, plans_after_approval
from studio.services import open_store
from tests.fakes.media_host import MediaHost
from tests.support.api import running_api, studio_view, wait_for
from tests.support.media import make_image
from tests.support.people import reviewer


def pin(**kw) -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(**{"title": "Ten tips", "board_id": "Photography", **kw}))


@pytest.fixture
def pictures(tmp_path, monkeypatch):
    """A loopback host with 17 different images (a17 … a16.jpg); fetches may reach loopback."""
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    for n in range(17):
        make_image(tmp_path / "cdn" / f"a{n}.jpg", (600, 900), colour=(n * 13, 40 + n * 9, 200 - n * 7))
    with MediaHost(tmp_path / "cdn") as host:
        yield host


def test_posts_publish_now_is_refused_within_the_spacing(pictures):
    cfg = load_settings()  # the guardrails as shipped: 10 minutes between two pins of an account
    with running_api(cfg) as api:
        first = api.call(
            lambda c: c.posts.create("First", ["pinterest"], media=[pictures.url("a0.jpg")], platforms=pin())
        )
        with pytest.raises(ValidationError) as refused:
            api.call(lambda c: c.posts.create("Second", ["pinterest"], media=[pictures.url("a1.jpg")], platforms=pin()))
        assert refused.value.status_code == 422 and refused.value.response["code"] == "min_spacing"
        assert "within 10 minutes" in str(refused.value.response)
        assert first.id
    store = open_store(cfg.db_path)
    try:
        assert len(store.list_drafts(None, limit=10)) == 1  # the refused post left no draft behind
    finally:
        store.close()


def test_approving_17_api_drafts_spaces_them_and_publishes_only_the_first_at_once(pictures, monkeypatch):
    monkeypatch.setenv("STUDIO_TIMEZONE", "Europe/Paris")
    cfg = load_settings()
    with running_api(cfg) as api:
        posts = [api.call(_draft_post(pictures.url(f"a{n}.jpg"), f"Draft {n}")) for n in range(17)]
        drafts = [studio_view(api, post.id)["draft_id"] for post in posts]
        store = open_store(cfg.db_path)
        try:
            assert after_approval(store, cfg, store.get_draft(drafts[0])).text == "Approving publishes it now."
            approve(store, drafts[0], actor=reviewer("Ana"))
        finally:
            store.close()
        api.kick()
        wait_for(lambda: _jobs_of(cfg, drafts[:1]) == ["published"])
        store = open_store(cfg.db_path)
        try:
            said = approval_summary(plans_after_approval(store, cfg, [store.get_draft(d) for d in drafts[1:]]))
            assert "16 are scheduled from" in said and "(Europe/Paris), the next free times" in said
            bulk(store, cfg, drafts[1:], "approve", actor=reviewer("Ana"))
        finally:
            store.close()
        api.kick()
        wait_for(lambda: all(_scheduled(cfg, drafts[1:])), timeout=30)
    store = open_store(cfg.db_path)
    try:
        assert [j["draft_id"] for j in jobs.list_jobs(store)] == [drafts[0]]  # nothing else went out at once
        went_out = datetime.fromisoformat(store.get_draft(drafts[0]).updated_at)
        times = sorted([went_out, *(datetime.fromisoformat(t or "") for t in _scheduled(cfg, drafts[1:]))])
        minutes = [t.replace(second=0, microsecond=0) for t in times]  # the spacing is counted to the minute
        assert min(later - earlier for earlier, later in itertools.pairwise(minutes)) >= timedelta(minutes=10)
        history = " ".join(row["what"] for row in timeline(store, drafts[5]))
        assert "on approval, the next free time" in history and "asked to publish once approved" in history
    finally:
        store.close()


def _draft_post(url: str, body: str):
    """A post sent for review (`draft: true`) with this image."""
    return lambda client: client.posts.create(body, ["pinterest"], media=[url], platforms=pin(), draft=True)


def _jobs_of(cfg, draft_ids: list[int]) -> list[str]:
    store = open_store(cfg.db_path)
    try:
        return [j["status"] for d in draft_ids for j in jobs.for_draft(store, d)]
    finally:
        store.close()


def _scheduled(cfg, draft_ids: list[int]) -> list[str | None]:
    store = open_store(cfg.db_path)
    try:
        return [store.get_draft(d).scheduled_at for d in draft_ids]
    finally:
        store.close()
