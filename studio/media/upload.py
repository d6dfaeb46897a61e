"""The image bytes Pinterest's base64 upload receives: displayed exactly as the user saw the picture.

Pinterest's base64 path takes JPEG and PNG only (SPEC ContentType). A JPEG/PNG stored upright is sent
as it is (no quality lost). Anything else is re-encoded from its first picture: GIF/WEBP/MPO, and
photos stored turned with an EXIF Orientation — viewers that ignore the tag would show those sideways,
so the pixels are turned instead (and the tag, now wrong, is not copied).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from studio import constraints
from studio.errors import MediaError
from studio.media.colour import to_srgb
from studio.media.decode import (
    apply_orientation,
    captured_warnings,
    decode_slot,
    describe,
    exif_orientation,
    register_plugins,
)
from studio.media.pngscan import scan_png


def stored_turned(path: Path | str) -> bool:
    """Whether the file's picture is stored turned (an EXIF Orientation other than 1)."""
    register_plugins()
    try:
        with captured_warnings(), Image.open(path) as img:
            exif = None
            if img.format == "PNG":
                with Path(path).open("rb") as fh:
                    exif = scan_png(fh).exif
            return exif_orientation(img, exif) != 1
    except Exception:  # unreadable here: the upload path reports it
        return False


def upload_image(path: Path | str) -> tuple[str, bytes]:
    """(format, bytes) ready for Pinterest: the first picture, upright, JPEG (PNG when transparent)."""
    register_plugins()
    try:
        with captured_warnings(), Image.open(path) as img:
            if img.width * img.height > constraints.IMAGE_MAX_PIXELS:
                raise ValueError("too many pixels")
            exif = None
            if img.format == "PNG":
                with Path(path).open("rb") as fh:
                    exif = scan_png(fh).exif
            orientation = exif_orientation(img, exif)
            img.seek(0)
            with decode_slot(img.width * img.height):
                frame = to_srgb(img)
            frame = apply_orientation(frame, orientation)
            buf = io.BytesIO()
            if frame.mode == "RGBA":
                frame.save(buf, "PNG", optimize=True)
                return "PNG", buf.getvalue()
            frame.save(buf, "JPEG", quality=92, optimize=True)
            return "JPEG", buf.getvalue()
    except Exception as exc:
        raise MediaError(
            f"The image can't be prepared for upload ({describe(exc)}).",
            fix="Convert it to JPEG with the one-click fix, then publish again.",
            code="unsupported_format",
        ) from None
