"""Phone photos stored turned (EXIF Orientation 1–8): facts, rules, fixes, previews and the bytes sent
to Pinterest all follow the picture as the user saw it (issue #17 item 1)."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from studio.media import card_image, check_path, ingest_path, preview_image, run_fix, thumbnail
from studio.publishing.payload import PublishRequest
from studio.publishing.service import publish_request
from tests.support.people import reviewer
from tests.support.photos import make_phone_jpeg, red_top_left
from tests.support.publishing import make_publisher


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_reports_the_displayed_size_and_passes_as_2x3(tmp_path, orientation):
    path = make_phone_jpeg(tmp_path / f"o{orientation}.jpg", orientation)
    report = check_path(path)
    f = report.facts
    assert (f.width, f.height) == (1000, 1500)  # as shown: a perfect 2:3 portrait
    turned = orientation in (5, 6, 7, 8)
    assert (f.stored_width, f.stored_height) == ((1500, 1000) if turned else (1000, 1500))
    assert f.exif_orientation == (None if orientation == 1 else orientation)
    assert report.ok and "aspect_ratio_not_recommended" not in report.codes()


def test_a_landscape_stored_as_portrait_gets_the_aspect_warning(tmp_path):
    # Stored 1000×1500 but Orientation 6: viewers show 1500×1000, a landscape that needs padding.
    path = make_phone_jpeg(tmp_path / "land.jpg", 6, size=(1500, 1000))
    report = check_path(path)
    assert (report.facts.width, report.facts.height) == (1500, 1000)
    warning = next(w for w in report.warnings if w.code == "aspect_ratio_not_recommended")
    assert "1500×1000" in warning.message and "landscape" in warning.message


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_fix_output_is_upright_and_carries_no_stale_rotation(tmp_path, orientation):
    path = make_phone_jpeg(tmp_path / "land.jpg", orientation, size=(1500, 1000))
    out = run_fix("pad_2x3", path, tmp_path)
    with Image.open(out) as img:
        assert img.getexif().get(0x0112) in (None, 1)
        assert img.size == (1500, 2250)  # padded around the displayed 1500×1000
        assert red_top_left(img.crop((0, 625, 1500, 1625)))
    assert check_path(out).ok


def test_thumbnail_review_preview_and_grid_tile_are_upright(store, data_dir, tmp_path):
    asset, _ = ingest_path(store, data_dir, make_phone_jpeg(tmp_path / "p.jpg", 6))
    assert (asset.width, asset.height) == (1000, 1500)
    assert store.media_facts(asset.id)["orientation"] == "portrait 2:3"
    with Image.open(thumbnail(data_dir, asset)) as thumb:
        assert thumb.height > thumb.width and red_top_left(thumb)
    with Image.open(preview_image(data_dir, asset)) as preview:
        assert preview.height > preview.width and red_top_left(preview)
    # The review grid's tile was made at ingest, upright too (it used to show phone photos on their side).
    (tile,) = (data_dir / "cards").iterdir()
    assert tile == card_image(data_dir, asset)
    with Image.open(tile) as img:
        assert img.size == (236, 354) and red_top_left(img)


@pytest.mark.parametrize("orientation", [1, 5, 6, 8])
def test_bytes_sent_to_pinterest_show_the_photo_as_the_user_saw_it(fake, settings, store, tmp_path, orientation):
    path = make_phone_jpeg(tmp_path / "phone.jpg", orientation)
    req = PublishRequest.model_validate(
        {"media": [str(path)], "platforms": {"pinterest": {"title": "T", "board_id": fake.boards[0]["id"]}}}
    )
    job = publish_request(store, make_publisher(fake, settings), req, settings, actor=reviewer())
    assert job["status"] == "published"
    source = fake.pins[job["pin_id"]]["_source"]
    sent = Image.open(io.BytesIO(base64.b64decode(source["data"])))
    assert source["content_type"] == "image/jpeg"
    # Whatever the receiving side does with EXIF, the pixels themselves are upright.
    assert sent.size == (1000, 1500) and red_top_left(sent)
    assert sent.getexif().get(0x0112) in (None, 1)
    if orientation == 1:  # an upright JPEG goes as it is, byte for byte
        assert base64.b64decode(source["data"]) == path.read_bytes()
