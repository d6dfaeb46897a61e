"""The official Postproxy SDK against Pinstudio's API on loopback, dry-run publisher."""

from __future__ import annotations

import pytest
from postproxy import PlatformParams
from postproxy._types import PinterestParams

from tests.api_helpers import api, api_settings, wait_for
from tests.fakes.media_host import host


def pin(**kw) -> PlatformParams:
    return PlatformParams(pinterest=PinterestParams(**{"title": "Ten tips", "board_id": "Photography", **kw}))


def test_json_post_with_url_media_is_published(api, host):
    post = api.call(
        lambda c: c.posts.create(
            "Ten tips for better light", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin()
        )
    )
    assert post.status in ("pending", "processing", "processed")
    assert post.platforms[0].platform == "pinterest"
    done = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).status == "processed" and p)
    assert done.platforms[0].status == "published"
    assert done.platforms[0].permalink
    assert done.body == "Ten tips for better light"
