"""What the Compose page shows about media: stored thumbnails and the report as a checklist.

Thumbnails are made once and kept in data_dir/thumbs/ (content-hashed media never change),
so a Streamlit rerun costs a file lookup, not a decode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PIL import Image

from studio import constraints
from studio.media.assets import MediaReport, media_path
from studio.media.decode import reduced_image
from studio.media.video import extract_frame
from studio.models import MediaAsset

Status = Literal["ok", "warning", "error"]
THUMB_SIDE = 480  # px: sharp in a half-width column, a few dozen kB


def thumbnail(data_dir: Path, asset: MediaAsset, offset_s: float | None = None) -> Path:
    """A JPEG preview of an image, or of a video's frame at `offset_s` (default: 1 s in)."""
    thumbs = Path(data_dir) / "thumbs"
    thumbs.mkdir(parents=True, exist_ok=True)
    src = media_path(data_dir, asset)
    if asset.kind == "video":
        at = offset_s if offset_s is not None else min(1.0, (asset.duration_s or 0) / 2)
        target = thumbs / f"{asset.sha256}-{at:.1f}.jpg"
        if not target.exists():
            part = target.with_name(target.stem + ".part.jpg")
            extract_frame(src, part, at, max_side=THUMB_SIDE)
            part.replace(target)
        return target
    target = thumbs / f"{asset.sha256}.jpg"
    if not target.exists():
        # A reduced decode (JPEG at 1/8 scale; others strip by strip), upright, sRGB: a 9400×9400
        # PNG never becomes a 265 MB RGB copy. Raises MediaError(unreadable) if it won't decode.
        save_jpeg(reduced_image(src, THUMB_SIDE), target)
    return target


def save_jpeg(img: Image.Image, target: Path) -> None:
    """Write `img` as a JPEG (transparency on white) atomically: no half-written preview is ever read."""
    if img.mode == "RGBA":
        flat = Image.new("RGB", img.size, "white")
        flat.paste(img, mask=img.getchannel("A"))
        img = flat
    part = target.with_name(target.stem + ".part.jpg")
    img.convert("RGB").save(part, "JPEG", quality=85)
    part.replace(target)


def human_bytes(n: int) -> str:
    return f"{n / constraints.MB:.1f} MB" if n >= constraints.MB else f"{max(1, round(n / 1024))} KB"


def checklist(report: MediaReport) -> list[tuple[Status, str]]:
    """The report as lines a marketer reads: problems first (red, then amber), then what passed (green)."""
    lines: list[tuple[Status, str]] = [("error", i.message) for i in report.errors]
    lines += [("warning", i.message) for i in report.warnings]
    failed = report.codes()
    f = report.facts
    if report.kind == "image":
        passed = [
            ("unsupported_format", f"{f.format} is a format Pinterest accepts"),
            (
                "file_too_large",
                f"{human_bytes(f.bytes)}, under the {constraints.IMAGE_MAX_BYTES // constraints.MB} MB limit",
            ),
            (
                "image_too_small",
                f"{f.width}×{f.height} px, above the {constraints.IMAGE_MIN_SIDE}×{constraints.IMAGE_MIN_SIDE} minimum",
            ),
            ("low_resolution", f"{f.width} px wide: sharp in feeds"),
            ("aspect_ratio_not_recommended", "2:3 portrait, the shape Pinterest recommends"),
        ]
        if f.animated:
            passed.append(("animation_will_be_lost", f"animated ({f.frames} frames)"))
    elif report.kind == "video":
        passed = [
            ("unsupported_format", f"{(f.container or '').upper()} container"),
            ("file_too_large", f"{human_bytes(f.bytes)}, under the 2 GB limit"),
            ("video_too_short", f"{f.duration_s or 0:.1f} s long (4 s – 15 min)"),
            ("video_too_long", ""),
            ("unsupported_video_codec", "H.264 video"),
            ("video_codec_not_recommended", ""),
            ("audio_codec_not_recommended", "AAC sound" if f.audio_codec else "no sound track"),
            ("aspect_ratio_out_of_range", "shape between 1:2 and 1.91:1"),
        ]
        if {"video_too_short", "video_too_long"} & failed:
            passed = [p for p in passed if p[0] not in ("video_too_short", "video_too_long")]
        if {"unsupported_video_codec", "video_codec_not_recommended"} & failed:
            passed = [p for p in passed if p[0] not in ("unsupported_video_codec", "video_codec_not_recommended")]
    else:
        passed = []
    if "image_too_small" in failed:  # "sharp in feeds" would contradict "too small"
        passed = [p for p in passed if p[0] != "low_resolution"]
    lines += [("ok", text) for code, text in passed if text and code not in failed]
    return lines
