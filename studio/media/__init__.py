"""Media: sniff, check against Pinterest's specs, fix, store, fetch, preview and sample images and videos.

Photos as phones make them: EXIF orientation (every rule uses the displayed size), HEIC/AVIF stills,
CMYK/16-bit/wide-gamut colour, MPO; pixel data proven to decode with bounded memory (`decode`, `pngscan`).

Owns the `media` files in the data dir (its rows live in the core `media` table, see studio.storage).
May import: studio core (config, models, errors, constraints, storage). Nothing else of studio.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# The face is lazy (PEP 562): `pinstudio check` needs Pillow, not moviepy, httpx or the fixes, so each
# name imports its module on first use. Add a public name here and to __all__.
_WHERE = {
    "CAROUSEL_MAX_ITEMS": "studio.media.carousel",
    "CAROUSEL_MIN_ITEMS": "studio.media.carousel",
    "SAME_SIZE_MODES": "studio.media.carousel",
    "FIX_LABELS": "studio.media.fixes",
    "Issue": "studio.media.report",
    "MediaFacts": "studio.media.report",
    "MediaReport": "studio.media.report",
    "add_samples": "studio.media.samples",
    "apply_fix": "studio.media.fixes",
    "available_fixes": "studio.media.fixes",
    "card": "studio.media.preview",
    "card_image": "studio.media.preview",
    "check_bytes": "studio.media.assets",
    "check_cover": "studio.media.assets",
    "check_path": "studio.media.assets",
    "check_pin": "studio.media.assets",
    "carousel_ratio_warnings": "studio.media.carousel",
    "check_carousel": "studio.media.carousel",
    "checklist": "studio.media.thumbnails",
    "default_client": "studio.media.fetch",
    "dominant_colours": "studio.media.image",
    "extract_frame": "studio.media.video",
    "feed_title": "studio.media.preview",
    "fetch_url": "studio.media.fetch",
    "file_sha256": "studio.media.assets",
    "fix_to_pinterest": "studio.media.fixes",
    "forget_unused": "studio.media.assets",
    "human_bytes": "studio.media.thumbnails",
    "ingest_bytes": "studio.media.assets",
    "ingest_image": "studio.media.assets",
    "ingest_path": "studio.media.assets",
    "finish_check": "studio.media.assets",
    "is_url": "studio.media.fetch",
    "media_path": "studio.media.assets",
    "orientation": "studio.media.image",
    "preview_image": "studio.media.preview",
    "probe_image": "studio.media.assets",
    "reduced_image": "studio.media.decode",
    "run_fix": "studio.media.fixes",
    "same_size": "studio.media.carousel",
    "sample_topic": "studio.media.samples",
    "sniff": "studio.media.assets",
    "stored_turned": "studio.media.upload",
    "thumbnail": "studio.media.thumbnails",
    "upload_image": "studio.media.upload",
}

if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from studio.media.assets import (
        check_bytes,
        check_cover,
        check_path,
        check_pin,
        finish_check,
        forget_unused,
        ingest_bytes,
        ingest_image,
        ingest_path,
        media_path,
        probe_image,
        sniff,
    )
    from studio.media.carousel import (
        CAROUSEL_MAX_ITEMS,
        CAROUSEL_MIN_ITEMS,
        SAME_SIZE_MODES,
        carousel_ratio_warnings,
        check_carousel,
        same_size,
    )
    from studio.media.decode import reduced_image
    from studio.media.fetch import default_client, fetch_url, is_url
    from studio.media.fixes import FIX_LABELS, apply_fix, available_fixes, fix_to_pinterest, run_fix
    from studio.media.image import dominant_colours, orientation
    from studio.media.preview import card, card_image, feed_title, preview_image
    from studio.media.report import Issue, MediaFacts, MediaReport
    from studio.media.samples import add_samples, sample_topic
    from studio.media.thumbnails import checklist, human_bytes, thumbnail
    from studio.media.upload import stored_turned, upload_image
    from studio.media.video import extract_frame


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "CAROUSEL_MAX_ITEMS",
    "CAROUSEL_MIN_ITEMS",
    "FIX_LABELS",
    "SAME_SIZE_MODES",
    "Issue",
    "MediaFacts",
    "MediaReport",
    "add_samples",
    "apply_fix",
    "available_fixes",
    "card",
    "card_image",
    "carousel_ratio_warnings",
    "check_bytes",
    "check_carousel",
    "check_cover",
    "check_path",
    "check_pin",
    "checklist",
    "default_client",
    "dominant_colours",
    "extract_frame",
    "feed_title",
    "fetch_url",
    "file_sha256",
    "finish_check",
    "fix_to_pinterest",
    "forget_unused",
    "human_bytes",
    "ingest_bytes",
    "ingest_image",
    "ingest_path",
    "is_url",
    "media_path",
    "orientation",
    "preview_image",
    "probe_image",
    "reduced_image",
    "run_fix",
    "same_size",
    "sample_topic",
    "sniff",
    "stored_turned",
    "thumbnail",
    "upload_image",
]
