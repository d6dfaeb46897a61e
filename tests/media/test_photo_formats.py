"""HEIC/HEIF and AVIF stills are images (refused with a fix to JPEG), MPO is converted on publish,
and refused bombs still say what they declare (issue #17 items 2, 6 and 8)."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, features

from studio.media import available_fixes, check_path, fix_to_pinterest, sniff
from studio.publishing.payload import PublishRequest
from studio.publishing.service import publish_request
from tests.media_factory import make_bomb_png
from tests.photo_factory import make_avif, make_heic, make_mpo, red_top_left
from tests.publish_helpers import fake, make_publisher


def _heif_can_encode() -> str | None:
    try:
        import pillow_heif

        return None if pillow_heif.libheif_info()["HEIF"] else "libheif here has no HEVC encoder"
    except ImportError:
        return "pillow-heif is not installed"


STILLS = [
    pytest.param(
        "photo.heic",
        make_heic,
        "HEIF",
        marks=pytest.mark.skipif(bool(_heif_can_encode()), reason=str(_heif_can_encode())),
    ),
    pytest.param(
        "photo.avif",
        make_avif,
        "AVIF",
        marks=pytest.mark.skipif(not features.check("avif"), reason="this Pillow was built without AVIF (libavif)"),
    ),
]


@pytest.mark.parametrize(("name", "make", "fmt"), STILLS)
def test_iso_bmff_stills_are_images_refused_with_a_one_click_jpeg_fix(tmp_path, name, make, fmt):
    path = make(tmp_path / name)
    report = check_path(path)
    assert report.kind == "image" and report.facts.format == fmt
    assert (report.facts.width, report.facts.height) == (1000, 1500)
    assert not report.ok and [e.code for e in report.errors] == ["unsupported_format"]
    assert "video" not in report.errors[0].message.lower()
    assert available_fixes(report)[0] == "convert_jpeg"
    out, applied, after = fix_to_pinterest(path, tmp_path / "out.jpg")
    assert applied == ["convert_jpeg"] and after.ok and after.facts.format == "JPEG"
    with Image.open(out) as img:
        assert img.size == (1000, 1500) and red_top_left(img)


@pytest.mark.parametrize(
    ("brands", "expected"),
    [
        (b"heic\0\0\0\0mif1heic", ("image", "HEIF")),
        (b"mif1\0\0\0\0mif1heic", ("image", "HEIF")),
        (b"heix\0\0\0\0mif1heix", ("image", "HEIF")),
        (b"msf1\0\0\0\0msf1hevc", ("image", "HEIF")),
        (b"avif\0\0\0\0avifmif1", ("image", "AVIF")),
        (b"mif1\0\0\0\0mif1avif", ("image", "AVIF")),
        (b"avis\0\0\0\0avismsf1", ("image", "AVIF")),
        (b"isom\0\0\0\0isomiso2", ("video", "mp4")),
        (b"qt  \0\0\0\0qt  ", ("video", "mov")),
    ],
)
def test_sniffer_tells_still_pictures_from_videos_by_brand(brands, expected):
    head = (8 + len(brands)).to_bytes(4, "big") + b"ftyp" + brands + b"\0" * 16
    assert sniff(head) == expected


def test_mpo_is_accepted_with_a_warning_and_published_as_its_first_picture(fake, settings, store, tmp_path):
    path = make_mpo(tmp_path / "camera.mpo")
    report = check_path(path)
    assert report.ok and report.facts.format == "MPO" and report.facts.frames == 2
    assert "converted_on_publish" in report.codes()
    req = PublishRequest.model_validate(
        {"media": [str(path)], "platforms": {"pinterest": {"title": "T", "board_id": fake.boards[0]["id"]}}}
    )
    job = publish_request(store, make_publisher(fake, settings), req, tmp_path)
    assert job["status"] == "published"
    from studio.publishing import jobs

    assert any("first picture" in w for w in jobs.get_job(store, job["id"])["warnings"])
    source = fake.pins[job["pin_id"]]["_source"]
    sent = Image.open(io.BytesIO(base64.b64decode(source["data"])))
    assert source["content_type"] == "image/jpeg" and sent.format == "JPEG"
    assert not getattr(sent, "is_animated", False) and red_top_left(sent)  # the first picture, not the second


def test_a_refused_bomb_still_reports_its_format_and_declared_size(tmp_path):
    report = check_path(make_bomb_png(tmp_path / "bomb.png", (30000, 30000)))
    assert [e.code for e in report.errors] == ["image_too_many_pixels"]
    assert report.kind == "image" and report.facts.format == "PNG"
    assert (report.facts.width, report.facts.height) == (30000, 30000)
    assert "30000×30000" in report.errors[0].message
