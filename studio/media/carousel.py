"""The `carousel` rule set: 2–5 images of the same size, JPEG or PNG, each within the image size cap; and
the fix that brings photos of different sizes to one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from studio import constraints
from studio.errors import MediaError
from studio.media.assets import ingest_path, media_path
from studio.media.report import Issue, MediaReport
from studio.models import MediaAsset
from studio.storage import Store

CAROUSEL_MIN_ITEMS = 2  # SPEC PinMediaSourceImagesBase64/ImagesURL: items minItems 2 ...
CAROUSEL_MAX_ITEMS = 5  # ... maxItems 5.
CAROUSEL_FORMATS = constraints.IMAGE_UPLOAD_FORMATS  # SPEC ContentType for base64 items: image/jpeg, image/png.
CAROUSEL_RATIOS = ((1, 1), (2, 3))  # docs/pinterest.md §9 (vendor guidance): 1:1 or 2:3.


def check_carousel(reports: list[MediaReport]) -> list[Issue]:
    """Rules about the images of one carousel pin (each image's own checks come from check_path)."""
    issues: list[Issue] = []
    n = len(reports)
    if not CAROUSEL_MIN_ITEMS <= n <= CAROUSEL_MAX_ITEMS:
        issues.append(
            Issue(
                code="carousel_count",
                message=f"A carousel takes 2 to 5 images, not {n}.",
                fix="Add images to reach two, or keep five at most."
                if n < 2
                else "Remove images to keep five at most.",
            )
        )
    if any(r.kind != "image" for r in reports):
        issues.append(
            Issue(
                code="carousel_images_only",
                message="A carousel holds images only; a video can't be one of its slides.",
                fix="Remove the video from the carousel and publish it as its own pin.",
            )
        )
        return issues
    for i, r in enumerate(reports, 1):
        if r.facts.format not in CAROUSEL_FORMATS:
            issues.append(
                Issue(
                    code="carousel_format",
                    message=f"Image {i} is {r.facts.format or 'of an unknown format'}; slides must be JPEG or PNG.",
                    fix="Convert it to JPEG or PNG (the Fix button on Compose, or `pinstudio fix`).",
                )
            )
        if r.facts.bytes > constraints.IMAGE_MAX_BYTES:
            issues.append(
                Issue(
                    code="carousel_size",
                    message=f"Image {i} is {r.facts.bytes / constraints.MB:.1f} MB; each slide may be 20 MB at most.",
                    fix="Shrink it (the Fix button on Compose, or `pinstudio fix`).",
                )
            )
    sizes = {r.display_size() for r in reports}
    if len(sizes) > 1:
        listed = ", ".join(f"{w}×{h}" for w, h in sorted(s for s in sizes if s))
        issues.append(
            Issue(
                code="carousel_dimensions",
                message=f"Carousel images must all be the same size; these are {listed}.",
                fix="Crop or pad them to one size (1000×1500 or 1000×1000), e.g. make them as designs.",
            )
        )
    return issues


def carousel_ratio_warnings(reports: list[MediaReport]) -> list[Issue]:
    size = reports[0].display_size() if reports else None
    if not size:
        return []
    w, h = size
    if any(abs(w / h - a / b) < 0.01 for a, b in CAROUSEL_RATIOS):
        return []
    return [
        Issue(
            code="carousel_ratio",
            message=f"Carousel images are {w}×{h}; Pinterest shows carousels best at 1:1 or 2:3.",
            fix="Crop them to 1:1 or 2:3.",
        )
    ]


CAROUSEL_CANVAS = (1000, 1500)  # docs/pinterest.md §9: 2:3 at 1000×1500, the size designs are made at
SAME_SIZE_MODES = {"crop": "Crop every slide to 1000×1500", "pad": "Pad every slide to 1000×1500"}


def same_size(store: Store, data_dir: Path, assets: list[MediaAsset], mode: str = "crop") -> list[MediaAsset]:
    """Every slide at 1000×1500 (cropped around the centre, or padded with its dominant colour), each a new
    asset linked to its original (kept); a slide already that size is returned as it is."""
    from studio.media.fixes import crop_to_ratio, pad_to_ratio

    if mode not in SAME_SIZE_MODES:
        raise MediaError(f"There is no way to resize called '{mode}'.", fix="Use crop or pad.", code="unknown_fix")
    out = []
    work = Path(data_dir) / "media" / "incoming"
    work.mkdir(parents=True, exist_ok=True)
    for asset in assets:
        if (asset.width, asset.height) == CAROUSEL_CANVAS and asset.format in CAROUSEL_FORMATS:
            out.append(asset)
            continue
        src = media_path(data_dir, asset)
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            two_by_three = Path(tmp) / "ratio.png"
            (crop_to_ratio if mode == "crop" else pad_to_ratio)(src, two_by_three)
            with Image.open(two_by_three) as img:
                resized = img.convert("RGB").resize(CAROUSEL_CANVAS, Image.Resampling.LANCZOS)
            target = Path(tmp) / "slide.jpg"
            resized.save(target, "JPEG", quality=90, optimize=True)
            stem = Path(asset.original_name or src.name).stem
            fixed, _dup = ingest_path(
                store,
                data_dir,
                target,
                f"{stem}-{mode}-1000x1500.jpg",
                move=True,
                source_id=asset.id,
                fix=f"{mode}_2x3",
            )
        out.append(fixed)
    return out
