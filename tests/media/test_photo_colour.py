"""CMYK, 16-bit and wide-gamut pictures: a warning each, and a fix to 8-bit sRGB that converts
through the embedded profile instead of dropping it (issue #17 item 5)."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

from studio.media import available_fixes, check_path, fix_to_pinterest, run_fix
from tests.support.photos import RED, display_p3_icc, make_16bit_png, make_cmyk_jpeg, make_p3_png, red_top_left


def test_p3_png_warns_and_the_fix_converts_colours_through_the_profile(tmp_path):
    path = make_p3_png(tmp_path / "p3.png")
    report = check_path(path)
    assert report.ok and "wide_gamut_profile" in report.codes()
    assert report.facts.color_profile == "Display P3"
    assert available_fixes(report) == ["convert_srgb"]
    out = run_fix("convert_srgb", path, tmp_path)
    with Image.open(out) as img:
        assert img.format == "PNG" and img.mode == "RGB" and red_top_left(img)
        shown = img.getpixel((100, 100))
    # P3's red is redder than sRGB's: the same numbers mean a more saturated colour, so sRGB needs
    # different numbers to show it. Dropping the profile would have kept RED unchanged.
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), RED),
        ImageCms.ImageCmsProfile(io.BytesIO(display_p3_icc())),
        ImageCms.createProfile("sRGB"),
    ).getpixel((0, 0))
    assert shown != RED and all(abs(a - b) <= 2 for a, b in zip(shown, expected))
    assert "wide_gamut_profile" not in check_path(out).codes()


def test_cmyk_jpeg_warns_and_fix_to_pinterest_makes_rgb(tmp_path):
    path = make_cmyk_jpeg(tmp_path / "print.jpg")
    report = check_path(path)
    assert report.ok and report.facts.mode == "CMYK" and "color_mode_not_rgb" in report.codes()
    out, applied, after = fix_to_pinterest(path, tmp_path / "web.jpg")
    assert applied == ["convert_srgb"] and after.ok and not after.warnings
    with Image.open(out) as img:
        assert img.mode == "RGB" and red_top_left(img)


def test_16_bit_png_warns_and_the_fix_scales_to_8_bits_without_clipping(tmp_path):
    path = make_16bit_png(tmp_path / "scan.png")
    report = check_path(path)
    assert report.ok and report.facts.bit_depth == 16 and "high_bit_depth" in report.codes()
    out = run_fix("convert_srgb", path, tmp_path)
    after = check_path(out)
    assert "high_bit_depth" not in after.codes()
    with Image.open(out) as img:
        assert img.mode == "RGB"
        top, middle, bottom = (img.getpixel((500, y))[0] for y in (0, 750, 1499))
    assert top < 10 and 100 < middle < 155 and bottom > 245  # a gradient, not a white sheet


def test_plain_srgb_photo_gets_no_colour_warning(tmp_path):
    path = tmp_path / "plain.jpg"
    Image.new("RGB", (1000, 1500), RED).save(
        path, icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    )
    report = check_path(path)
    assert report.ok and not report.warnings and report.facts.color_profile
