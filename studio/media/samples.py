"""Sample images generated locally, so a new user can try the whole flow in a minute."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from studio.media.assets import ingest_image
from studio.models import MediaAsset
from studio.storage import Store

SAMPLES = [
    ("autumn-soup.jpg", (1000, 1500), ("#c8581e", "#f2c14e"), "Cosy autumn soup"),
    ("desk-setup.jpg", (1000, 1500), ("#2b3a55", "#e8d5b5"), "Minimal desk setup"),
    ("garden-path.png", (1200, 1200), ("#3e7c3a", "#d9ead3"), "Spring garden path"),
]


def sample_image_bytes(size: tuple[int, int], colours: tuple[str, str], fmt: str) -> bytes:
    """A simple two-tone picture with a few shapes (no text, so no fonts needed)."""
    img = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.ellipse((w * 0.15, h * 0.2, w * 0.85, h * 0.2 + w * 0.7), fill=colours[1])
    draw.rectangle((0, h * 0.8, w, h), fill=colours[1])
    buf = io.BytesIO()
    img.save(buf, fmt, quality=88)
    return buf.getvalue()


def add_samples(store: Store, data_dir: Path) -> list[MediaAsset]:
    """Store the sample images (idempotent: content-hashed)."""
    assets = []
    for name, size, colours, _topic in SAMPLES:
        fmt = "PNG" if name.endswith(".png") else "JPEG"
        asset, _dup = ingest_image(store, data_dir, sample_image_bytes(size, colours, fmt), name)
        assets.append(asset)
    return assets


def sample_topic(original_name: str) -> str:
    return next((topic for name, *_rest, topic in SAMPLES if name == original_name), "")
