"""Colour: what a picture's pixels mean (mode, bit depth, ICC profile) and turning them into 8-bit sRGB.

Pinterest shows pins as 8-bit sRGB. A CMYK JPEG, a 16-bit PNG or a wide-gamut photo (Display P3 from
phones, Adobe RGB from cameras) is shown with shifted colours unless converted through its own profile.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageCms

from studio import constraints
from studio.media.report import MediaReport

# Modes that are not RGB-like: a viewer must convert them and may guess wrong.
NON_RGB_MODES = {"CMYK": "CMYK", "YCbCr": "YCbCr", "LAB": "Lab", "HSV": "HSV"}
HIGH_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")
# How far (CIE xy, D50-adapted as ICC stores them) a primary may sit from sRGB's and still be sRGB:
# sRGB profiles from different vendors differ in the third decimal; Display P3's red is 0.04 away.
PRIMARY_TOLERANCE = 0.015


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _primaries(profile) -> list[tuple[float, float]] | None:
    colorants = [profile.red_colorant, profile.green_colorant, profile.blue_colorant]
    if any(c is None for c in colorants):
        return None
    return [(c[1][0], c[1][1]) for c in colorants]


def profile_info(icc: bytes) -> tuple[str, str, bool] | None:
    """(description, colour space, wide gamut?) of an embedded ICC profile; None if it can't be read."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile
        description = (profile.profile_description or "").strip()
        space = (profile.xcolor_space or "").strip()
        wide = False
        if space == "RGB":
            ours, srgb = _primaries(profile), _primaries(_srgb().profile)
            if ours and srgb:
                wide = any(abs(a - b) > PRIMARY_TOLERANCE for p, q in zip(ours, srgb) for a, b in zip(p, q))
            else:  # LUT-based profiles have no colorants: go by the name
                wide = any(k in description.lower() for k in ("p3", "2020", "adobe rgb", "prophoto", "wide"))
        return description[:120], space, wide
    except Exception:  # a damaged profile: viewers ignore it, so do we
        return None


def check_colour(img: Image.Image, report: MediaReport, bit_depth: int | None = None) -> None:
    """Warn about CMYK/Lab pixels, more than 8 bits a channel, and wide-gamut profiles."""
    f = report.facts
    fix = "Convert to 8-bit sRGB (one click)."
    if img.mode in NON_RGB_MODES:
        report.warn(
            "color_mode_not_rgb",
            f"The image is in {NON_RGB_MODES[img.mode]} colours; Pinterest shows RGB, so colours may shift.",
            fix,
        )
    depth = bit_depth or (16 if img.mode in HIGH_BIT_MODES else None)
    if depth and depth > constraints.IMAGE_BITS_PER_CHANNEL:
        f.bit_depth = depth
        report.warn(
            "high_bit_depth",
            f"The image has {depth} bits per channel; Pinterest shows 8, so gradients and colours may shift.",
            fix,
        )
    icc = img.info.get("icc_profile")
    if icc:
        info = profile_info(icc)
        if info:
            f.color_profile = info[0] or info[1]
            if info[2]:
                report.warn(
                    "wide_gamut_profile",
                    f"The image uses a wide-gamut colour profile ({info[0] or 'unnamed'}); "
                    "Pinterest shows sRGB, so colours may look dull or shifted.",
                    fix,
                )


def eight_bit(img: Image.Image) -> Image.Image:
    """16/32-bit greyscale scaled (not clipped) to 8 bits."""
    if img.mode in HIGH_BIT_MODES:
        scale = 1 / 257 if img.mode.startswith("I;16") or img.mode == "I" else 255.0
        return img.convert("I").point(lambda v: v * scale).convert("L") if img.mode != "F" else img.convert("L")
    return img


def to_srgb(img: Image.Image) -> Image.Image:
    """8-bit sRGB pixels (RGB, or RGBA when the picture has transparency), converted through the
    embedded ICC profile when there is one, so colours look as they did on the photographer's screen."""
    icc = img.info.get("icc_profile")
    img = eight_bit(img)
    alpha = img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (img.mode == "P" and img.has_transparency_data)
    out_mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = (source.profile.xcolor_space or "").strip()
            if img.mode == "P":
                img = img.convert(out_mode)
            if img.mode == "LA":
                img = img.convert("RGBA") if space == "RGB" else img
            wanted = {"RGB": ("RGB", "RGBA"), "CMYK": ("CMYK",), "GRAY": ("L",)}.get(space, ())
            if img.mode in wanted:
                out = "RGBA" if img.mode == "RGBA" else "RGB"
                converted = ImageCms.profileToProfile(img, source, _srgb(), outputMode=out)
                if converted is not None:
                    return converted
        except Exception:  # a profile lcms can't use: fall back to Pillow's plain conversion
            pass
    return img if img.mode == out_mode else img.convert(out_mode)
