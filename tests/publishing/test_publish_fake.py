"""The fake Pinterest itself: it must refuse what real Pinterest's spec refuses, so other tests can trust it."""

from __future__ import annotations

import httpx
import pytest

from studio.publishing import jobs
from studio.publishing.payload import PublishRequest
from studio.publishing.service import publish_request
from tests.fakes.pinterest import FakePinterest
from tests.fakes.pinterest_spec import load_validator, spec_path
from tests.support.env import in_ci
from tests.support.media import make_image, make_video
from tests.support.people import reviewer
from tests.support.publishing import make_publisher

# Outside CI these checks skip without the spec; with CI=true the fake itself refuses to start.
needs_spec = pytest.mark.skipif(
    load_validator() is None and not in_ci(), reason=f"Pinterest OpenAPI spec not found at {spec_path()}"
)


def client(fake: FakePinterest) -> httpx.Client:
    return httpx.Client(base_url=fake.base, timeout=5, headers={"Authorization": f"Bearer {fake.access_token}"})


@needs_spec
def test_fake_refuses_bodies_and_queries_outside_the_spec(fake):
    http = client(fake)
    bad = http.post(
        "/pins",
        json={
            "board_id": "not-digits",
            "media_source": {"source_type": "image_base64", "data": "data:image/png;base64,xx"},
        },
    )
    assert bad.status_code == 400 and bad.json()["code"] == 1
    assert http.get("/boards", params={"page_size": 500}).status_code == 400
    assert any("board_id" in v for v in fake.spec_violations)
    fake.spec_violations.clear()  # seen and expected; the fixture checks nothing else slipped through


def test_fake_upload_insists_on_fields_first_and_file_last(fake):
    http = client(fake)
    reg = http.post("/media", json={"media_type": "video"}).json()
    wrong = httpx.post(
        reg["upload_url"],
        files={"file": ("v.mp4", b"x" * 100, "video/mp4")},
        data=reg["upload_parameters"],
        headers={"Authorization": "Bearer leak"},
    )
    assert wrong.status_code == 400 and "bearer" in wrong.json()["message"]
    fake.spec_violations.clear()


def test_fake_oauth_code_exchange_and_refresh_rotation(fake):
    fake.auth_codes.add("code-1")
    auth = (fake.app_id, fake.app_secret)
    first = httpx.post(
        f"{fake.base}/oauth/token",
        auth=auth,
        data={"grant_type": "authorization_code", "code": "code-1", "redirect_uri": "http://localhost/cb"},
    ).json()
    assert first["access_token"].startswith("pina") and first["refresh_token"].startswith("pinr")
    second = httpx.post(
        f"{fake.base}/oauth/token",
        auth=auth,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert second["refresh_token"] != first["refresh_token"]  # rotated
    reuse = httpx.post(
        f"{fake.base}/oauth/token",
        auth=auth,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert reuse.status_code == 400
    assert (
        httpx.post(
            f"{fake.base}/oauth/token", auth=("x", "y"), data={"grant_type": "refresh_token", "refresh_token": "r"}
        ).status_code
        == 401
    )


def test_fake_boards_sections_and_pin_updates(fake):
    http = client(fake)
    board = http.post("/boards", json={"name": "Recipes", "privacy": "SECRET"}).json()
    section = http.post(f"/boards/{board['id']}/sections", json={"name": "Soups"}).json()
    assert http.get(f"/boards/{board['id']}/sections").json()["items"] == [section]
    pin = http.post(
        "/pins",
        json={
            "board_id": board["id"],
            "board_section_id": section["id"],
            "title": "A",
            "media_source": {"source_type": "image_url", "url": "https://x/a.jpg"},
        },
    ).json()
    assert http.patch(f"/pins/{pin['id']}", json={"title": "B"}).json()["title"] == "B"
    assert http.get(f"/boards/{board['id']}/pins").json()["items"][0]["id"] == pin["id"]
    assert http.get("/user_account").json()["username"] == fake.username


def test_payload_media_may_be_an_asset_id(fake, settings, store, data_dir):
    from studio.media.assets import ingest_path

    path = make_image(data_dir / "in.jpg")
    asset = ingest_path(store, data_dir, path)[0]
    req = PublishRequest.model_validate(
        {
            "post": {"body": "x"},
            "media": [f"asset:{asset.id}"],
            "platforms": {"pinterest": {"title": "T", "board_id": fake.boards[0]["id"]}},
        }
    )
    job = publish_request(store, make_publisher(fake, settings), req, settings, actor=reviewer())
    assert job["status"] == "published"
    assert fake.pins[job["pin_id"]]["_source"]["source_type"] == "image_base64"


def test_mixed_image_and_video_is_refused(tmp_path):
    from studio.errors import ValidationError

    req = PublishRequest.model_validate(
        {
            "media": [str(make_image(tmp_path / "a.jpg")), str(tmp_path / "b.mp4")],
            "platforms": {"pinterest": {"board_id": "1"}},
        }
    )
    with pytest.raises(ValidationError, match="mix images and videos"):
        req.validate_basics()


def test_video_warnings_are_kept_on_the_job(fake, settings, store, tmp_path):
    video = make_video(tmp_path / "v.mp4", seconds=5, acodec="libopus", container="mp4")
    req = PublishRequest.model_validate(
        {"media": [str(video)], "platforms": {"pinterest": {"title": "T", "board_id": fake.boards[0]["id"]}}}
    )
    job = publish_request(store, make_publisher(fake, settings), req, settings, actor=reviewer())
    assert job["status"] == "published" and any("sound" in w for w in jobs.get_job(store, job["id"])["warnings"])
