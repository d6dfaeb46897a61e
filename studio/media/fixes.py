"""Fixes: each turns a media file into a new one that passes more checks. The original is kept.

File-level functions (`convert_image`, `fit_size`, `pad_to_ratio`, ...) write `dst` from `src`.
`apply_fix` runs one on a stored asset and stores the result linked to its source;
`fix_to_pinterest` applies every fix a report calls for (the CLI's `fix --to-pinterest`).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps

from studio import constraints
from studio.errors import MediaError, StudioError
from studio.media import video
from studio.media.assets import MediaReport, check_path, dominant_colours, ingest_path, media_path
from studio.media.colour import to_srgb
from studio.media.decode import captured_warnings, decode_slot, describe, register_plugins
from studio.models import MediaAsset
from studio.storage import Store

# Action ids (stable: the UI's buttons and `MediaAsset.fix` use them) and what each button says.
FIX_LABELS = {
    "convert_jpeg": "Convert to JPEG",
    "convert_png": "Convert to PNG",
    "convert_srgb": "Convert to 8-bit sRGB",
    "fit_size": "Recompress to fit 20 MB",
    "pad_2x3": "Pad to 2:3",
    "crop_2x3": "Crop to 2:3",
    "transcode": "Convert to H.264/AAC MP4",
    "trim": "Trim to 15 min",
    "cover_frame": "Use this frame as cover",
}
# Which fixes answer which issue codes, best first.
FIXES_FOR_CODE = {
    "unsupported_format": ("convert_jpeg", "convert_png", "transcode"),
    "file_too_large": ("fit_size", "transcode"),
    "aspect_ratio_not_recommended": ("pad_2x3", "crop_2x3"),
    "animation_will_be_lost": ("convert_jpeg",),
    "unsupported_video_codec": ("transcode",),
    "video_codec_not_recommended": ("transcode",),
    "audio_codec_not_recommended": ("transcode",),
    "aspect_ratio_out_of_range": ("transcode",),
    "video_too_long": ("trim",),
    "color_mode_not_rgb": ("convert_srgb",),
    "high_bit_depth": ("convert_srgb",),
    "wide_gamut_profile": ("convert_srgb",),
}
IMAGE_FIXES = {"convert_jpeg", "convert_png", "convert_srgb", "fit_size", "pad_2x3", "crop_2x3"}
VIDEO_FIXES = {"transcode", "trim", "cover_frame"}


def available_fixes(report: MediaReport) -> list[str]:
    """The fix actions that apply to this report, in a sensible order, without repeats; none when the file
    has an error that no fix resolves."""
    allowed = IMAGE_FIXES if report.kind == "image" else VIDEO_FIXES if report.kind == "video" else set()
    if any(not set(FIXES_FOR_CODE.get(e.code, ())) & allowed for e in report.errors):
        return []  # an error no fix resolves (e.g. too small): padding or cropping it would not make it publishable
    actions: list[str] = []
    for issue in [*report.errors, *report.warnings]:
        for action in FIXES_FOR_CODE.get(issue.code, ()):
            if action in allowed and action not in actions:
                actions.append(action)
    return actions


# --- images ----------------------------------------------------------------------------
def _open_srgb(src: Path) -> Image.Image:
    """The first picture as the viewer saw it: EXIF orientation applied (and so dropped), converted
    through its ICC profile to 8-bit sRGB; RGBA when it has transparency."""
    register_plugins()
    with captured_warnings(), Image.open(src) as img:  # Pillow's warnings never reach the terminal
        img.seek(0)
        with decode_slot(img.width * img.height):
            img.load()
            return to_srgb(ImageOps.exif_transpose(img))


def _open_rgb(src: Path) -> Image.Image:
    img = _open_srgb(src)
    if img.mode == "RGBA":
        flat = Image.new("RGB", img.size, "white")  # JPEG has no transparency: white behind it
        flat.paste(img, mask=img.getchannel("A"))
        return flat
    return img


def convert_image(src: Path, dst: Path, fmt: str = "JPEG", quality: int = 92) -> Path:
    """Convert to JPEG or PNG (first frame of an animation), upright and in 8-bit sRGB."""
    fmt = fmt.upper()
    if fmt == "PNG":
        _open_srgb(src).save(dst, "PNG", optimize=True)
    else:
        _open_rgb(src).save(dst, "JPEG", quality=quality, optimize=True, progressive=True)
    return dst


def fit_size(src: Path, dst: Path, max_bytes: int = constraints.IMAGE_MAX_BYTES) -> Path:
    """The best-quality JPEG under `max_bytes`: highest quality first, then smaller sides."""
    img = _open_rgb(src)
    for scale in (1.0, 0.85, 0.7, 0.5, 0.35, 0.25):
        frame = (
            img
            if scale == 1.0
            else img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))), Image.Resampling.LANCZOS)
        )
        for quality in (95, 90, 85, 80, 72, 65):
            buf = io.BytesIO()
            frame.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
            if buf.tell() <= max_bytes:
                Path(dst).write_bytes(buf.getvalue())
                return dst
    raise MediaError(
        "The image can't be made small enough without ruining it.",
        fix="Export a smaller version from the original.",
        code="fix_failed",
    )


def pad_to_ratio(src: Path, dst: Path, colour: str | None = None) -> Path:
    """Add bars to reach 2:3, in `colour` or the picture's dominant colour."""
    img = _open_rgb(src)
    w, h = img.size
    if w * 3 > h * 2:
        tw, th = w, round(w * 3 / 2)
    else:
        tw, th = round(h * 2 / 3), h
    fill = colour or dominant_colours(img.copy(), 1)[0]
    canvas = Image.new("RGB", (tw, th), fill)
    canvas.paste(img, ((tw - w) // 2, (th - h) // 2))
    _save_like(canvas, src, dst)
    return dst


def crop_to_ratio(src: Path, dst: Path, focus: tuple[float, float] = (0.5, 0.5)) -> Path:
    """Cut to 2:3 around `focus` (fractions of width and height; the centre by default)."""
    img = _open_rgb(src)
    w, h = img.size
    if w * 3 > h * 2:
        tw, th = round(h * 2 / 3), h
    else:
        tw, th = w, round(w * 3 / 2)
    left = min(max(0, round(focus[0] * w - tw / 2)), w - tw)
    top = min(max(0, round(focus[1] * h - th / 2)), h - th)
    _save_like(img.crop((left, top, left + tw, top + th)), src, dst)
    return dst


def _save_like(img: Image.Image, src: Path, dst: Path) -> None:
    """Keep PNG as PNG (lossless stays lossless); everything else becomes JPEG."""
    with Image.open(src) as original:
        fmt = "PNG" if original.format == "PNG" else "JPEG"
    img.save(dst, fmt, **({"quality": 92, "optimize": True} if fmt == "JPEG" else {"optimize": True}))


# --- the fix runner --------------------------------------------------------------------
def run_fix(action: str, src: Path, dst_dir: Path, report: MediaReport | None = None, **options) -> Path:
    """Apply one action to `src`, writing a new file in `dst_dir`; returns its path.

    Raises MediaError only: a decoder failing in any way answers `unreadable` with its message."""
    try:
        return _run_fix(action, src, dst_dir, report, **options)
    except StudioError:
        raise
    except Exception as exc:
        raise MediaError(
            f"The file can't be converted ({describe(exc)}).",
            fix="Export or download it again, then upload the new file.",
            code="unreadable",
        ) from None


def _run_fix(
    action: str,
    src: Path,
    dst_dir: Path,
    report: MediaReport | None = None,
    *,
    colour: str | None = None,
    focus: tuple[float, float] = (0.5, 0.5),
    offset_s: float = 0.0,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    report = report or check_path(src)
    f = report.facts
    base = f"{Path(src).stem}.{action}"

    def out(ext: str) -> Path:  # never the source's own name: the original is always kept
        return Path(dst_dir) / f"{base}{ext}"

    if action == "convert_jpeg":
        return convert_image(src, out(".jpg"), "JPEG")
    if action == "convert_png":
        return convert_image(src, out(".png"), "PNG")
    if action == "convert_srgb":  # PNG stays PNG (lossless, transparency); the rest become JPEG
        return convert_image(src, out(".png"), "PNG") if f.format == "PNG" else convert_image(src, out(".jpg"))
    if action == "fit_size":
        return fit_size(src, out(".jpg"))
    if action in ("pad_2x3", "crop_2x3"):
        ext = ".png" if f.format == "PNG" else ".jpg"
        if action == "pad_2x3":
            return pad_to_ratio(src, out(ext), colour)
        return crop_to_ratio(src, out(ext), focus)
    if action == "transcode":
        size = report.display_size() or (None, None)
        return video.transcode(
            src,
            out(".mp4"),
            duration_s=f.duration_s,
            max_seconds=constraints.VIDEO_MAX_SECONDS if (f.duration_s or 0) > constraints.VIDEO_MAX_SECONDS else None,
            width=size[0],
            height=size[1],
            on_progress=on_progress,
            cancel=cancel,
        )
    if action == "trim":
        return video.trim(src, out(".mp4"), constraints.VIDEO_MAX_SECONDS, on_progress=on_progress, cancel=cancel)
    if action == "cover_frame":
        duration = f.duration_s or 0.0
        if not 0 <= offset_s < max(duration, 0.001):
            raise MediaError(
                f"{offset_s:g} s is outside the video (0–{duration:.1f} s).",
                fix="Pick a time inside the video.",
                code="thumb_offset_out_of_range",
            )
        return video.extract_frame(src, out(f"-{offset_s:.2f}.jpg"), offset_s)
    raise MediaError(
        f"There is no fix called '{action}'.", fix=f"Use one of: {', '.join(FIX_LABELS)}.", code="unknown_fix"
    )


def apply_fix(store: Store, data_dir: Path, asset: MediaAsset, action: str, **options) -> MediaAsset:
    """Run one fix on a stored asset and store the result as a new asset linked to it."""
    src = media_path(data_dir, asset)
    work = Path(data_dir) / "media" / "incoming"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        out = run_fix(action, src, Path(tmp), **options)
        name = f"{Path(asset.original_name or src.name).stem}-{action}{out.suffix}"
        kept = {k: v for k, v in options.items() if k in ("colour", "focus", "offset_s")}
        fixed, _dup = ingest_path(
            store,
            data_dir,
            out,
            name,
            move=True,
            source_id=asset.id,
            fix=action,
            extra_facts={"fix_options": kept} if kept else None,
        )
    return fixed


def fix_to_pinterest(
    src: Path, out: Path | None = None, *, on_progress: Callable[[float], None] | None = None
) -> tuple[Path, list[str], MediaReport]:
    """Apply every available fix in turn until none applies. Returns (file, actions, final report)."""
    src = Path(src)
    report = check_path(src)
    applied: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        current = src
        for _round in range(6):  # each action removes its issue; a few rounds always suffice
            actions = [a for a in available_fixes(report) if a not in applied and a != "cover_frame"]
            if not actions:
                break
            action = _first_choice(actions)
            current = run_fix(action, current, Path(tmp), report, on_progress=on_progress)
            applied.append(action)
            report = check_path(current)
        ext = current.suffix
        target = Path(out) if out else src.with_name(f"{src.stem}.pinterest{ext}")
        if target.suffix.lower() != ext.lower() and current != src:
            target = target.with_suffix(ext)
        if target.resolve() == src.resolve():  # never overwrite the original
            target = src.with_name(f"{src.stem}.pinterest{ext}")
        if current != src:
            shutil.copyfile(current, target)
            report = check_path(target)
    return (target if applied else src), applied, report


def _first_choice(actions: list[str]) -> str:
    """One fix per round: conversions first (they change the format the others work on)."""
    # transcode also trims, so with both only transcode runs; trim alone is a fast stream copy.
    order = ["transcode", "trim", "convert_jpeg", "convert_srgb", "fit_size", "pad_2x3"]
    return next((action for action in order if action in actions), actions[0])
