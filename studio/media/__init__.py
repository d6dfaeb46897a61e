"""Media: sniff, check against Pinterest's specs, fix, store, fetch, preview and sample images and videos.

Photos as phones make them: EXIF orientation (every rule uses the displayed size), HEIC/AVIF stills,
CMYK/16-bit/wide-gamut colour, MPO; pixel data proven to decode with bounded memory (`decode`, `pngscan`).

Owns the `media` files in the data dir (its rows live in the core `media` table, see studio.storage).
May import: studio core (config, models, errors, constraints, storage). Nothing else of studio.
"""

from studio.media.assets import (
    check_bytes,
    check_cover,
    check_path,
    check_pin,
    ingest_bytes,
    ingest_image,
    ingest_path,
    media_path,
    probe_image,
    sniff,
)
from studio.media.carousel import check_carousel
from studio.media.decode import reduced_image
from studio.media.fetch import default_client, fetch_url, is_url
from studio.media.fixes import FIX_LABELS, apply_fix, available_fixes, fix_to_pinterest, run_fix
from studio.media.image import dominant_colours
from studio.media.preview import card, feed_title, preview_image
from studio.media.report import Issue, MediaFacts, MediaReport
from studio.media.samples import add_samples, sample_topic
from studio.media.thumbnails import checklist, human_bytes, thumbnail
from studio.media.upload import stored_turned, upload_image
from studio.media.video import extract_frame

__all__ = [
    "FIX_LABELS",
    "Issue",
    "MediaFacts",
    "MediaReport",
    "add_samples",
    "apply_fix",
    "available_fixes",
    "card",
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
    "fix_to_pinterest",
    "human_bytes",
    "ingest_bytes",
    "ingest_image",
    "ingest_path",
    "is_url",
    "media_path",
    "preview_image",
    "probe_image",
    "reduced_image",
    "run_fix",
    "sample_topic",
    "sniff",
    "stored_turned",
    "thumbnail",
    "upload_image",
]
