"""Carousel pins and uploaded video covers: payload validation, media rules, dry run, Postproxy, and the
pinterest backend against the fake Pinterest (spec-validated), including a create whose answer is lost."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from studio.errors import ValidationError
from studio.media import check_carousel, check_path
from studio.publishing import jobs
from studio.publishing.dry_run import DryRunPublisher
from studio.publishing.payload import PublishRequest, plan_media
from studio.publishing.postproxy import PostproxyPublisher
from tests.support.media import make_image, make_video
from tests.support.people import reviewer
from tests.support.publishing import make_publisher

ITEMS = [
    {
        "title": "Step 1: chop",
        "description": "Chop the basil.",
        "link": "https://example.com/pesto#1",
        "alt_text": "Basil",
    },
    {"title": "Step 2: blend", "description": "Blend with oil.", "alt_text": "A blender"},
    {"title": "Step 3: serve"},
]


def carousel(media: list[str], *, flag: bool = True, items=None, **pin) -> PublishRequest:
    return PublishRequest.model_validate(
        {
            "post": {"body": "Pesto in three steps"},
            "media": media,
            "platforms": {
                "pinterest": {
                    "title": "Basil pesto, step by step",
                    "board_id": pin.pop("board_id", "1"),
                    "destination_link": "https://example.com/pesto",
                    "carousel": flag,
                    "items": ITEMS[: len(media)] if items is None else items,
                    **pin,
                }
            },
        }
    )


@pytest.fixture
def slides(tmp_path):
    return [
        str(make_image(tmp_path / f"s{i}.png", size=(500, 750), fmt="PNG", colour=c))
        for i, c in enumerate(["#aa3311", "#1133aa", "#33aa11"])
    ]


@pytest.mark.parametrize(
    ("media", "flag", "code"),
    [
        (["https://x.example/a.jpg", "https://x.example/b.jpg"], False, "too_many_media"),
        (["https://x.example/a.jpg"], True, "carousel_count"),
        ([f"https://x.example/{i}.jpg" for i in range(6)], True, "carousel_count"),
        (["https://x.example/a.jpg", "https://x.example/b.mp4"], True, "mixed_media"),
        (["https://x.example/a.mp4", "https://x.example/b.mp4"], True, "carousel_images_only"),
        (["https://x.example/a.jpg", "/tmp/b.png"], True, "carousel_mixed_sources"),
    ],
)
def test_carousel_payload_rules(media, flag, code):
    with pytest.raises(ValidationError) as err:
        carousel(media, flag=flag, items=[]).validate_basics()
    assert err.value.code == code and err.value.fix


def test_more_items_than_images_and_long_item_text_are_refused():
    urls = ["https://x.example/a.jpg", "https://x.example/b.jpg"]
    with pytest.raises(ValidationError) as err:
        carousel(urls, items=ITEMS).validate_basics()
    assert err.value.code == "carousel_items_mismatch"
    with pytest.raises(ValidationError) as err:
        carousel(urls, items=[{"title": "x" * 101}]).validate_basics()
    assert err.value.code == "text_too_long" and "item 1" in err.value.message


def test_carousel_media_rules(tmp_path, slides):
    odd = make_image(tmp_path / "odd.png", size=(500, 500), fmt="PNG")
    gif = make_image(tmp_path / "g.gif", size=(500, 750), fmt="GIF")
    reports = [check_path(p) for p in slides]
    assert check_carousel(reports) == []
    assert {i.code for i in check_carousel([*reports[:2], check_path(odd)])} == {"carousel_dimensions"}
    assert "carousel_format" in {i.code for i in check_carousel([*reports[:2], check_path(gif)])}
    assert {i.code for i in check_carousel(reports[:1])} == {"carousel_count"}
    video = make_video(tmp_path / "v.mp4", seconds=5)
    assert "carousel_images_only" in {i.code for i in check_carousel([reports[0], check_path(video)])}
    with pytest.raises(ValidationError) as err:
        plan_media(carousel([*slides[:2], str(odd)]))
    assert err.value.code == "carousel_dimensions"


def test_dry_run_records_the_multiple_image_source(slides):
    outcome = DryRunPublisher().publish(carousel(slides))
    source = outcome.requests[-1]["json"]["media_source"]
    assert source["source_type"] == "multiple_image_base64" and len(source["items"]) == 3
    assert source["items"][0]["title"] == "Step 1: chop" and source["items"][0]["content_type"] == "image/png"
    assert outcome.requests[-1]["json"]["alt_text"] == "Basil"  # items carry no alt text: the pin gets the first


def test_postproxy_refuses_carousels_and_cover_files_before_any_request(tmp_path):
    sent = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500)))
    publisher = PostproxyPublisher(http, "key", api_base="https://postproxy.invalid/api")
    with pytest.raises(ValidationError) as err:
        publisher.publish(carousel(["https://x.example/a.jpg", "https://x.example/b.jpg"]))
    assert err.value.code == "carousel_unsupported" and "pinterest" in err.value.fix
    video_request = PublishRequest.model_validate(
        {
            "media": ["https://x.example/v.mp4"],
            "platforms": {"pinterest": {"board_id": "1", "cover_file": "/tmp/c.png"}},
        }
    )
    with pytest.raises(ValidationError) as err:
        publisher.publish(video_request)
    assert err.value.code == "cover_file_unsupported"
    assert sent == []


def run(store, publisher, req):
    return jobs.run_job(
        store, publisher, jobs.create_job(store, req, publisher.name, actor=reviewer()), actor=reviewer()
    )


def test_local_carousel_is_published_with_each_slides_copy(fake, settings, store, slides):
    job = run(store, make_publisher(fake, settings), carousel(slides, board_id=fake.boards[0]["id"]))
    assert job["status"] == "published", job
    pin = fake.pins[job["pin_id"]]
    assert pin["creative_type"] == "CAROUSEL" and pin["_source"]["source_type"] == "multiple_image_base64"
    items = pin["_source"]["items"]
    assert [base64.b64decode(i["data"]) for i in items] == [Path(p).read_bytes() for p in slides]
    assert [i.get("title") for i in items] == ["Step 1: chop", "Step 2: blend", "Step 3: serve"]
    assert items[0]["link"] == "https://example.com/pesto#1" and "link" not in items[1]


def test_linked_carousel_uses_multiple_image_urls(fake, settings, store):
    urls = ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"]
    job = run(store, make_publisher(fake, settings), carousel(urls, board_id=fake.boards[0]["id"]))
    source = fake.pins[job["pin_id"]]["_source"]
    assert source == {
        "source_type": "multiple_image_urls",
        "items": [
            {
                "url": urls[0],
                "title": "Step 1: chop",
                "description": "Chop the basil.",
                "link": "https://example.com/pesto#1",
            },
            {"url": urls[1], "title": "Step 2: blend", "description": "Blend with oil."},
        ],
    }


def test_carousel_create_whose_answer_is_lost_is_reconciled_not_duplicated(fake, settings, store, slides):
    fake.drop_after("POST", "/pins")
    job = run(store, make_publisher(fake, settings), carousel(slides, board_id=fake.boards[0]["id"]))
    assert job["status"] == "published", job
    assert len(fake.pins) == 1 and job["pin_id"] in fake.pins
    assert len(fake.calls("POST", "/pins")) == 1
    assert [a["step"] for a in jobs.attempts(store, job["id"]) if a["step"] == "reconcile"]


def test_a_single_image_pin_on_the_board_is_not_taken_for_the_lost_carousel(fake, settings, store, slides):
    """Reconciliation matches the media kind: an image pin with the same copy is not our carousel."""
    board = fake.boards[0]["id"]
    image = PublishRequest.model_validate(
        {
            "post": {"body": "Pesto in three steps"},
            "media": ["https://cdn.example.com/a.jpg"],
            "platforms": {
                "pinterest": {
                    "title": "Basil pesto, step by step",
                    "board_id": board,
                    "destination_link": "https://example.com/pesto",
                }
            },
        }
    )
    run(store, make_publisher(fake, settings), image)
    fake.fail("POST", "/pins", status=503)
    job = run(store, make_publisher(fake, settings), carousel(slides, board_id=board))
    assert job["status"] == "published"
    assert fake.pins[job["pin_id"]]["creative_type"] == "CAROUSEL" and len(fake.pins) == 2


@pytest.mark.parametrize("as_data_url", [False, True])
def test_video_cover_from_an_uploaded_image(fake, settings, store, tmp_path, as_data_url):
    fake.processing_s = 0.05
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    cover = make_image(tmp_path / "cover.png", size=(200, 300), fmt="PNG")
    value = "data:image/png;base64," + base64.b64encode(cover.read_bytes()).decode() if as_data_url else str(cover)
    req = PublishRequest.model_validate(
        {
            "media": [str(video)],
            "platforms": {"pinterest": {"title": "Clip", "board_id": fake.boards[0]["id"], "cover_file": value}},
        }
    )
    job = run(store, make_publisher(fake, settings), req)
    assert job["status"] == "published", job
    source = fake.pins[job["pin_id"]]["_source"]
    assert source["cover_image_content_type"] == "image/png"
    assert base64.b64decode(source["cover_image_data"]) == cover.read_bytes()
    assert "cover_image_key_frame_time" not in source and "cover_image_url" not in source


def test_bad_cover_files_are_refused_before_sending(fake, settings, tmp_path):
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    for value, code in [
        (str(text), "invalid_cover_file"),
        (str(tmp_path / "missing.png"), "invalid_cover_file"),
        ("data:image/png,abc", "invalid_cover_file"),
    ]:
        req = PublishRequest.model_validate(
            {"media": [str(video)], "platforms": {"pinterest": {"board_id": "1", "cover_file": value}}}
        )
        with pytest.raises(ValidationError) as err:
            make_publisher(fake, settings).publish(req)
        assert err.value.code == code
    both = PublishRequest.model_validate(
        {"media": [str(video)], "platforms": {"pinterest": {"board_id": "1", "cover_file": value, "thumb_offset": 1}}}
    )
    with pytest.raises(ValidationError) as err:
        make_publisher(fake, settings).publish(both)
    assert err.value.code == "cover_conflict"
    assert fake.requests == []
