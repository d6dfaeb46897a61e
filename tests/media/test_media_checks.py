"""Every error and warning code of `check_path`, each triggered by a real file made at test time."""

from __future__ import annotations

import time

import pytest

from studio import constraints
from studio.media.assets import MediaReport, check_bytes, check_cover, check_path, check_pin, sniff
from tests.support.media import make_bomb_png, make_image, make_video, truncate


def codes(report: MediaReport) -> tuple[set[str], set[str]]:
    return {i.code for i in report.errors}, {i.code for i in report.warnings}


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    """One of each kind of test video, made once for the module (about 2 s in all)."""
    d = tmp_path_factory.mktemp("videos")
    return {
        "good": make_video(d / "good.mp4"),
        "mov": make_video(d / "good.mov", container="mov"),
        "silent": make_video(d / "silent.mp4", acodec=None),
        "hevc": make_video(d / "hevc.mp4", vcodec="libx265"),
        "vp9": make_video(d / "vp9.webm", vcodec="libvpx-vp9", acodec="libopus", container="webm"),
        "mp3": make_video(d / "mp3.mp4", acodec="libmp3lame"),
        "short": make_video(d / "short.mp4", seconds=3),
        "long": make_video(d / "long.mp4", seconds=901, fps=1, acodec=None),
        "wide": make_video(d / "wide.mp4", size=(400, 160)),
        "tall": make_video(d / "tall.mp4", size=(100, 240)),
        "rotated": make_video(d / "rotated.mp4", size=(400, 160), rotation=90),
    }


# --- images ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_a_2x3_image_in_each_accepted_format_passes(tmp_path, fmt):
    report = check_path(make_image(tmp_path / "pin.bin", (1000, 1500), fmt))
    assert report.ok and report.kind == "image" and not report.warnings
    assert (report.facts.format, report.facts.width, report.facts.height) == (fmt, 1000, 1500)
    assert report.facts.bytes > 0 and report.facts.mode


def test_format_comes_from_content_not_extension(tmp_path):
    report = check_path(make_image(tmp_path / "photo.gif", fmt="PNG"))
    assert report.ok and report.facts.format == "PNG"


def test_missing_and_empty_files(tmp_path):
    assert codes(check_path(tmp_path / "nope.jpg"))[0] == {"not_found"}
    (tmp_path / "empty.jpg").write_bytes(b"")
    report = check_path(tmp_path / "empty.jpg")
    assert codes(report)[0] == {"empty_file"} and report.kind == "unknown" and not report.ok


def test_renamed_text_file_is_unreadable(tmp_path):
    (tmp_path / "notes.jpg").write_text("just some text, not a picture")
    report = check_path(tmp_path / "notes.jpg")
    assert codes(report)[0] == {"unreadable"} and report.kind == "unknown"
    assert "renamed" in report.errors[0].message and report.errors[0].fix


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_images_are_unreadable(tmp_path, fmt):
    src = make_image(tmp_path / "full", (600, 900), fmt)
    assert codes(check_path(truncate(src, 0.6)))[0] == {"unreadable"}


def test_unsupported_image_format(tmp_path):
    report = check_path(make_image(tmp_path / "scan.tif", fmt="TIFF"))
    assert codes(report)[0] == {"unsupported_format"} and report.kind == "image"
    assert "JPEG" in report.errors[0].fix


def test_image_too_small_and_low_resolution(tmp_path):
    assert "image_too_small" in codes(check_path(make_image(tmp_path / "a.png", (80, 120), "PNG")))[0]
    errors, warnings = codes(check_path(make_image(tmp_path / "b.png", (400, 600), "PNG")))
    assert not errors and warnings == {"low_resolution"}


def test_aspect_ratio_not_recommended(tmp_path):
    errors, warnings = codes(check_path(make_image(tmp_path / "sq.jpg", (1200, 1200))))
    assert not errors and warnings == {"aspect_ratio_not_recommended"}


def test_file_too_large(tmp_path, monkeypatch):
    # 20 MB of noise takes a while to write; the rule is the same at a lower limit.
    monkeypatch.setattr(constraints, "IMAGE_MAX_BYTES", 50_000)
    from tests.support.media import make_noise_image

    report = check_path(make_noise_image(tmp_path / "noise.png", (200, 300)))
    assert codes(report)[0] == {"file_too_large"} and "MB" in report.errors[0].message


def test_decompression_bomb_is_refused_fast_from_the_header(tmp_path):
    bomb = make_bomb_png(tmp_path / "bomb.png", (20000, 20000))  # 400 MP claimed in a small file
    started = time.perf_counter()
    report = check_path(bomb)
    assert time.perf_counter() - started < 0.5
    assert codes(report)[0] == {"image_too_many_pixels"} and report.kind == "image"


def test_animated_gif_and_webp(tmp_path):
    for fmt in ("GIF", "WEBP"):
        path = make_image(tmp_path / f"anim.{fmt}", (1000, 1500), fmt, frames=4)
        report = check_path(path)
        assert report.ok and report.facts.frames == 4 and report.facts.animated and not report.warnings
        flattened = check_path(path, animated_flatten=True)
        assert codes(flattened)[1] == {"animation_will_be_lost"} and flattened.ok


def test_check_bytes_matches_check_path(tmp_path):
    path = make_image(tmp_path / "a.jpg", (500, 500))
    assert check_bytes(path.read_bytes(), "a.jpg").model_dump(exclude={"source"}) == check_path(path).model_dump(
        exclude={"source"}
    )


# --- videos ---------------------------------------------------------------------------
def test_good_mp4_facts(videos):
    report = check_path(videos["good"])
    assert report.ok and report.kind == "video" and not report.warnings
    f = report.facts
    assert (f.container, f.width, f.height, f.video_codec, f.audio_codec) == ("mp4", 160, 240, "h264", "aac")
    assert f.duration_s == pytest.approx(5, abs=0.1) and f.fps == 10 and f.rotation == 0


def test_mov_and_silent_video_pass(videos):
    mov = check_path(videos["mov"])
    assert mov.ok and mov.facts.container == "mov"
    silent = check_path(videos["silent"])
    assert silent.ok and silent.facts.audio_codec is None


def test_video_container_is_sniffed_not_taken_from_the_name(videos, tmp_path):
    disguised = tmp_path / "clip.mp4"
    disguised.write_bytes(videos["vp9"].read_bytes())
    report = check_path(disguised)
    assert report.facts.container == "webm" and "unsupported_format" in codes(report)[0]


def test_hevc_is_a_warning(videos):
    errors, warnings = codes(check_path(videos["hevc"]))
    assert not errors and warnings == {"video_codec_not_recommended"}


def test_vp9_webm_is_refused(videos):
    errors, warnings = codes(check_path(videos["vp9"]))
    assert errors == {"unsupported_format", "unsupported_video_codec"}
    assert warnings == {"audio_codec_not_recommended"}


def test_non_aac_audio_is_a_warning(videos):
    report = check_path(videos["mp3"])
    assert report.ok and codes(report)[1] == {"audio_codec_not_recommended"} and report.facts.audio_codec == "mp3"


def test_too_short_and_too_long(videos):
    assert codes(check_path(videos["short"]))[0] == {"video_too_short"}
    long = check_path(videos["long"])
    assert codes(long)[0] == {"video_too_long"} and long.facts.duration_s > constraints.VIDEO_MAX_SECONDS


def test_aspect_ratio_out_of_range_both_ways(videos):
    assert codes(check_path(videos["wide"]))[0] == {"aspect_ratio_out_of_range"}
    assert codes(check_path(videos["tall"]))[0] == {"aspect_ratio_out_of_range"}


def test_rotation_is_read_and_used_for_the_aspect(videos):
    report = check_path(videos["rotated"])  # 400×160 stored, shown 160×400 (2.5:1 → 0.4:1)
    assert report.facts.rotation in (90, 270)
    assert report.display_size() == (160, 400)
    assert codes(report)[0] == {"aspect_ratio_out_of_range"}


def test_truncated_video_is_unreadable(videos, tmp_path):
    report = check_path(truncate(videos["good"], 0.3, tmp_path / "cut.mp4"))
    assert codes(report)[0] == {"unreadable"} and report.kind == "video"


def test_video_check_does_not_depend_on_size_or_decode(videos):
    started = time.perf_counter()
    check_path(videos["long"])
    assert time.perf_counter() - started < 2.0


# --- pins and covers --------------------------------------------------------------------
def test_too_many_and_mixed_media(videos, tmp_path):
    image = check_path(make_image(tmp_path / "a.jpg"))
    video = check_path(videos["good"])
    assert {i.code for i in check_pin([image, video])} == {"mixed_media", "too_many_media"}
    assert {i.code for i in check_pin([image, image])} == {"too_many_media"}
    assert check_pin([video]) == []


def test_thumb_offset_must_lie_inside_the_video(videos, tmp_path):
    video = check_path(videos["good"])
    assert check_cover(video, offset_s=2.5) == []
    assert [i.code for i in check_cover(video, offset_s=7)] == ["thumb_offset_out_of_range"]
    assert [i.code for i in check_cover(video, offset_s=-1)] == ["thumb_offset_out_of_range"]
    small = check_path(make_image(tmp_path / "c.png", (50, 50), "PNG"))
    assert [i.code for i in check_cover(video, cover=small)] == ["image_too_small"]


def test_sniff_never_uses_names():
    assert sniff(b"\xff\xd8\xff\xe0") == ("image", "JPEG")
    assert sniff(b"\0\0\0\x20ftypqt  ") == ("video", "mov")
    assert sniff(b"\0\0\0\x20ftypM4V ") == ("video", "m4v")
    assert sniff(b"hello") == ("unknown", None)


def test_every_issue_has_a_message_and_a_fix(videos, tmp_path):
    reports = [check_path(p) for p in videos.values()]
    reports.append(check_path(make_image(tmp_path / "s.png", (300, 300), "PNG")))
    for issue in (i for r in reports for i in [*r.errors, *r.warnings]):
        assert issue.message.endswith(".") and issue.fix, issue


def test_data_appended_after_a_jpeg_is_not_mistaken_for_truncation(tmp_path):
    path = make_image(tmp_path / "motion.jpg", (1000, 1500))
    path.write_bytes(path.read_bytes() + b"\0" * 10_000)  # like a motion photo's trailing video
    assert check_path(path).ok


def test_file_names_that_look_like_ffmpeg_protocols_are_just_files(videos, tmp_path):
    odd = tmp_path / "concat:clip.mp4"
    odd.write_bytes(videos["good"].read_bytes())
    assert check_path(odd).ok
