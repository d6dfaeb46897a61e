"""Files broken in the middle, animations with a bomb frame, and Pillow's warnings kept out of the
terminal (issue #17 items 4 and 7)."""

from __future__ import annotations

import json
import subprocess
import sys

from PIL import Image

from studio.media import check_path
from tests.support.env import ROOT
from tests.support.media import make_image
from tests.support.photos import make_busy_jpeg, make_busy_png, make_gif_with_bomb_frame, make_invalid_apng, zero_middle


def test_png_zeroed_mid_stream_but_ending_correctly_is_unreadable(tmp_path):
    path = zero_middle(make_busy_png(tmp_path / "holes.png"))
    assert path.read_bytes().endswith(b"IEND\xaeB`\x82")  # the end marker is intact
    report = check_path(path)
    assert [e.code for e in report.errors] == ["unreadable"] and "damaged" in report.errors[0].message
    assert report.facts.format == "PNG"  # what is known is still reported


def test_jpeg_scrambled_mid_stream_is_unreadable(tmp_path):
    path = zero_middle(make_busy_jpeg(tmp_path / "holes.jpg"), fill=b"\xff")
    assert path.read_bytes().endswith(b"\xff\xd9")
    assert [e.code for e in check_path(path).errors] == ["unreadable"]


def test_png_cut_inside_its_pixel_data_is_unreadable_even_with_an_end_marker_appended(tmp_path):
    path = make_busy_png(tmp_path / "cut.png")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + data[-12:])  # half the pixels, then a real IEND chunk
    assert [e.code for e in check_path(path).errors] == ["unreadable"]


def test_animated_gif_with_a_billion_pixel_second_frame_is_refused(tmp_path):
    report = check_path(make_gif_with_bomb_frame(tmp_path / "anim.gif"))
    assert [e.code for e in report.errors] == ["image_too_many_pixels"]
    assert report.facts.format == "GIF" and report.facts.frames == 2


def test_sound_pngs_of_every_layout_still_pass(tmp_path):
    """The streaming PNG scan must accept what Pillow writes: interlaced, palette, 1-bit, grey+alpha, APNG."""
    base = Image.effect_noise((1000, 1500), 50)
    cases = {
        "interlaced.png": (base.convert("RGB"), {"interlace": 1}),
        "palette.png": (base.convert("P"), {}),
        "bilevel.png": (base.convert("1"), {}),
        "grey_alpha.png": (base.convert("LA"), {}),
        "rgba.png": (base.convert("RGBA"), {}),
    }
    for name, (img, options) in cases.items():
        img.save(tmp_path / name, "PNG", **options)
        report = check_path(tmp_path / name)
        assert report.ok and not report.warnings, (name, report.errors, report.warnings)
    apng = make_image(tmp_path / "anim.png", fmt="PNG", frames=3)
    report = check_path(apng)
    assert report.ok and report.facts.animated and report.facts.frames == 3


def test_pillow_warnings_land_in_the_report_not_on_stderr(tmp_path):
    # A real process: pytest itself swallows warnings, so only a subprocess shows what a user sees.
    path = make_invalid_apng(tmp_path / "odd.png")
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "check", "--json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stderr == ""
    report = json.loads(proc.stdout)[0]
    assert proc.returncode == 0 and report["ok"]
    warning = next(w for w in report["warnings"] if w["code"] == "decoder_warning")
    assert "APNG" in warning["message"]
