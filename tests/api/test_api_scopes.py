"""API key scopes and ownership, through the official Postproxy SDK: a drafts-only key can't skip Review, one
key can't see another's posts or webhooks, a posts:publish key publishes, a revoked key is refused."""

from __future__ import annotations

import httpx
import pytest
from postproxy import AuthenticationError, ForbiddenError, NotFoundError, PlatformParams
from postproxy._types import PinterestParams

from studio.api import revoke_key
from studio.services import open_store
from tests.support.api import Api, make_key, wait_for
from tests.support.people import owner


def pin() -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(title="Lemon tart", board_id="Baking"))


def studio_view(api: Api, post_id: str, key: str) -> dict:
    response = httpx.get(f"{api.url}/api/posts/{post_id}", headers={"Authorization": f"Bearer {key}"})
    return response.json()["studio"]


def post_now(api: Api, host, key: str):
    """A post sent to be published now (draft=false), as a CMS would."""
    return api.call(
        lambda c: c.posts.create(
            "A bright tart", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin(), draft=False
        ),
        key=key,
    )


def test_a_drafts_only_key_cannot_skip_review(api, host, api_settings):
    cms = make_key(api_settings, "cms", scopes=["posts:draft"])["key"]
    post = post_now(api, host, cms)
    assert post.status == "draft" and post.draft is True  # the answer says so at once
    studio = studio_view(api, post.id, cms)
    assert studio["review_required"] is True and "posts:draft" in studio["review_reason"]
    api.kick()
    assert api.call(lambda c: c.posts.get(post.id), key=cms).status == "draft"  # nobody approved it: it waits
    with open_store(api_settings.db_path) as store:
        draft = store.get_draft(studio["draft_id"])
        assert draft.status.value == "in_review" and draft.author == "cms (API key of olga)"


def test_a_publish_key_publishes_without_review(api, host, api_settings):
    post = post_now(api, host, api.key)  # the tests' own key holds posts:publish
    assert studio_view(api, post.id, api.key)["review_required"] is False
    done = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).status == "processed" and p)
    assert done.platforms[0].status == "published"


def test_one_key_never_sees_another_keys_posts_or_webhooks(api, host, api_settings):
    mine = make_key(api_settings, "shop", scopes=["posts:draft", "webhooks"])["key"]
    theirs = make_key(api_settings, "blog", scopes=["posts:draft", "webhooks"])["key"]
    post = post_now(api, host, mine)
    hook = api.call(lambda c: c.webhooks.create("https://example.com/hook", ["*"]), key=mine)
    for attempt in (
        lambda c: c.posts.get(post.id),
        lambda c: c.posts.delete(post.id),
        lambda c: c.webhooks.get(hook.id),
        lambda c: c.webhooks.deliveries(hook.id),
        lambda c: c.webhooks.delete(hook.id),
    ):
        with pytest.raises(NotFoundError):  # 404, not 403: another key's ids don't even exist for it
            api.call(attempt, key=theirs)
    assert [p.id for p in api.call(lambda c: c.posts.list(), key=theirs).data] == []
    assert api.call(lambda c: c.webhooks.list(), key=theirs).data == []
    assert [p.id for p in api.call(lambda c: c.posts.list(), key=mine).data] == [post.id]
    assert [w.id for w in api.call(lambda c: c.webhooks.list(), key=mine).data] == [hook.id]
    admin = make_key(api_settings, "ops", scopes=["admin"])["key"]
    assert post.id in [p.id for p in api.call(lambda c: c.posts.list(), key=admin).data]  # admin sees every key's


def test_out_of_scope_is_403_in_the_studios_error_shape(api, host, api_settings):
    hooks_only = make_key(api_settings, "zap", scopes=["webhooks"])["key"]
    with pytest.raises(ForbiddenError):
        post_now(api, host, hooks_only)
    refused = httpx.get(f"{api.url}/api/posts", headers={"Authorization": f"Bearer {hooks_only}"})
    body = refused.json()
    assert refused.status_code == 403 and body["code"] == "forbidden" and "scope" in body["error"] and body["fix"]
    drafts_only = make_key(api_settings, "cms", scopes=["posts:draft"])["key"]
    with pytest.raises(ForbiddenError):
        api.call(lambda c: c.webhooks.create("https://example.com/hook", ["*"]), key=drafts_only)


def test_a_revoked_key_is_401(api, api_settings):
    made = make_key(api_settings, "old-cms", scopes=["posts:draft"])
    assert api.call(lambda c: c.posts.list(), key=made["key"]).data == []
    with open_store(api_settings.db_path) as store:
        revoke_key(store, made["id"], actor=owner())
    with pytest.raises(AuthenticationError):
        api.call(lambda c: c.posts.list(), key=made["key"])
