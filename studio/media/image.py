"""Image rules: Pillow reads the header (format, size, mode, frames, EXIF orientation, ICC profile), then
the pixel data is proven to decode with memory bounded by the pixel cap (see `verify_pixels`).
Every size and shape rule uses the size as displayed (EXIF orientation applied)."""

from __future__ import annotations

import struct
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from studio import constraints
from studio.media.colour import check_colour
from studio.media.decode import (
    captured_warnings,
    decode_slot,
    describe,
    displayed_size,
    exif_orientation,
    open_header_only,
    reduced_image,
    register_plugins,
)
from studio.media.pngscan import PngDamaged, PngScan, scan_png
from studio.media.report import MediaReport

_DAMAGED_FIX = "Export or download it again, then upload the new file."
# Formats Pinterest doesn't take but we accept and convert on publish, with a warning.
AUTO_CONVERTED = {"MPO": "a multi-picture JPEG (MPO, from a camera or phone)"}
PILLOW_NATIVE = {"JPEG", "PNG", "GIF", "WEBP"}  # formats the sniffer names that Pillow reads by itself
ISO_STILLS = {"HEIF": "HEIC/HEIF (iPhone and many Android phones)", "AVIF": "AVIF"}


def check_image(
    fh: BinaryIO,
    report: MediaReport,
    animated_flatten: bool,
    known: bool,
    sniffed: str | None = None,
    *,
    decode: bool = True,
) -> None:
    """Pinterest's image rules, into `report`; `known` says the sniffer already saw an image.

    Never raises: any decoder failure, however unusual, becomes `unreadable` with its message, and
    Pillow's warnings become report warnings instead of lines on stderr."""
    if sniffed not in PILLOW_NATIVE:  # pillow-heif costs ~50 ms to load: only for files that may need it
        register_plugins()
    with captured_warnings() as messages:
        try:
            _check_image(fh, report, animated_flatten, known, sniffed, decode)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            report.kind = "image"
            _refuse_bomb(fh, report)
        except Exception as exc:
            report.kind = "image"
            report.error("unreadable", f"The image can't be read ({describe(exc)}).", _DAMAGED_FIX)
    for text in messages:
        report.warn(
            "decoder_warning",
            f"The image decoder noticed something odd: {text[:200]}",
            "If the picture looks wrong, export it again from the original.",
        )


def _refuse_bomb(fh: BinaryIO, report: MediaReport) -> None:
    """Refuse a decompression bomb, still reporting the format and size it declares."""
    img = open_header_only(fh)
    if img is not None:
        report.facts.format, report.facts.mode = img.format, img.mode
        report.facts.width, report.facts.height = img.size
        report.facts.stored_width, report.facts.stored_height = img.size
    size = f" ({report.facts.width}×{report.facts.height})" if report.facts.width else ""
    report.error(
        "image_too_many_pixels",
        f"The image claims far more pixels than any pin needs{size}, a possible decompression bomb.",
        "Export it at a normal size, e.g. 1000×1500 px, and upload that.",
    )


def _check_image(
    fh: BinaryIO, report: MediaReport, animated_flatten: bool, known: bool, sniffed: str | None, decode: bool = True
) -> None:
    try:
        img = Image.open(fh)
    except UnidentifiedImageError:
        if sniffed in ISO_STILLS:  # HEIF without pillow-heif installed
            report.kind, report.facts.format = "image", sniffed
            report.error(
                "unsupported_format",
                f"{ISO_STILLS[sniffed]} photos are not accepted by Pinterest, and this one can't be read here.",
                "Export it as JPEG on your phone or computer (iPhone: Settings › Camera › Formats › Most Compatible).",
            )
        elif known:
            report.kind = "image"
            report.error("unreadable", "The image is damaged or cut short and can't be read.", _DAMAGED_FIX)
        return
    with img:
        report.kind = "image"
        f = report.facts
        fmt, stored, mode = img.format, img.size, img.mode
        frames = getattr(img, "n_frames", 1)
        f.format, f.mode, f.frames = fmt, mode, frames
        f.animated = frames > 1
        f.stored_width, f.stored_height = stored
        f.width, f.height = stored
        if stored[0] * stored[1] > constraints.IMAGE_MAX_PIXELS:
            report.error(
                "image_too_many_pixels",
                f"The image has {stored[0]}×{stored[1]} pixels, far more than a pin needs.",
                "Export it at a normal size, e.g. 1000×1500 px, and upload that.",
            )
            return
        try:
            scan = verify_pixels(fh, img) if decode else None
        except PngDamaged as exc:
            report.error("unreadable", f"The image is damaged: {exc}.", _DAMAGED_FIX)
            return
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            report.error(
                "image_too_many_pixels",
                "A frame of this animation claims far more pixels than any pin needs (a possible decompression bomb).",
                "Export the animation again at a normal size, or as an MP4 video.",
            )
            return
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            report.error("unreadable", f"The image is damaged or cut short ({describe(exc)}).", _DAMAGED_FIX)
            return
        orientation = exif_orientation(img, scan.exif if scan else None)
        f.exif_orientation = orientation if orientation != 1 else None
        width, height = displayed_size(stored, orientation)
        f.width, f.height = width, height
        check_colour(img, report, scan.bit_depth if scan else None)
    _rules(report, fmt, width, height, frames, animated_flatten)


def verify_pixels(fh: BinaryIO, img: Image.Image) -> PngScan | None:
    """Prove the pixel data decodes, with memory bounded by the pixel cap (checked before this).

    PNG: a streaming scan (no picture in memory); JPEG/MPO: a 1/8-scale decode (draft mode);
    GIF: every frame, each under the pixel cap; others: the first frame."""
    if img.format == "PNG":
        scan = scan_png(fh)
        for w, h in scan.frame_sizes:
            if w * h > constraints.IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError(f"an APNG frame is {w}×{h}")
        return scan
    with decode_slot(img.width * img.height):
        if img.format in ("JPEG", "MPO"):
            img.draft(img.mode, (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()
        elif img.format == "GIF":
            for index in range(getattr(img, "n_frames", 1)):
                img.seek(index)  # Pillow checks each frame's declared size here
                if img.width * img.height > constraints.IMAGE_MAX_PIXELS:
                    raise Image.DecompressionBombError(f"frame {index + 1} is {img.width}×{img.height}")
                img.load()
            img.seek(0)
        else:
            img.load()
    return None


def _rules(report: MediaReport, fmt: str | None, width: int, height: int, frames: int, animated_flatten: bool) -> None:
    """Pinterest's rules on the displayed picture."""
    f = report.facts
    if fmt in constraints.IMAGE_CONVERTED_ON_PUBLISH:
        report.warn(
            "converted_on_publish",
            f"This is {AUTO_CONVERTED.get(fmt, f'a {fmt} image')}; Pinterest gets its first picture as a JPEG.",
            "Nothing to do: the studio converts it when publishing.",
        )
    elif fmt in ISO_STILLS:
        report.error(
            "unsupported_format",
            f"{ISO_STILLS[fmt]} photos are not accepted by Pinterest.",
            "Convert to JPEG (one click).",
        )
    elif fmt not in constraints.IMAGE_FORMATS:
        report.error(
            "unsupported_format", f"{fmt} images are not accepted by Pinterest.", "Convert to JPEG (one click)."
        )
    if f.bytes > constraints.IMAGE_MAX_BYTES:
        report.error(
            "file_too_large",
            f"The image is {f.bytes / constraints.MB:.1f} MB; "
            f"Pinterest accepts up to {constraints.IMAGE_MAX_BYTES // constraints.MB} MB.",
            "Recompress to fit the size limit (one click).",
        )
    if min(width, height) < constraints.IMAGE_MIN_SIDE:
        report.error(
            "image_too_small",
            f"The image is {width}×{height} px; "
            f"Pinterest needs at least {constraints.IMAGE_MIN_SIDE}×{constraints.IMAGE_MIN_SIDE}.",
            "Use a larger original (1000×1500 px is ideal).",
        )
    elif width < constraints.IMAGE_LOW_RES_WIDTH:
        report.warn(
            "low_resolution",
            f"The image is only {width} px wide and will look soft on Pinterest.",
            f"Use an original at least {constraints.IMAGE_LOW_RES_WIDTH} px wide (1000×1500 is ideal).",
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


def _is_two_by_three(width: int, height: int) -> bool:
    ratio = width / height
    return (
        abs(ratio - constraints.IMAGE_RECOMMENDED_RATIO)
        <= constraints.IMAGE_RATIO_TOLERANCE * constraints.IMAGE_RECOMMENDED_RATIO
    )


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
    if max(img.size) > 256:
        img.draft("RGB", (128, 128))  # JPEG: decode at 1/8 scale, much faster
    thumb = img.convert("RGB")
    thumb.thumbnail((64, 64))
    quantised = thumb.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    ranked: list[tuple[int, int]] = sorted(quantised.getcolors() or [], reverse=True)  # type: ignore[arg-type]
    return ["#{:02x}{:02x}{:02x}".format(*palette[i * 3 : i * 3 + 3]) for _, i in ranked[:count]]


def image_extras(source, shown: tuple[int, int]) -> dict:
    """Facts used for drafting that need pixels: dominant colours (from a reduced decode, never the
    full-size picture) and the orientation of the displayed picture (`shown` = its width × height)."""
    return {"dominant_colours": dominant_colours(reduced_image(source, 128)), "orientation": orientation(*shown)}
