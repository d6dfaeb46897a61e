"""Media: sniff, check against Pinterest's specs, fix, store, fetch, preview and sample images and videos.

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
from studio.media.fetch import default_client, fetch_url, is_url
from studio.media.fixes import FIX_LABELS, apply_fix, available_fixes, fix_to_pinterest, run_fix
from studio.media.image import dominant_colours
from studio.media.preview import card, card_image, feed_title, preview_image
from studio.media.report import Issue, MediaFacts, MediaReport
from studio.media.samples import add_samples, sample_topic
from studio.media.thumbnails import checklist, human_bytes, thumbnail
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
    "card_image",
    "check_bytes",
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
    "run_fix",
    "sample_topic",
    "sniff",
    "thumbnail",
]
