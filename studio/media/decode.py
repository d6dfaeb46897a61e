"""Decoding images safely: extra formats (HEIF/AVIF), Pillow's warnings captured, EXIF orientation,
reduced decodes for previews, and a bound on how many large images decode at once.

Pillow's own decoders allocate the whole picture: a 9400×9400 PNG is 88–265 MB however small the
file. Everything that only needs a small picture goes through `reduced_image`, which decodes at a
reduced scale where the format allows it (JPEG draft mode) and otherwise keeps the native mode
(1 byte a pixel for palette/grey PNGs) and reduces strip by strip, so no full-size RGB copy exists.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFile

from studio import constraints
from studio.errors import MediaError

_PLUGINS_LOCK = threading.Lock()
_plugins_ready: bool | None = None


def register_plugins() -> bool:
    """Teach Pillow HEIF/HEIC (pillow-heif); AVIF comes with Pillow 11.3+. True if HEIF is readable."""
    global _plugins_ready
    with _PLUGINS_LOCK:
        if _plugins_ready is None:
            try:
                import pillow_heif

                pillow_heif.register_heif_opener()
                _plugins_ready = True
            except Exception:  # not installed, or a wheel without libheif: HEIF is then reported unreadable
                _plugins_ready = False
    return _plugins_ready


# --- Pillow's warnings -----------------------------------------------------------------
@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Pillow's UserWarnings as a list of messages instead of lines on stderr; a decompression-bomb
    warning is raised as an error (we refuse from the header, before any pixel is decoded)."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield messages
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, UserWarning) and text not in messages:
            messages.append(text)


# --- bounded concurrency ---------------------------------------------------------------
# A large decode takes one of these slots: two 88 MP images decoding at once is already ~0.5 GB;
# Streamlit runs each browser tab's script in its own thread, so without a bound N tabs cost N×.
LARGE_DECODE_PIXELS = constraints.IMAGE_LARGE_DECODE_PIXELS
_DECODE_SLOTS = threading.BoundedSemaphore(constraints.IMAGE_DECODE_SLOTS)


@contextmanager
def decode_slot(pixels: int) -> Iterator[None]:
    """Hold a slot while decoding an image of `pixels` pixels, if it is large."""
    if pixels < LARGE_DECODE_PIXELS:
        yield
        return
    with _DECODE_SLOTS:
        yield


# --- orientation -----------------------------------------------------------------------
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION_TAG = 0x0112


def exif_orientation(img: Image.Image, exif_bytes: bytes | None = None) -> int:
    """The EXIF Orientation (1–8; 1 when absent or invalid), read without decoding pixels.

    PNG keeps EXIF in an `eXIf` chunk that may follow the pixels; Pillow would decode the whole
    image to find it, so for PNG pass the chunk's bytes (from the PNG scan) instead."""
    try:
        if img.format == "PNG":
            data = exif_bytes or img.info.get("exif")
            if not data:
                return 1
            exif = Image.Exif()
            exif.load(data if data.startswith(b"Exif") else b"Exif\x00\x00" + data)
        else:
            exif = img.getexif()
        value = int(exif.get(ORIENTATION_TAG) or 1)
    except Exception:  # a damaged EXIF block: the picture is shown as stored
        return 1
    return value if value in range(1, 9) else 1


def displayed_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Width × height as viewers show it: orientations 5–8 swap the sides."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def apply_orientation(img: Image.Image, orientation: int) -> Image.Image:
    """The picture turned the way the EXIF Orientation says it is shown."""
    method = _TRANSPOSE.get(orientation)
    return img.transpose(method) if method is not None else img


# --- reduced decodes -------------------------------------------------------------------
_STRIP_BYTES = 4 << 20


def reduced_image(path: Path | str, max_side: int) -> Image.Image:
    """The first frame, shown the right way up, no larger than `max_side` (RGB or RGBA, 8-bit sRGB).

    Decodes at reduced scale where the format allows (JPEG), never makes a full-size RGB copy,
    and takes a decode slot for large pictures. Raises MediaError(unreadable) for any decoder failure."""
    from studio.media.colour import to_srgb

    register_plugins()
    try:
        with captured_warnings(), Image.open(path) as img:
            if img.width * img.height > constraints.IMAGE_MAX_PIXELS:
                raise MediaError(
                    "The image has far more pixels than a pin needs.",
                    fix="Export it at a normal size, e.g. 1000×1500 px.",
                    code="image_too_many_pixels",
                )
            orientation = exif_orientation(img)
            icc = img.info.get("icc_profile")
            img.draft("RGB" if img.mode in ("RGB", "YCbCr") else img.mode, (max_side, max_side))
            with decode_slot(img.width * img.height):
                img.load()
                small = _reduce(img, max_side)
            if icc and "icc_profile" not in small.info:
                small.info["icc_profile"] = icc
            small = to_srgb(small)
            small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            return apply_orientation(small, orientation)
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(
            f"The image can't be decoded ({describe(exc)}).",
            fix="Export or download it again, then upload the new file.",
            code="unreadable",
        ) from None


def _reduce(img: Image.Image, max_side: int) -> Image.Image:
    """Shrink a loaded image by a whole factor towards 2× `max_side`, one strip at a time."""
    factor = max(1, min(img.width, img.height, max(img.width, img.height) // (2 * max_side)))
    if factor == 1:
        return img.copy()
    keep_mode = img.mode in ("L", "RGB", "RGBA", "LA", "CMYK", "I", "F")
    out: Image.Image | None = None
    # Strips of about 4 MB of source pixels, a whole number of `factor` rows each.
    rows = max(factor, _STRIP_BYTES // max(1, img.width * len(img.getbands())) // factor * factor)
    for top in range(0, img.height, rows):
        strip = img.crop((0, top, img.width, min(img.height, top + rows)))
        if not keep_mode:  # palette, 1-bit, 16-bit: converted a strip at a time
            strip = strip.convert("RGBA" if strip.has_transparency_data else "RGB")
        small = strip.reduce(factor)
        if out is None:
            out = Image.new(small.mode, (max(1, img.width // factor), max(1, -(-img.height // factor))))
        out.paste(small, (0, top // factor))
    assert out is not None
    out.info = dict(img.info)
    return out


def describe(exc: BaseException) -> str:
    """An exception as a short, safe phrase for a message: its type and first line, capped."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    phrase = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return phrase[:200]


def open_header_only(fh) -> Image.Image | None:
    """Open without Pillow's decompression-bomb check, to report what a refused bomb declares."""
    fh.seek(0)
    prefix = fh.read(16)
    for fmt in Image.ID:
        factory, accept = Image.OPEN[fmt]
        try:
            if accept and not accept(prefix):
                continue
            fh.seek(0)
            img = factory(fh, "")
            if isinstance(img, ImageFile.ImageFile):
                return img
        except Exception:
            continue
    return None
