"""Each fix turns a failing (or warned) file into a passing one; fixed assets link to their source."""

from __future__ import annotations

import threading

import pytest

from studio import constraints
from studio.errors import MediaError
from studio.media.assets import check_path, ingest_path
from studio.media.fixes import apply_fix, available_fixes, fix_to_pinterest, run_fix
from studio.media.video import transcode
from tests.support.media import make_image, make_noise_image, make_video


def codes(report):
    return {i.code for i in [*report.errors, *report.warnings]}


def test_convert_tiff_to_jpeg_and_png(tmp_path):
    src = make_image(tmp_path / "scan.tif", fmt="TIFF")
    assert available_fixes(check_path(src))[:2] == ["convert_jpeg", "convert_png"]
    for action, fmt in (("convert_jpeg", "JPEG"), ("convert_png", "PNG")):
        report = check_path(run_fix(action, src, tmp_path))
        assert report.ok and report.facts.format == fmt


def test_convert_flattens_transparency_and_animation(tmp_path):
    rgba = make_image(tmp_path / "logo.webp", (1000, 1500), "WEBP", colour=(0, 0, 0, 0))
    assert check_path(run_fix("convert_jpeg", rgba, tmp_path)).ok
    anim = make_image(tmp_path / "anim.gif", (1000, 1500), "GIF", frames=3)
    assert "animation_will_be_lost" in codes(check_path(anim, animated_flatten=True))
    out = check_path(run_fix("convert_jpeg", anim, tmp_path), animated_flatten=True)
    assert out.ok and not out.warnings and out.facts.frames == 1


def test_fit_size_recompresses_under_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(constraints, "IMAGE_MAX_BYTES", 300_000)
    src = make_noise_image(tmp_path / "noise.png", (400, 600))
    assert "file_too_large" in codes(check_path(src))
    out = run_fix("fit_size", src, tmp_path)
    report = check_path(out)
    assert report.ok and report.facts.bytes <= 300_000
    assert (report.facts.width, report.facts.height) == (400, 600)  # quality went first, not pixels


@pytest.mark.parametrize("size", [(1200, 1200), (1600, 900), (600, 1400)])
@pytest.mark.parametrize("action", ["pad_2x3", "crop_2x3"])
def test_pad_and_crop_reach_2x3(tmp_path, size, action):
    src = make_image(tmp_path / "in.jpg", size)
    assert "aspect_ratio_not_recommended" in codes(check_path(src))
    report = check_path(run_fix(action, src, tmp_path))
    assert "aspect_ratio_not_recommended" not in codes(report)
    w, h = report.facts.width, report.facts.height
    assert abs(w / h - 2 / 3) < 0.01
    assert (w >= size[0] and h >= size[1]) if action == "pad_2x3" else (w <= size[0] and h <= size[1])


def test_pad_uses_the_chosen_colour_and_crop_the_focus(tmp_path):
    from PIL import Image

    src = make_image(tmp_path / "sq.png", (900, 900), "PNG", colour="#ffffff")
    padded = Image.open(run_fix("pad_2x3", src, tmp_path, colour="#ff0000"))
    assert padded.getpixel((5, 5))[:3] == (255, 0, 0)
    cropped = Image.open(run_fix("crop_2x3", src, tmp_path, focus=(0.0, 0.5)))
    assert cropped.size == (600, 900) and cropped.format == "PNG"


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"vcodec": "libvpx-vp9", "acodec": "libopus", "container": "webm"}, "unsupported_video_codec"),
        ({"vcodec": "libx265"}, "video_codec_not_recommended"),
        ({"acodec": "libmp3lame"}, "audio_codec_not_recommended"),
        ({"size": (400, 160)}, "aspect_ratio_out_of_range"),
        ({"size": (100, 240)}, "aspect_ratio_out_of_range"),
    ],
)
def test_transcode_fixes_video_problems(tmp_path, kwargs, code):
    src = make_video(tmp_path / f"in.{kwargs.get('container', 'mp4')}", **kwargs)
    before = check_path(src)
    assert code in codes(before) and "transcode" in available_fixes(before)
    after = check_path(run_fix("transcode", src, tmp_path))
    assert after.ok and not after.warnings, after
    assert (after.facts.container, after.facts.video_codec) == ("mp4", "h264")
    assert after.facts.audio_codec == ("aac" if before.facts.audio_codec else None)


def test_trim_fixes_a_long_video_without_reencoding(tmp_path):
    src = make_video(tmp_path / "long.mp4", seconds=901, fps=1, acodec=None)
    assert available_fixes(check_path(src)) == ["trim"]
    after = check_path(run_fix("trim", src, tmp_path))
    assert after.ok and after.facts.duration_s <= constraints.VIDEO_MAX_SECONDS


def test_transcode_reports_progress_and_can_be_cancelled(tmp_path):
    src = make_video(tmp_path / "in.mp4", seconds=20, size=(320, 480), fps=25)
    seen: list[float] = []
    transcode(src, tmp_path / "out.mp4", duration_s=20, on_progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)

    cancel = threading.Event()
    with pytest.raises(MediaError) as err:  # cancelled from the first progress report, mid-run
        transcode(src, tmp_path / "cancelled.mp4", duration_s=20, cancel=cancel, on_progress=lambda done: cancel.set())
    assert err.value.code == "cancelled"
    assert not (tmp_path / "cancelled.mp4").exists()  # the partial output is removed


def test_cover_frame_at_an_offset(tmp_path):
    src = make_video(tmp_path / "v.mp4")
    frame = check_path(run_fix("cover_frame", src, tmp_path, offset_s=2.0))
    assert frame.kind == "image" and frame.facts.format == "JPEG" and frame.facts.width == 160
    with pytest.raises(MediaError) as err:
        run_fix("cover_frame", src, tmp_path, offset_s=30)
    assert err.value.code == "thumb_offset_out_of_range"


def test_apply_fix_stores_a_new_asset_linked_to_its_source(store, data_dir, tmp_path):
    original, _ = ingest_path(store, data_dir, make_image(tmp_path / "sq.jpg", (1200, 1200)))
    assert "aspect_ratio_not_recommended" in store.media_facts(original.id)["warnings"]
    fixed = apply_fix(store, data_dir, original, "pad_2x3")
    assert fixed.source_id == original.id and fixed.fix == "pad_2x3" and fixed.id != original.id
    assert store.media_facts(fixed.id)["warnings"] == []
    assert (data_dir / original.path).exists() and (data_dir / fixed.path).exists()
    assert store.media_derived_from(original.id) == [fixed]


def test_fix_to_pinterest_applies_everything(tmp_path):
    src = make_video(tmp_path / "clip.webm", size=(400, 160), vcodec="libvpx-vp9", acodec="libopus", container="webm")
    out, applied, report = fix_to_pinterest(src, tmp_path / "ready.mp4")
    assert applied == ["transcode"] and report.ok and out == tmp_path / "ready.mp4"
    image = make_image(tmp_path / "scan.tif", (1200, 1200), "TIFF")
    out, applied, report = fix_to_pinterest(image)
    assert applied == ["convert_jpeg", "pad_2x3"] and report.ok and not report.warnings
    assert src.exists() and image.exists()  # originals are kept


def test_unknown_fix_is_a_clear_error(tmp_path):
    with pytest.raises(MediaError) as err:
        run_fix("sharpen", make_image(tmp_path / "a.jpg"), tmp_path)
    assert err.value.code == "unknown_fix"
