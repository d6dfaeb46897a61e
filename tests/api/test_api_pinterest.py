"""The API against the fake Pinterest v5 server (every request checked against Pinterest's spec)."""

from __future__ import annotations

from postproxy import PlatformParams
from postproxy._types import PinterestParams

from tests.support.api import Api, start_api, wait_for
from tests.support.media import make_video
from tests.support.publishing import make_publisher


def test_posts_reach_pinterest_as_pins_image_by_board_name_and_uploaded_video(fake, host, api_settings, tmp_path):
    board = fake.add_board("Weeknight Dinners")
    server, key, app = start_api(api_settings, publisher=make_publisher(fake, api_settings))
    api = Api(server, key, app)
    try:
        image_post = api.call(
            lambda c: c.posts.create(
                "Fast pasta for busy nights",
                ["pinterest"],
                media=[host.url("p0.jpg")],
                platforms=PlatformParams(
                    pinterest=PinterestParams(
                        title="15-minute pasta", board_id="Weeknight Dinners", destination_link="https://ex.com/pasta"
                    )
                ),
            )
        )
        video = make_video(tmp_path / "v.mp4", seconds=5)
        video_post = api.call(
            lambda c: c.posts.create(
                "Watch it cook",
                ["pinterest"],
                media_files=[video],
                platforms=PlatformParams(pinterest=PinterestParams(title="Pasta video", board_id=board["id"])),
            )
        )
        done = [
            wait_for(lambda pid=pid: (p := api.call(lambda c: c.posts.get(pid))).status == "processed" and p)
            for pid in (image_post.id, video_post.id)
        ]
    finally:
        server.stop()
    assert [d.platforms[0].status for d in done] == ["published", "published"]
    pins = list(fake.pins.values())
    assert {p["board_id"] for p in pins} == {board["id"]}
    assert {p["title"] for p in pins} == {"15-minute pasta", "Pasta video"}
    assert all(p["id"] in d.platforms[0].permalink for p, d in zip(sorted(pins, key=lambda p: p["title"]), done))
