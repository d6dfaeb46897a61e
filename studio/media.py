"""Media: check images and videos against Pinterest's constraints, and store them by content hash.

`check_path` never raises for bad input: every problem is an `Issue` in the `MediaReport`,
with a stable `code`. `ingest_path` stores what can be published or fixed and refuses
(MediaError) what can't be read at all.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, Field

from studio import constraints as C
from studio.errors import MediaError
from studio.fetch import fetch_url, is_url  # noqa: F401  (part of the public surface)
from studio.models import MediaAsset
from studio.video import probe_video

if TYPE_CHECKING:  # sqlite-utils pulls in pandas (~80 MB): `pinstudio check` never needs it
    from studio.storage import Store

__all__ = [
    "Issue", "MediaFacts", "MediaReport", "check_path", "check_bytes", "check_pin", "check_cover",
    "fetch_url", "ingest_path", "ingest_bytes", "ingest_image", "media_path", "probe_image", "FATAL_CODES",
]

IMAGE_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXT = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
VIDEO_MIME = {"mp4": "video/mp4", "mov": "video/quicktime", "m4v": "video/x-m4v"}
# Problems no fix can repair: such files are refused at ingest instead of stored.
FATAL_CODES = frozenset({"not_found", "empty_file", "unreadable", "image_too_many_pixels", "download_failed"})
# ISO BMFF major brands (bytes 8–12 of an `ftyp` box) → the container Pinterest names.
_BRANDS = {"qt": "mov", "m4v": "m4v", "m4vp": "m4v", "m4vh": "m4v", "m4a": "m4a", "m4b": "m4a",
           "3gp4": "3gp", "3gp5": "3gp", "3gp6": "3gp", "3g2a": "3gp"}
_SNIFF = 64
# ffmpeg demuxers that really are video containers (for content the sniffer doesn't know).
_VIDEO_DEMUXERS = frozenset({"mov", "matroska", "avi", "mpegts", "flv", "mpeg", "asf", "ogg", "mxf", "h264", "hevc"})


class Issue(BaseModel):
    """One problem: a stable code, what is wrong in plain words, and the fix the studio offers."""

    code: str
    message: str
    fix: str = ""


class MediaFacts(BaseModel):
    bytes: int = 0
    format: str | None = None  # JPEG/PNG/GIF/WEBP for images; the container for videos
    container: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    fps: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    frames: int | None = None
    rotation: int | None = None
    mode: str | None = None
    animated: bool = False


class MediaReport(BaseModel):
    source: str
    kind: Literal["image", "video", "unknown"] = "unknown"
    ok: bool = True
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    facts: MediaFacts = Field(default_factory=MediaFacts)

    def error(self, code: str, message: str, fix: str = "") -> "MediaReport":
        self.errors.append(Issue(code=code, message=message, fix=fix))
        self.ok = False
        return self

    def warn(self, code: str, message: str, fix: str = "") -> "MediaReport":
        self.warnings.append(Issue(code=code, message=message, fix=fix))
        return self

    def codes(self) -> set[str]:
        return {i.code for i in [*self.errors, *self.warnings]}

    def display_size(self) -> tuple[int, int] | None:
        """Width × height as shown (a 90°/270° rotation swaps them)."""
        w, h = self.facts.width, self.facts.height
        if not w or not h:
            return None
        return (h, w) if (self.facts.rotation or 0) % 180 == 90 else (w, h)


# --- sniffing --------------------------------------------------------------------------
def sniff(head: bytes) -> tuple[str, str | None]:
    """(kind, format) from the first bytes: never from a file name."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image", "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12].decode("latin-1").strip().lower()
        return "video", _BRANDS.get(brand, "mp4")
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "video", "mov"  # QuickTime files from before `ftyp` existed
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm" if b"webm" in head else "mkv"
    if head[:4] == b"RIFF" and head[8:11] == b"AVI":
        return "video", "avi"
    return "unknown", None


# --- public checks ---------------------------------------------------------------------
def check_path(path: Path | str, *, animated_flatten: bool = False, source: str | None = None) -> MediaReport:
    """Check one local file against Pinterest's rules. Never raises for bad input."""
    path = Path(path)
    report = MediaReport(source=source or str(path))
    try:
        if not path.is_file():
            return report.error("not_found", f"There is no file at {path}.", "Check the path and try again.")
        size = path.stat().st_size
        report.facts.bytes = size
        if size == 0:
            return report.error("empty_file", "The file is empty (0 bytes).",
                                "Choose the file again; the upload or download may have failed.")
        with path.open("rb") as fh:
            kind, fmt = sniff(fh.read(_SNIFF))
            if kind == "image" or kind == "unknown":
                fh.seek(0)
                _check_image(fh, report, animated_flatten, known=kind == "image")
                if kind == "image" or report.kind == "image":
                    return report
        _check_video(path, report, fmt)  # not an image Pillow knows: maybe a video
    except OSError as exc:  # unreadable disk file, permission denied...
        report.error("unreadable", f"The file could not be read ({exc.strerror or exc}).",
                     "Check the file is accessible and upload it again.")
    return report


def check_bytes(data: bytes, name: str = "upload", *, animated_flatten: bool = False) -> MediaReport:
    """Check media held in memory (an image, or a video written to a temp file first)."""
    kind, _fmt = sniff(data[:_SNIFF])
    if data and kind != "video":
        report = MediaReport(source=name)
        report.facts.bytes = len(data)
        _check_image(io.BytesIO(data), report, animated_flatten, known=kind == "image")
        if report.kind == "image" or kind == "image":
            return report
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "media"
        path.write_bytes(data)
        return check_path(path, animated_flatten=animated_flatten, source=name)


def check_pin(reports: list[MediaReport]) -> list[Issue]:
    """Rules about the set of media on one pin: one item, never images and videos mixed."""
    issues: list[Issue] = []
    kinds = {r.kind for r in reports if r.kind != "unknown"}
    if len(kinds) > 1:
        issues.append(Issue(code="mixed_media", message="A pin can't mix images and videos.",
                            fix="Keep either the image or the video; make a second pin for the other."))
    if len(reports) > C.MEDIA_PER_PIN:
        issues.append(Issue(code="too_many_media",
                            message=f"A pin takes one image or one video, not {len(reports)}.",
                            fix="Keep one file on this pin and make a pin for each of the others."))
    return issues


def check_cover(video: MediaReport, *, offset_s: float | None = None,
                cover: MediaReport | None = None) -> list[Issue]:
    """A video's cover: an image that passes the image rules, or a time inside the video."""
    issues: list[Issue] = []
    if cover is not None:
        if cover.kind != "image":
            issues.append(Issue(code="unsupported_format", message="The cover must be an image.",
                                fix="Pick a frame of the video as the cover instead."))
        issues += cover.errors
    if offset_s is not None:
        duration = video.facts.duration_s or 0.0
        if not 0 <= offset_s < duration:
            issues.append(Issue(
                code="thumb_offset_out_of_range",
                message=f"The cover time {offset_s:g} s is outside the video (0–{duration:.1f} s).",
                fix="Pick a time inside the video with the cover slider."))
    return issues


def probe_image(data: bytes) -> dict:
    """Facts about an image from its bytes; raises MediaError if it can't be used at all."""
    report = check_bytes(data, "image")
    if report.kind != "image":
        report.error("unreadable", "This file is not an image.", "Upload a JPEG, PNG, GIF or WEBP image.")
    _raise_fatal(report)
    facts = report.facts.model_dump()
    facts.update(image_extras(Image.open(io.BytesIO(data))))
    return facts


# --- images ----------------------------------------------------------------------------
def _check_image(fh: BinaryIO, report: MediaReport, animated_flatten: bool, known: bool) -> None:
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
        report.error("image_too_many_pixels",
                     "The image claims far more pixels than any pin needs (a possible decompression bomb).",
                     "Export it at a normal size, e.g. 1000×1500 px, and upload that.")
        return
    except UnidentifiedImageError:
        if known:
            report.kind = "image"
            report.error("unreadable", "The image is damaged or cut short and can't be read.",
                         "Export or download it again, then upload the new file.")
        return
    except (OSError, SyntaxError, ValueError, EOFError):
        report.kind = "image"
        report.error("unreadable", "The image is damaged or cut short and can't be read.",
                     "Export or download it again, then upload the new file.")
        return
    report.kind = "image"
    f = report.facts
    f.format, f.width, f.height, f.mode, f.frames = fmt, width, height, mode, frames
    f.animated = frames > 1
    if fmt in C.IMAGE_FORMATS and not _complete(fh, fmt) and not _decodes(fh):
        report.error("unreadable", "The image file is cut short (its end is missing).",
                     "Export or download it again, then upload the new file.")
        return
    if fmt not in C.IMAGE_FORMATS:
        report.error("unsupported_format", f"{fmt} images are not accepted by Pinterest.",
                     "Convert to JPEG (one click).")
    if f.bytes > C.IMAGE_MAX_BYTES:
        report.error("file_too_large",
                     f"The image is {f.bytes / C.MB:.1f} MB; Pinterest accepts up to {C.IMAGE_MAX_BYTES // C.MB} MB.",
                     "Recompress to fit the size limit (one click).")
    if width * height > C.IMAGE_MAX_PIXELS:
        report.error("image_too_many_pixels", f"The image has {width}×{height} pixels, far more than a pin needs.",
                     "Export it at a normal size, e.g. 1000×1500 px, and upload that.")
    if min(width, height) < C.IMAGE_MIN_SIDE:
        report.error("image_too_small",
                     f"The image is {width}×{height} px; Pinterest needs at least {C.IMAGE_MIN_SIDE}×{C.IMAGE_MIN_SIDE}.",
                     "Use a larger original (1000×1500 px is ideal).")
    elif width < C.IMAGE_LOW_RES_WIDTH:
        report.warn("low_resolution", f"The image is only {width} px wide and will look soft on Pinterest.",
                    f"Use an original at least {C.IMAGE_LOW_RES_WIDTH} px wide (1000×1500 is ideal).")
    if not _is_two_by_three(width, height):
        report.warn("aspect_ratio_not_recommended",
                    f"The image is {width}×{height} ({_ratio_text(width, height)}); Pinterest recommends 2:3 "
                    "portrait (1000×1500), other shapes get cropped or show smaller in feeds.",
                    "Pad or crop to 2:3 (one click).")
    if f.animated and animated_flatten:
        report.warn("animation_will_be_lost",
                    f"This animated {fmt} has {frames} frames; publishing it this way keeps only the first.",
                    "Convert to a video (MP4) to keep the motion, or accept a still image.")


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
    ranked = sorted(quantised.getcolors() or [], reverse=True)
    return ["#{:02x}{:02x}{:02x}".format(*palette[i * 3: i * 3 + 3]) for _, i in ranked[:count]]


def image_extras(img: Image.Image) -> dict:
    """Facts used for drafting that need pixels: dominant colours and orientation."""
    with img:
        return {"dominant_colours": dominant_colours(img), "orientation": orientation(*img.size)}


# --- videos ----------------------------------------------------------------------------
def _check_video(path: Path, report: MediaReport, sniffed: str | None) -> None:
    f = report.facts
    try:
        info = probe_video(path)
    except MediaError as exc:
        report.kind = "video" if sniffed else "unknown"
        if sniffed:
            report.error("unreadable", exc.message, exc.fix)
        else:
            report.error("unreadable", "This file is not an image or a video we can read "
                         "(it may be another kind of file renamed).",
                         "Upload a JPEG, PNG, GIF or WEBP image, or an MP4 or MOV video.")
        return
    demuxer = info["ffmpeg_format"].split(",")[0]
    if not sniffed and demuxer not in _VIDEO_DEMUXERS:
        # ffmpeg guesses from the extension (a text file named .jpg "is" image2/mjpeg): not a video
        report.error("unreadable", "This file is not an image or a video we can read "
                     "(it may be another kind of file renamed).",
                     "Upload a JPEG, PNG, GIF or WEBP image, or an MP4 or MOV video.")
        return
    report.kind = "video"
    container = sniffed or _container_from_ffmpeg(info["ffmpeg_format"])
    f.container = f.format = container
    f.width, f.height, f.fps = info["width"], info["height"], info["fps"]
    f.duration_s = info["duration_s"]
    f.video_codec, f.audio_codec = info["video_codec"], info["audio_codec"]
    f.rotation, f.frames = info["rotation"], info["frames"]
    if container not in C.VIDEO_CONTAINERS:
        report.error("unsupported_format", f"{container.upper()} videos are not accepted by Pinterest.",
                     "Convert to MP4 (H.264/AAC) (one click).")
    if f.bytes > C.VIDEO_MAX_BYTES:
        report.error("file_too_large",
                     f"The video is {f.bytes / C.MB / 1024:.2f} GB; Pinterest accepts up to 2 GB.",
                     "Convert to MP4 (H.264), which usually makes it much smaller, or trim it.")
    if f.duration_s is not None:
        if f.duration_s < C.VIDEO_MIN_SECONDS:
            report.error("video_too_short",
                         f"The video lasts {f.duration_s:.1f} s; Pinterest needs at least {C.VIDEO_MIN_SECONDS:.0f} s.",
                         "Use a longer clip (4 seconds or more).")
        elif f.duration_s > C.VIDEO_MAX_SECONDS:
            report.error("video_too_long",
                         f"The video lasts {f.duration_s / 60:.1f} min; Pinterest accepts up to 15 min.",
                         "Trim to 15 minutes (one click).")
    codec = f.video_codec or "unknown"
    if codec in C.VIDEO_CODECS_WARN:
        report.warn("video_codec_not_recommended",
                    "The video is H.265 (HEVC): Pinterest accepts it but some devices play it badly.",
                    "Convert to H.264/AAC MP4 (one click).")
    elif codec not in C.VIDEO_CODECS:
        report.error("unsupported_video_codec", f"The video is encoded as {codec.upper()}; Pinterest needs H.264.",
                     "Convert to H.264/AAC MP4 (one click).")
    if f.audio_codec and f.audio_codec not in C.AUDIO_CODECS:
        report.warn("audio_codec_not_recommended",
                    f"The sound is {f.audio_codec.upper()}; Pinterest expects AAC and may drop the sound.",
                    "Convert to H.264/AAC MP4 (one click).")
    size = report.display_size()
    if size:
        ratio = size[0] / size[1]
        if not C.VIDEO_MIN_RATIO <= ratio <= C.VIDEO_MAX_RATIO:
            report.error("aspect_ratio_out_of_range",
                         f"The video is {size[0]}×{size[1]} ({ratio:.2f}:1); Pinterest accepts shapes "
                         "from 1:2 (tall) to 1.91:1 (wide).",
                         "Convert to MP4 with bars added to fit (one click).")


def _container_from_ffmpeg(formats: str) -> str:
    if formats.startswith("mov"):
        return "mp4"
    return formats.split(",")[-1] if "webm" in formats else formats.split(",")[0]


# --- storing ---------------------------------------------------------------------------
def _raise_fatal(report: MediaReport) -> None:
    for issue in report.errors:
        if issue.code in FATAL_CODES:
            raise MediaError(issue.message, fix=issue.fix, code=issue.code)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _extension(report: MediaReport) -> str:
    if report.kind == "image":
        return IMAGE_EXT.get(report.facts.format or "", "." + (report.facts.format or "img").lower())
    return "." + (report.facts.container or "bin")


def stored_facts(report: MediaReport, path: Path) -> dict:
    """What the media row keeps: the report's facts, its issue codes and drafting extras."""
    facts = report.facts.model_dump()
    facts["errors"] = [i.code for i in report.errors]
    facts["warnings"] = [i.code for i in report.warnings]
    if report.kind == "image":
        try:
            facts.update(image_extras(Image.open(path)))
        except (OSError, ValueError):  # a damaged frame: the facts above still stand
            pass
    elif report.facts.width and report.facts.height:
        facts["orientation"] = orientation(*(report.display_size() or (1, 1)))
    return facts


def ingest_path(store: Store, data_dir: Path, path: Path, original_name: str = "", *,
                move: bool = False, source_id: int | None = None, fix: str | None = None,
                extra_facts: dict | None = None) -> tuple[MediaAsset, bool]:
    """Check and store a file by content hash (copying it, or moving it if `move`).

    Returns (asset, was_duplicate). Raises MediaError for files no fix can help (FATAL_CODES);
    files with fixable problems are stored so the user can press a fix.
    """
    path = Path(path)
    report = check_path(path)
    _raise_fatal(report)
    if report.kind == "unknown":
        raise MediaError("This file is not an image or a video.", fix="Upload a JPEG/PNG image or an MP4 video.",
                         code="unreadable")
    sha = _sha256(path)
    existing = store.media_by_sha(sha)
    if existing:
        if move:
            path.unlink(missing_ok=True)
        return existing, True
    rel = Path("media") / sha[:2] / f"{sha}{_extension(report)}"
    target = Path(data_dir) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if move:
        shutil.move(str(path), tmp)
    else:
        shutil.copyfile(path, tmp)
    tmp.replace(target)  # atomic: a crash never leaves half a file under the real name
    facts = {**stored_facts(report, target), **(extra_facts or {})}
    f = report.facts
    mime = IMAGE_MIME.get(f.format or "", "") if report.kind == "image" else VIDEO_MIME.get(f.container or "", "")
    asset = store.add_media(
        sha256=sha, kind=report.kind, path=str(rel), original_name=original_name or path.name,
        mime=mime, format=f.format or "", bytes=f.bytes, width=f.width, height=f.height,
        duration_s=f.duration_s, source_id=source_id, fix=fix, facts=facts,
    )
    return asset, False


def ingest_bytes(store: Store, data_dir: Path, data: bytes, original_name: str = "") -> tuple[MediaAsset, bool]:
    """Store uploaded bytes (image or video); see `ingest_path`."""
    incoming = Path(data_dir) / "media" / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=incoming, delete=False) as tmp:
        tmp.write(data)
    try:
        return ingest_path(store, data_dir, Path(tmp.name), original_name, move=True)
    finally:
        Path(tmp.name).unlink(missing_ok=True)


# The historical name: it has always taken bytes; it now accepts videos too.
ingest_image = ingest_bytes


def media_path(data_dir: Path, asset: MediaAsset) -> Path:
    return Path(data_dir) / asset.path
