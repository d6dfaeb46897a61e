"""WCAG 2 contrast of text against the pixels actually behind it."""

from __future__ import annotations

import numpy as np
from PIL import Image

AA_NORMAL = 4.5  # WCAG 2.1 SC 1.4.3, normal-size text: the bar every design must clear
LIGHT_TEXT = (255, 255, 255)
DARK_TEXT = (17, 17, 17)


def hex_rgb(value: str) -> tuple[int, int, int]:
    v = value.strip().lstrip("#")
    if len(v) == 3:
        v = "".join(c * 2 for c in v)
    if len(v) != 6 or any(c not in "0123456789abcdefABCDEF" for c in v):
        from studio.errors import ValidationError

        raise ValidationError(
            f"“{value}” is not a colour.", fix="Use a hex colour such as #1F3A5F.", code="invalid_colour"
        )
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def _linear(channel: np.ndarray) -> np.ndarray:
    c = channel / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance (WCAG) of an (..., 3) array of sRGB values 0–255."""
    lin = _linear(rgb.astype(np.float64))
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def ratio(l1: float | np.ndarray, l2: float | np.ndarray):
    hi, lo = np.maximum(l1, l2), np.minimum(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def text_contrast(background: Image.Image, mask: Image.Image, colour: tuple[int, int, int]) -> float:
    """The contrast of `colour` against the background pixels under the text mask; the 2nd percentile
    is used so a few stray pixels don't decide it, but any real bright/dark patch does."""
    box = mask.getbbox()
    if box is None:
        return 21.0
    px = np.asarray(background.crop(box).convert("RGB"))
    under = np.asarray(mask.crop(box)) > 0
    if not under.any():
        return 21.0
    lum = luminance(px[under])
    text_l = float(luminance(np.array(colour)))
    return float(np.percentile(ratio(text_l, lum), 2))


def best_text_colour(background: Image.Image, mask: Image.Image) -> tuple[int, int, int]:
    """White or near-black, whichever reads better on these pixels."""
    light = text_contrast(background, mask, LIGHT_TEXT)
    dark = text_contrast(background, mask, DARK_TEXT)
    return LIGHT_TEXT if light >= dark else DARK_TEXT
