"""Media: check images and videos against Pinterest's constraints, and store them by content hash.

`check_path` never raises for bad input: every problem is an `Issue` in the `MediaReport`,
with a stable `code`. `ingest_path` stores what can be published or fixed and refuses
(MediaError) what can't be read at all.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from studio import constraints
from studio.errors import MediaError
from studio.media.decode import describe
from studio.media.image import check_image, dominant_colours, image_extras, orientation  # noqa: F401
from studio.media.report import Issue, MediaFacts, MediaReport
from studio.media.video import check_video

if TYPE_CHECKING:  # sqlite-utils pulls in pandas (~80 MB), models pydantic models: `pinstudio check` needs neither
    from studio.models import MediaAsset
    from studio.storage import Store

__all__ = [
    "FATAL_CODES",
    "Issue",
    "MediaFacts",
    "MediaReport",
    "check_bytes",
    "check_cover",
    "check_path",
    "check_pin",
    "ingest_bytes",
    "ingest_image",
    "ingest_path",
    "media_path",
    "probe_image",
]

IMAGE_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "MPO": "image/jpeg",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
}
IMAGE_EXT = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "GIF": ".gif",
    "WEBP": ".webp",
    "MPO": ".jpg",
    "HEIF": ".heic",
    "AVIF": ".avif",
}
VIDEO_MIME = {"mp4": "video/mp4", "mov": "video/quicktime", "m4v": "video/x-m4v"}
# Problems no fix can repair: such files are refused at ingest instead of stored.
FATAL_CODES = frozenset({"not_found", "empty_file", "unreadable", "image_too_many_pixels", "download_failed"})
# ISO BMFF major brands (bytes 8–12 of an `ftyp` box) → the container Pinterest names.
_BRANDS = {
    "qt": "mov",
    "m4v": "m4v",
    "m4vp": "m4v",
    "m4vh": "m4v",
    "m4a": "m4a",
    "m4b": "m4a",
    "3gp4": "3gp",
    "3gp5": "3gp",
    "3gp6": "3gp",
    "3g2a": "3gp",
}
# ISO BMFF brands of still pictures (HEIF, ISO/IEC 23008-12; AVIF): photos, not videos.
_STILL_BRANDS = frozenset(
    {"heic", "heix", "heim", "heis", "hevc", "hevx", "heif", "mif1", "mif2", "msf1", "avif", "avis", "avio"}
)
_SNIFF = 64


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
        if brand in _STILL_BRANDS:
            box = head[16 : int.from_bytes(head[:4], "big")]
            compatible = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}
            return "image", "AVIF" if brand.startswith("avi") or {b"avif", b"avis"} & compatible else "HEIF"
        return "video", _BRANDS.get(brand, "mp4")
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "video", "mov"  # QuickTime files from before `ftyp` existed
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm" if b"webm" in head else "mkv"
    if head[:4] == b"RIFF" and head[8:11] == b"AVI":
        return "video", "avi"
    return "unknown", None


# --- public checks ---------------------------------------------------------------------
def check_path(
    path: Path | str, *, animated_flatten: bool = False, source: str | None = None, decode: bool = True
) -> MediaReport:
    """Check one local file against Pinterest's rules. Never raises for bad input.

    `decode=False`: an image is judged from its header alone (format, size, pixel count, colour mode), not
    proven to decode: what the HTTP API answers at once, before its background check decodes the pixels."""
    path = Path(path)
    report = MediaReport(source=source or str(path))
    try:
        if not path.is_file():
            return report.error("not_found", f"There is no file at {path}.", "Check the path and try again.")
        size = path.stat().st_size
        report.facts.bytes = size
        if size == 0:
            return report.error(
                "empty_file",
                "The file is empty (0 bytes).",
                "Choose the file again; the upload or download may have failed.",
            )
        with path.open("rb") as fh:
            kind, fmt = sniff(fh.read(_SNIFF))
            if kind == "image" or kind == "unknown":
                fh.seek(0)
                check_image(fh, report, animated_flatten, known=kind == "image", sniffed=fmt, decode=decode)
                if kind == "image" or report.kind == "image":
                    return report
        check_video(path, report, fmt)  # not an image Pillow knows: maybe a video
    except OSError as exc:  # unreadable disk file, permission denied...
        report.error(
            "unreadable",
            f"The file could not be read ({exc.strerror or exc}).",
            "Check the file is accessible and upload it again.",
        )
    except Exception as exc:  # the promise: never a traceback, whatever the file holds
        report.error(
            "unreadable",
            f"The file can't be read ({describe(exc)}).",
            "Export or download it again, then upload the new file.",
        )
    return report


def check_bytes(data: bytes, name: str = "upload", *, animated_flatten: bool = False) -> MediaReport:
    """Check media held in memory (an image, or a video written to a temp file first)."""
    kind, fmt = sniff(data[:_SNIFF])
    if data and kind != "video":
        report = MediaReport(source=name)
        report.facts.bytes = len(data)
        check_image(io.BytesIO(data), report, animated_flatten, known=kind == "image", sniffed=fmt)
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
        issues.append(
            Issue(
                code="mixed_media",
                message="A pin can't mix images and videos.",
                fix="Keep either the image or the video; make a second pin for the other.",
            )
        )
    if len(reports) > constraints.MEDIA_PER_PIN:
        issues.append(
            Issue(
                code="too_many_media",
                message=f"A pin takes one image or one video, not {len(reports)}.",
                fix="Keep one file on this pin and make a pin for each of the others.",
            )
        )
    return issues


def check_cover(video: MediaReport, *, offset_s: float | None = None, cover: MediaReport | None = None) -> list[Issue]:
    """A video's cover: an image that passes the image rules, or a time inside the video."""
    issues: list[Issue] = []
    if cover is not None:
        if cover.kind != "image":
            issues.append(
                Issue(
                    code="unsupported_format",
                    message="The cover must be an image.",
                    fix="Pick a frame of the video as the cover instead.",
                )
            )
        issues += cover.errors
    if offset_s is not None:
        duration = video.facts.duration_s or 0.0
        if not 0 <= offset_s < duration:
            issues.append(
                Issue(
                    code="thumb_offset_out_of_range",
                    message=f"The cover time {offset_s:g} s is outside the video (0–{duration:.1f} s).",
                    fix="Pick a time inside the video with the cover slider.",
                )
            )
    return issues


def probe_image(data: bytes) -> dict:
    """Facts about an image from its bytes; raises MediaError if it can't be used at all."""
    report = check_bytes(data, "image")
    if report.kind != "image":
        report.error("unreadable", "This file is not an image.", "Upload a JPEG, PNG, GIF or WEBP image.")
    _raise_fatal(report)
    facts = report.facts.model_dump()
    try:
        facts.update(image_extras(io.BytesIO(data), report.display_size() or (1, 1)))
    except MediaError:  # no colours for a picture that won't decode small: the facts above still stand
        pass
    return facts


# --- images ----------------------------------------------------------------------------

# --- videos ----------------------------------------------------------------------------


# --- storing ---------------------------------------------------------------------------
def _raise_fatal(report: MediaReport) -> None:
    for issue in report.errors:
        if issue.code in FATAL_CODES:
            raise MediaError(issue.message, fix=issue.fix, code=issue.code)


def file_sha256(path: Path) -> str:
    """The sha256 a stored media's bytes are known by (`Store.media_by_sha`), read in chunks."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


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
            facts.update(image_extras(path, report.display_size() or (1, 1)))
        except MediaError:  # a damaged frame: the facts above still stand
            pass
    elif report.facts.width and report.facts.height:
        facts["orientation"] = orientation(*(report.display_size() or (1, 1)))
    return facts


def ingest_path(
    store: Store,
    data_dir: Path,
    path: Path,
    original_name: str = "",
    *,
    move: bool = False,
    source_id: int | None = None,
    fix: str | None = None,
    extra_facts: dict | None = None,
    report: MediaReport | None = None,
    deferred: bool = False,
) -> tuple[MediaAsset, bool]:
    """Check and store a file by content hash (copying it, or moving it if `move`).

    Returns (asset, was_duplicate). Raises MediaError for files no fix can help (FATAL_CODES);
    files with fixable problems are stored so the user can press a fix. `report`: the file's check, when the
    caller already made it (a file is checked once). `deferred`: `report` judged the header only; the media
    is stored as still being checked, without its tile, until `finish_check` decodes it.
    """
    path = Path(path)
    report = report or check_path(path)
    try:
        _raise_fatal(report)
        if report.kind == "unknown":
            raise MediaError(
                "This file is not an image or a video.",
                fix="Upload a JPEG/PNG image or an MP4 video.",
                code="unreadable",
            )
    except MediaError:
        if move:  # the file was handed over (a download): a refused one must not pile up in data_dir
            path.unlink(missing_ok=True)
        raise
    sha = file_sha256(path)
    existing = store.media_by_sha(sha)
    if existing:
        if move:
            path.unlink(missing_ok=True)
        return existing, True
    rel = Path("media") / sha[:2] / f"{sha}{_extension(report)}"
    target = Path(data_dir) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    # a unique part name: two requests storing the same file at once (the HTTP API) never share one
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    if move:
        shutil.move(str(path), tmp)
    else:
        shutil.copyfile(path, tmp)
    tmp.chmod(0o600)  # the studio's user alone, like the database (an upload arrives as 0644)
    tmp.replace(target)  # atomic: a crash never leaves half a file under the real name
    facts = {**stored_facts(report, target), **(extra_facts or {})}
    try:
        asset = _add_media(store, sha, report, rel, original_name or path.name, source_id, fix, facts, deferred)
    except sqlite3.IntegrityError:  # the same content was stored meanwhile by another request
        existing = store.media_by_sha(sha)
        if existing is None:
            raise
        return existing, True
    if (
        asset.kind == "image" and not deferred
    ):  # the review grid's tile, made now: a first look at the grid never waits for it
        from studio.media.preview import card_image  # preview needs this module's names first

        card_image(data_dir, asset)
    return asset, False


def _add_media(
    store: Store,
    sha: str,
    report: MediaReport,
    rel: Path,
    original_name: str,
    source_id: int | None,
    fix: str | None,
    facts: dict,
    deferred: bool = False,
) -> MediaAsset:
    f = report.facts
    mime = IMAGE_MIME.get(f.format or "", "") if report.kind == "image" else VIDEO_MIME.get(f.container or "", "")
    return store.add_media(
        sha256=sha,
        kind=report.kind,
        path=str(rel),
        original_name=original_name,
        mime=mime,
        format=f.format or "",
        bytes=f.bytes,
        width=f.width,
        height=f.height,
        duration_s=f.duration_s,
        source_id=source_id,
        fix=fix,
        facts=facts,
        check_state="checking" if deferred else None,
    )


def finish_check(store: Store, data_dir: Path, asset: MediaAsset) -> MediaReport:
    """The rest of a deferred check (`ingest_path(deferred=True)`): decode the stored file, make its tile, and
    mark the media passed or failed. Returns the full report (its errors say why it failed)."""
    report = check_path(Path(data_dir) / asset.path)
    if report.ok:
        if asset.kind == "image":
            from studio.media.preview import card_image

            card_image(data_dir, asset)
        store.set_media_checked(asset.id, True)
    else:
        store.set_media_checked(asset.id, False)
    return report


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


def forget_unused(store: Store, data_dir: Path, asset: MediaAsset) -> bool:
    """Remove media that was stored but is used by nothing (its post was refused after the media passed):
    its row, its file and its review tile. True if it went; media a draft shows always stays."""
    if not store.forget_media(asset.id):
        return False
    (Path(data_dir) / asset.path).unlink(missing_ok=True)
    for tile in (Path(data_dir) / "cards").glob(f"{asset.sha256}-*.jpg"):
        tile.unlink(missing_ok=True)
    return True


def media_path(data_dir: Path, asset: MediaAsset) -> Path:
    return Path(data_dir) / asset.path
