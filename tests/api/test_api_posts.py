"""The official Postproxy SDK against Pinstudio's API on loopback, with the dry-run publisher."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from postproxy import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PlatformParams,
    RateLimitError,
    ValidationError,
)
from postproxy._types import PinterestParams

from studio.api import revoke_key
from studio.drafts import approve
from studio.publishing import jobs
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import run_due
from studio.services import open_store
from tests.support.api import Api, start_api, wait_for
from tests.support.media import make_image, make_video
from tests.support.people import owner, reviewer


def pin(**kw) -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(**{"title": "Ten tips", "board_id": "Photography", **kw}))


def published(api: Api, post_id: str):
    return wait_for(lambda: (p := api.call(lambda c: c.posts.get(post_id))).status == "processed" and p)


def test_json_post_with_url_media_is_published(api, host, api_settings):
    post = api.call(
        lambda c: c.posts.create(
            "Ten tips for better light", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin()
        )
    )
    assert post.status in ("pending", "processing", "processed")
    assert post.platforms[0].platform == "pinterest" and post.media[0].source_url == host.url("p0.jpg")
    done = published(api, post.id)
    assert done.platforms[0].status == "published" and done.platforms[0].permalink
    store = open_store(api_settings.db_path)
    try:  # the studio's own job table holds the publish, like any page's
        done_jobs = [j for j in jobs.list_jobs(store) if j["status"] == "published"]
    finally:
        store.close()
    assert len(done_jobs) == 1 and done_jobs[0]["backend"] == "dry-run"


def test_multipart_video_upload_with_a_cover_file(api, tmp_path, api_settings):
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    cover = make_image(tmp_path / "cover.jpg", (600, 900))
    post = api.call(
        lambda c: c.posts.create(
            "A short clip", ["pinterest"], media_files=[video], platforms=pin(title="Clip", cover_file=str(cover))
        )
    )
    done = published(api, post.id)
    assert done.platforms[0].status == "published"
    assert done.media[0].content_type.startswith("video/")
    store = open_store(api_settings.db_path)
    try:
        job = jobs.get_job(store, _studio(api, post.id)["job_id"])
        sent = json.dumps(job["request"])
    finally:
        store.close()
    assert "cover_image_data" in sent and "cover_image_content_type" in sent  # the uploaded cover goes to Pinterest


def test_a_draft_waits_for_approval_in_the_studio_then_publishes(api, host, api_settings):
    post = api.call(
        lambda c: c.posts.create("Needs a look", ["pinterest"], media=[host.url("p1.jpg")], platforms=pin(), draft=True)
    )
    assert post.status == "draft" and post.draft is True
    api.kick()
    assert api.call(lambda c: c.posts.get(post.id)).status == "draft"  # nothing happens without a person
    draft_id = _studio(api, post.id)["draft_id"]
    store = open_store(api_settings.db_path)
    try:
        assert store.get_draft(draft_id).status.value == "in_review"
        approve(store, draft_id, actor=reviewer("Ana"))
    finally:
        store.close()
    api.kick()
    done = published(api, post.id)
    assert done.platforms[0].status == "published" and done.draft is False


def _studio(api: Api, post_id: str) -> dict:
    import httpx

    return httpx.get(f"{api.url}/api/posts/{post_id}", headers={"Authorization": f"Bearer {api.key}"}).json()["studio"]


def test_a_scheduled_post_is_published_by_the_worker(api, host, api_settings):
    when = datetime.now(UTC) + timedelta(hours=3)
    post = api.call(
        lambda c: c.posts.create("Later", ["pinterest"], media=[host.url("p2.jpg")], platforms=pin(), scheduled_at=when)
    )
    assert post.status == "scheduled" and abs((post.scheduled_at - when).total_seconds()) < 1
    store = open_store(api_settings.db_path)
    try:
        results = run_due(store, DryRunPublisher(), api_settings, worker="w1", now=when + timedelta(minutes=1))
    finally:
        store.close()
    assert [r["status"] for r in results] == ["published"]
    assert published(api, post.id).platforms[0].status == "published"


def test_idempotent_replay_and_duplicate_conflict(api, host, api_settings):
    args = dict(media=[host.url("p0.jpg")], platforms=pin())
    first = api.call(lambda c: c.posts.create("Same", ["pinterest"], idempotency_key="k-1", **args))
    again = api.call(lambda c: c.posts.create("Same", ["pinterest"], idempotency_key="k-1", **args))
    assert again.id == first.id
    with pytest.raises(ConflictError) as conflict:
        api.call(lambda c: c.posts.create("Same", ["pinterest"], **args))
    assert conflict.value.response["duplicate_post_id"] == first.id
    forced = api.call(lambda c: c.posts.create("Same", ["pinterest"], skip_duplicate_check=True, **args))
    assert forced.id != first.id
    store = open_store(api_settings.db_path)
    try:
        assert len(store.list_drafts()) == 2  # the replay made no second pin
    finally:
        store.close()


def test_wrong_missing_or_revoked_key_is_401(api, api_settings):
    with pytest.raises(AuthenticationError):
        api.call(lambda c: c.profiles.list(), key="psk_wrong")
    import httpx

    response = httpx.get(f"{api.url}/api/posts")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    store = open_store(api_settings.db_path)
    try:
        key_id = store.db.execute("select id from api_keys").fetchone()[0]
        revoke_key(store, key_id, actor=owner())
    finally:
        store.close()
    with pytest.raises(AuthenticationError):
        api.call(lambda c: c.profiles.list())


@pytest.mark.parametrize(
    ("media", "params", "code"),
    [
        ([], {}, "media_required"),
        (["https://cdn.example/a.jpg", "https://cdn.example/b.mp4"], {}, "mixed_media"),
        (["https://cdn.example/a.jpg"], {"board_id": None}, "board_required"),
        (["https://cdn.example/a.jpg"], {"title": "x" * 101}, "text_too_long"),
        (["https://cdn.example/a.jpg"], {"destination_link": "javascript:alert(1)"}, "invalid_link"),
        (["ftp://cdn.example/a.jpg"], {}, "invalid_media_url"),
    ],
)
def test_invalid_posts_are_422_with_the_studio_code(api, media, params, code):
    with pytest.raises(ValidationError) as refused:
        api.call(lambda c: c.posts.create("Body", ["pinterest"], media=media, platforms=pin(**params)))
    assert refused.value.status_code == 422 and refused.value.response["code"] == code
    assert refused.value.response["fix"]


def test_refused_media_is_422_before_anything_is_queued(api, host, api_settings, tmp_path):
    tiny = make_image(tmp_path / "tiny.png", (50, 50), fmt="PNG")
    with pytest.raises(ValidationError) as refused:
        api.call(lambda c: c.posts.create("Tiny", ["pinterest"], media_files=[tiny], platforms=pin()))
    assert refused.value.response["code"]
    with pytest.raises(ValidationError):
        api.call(lambda c: c.posts.create("Gone", ["pinterest"], media=[host.url("missing.jpg")], platforms=pin()))
    store = open_store(api_settings.db_path)
    try:
        assert store.list_drafts() == [] and jobs.list_jobs(store) == []
    finally:
        store.close()


def test_rate_limit_per_key_is_429_with_retry_after(api_settings):
    server, key, app = start_api(api_settings.model_copy(update={"api_rate_limit": 3}))
    limited = Api(server, key, app)
    try:
        for _ in range(3):
            limited.call(lambda c: c.profiles.list())
        with pytest.raises(RateLimitError) as slow_down:
            limited.call(lambda c: c.profiles.list())
        assert slow_down.value.retry_after and slow_down.value.retry_after >= 1
    finally:
        server.stop()


def test_list_pages_filters_get_and_delete(api, host):
    ids = []
    for n in range(3):
        ids.append(
            api.call(
                lambda c, n=n: c.posts.create(
                    f"Draft {n}", ["pinterest"], media=[host.url(f"p{n}.jpg")], platforms=pin(), draft=True
                )
            ).id
        )
    later = datetime.now(UTC) + timedelta(days=2)
    scheduled = api.call(
        lambda c: c.posts.create(
            "Sched", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin(), scheduled_at=later
        )
    )
    first = api.call(lambda c: c.posts.list(page=0, per_page=2))
    second = api.call(lambda c: c.posts.list(page=1, per_page=2))
    assert first.total == 4 and len(first.data) == 2 and len(second.data) == 2
    assert {p.id for p in first.data + second.data} == {*ids, scheduled.id}
    drafts = api.call(lambda c: c.posts.list(status="draft"))
    assert sorted(p.id for p in drafts.data) == sorted(ids)
    after = api.call(lambda c: c.posts.list(scheduled_after=datetime.now(UTC) + timedelta(days=1)))
    assert [p.id for p in after.data] == [scheduled.id]
    assert api.call(lambda c: c.posts.delete(ids[0])).deleted is True
    with pytest.raises(NotFoundError):
        api.call(lambda c: c.posts.get(ids[0]))
    assert api.call(lambda c: c.posts.list()).total == 3


def test_a_published_post_cannot_be_deleted(api, host):
    post = api.call(lambda c: c.posts.create("Out", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin()))
    published(api, post.id)
    with pytest.raises(ConflictError):
        api.call(lambda c: c.posts.delete(post.id))


def test_profiles_list_the_default_account(api):
    profiles = api.call(lambda c: c.profiles.list()).data
    assert profiles[0].platform == "pinterest" and profiles[0].status == "active"
    assert api.call(lambda c: c.profiles.get(profiles[0].id)).id == profiles[0].id
    with pytest.raises(NotFoundError):
        api.call(lambda c: c.profiles.get("prof_nope"))
    with pytest.raises(ValidationError) as unknown:
        api.call(lambda c: c.posts.create("x", ["prof_nope"], media=["https://cdn.example/a.jpg"], platforms=pin()))
    assert unknown.value.response["code"] == "unknown_profile"


def test_concurrent_posts_of_the_same_media_store_it_once(api, host, api_settings):
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def send(n: int) -> int:
        body = {
            "post": {"body": f"Same picture, post {n}"},
            "media": [host.url("p0.jpg")],
            "platforms": {"pinterest": {"title": f"Post {n}", "board_id": "Ideas"}},
        }
        return httpx.post(
            f"{api.url}/api/posts", json=body, headers={"Authorization": f"Bearer {api.key}"}, timeout=60
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(send, range(6))) == [201] * 6
    store = open_store(api_settings.db_path)
    try:
        assert len(store.list_media()) == 1 and len(store.list_drafts()) == 6
    finally:
        store.close()
