"""Image rules: Pillow reads the header only (format, size, mode, frames); pixels are decoded
only for drafting extras and when a file's end marker is missing."""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from studio import constraints as C
from studio.media.report import MediaReport


def check_image(fh: BinaryIO, report: MediaReport, animated_flatten: bool, known: bool) -> None:
    """Pinterest's image rules, into `report`; `known` says the sniffer already saw an image."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both,
            # from the header alone, before a single pixel is decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fh) as img:
                fmt, (width, height), mode = img.format, img.size, img.mode
                frames = getattr(img, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        report.kind = "image"
        report.error(
            "image_too_many_pixels",
            "The image claims far more pixels than any pin needs (a possible decompression bomb).",
            "Export it at a normal size, e.g. 1000×1500 px, and upload that.",
        )
        return
    except UnidentifiedImageError:
        if known:
            report.kind = "image"
            report.error(
                "unreadable",
                "The image is damaged or cut short and can't be read.",
                "Export or download it again, then upload the new file.",
            )
        return
    except (OSError, SyntaxError, ValueError, EOFError):
        report.kind = "image"
        report.error(
            "unreadable",
            "The image is damaged or cut short and can't be read.",
            "Export or download it again, then upload the new file.",
        )
        return
    report.kind = "image"
    f = report.facts
    f.format, f.width, f.height, f.mode, f.frames = fmt, width, height, mode, frames
    f.animated = frames > 1
    if fmt in C.IMAGE_FORMATS and not _complete(fh, fmt) and not _decodes(fh):
        report.error(
            "unreadable",
            "The image file is cut short (its end is missing).",
            "Export or download it again, then upload the new file.",
        )
        return
    if fmt not in C.IMAGE_FORMATS:
        report.error(
            "unsupported_format", f"{fmt} images are not accepted by Pinterest.", "Convert to JPEG (one click)."
        )
    if f.bytes > C.IMAGE_MAX_BYTES:
        report.error(
            "file_too_large",
            f"The image is {f.bytes / C.MB:.1f} MB; Pinterest accepts up to {C.IMAGE_MAX_BYTES // C.MB} MB.",
            "Recompress to fit the size limit (one click).",
        )
    if width * height > C.IMAGE_MAX_PIXELS:
        report.error(
            "image_too_many_pixels",
            f"The image has {width}×{height} pixels, far more than a pin needs.",
            "Export it at a normal size, e.g. 1000×1500 px, and upload that.",
        )
    if min(width, height) < C.IMAGE_MIN_SIDE:
        report.error(
            "image_too_small",
            f"The image is {width}×{height} px; Pinterest needs at least {C.IMAGE_MIN_SIDE}×{C.IMAGE_MIN_SIDE}.",
            "Use a larger original (1000×1500 px is ideal).",
        )
    elif width < C.IMAGE_LOW_RES_WIDTH:
        report.warn(
            "low_resolution",
            f"The image is only {width} px wide and will look soft on Pinterest.",
            f"Use an original at least {C.IMAGE_LOW_RES_WIDTH} px wide (1000×1500 is ideal).",
        )
    if not _is_two_by_three(width, height):
        report.warn(
            "aspect_ratio_not_recommended",
            f"The image is {width}×{height} ({_ratio_text(width, height)}); Pinterest recommends 2:3 "
            "portrait (1000×1500), other shapes get cropped or show smaller in feeds.",
            "Pad or crop to 2:3 (one click).",
        )
    if f.animated and animated_flatten:
        report.warn(
            "animation_will_be_lost",
            f"This animated {fmt} has {frames} frames; publishing it this way keeps only the first.",
            "Convert to a video (MP4) to keep the motion, or accept a still image.",
        )


def _complete(fh: BinaryIO, fmt: str) -> bool:
    """Whether the file has its format's end marker: catches truncation without decoding pixels."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 64))
    tail = fh.read()
    if fmt == "PNG":
        return b"IEND" in tail
    if fmt == "JPEG":
        return b"\xff\xd9" in tail  # EOI; some cameras append a few bytes after it
    if fmt == "GIF":
        return tail.rstrip(b"\x00").endswith(b";")
    if fmt == "WEBP":
        fh.seek(4)
        declared = int.from_bytes(fh.read(4), "little")
        return declared + 8 <= size
    return True


def _decodes(fh: BinaryIO) -> bool:
    """Full decode, only when the end marker is missing: files with data appended after the
    image (motion photos, some editors) are fine; cut-short ones fail. Pixels are bounded above."""
    fh.seek(0)
    try:
        with Image.open(fh) as img:
            img.load()
        return True
    except (OSError, SyntaxError, ValueError, EOFError):
        return False


def _is_two_by_three(width: int, height: int) -> bool:
    ratio = width / height
    return abs(ratio - C.IMAGE_RECOMMENDED_RATIO) <= C.IMAGE_RATIO_TOLERANCE * C.IMAGE_RECOMMENDED_RATIO


def _ratio_text(width: int, height: int) -> str:
    ratio = width / height
    return "square" if 0.95 <= ratio <= 1.05 else ("landscape" if ratio > 1 else "portrait") + f" {ratio:.2f}:1"


def orientation(width: int, height: int) -> str:
    if _is_two_by_three(width, height):
        return "portrait 2:3"
    ratio = width / height
    return "portrait" if ratio < 0.95 else "landscape" if ratio > 1.05 else "square"


def dominant_colours(img: Image.Image, count: int = 3) -> list[str]:
    """The most common colours of a small thumbnail, as #rrggbb."""
    img.draft("RGB", (128, 128))  # JPEG: decode at 1/8 scale, much faster
    thumb = img.convert("RGB")
    thumb.thumbnail((64, 64))
    quantised = thumb.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    ranked: list[tuple[int, int]] = sorted(quantised.getcolors() or [], reverse=True)  # type: ignore[arg-type]
    return ["#{:02x}{:02x}{:02x}".format(*palette[i * 3 : i * 3 + 3]) for _, i in ranked[:count]]


def image_extras(img: Image.Image) -> dict:
    """Facts used for drafting that need pixels: dominant colours and orientation."""
    with img:
        return {"dominant_colours": dominant_colours(img), "orientation": orientation(*img.size)}
