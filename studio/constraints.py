"""Pinterest's constraints: the one source of truth, each value with its source.

Sources (docs/pinterest.md, in our own words, and the OpenAPI description of v5):
- SPEC: Pinterest API v5 OpenAPI description 5.23.0 (PinCreate schema).
- SPECS: Pinterest Help Center "Pinterest product specs".
"""

from __future__ import annotations

MB = 1024 * 1024

# --- Pin text -------------------------------------------------------------------------
TITLE_MAX = 100  # SPEC PinCreate.title maxLength 100; SPECS agrees.
DESCRIPTION_MAX = 500  # SPECS/UI show 500; the API (SPEC) accepts 800. We keep 500.
DESCRIPTION_API_MAX = 800  # SPEC PinCreate.description maxLength.
ALT_TEXT_MAX = 500  # SPEC PinCreate.alt_text maxLength 500.
LINK_MAX = 2048  # SPEC PinCreate.link maxLength 2048.
LINK_SCHEMES = ("http", "https")  # Pinterest only follows web links.
TITLE_FEED_VISIBLE = 40  # SPECS: about the first 40 title characters show in feeds.

# --- Images ---------------------------------------------------------------------------
# Detected from content, never from the extension. The API's base64 path takes only
# JPEG/PNG (SPEC ContentType); GIF/WEBP are converted before upload.
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
IMAGE_UPLOAD_FORMATS = ("JPEG", "PNG")
IMAGE_MAX_BYTES = 20 * MB  # SPECS "Desktop 20 MB"; one vendor (getlate) advertises 32 MB.
IMAGE_MIN_SIDE = 100  # vendor docs.getlate.dev: 100×100 minimum.
IMAGE_LOW_RES_WIDTH = 600  # vendors (moda.app, ayrshare): narrower than 600 px looks soft.
IMAGE_RECOMMENDED_RATIO = 2 / 3  # SPECS: 2:3, 1000×1500 recommended.
IMAGE_RECOMMENDED_SIZE = (1000, 1500)
IMAGE_RATIO_TOLERANCE = 0.05  # how far from 2:3 (relative) still counts as 2:3.
# Pillow refuses anything above 2× this as a decompression bomb; we refuse above it, for every
# frame of an animation too.
IMAGE_MAX_PIXELS = 89_478_485  # Pillow's default MAX_IMAGE_PIXELS (≈ 0.25 GB at RGBA).
# Accepted and converted to JPEG when publishing (with a warning): an MPO's first picture is a JPEG.
IMAGE_CONVERTED_ON_PUBLISH = ("MPO",)
# Pinterest shows 8-bit sRGB (SPECS: RGB JPEG/PNG); other colour modes, depths and gamuts get a warning.
IMAGE_BITS_PER_CHANNEL = 8

# --- Videos ---------------------------------------------------------------------------
VIDEO_CONTAINERS = ("mp4", "mov", "m4v")  # SPECS: .mp4, .mov, .m4v
VIDEO_CODECS = ("h264",)  # SPECS: H.264 ...
VIDEO_CODECS_WARN = ("hevc",)  # ... or H.265 (older spec page: H.264 only) → warn.
AUDIO_CODECS = ("aac",)
VIDEO_MAX_BYTES = 2 * 1024 * MB  # SPECS: up to 2 GB (ayrshare says 1 GB).
VIDEO_MIN_SECONDS = 4.0  # SPECS: 4 s – 15 min.
VIDEO_MAX_SECONDS = 15 * 60.0
VIDEO_MIN_RATIO = 1 / 2  # SPECS: aspect between 1:2 (w:h) ...
VIDEO_MAX_RATIO = 1.91  # ... and 1.91:1.

# --- Pins -----------------------------------------------------------------------------
MEDIA_PER_PIN = 1  # one image or one video per pin (carousels are out of scope).

# --- Video cover ----------------------------------------------------------------------
# SPEC PinCreate media_source (video_id): `cover_image_url`/`cover_image_content` follow the
# image rules, or `cover_image_key_frame_time` (ms) must lie inside the video.
VIDEO_COVER_IMAGE_FORMATS = IMAGE_UPLOAD_FORMATS

# --- Studio limits (ours, not Pinterest's) --------------------------------------------
# A download may not exceed the largest file Pinterest accepts (a 2 GB video).
FETCH_MAX_BYTES = VIDEO_MAX_BYTES
FETCH_TIMEOUT_S = 30.0  # connect/read timeout of one HTTP exchange.
FETCH_DEADLINE_S = 600.0  # a whole download; stops a server that drips bytes forever.
FETCH_MAX_REDIRECTS = 5  # browsers allow 20; media links rarely need more than 2.
FETCH_CHUNK = 64 * 1024  # bytes per read; the cap is honoured within one chunk.
# Decodes of pictures above this many pixels take one of IMAGE_DECODE_SLOTS (per process): Streamlit runs
# every tab in its own thread, and a full decode of a cap-sized picture is up to 358 MB (RGBA).
IMAGE_LARGE_DECODE_PIXELS = 16_000_000
IMAGE_DECODE_SLOTS = 2
FFMPEG_PROBE_TIMEOUT_S = 30.0  # `ffmpeg -i` reads headers only: seconds even on slow disks.
