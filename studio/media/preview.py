"""A faithful pin preview: what Pinterest's feed shows of a pin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from studio import constraints
from studio.errors import StudioError
from studio.media.decode import reduced_image
from studio.media.thumbnails import save_jpeg
from studio.models import MediaAsset

# The feed shows pins at 2:3 at most; taller images are cut at the bottom (SPECS: "taller than 2:3
# may be cut off"). Wider ones show whole.
FEED_MAX_HEIGHT_RATIO = 1.5


def feed_title(title: str) -> str:
    """The title as the feed shows it: about the first 40 characters, cut at a word, with an ellipsis."""
    title = title.strip()
    if len(title) <= constraints.TITLE_FEED_VISIBLE:
        return title
    cut = (
        title[: constraints.TITLE_FEED_VISIBLE].rsplit(" ", 1)[0]
        if " " in title[: constraints.TITLE_FEED_VISIBLE]
        else title[:40]
    )
    return cut.rstrip(" ,;:-") + "…"


def feed_crop(width: int, height: int) -> tuple[int, int, int, int]:
    """The (left, top, right, bottom) box of the image the feed shows."""
    if not width or not height:
        return (0, 0, width, height)
    max_h = round(width * FEED_MAX_HEIGHT_RATIO)
    return (0, 0, width, min(height, max_h))


def domain(link: str) -> str:
    return (urlparse(link).hostname or "").removeprefix("www.") if link else ""


def card(title: str, link: str, width: int | None, height: int | None) -> dict:
    """Everything the preview card needs to render."""
    w, h = width or 0, height or 0
    box = feed_crop(w, h)
    return {
        "title": feed_title(title),
        "title_cut": len(title.strip()) > constraints.TITLE_FEED_VISIBLE,
        "domain": domain(link),
        "crop_box": box,
        "cropped": bool(h and box[3] < h),
        "aspect": f"{w}:{box[3]}" if w else "",
    }


FEED_WIDTH = 236  # Pinterest's feed column width in px


def preview_image(data_dir: Path, asset: MediaAsset) -> Path | None:
    """A feed-sized, feed-cropped JPEG of an image asset (upright, sRGB), made once and kept in the data dir.

    Decoded reduced (see `studio.media.decode.reduced_image`): a huge picture costs a few MB here."""
    if asset.kind != "image":
        return None
    target = Path(data_dir) / "previews" / f"{asset.sha256}.jpg"
    if target.exists():
        return target
    w, h = asset.width or 1, asset.height or 1  # as displayed
    # Big enough that the feed crop is still 2× the column wide, whatever the shape.
    side = min(4 * FEED_WIDTH * 3, max(FEED_WIDTH * 3, round(FEED_WIDTH * 2 * max(w, h) / w)))
    try:
        img = reduced_image(Path(data_dir) / asset.path, side)
        img = img.crop(feed_crop(*img.size))
        img.thumbnail((FEED_WIDTH * 2, FEED_WIDTH * 3))
        target.parent.mkdir(parents=True, exist_ok=True)
        save_jpeg(img, target)
    except (OSError, StudioError):
        return None
    return target


CARD_SIZE = (FEED_WIDTH, FEED_WIDTH * 3 // 2)  # a 2:3 grid tile, 236 × 354 px


def card_image(data_dir: Path, asset: MediaAsset, frame: Path | None = None) -> Path | None:
    """A 2:3 tile for the review grid, made once per media and kept in data_dir/cards/.

    Taller images are cut as the feed cuts them; wider ones are shown whole on a neutral band, so
    every tile lines up. A video uses `frame` (its cover or a thumbnail). The file name carries the
    content hash, so a rerun costs a stat. Images get theirs at ingest."""
    from PIL import Image

    source = frame if frame is not None else (Path(data_dir) / asset.path if asset.kind == "image" else None)
    if source is None:
        return None
    target = Path(data_dir) / "cards" / f"{asset.sha256}-{Path(source).stem[-12:]}.jpg"
    if target.exists():
        return target
    try:
        # Decoded reduced, upright and in sRGB, as the open pin's preview is: a phone photo isn't shown on its
        # side, and a huge PNG costs a few MB here, not a full-size copy (tiles of images are made at ingest).
        with reduced_image(source, 2 * max(CARD_SIZE)) as img:
            small = img.convert("RGB").crop(feed_crop(*img.size))
        small.thumbnail(CARD_SIZE)
        tile = Image.new("RGB", CARD_SIZE, (239, 239, 239))
        tile.paste(small, ((CARD_SIZE[0] - small.width) // 2, (CARD_SIZE[1] - small.height) // 2))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tile.save(tmp, "JPEG", quality=82)
        tmp.replace(target)
    except (OSError, StudioError):
        return None
    return target
