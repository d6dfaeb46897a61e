"""Storing media: by content hash, videos too, fatal problems refused, fixable ones kept."""

from __future__ import annotations

import pytest

from studio.errors import MediaError
from studio.media.assets import ingest_bytes, ingest_image, ingest_path, media_path, probe_image
from tests.support.media import make_bomb_png, make_image, make_video, truncate


def test_video_is_stored_with_its_facts(store, data_dir, tmp_path):
    src = make_video(tmp_path / "clip.mov", container="mov")
    asset, dup = ingest_path(store, data_dir, src)
    assert not dup and asset.kind == "video" and asset.mime == "video/quicktime"
    assert asset.path.endswith(".mov") and asset.duration_s == pytest.approx(5, abs=0.1)
    assert media_path(data_dir, asset).read_bytes() == src.read_bytes() and src.exists()
    facts = store.media_facts(asset.id)
    assert facts["video_codec"] == "h264" and facts["audio_codec"] == "aac" and facts["orientation"] == "portrait 2:3"
    assert ingest_path(store, data_dir, src)[1] is True


def test_video_bytes_via_ingest_image(store, data_dir, tmp_path):
    data = make_video(tmp_path / "clip.mp4").read_bytes()
    asset, _ = ingest_image(store, data_dir, data, "clip.mp4")
    assert asset.kind == "video" and asset.original_name == "clip.mp4"
    assert not list((data_dir / "media" / "incoming").iterdir())  # the temp upload was moved, not left


def test_image_facts_keep_what_drafting_uses(store, data_dir, make_image):
    asset, _ = ingest_bytes(store, data_dir, make_image(), "soup.jpg")
    facts = store.media_facts(asset.id)
    assert facts["dominant_colours"] and facts["orientation"] == "portrait 2:3" and facts["errors"] == []
    assert asset.path.endswith(".jpg") and asset.width == 1000


def test_fixable_problems_are_stored(store, data_dir, tmp_path):
    for src in (
        make_image(tmp_path / "scan.tif", fmt="TIFF"),
        make_video(tmp_path / "clip.webm", vcodec="libvpx-vp9", acodec=None, container="webm"),
        make_video(tmp_path / "short.mp4", seconds=2),
    ):
        asset, _ = ingest_path(store, data_dir, src)
        assert store.media_facts(asset.id)["errors"]


@pytest.mark.parametrize(
    "make,code",
    [
        (lambda d: truncate(make_video(d / "v.mp4"), 0.3), "unreadable"),
        (lambda d: make_bomb_png(d / "bomb.png", (20000, 20000)), "image_too_many_pixels"),
        (lambda d: d / "missing.jpg", "not_found"),
    ],
)
def test_fatal_problems_are_refused_and_nothing_stored(store, data_dir, tmp_path, make, code):
    with pytest.raises(MediaError) as err:
        ingest_path(store, data_dir, make(tmp_path))
    assert err.value.code == code and err.value.fix
    assert store.list_media() == []


def test_probe_image_still_works_for_bytes(make_image):
    facts = probe_image(make_image(size=(600, 900), fmt="PNG"))
    assert (facts["format"], facts["width"], facts["frames"]) == ("PNG", 600, 1)
    with pytest.raises(MediaError) as err:
        probe_image(b"")
    assert err.value.code == "empty_file"
