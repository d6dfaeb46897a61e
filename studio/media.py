"""Media: store uploads by content hash and read their basic facts.

The full constraint checks and fixes build on `ingest` and `probe_image`.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio import constraints as C
from studio.errors import MediaError
from studio.models import MediaAsset, MediaKind
from studio.storage import Store

IMAGE_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXT = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


def probe_image(data: bytes) -> dict:
    """Facts about an image from its bytes; raises MediaError if it isn't a usable image."""
    if not data:
        raise MediaError(
            "The file is empty (0 bytes).", fix="Choose the image file again; the upload may have failed.",
            code="empty_file",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt, size, mode = img.format, img.size, img.mode
                frames = getattr(img, "n_frames", 1)
                if size[0] * size[1] > C.IMAGE_MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                img.load()  # catches truncated files; the pixel count is bounded above
                colours = dominant_colours(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(
            "The image claims more pixels than any pin needs (a possible decompression bomb).",
            fix="Export it at a normal size, e.g. 1000×1500 px.", code="image_too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise MediaError(
            "This file is not an image we can read (it may be another kind of file renamed).",
            fix="Upload a JPEG, PNG, GIF or WEBP image.", code="unreadable",
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(
            "The image is damaged or cut short and can't be read.",
            fix="Export or download it again, then upload the new file.", code="unreadable",
        ) from exc
    if fmt not in C.IMAGE_FORMATS:
        raise MediaError(
            f"{fmt} images are not accepted by Pinterest.",
            fix="Convert it to JPEG or PNG.", code="unsupported_format",
        )
    width, height = size
    return {
        "format": fmt, "mime": IMAGE_MIME[fmt], "width": width, "height": height, "mode": mode,
        "frames": frames, "bytes": len(data), "dominant_colours": colours,
        "orientation": orientation(width, height),
    }


def orientation(width: int, height: int) -> str:
    ratio = width / height
    if abs(ratio - C.IMAGE_RECOMMENDED_RATIO) <= C.IMAGE_RATIO_TOLERANCE * C.IMAGE_RECOMMENDED_RATIO:
        return "portrait 2:3"
    if ratio < 0.95:
        return "portrait"
    if ratio > 1.05:
        return "landscape"
    return "square"


def dominant_colours(img: Image.Image, count: int = 3) -> list[str]:
    """The most common colours of a small thumbnail, as #rrggbb."""
    thumb = img.convert("RGB")
    thumb.thumbnail((64, 64))
    quantised = thumb.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    ranked = sorted(quantised.getcolors() or [], reverse=True)
    return ["#{:02x}{:02x}{:02x}".format(*palette[i * 3 : i * 3 + 3]) for _, i in ranked[:count]]


def ingest_image(store: Store, data_dir: Path, data: bytes, original_name: str = "") -> tuple[MediaAsset, bool]:
    """Check and store an uploaded image by content hash. Returns (asset, was_duplicate)."""
    facts = probe_image(data)  # refuses bad input before anything is written
    sha = hashlib.sha256(data).hexdigest()
    existing = store.media_by_sha(sha)
    if existing:
        return existing, True
    rel = Path("media") / sha[:2] / f"{sha}{IMAGE_EXT[facts['format']]}"
    target = Path(data_dir) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(target)  # atomic: a crash never leaves half a file under the real name
    asset = store.add_media(
        sha256=sha, kind=MediaKind.IMAGE.value, path=str(rel), original_name=original_name,
        mime=facts["mime"], format=facts["format"], bytes=len(data), width=facts["width"],
        height=facts["height"], facts=facts,
    )
    return asset, False


def media_path(data_dir: Path, asset: MediaAsset) -> Path:
    return Path(data_dir) / asset.path
