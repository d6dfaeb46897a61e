"""Render a pin design (1000×1500) from a template, photos, text and a brand kit, deterministically."""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFilter, ImageOps, UnidentifiedImageError
from pydantic import BaseModel, Field

from studio.design import contrast, fonts
from studio.design.layout import Face, Typesetter
from studio.design.templates import CANVAS, SAFE_MARGINS, Template
from studio.errors import ValidationError

JPEG_OPTIONS = {"quality": 90, "subsampling": 0, "optimize": False, "progressive": False}  # 4:4:4 keeps text crisp
MAX_SCRIM_STEPS = 8


class BrandKit(BaseModel):
    """Colours, faces, logo and default template used by every design."""

    primary: str = "#1F3A5F"
    secondary: str = "#3F6E8C"
    background: str = "#F6F1EA"
    accent: str = "#E60023"
    text: str = ""  # empty: white or near-black, whichever reads better on the pixels behind
    heading_font: str = "noto-sans:800"
    body_font: str = "noto-sans:500"
    logo_path: str = ""
    default_template: str = "band-bottom"

    def colour(self, role: str) -> tuple[int, int, int]:
        return contrast.hex_rgb(getattr(self, role) if role != "text" else (self.text or "#111111"))


class DesignInputs(BaseModel):
    """Everything a design depends on; the same inputs give byte-identical output."""

    media: list[str] = Field(min_length=1)
    title: str
    subtitle: str = ""
    cta: str = ""
    template: str
    brand: BrandKit = Field(default_factory=BrandKit)


@dataclass
class Design:
    template: str
    data: bytes
    width: int
    height: int
    contrast: float | None
    text_fits: bool
    boxes: list[dict] = field(default_factory=list)
    fonts: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def summary(self, path: str = "") -> dict:
        return {
            "path": path,
            "template": self.template,
            "width": self.width,
            "height": self.height,
            "contrast": self.contrast,
            "text_fits": self.text_fits,
        }


def px_box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    W, H = CANVAS
    return round(box[0] * W), round(box[1] * H), round(box[2] * W), round(box[3] * H)


def safe_box(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A text box clipped to the safe area (user templates too)."""
    W, H = CANVAS
    x0 = max(box[0], SAFE_MARGINS["left"])
    y0 = max(box[1], SAFE_MARGINS["top"])
    x1 = min(box[0] + box[2], W - SAFE_MARGINS["right"])
    y1 = min(box[1] + box[3], H - SAFE_MARGINS["bottom"])
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def open_photo(path: str | Path, size: tuple[int, int], centering=(0.5, 0.5)) -> Image.Image:
    """The photo cropped to fill `size`, decoded at the smallest scale that still covers it:
    a JPEG's decoder scales by 1/2, 1/4 or 1/8 (`draft`), others are reduced before resampling."""
    try:
        with Image.open(path) as img:
            w, h = img.size
            scale = max(size[0] / w, size[1] / h)
            if img.format == "JPEG":
                img.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))
            img.seek(0)
            img.load()
            frame = img if img.mode == "RGB" else img.convert("RGB")
            ImageOps.exif_transpose(frame, in_place=True)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            f"The image {Path(path).name} can't be read for a design ({type(exc).__name__}).",
            fix="Use a JPEG or PNG photo that passes `pinstudio check`.",
            code="unreadable",
        ) from None
    w, h = frame.size
    target = size[0] / size[1]
    cw, ch = (w, w / target) if w / h < target else (h * target, h)  # the largest crop of the target's shape
    left, top = (w - cw) * centering[0], (h - ch) * centering[1]
    return frame.resize(size, Image.Resampling.BICUBIC, box=(left, top, left + cw, top + ch), reducing_gap=2.0)


def _face(spec: str) -> Face:
    parsed = fonts.FaceSpec.parse(spec)
    fonts.face_path(parsed.name)  # raises a clear error for a missing face
    return Face(parsed.name, parsed.weight)


def _collage_cells(count: int, area: tuple[int, int, int, int], gap: int) -> list[tuple[int, int, int, int]]:
    x, y, w, h = area
    half_w, half_h = (w - gap) // 2, (h - gap) // 2
    if count <= 2:
        return [(x, y, w, half_h), (x, y + half_h + gap, w, h - half_h - gap)]
    if count == 3:
        return [
            (x, y, w, half_h),
            (x, y + half_h + gap, half_w, h - half_h - gap),
            (x + half_w + gap, y + half_h + gap, w - half_w - gap, h - half_h - gap),
        ]
    return [
        (x, y, half_w, half_h),
        (x + half_w + gap, y, w - half_w - gap, half_h),
        (x, y + half_h + gap, half_w, h - half_h - gap),
        (x + half_w + gap, y + half_h + gap, w - half_w - gap, h - half_h - gap),
    ]


def _background(canvas: Image.Image, tpl: Template, inputs: DesignInputs) -> None:
    area = px_box(tpl.background.box)
    if tpl.background.kind == "photo":
        canvas.paste(open_photo(inputs.media[0], area[2:]), area[:2])
        return
    count = min(4, max(2, len(inputs.media)))
    # One photo makes a collage of different crops of it; more are used in order.
    crops = [(0.5, 0.3), (0.5, 0.7), (0.3, 0.5), (0.7, 0.5)]
    for i, cell in enumerate(_collage_cells(count, area, tpl.background.gap)):
        source = inputs.media[i % len(inputs.media)]
        centering = crops[i] if len(inputs.media) == 1 else (0.5, 0.5)
        canvas.paste(open_photo(source, cell[2:], centering), cell[:2])


def _rounded_mask(size: tuple[int, int], radius: int, opacity: float) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=round(255 * opacity))
    return mask


def _panel(canvas: Image.Image, tpl: Template, brand: BrandKit) -> None:
    if not tpl.panel:
        return
    panel = tpl.panel
    x, y, w, h = px_box(panel.box)
    colour = brand.colour(panel.color)
    region = canvas.crop((x, y, x + w, y + h))
    if panel.kind == "blur":
        region = region.filter(ImageFilter.GaussianBlur(22))
        canvas.paste(region, (x, y), _rounded_mask((w, h), panel.radius, 1.0))
    overlay = Image.new("RGB", (w, h), colour)
    radius = panel.radius if panel.kind == "blur" or w < CANVAS[0] else 0
    canvas.paste(overlay, (x, y), _rounded_mask((w, h), radius, panel.opacity))


def _scrim(canvas: Image.Image, ink: tuple[int, int, int, int], colour: tuple[int, int, int], opacity: float) -> None:
    """Darken (or lighten) the pixels behind the text block so it reads; padded, rounded."""
    pad = 24
    x0, y0 = max(0, ink[0] - pad), max(0, ink[1] - pad)
    x1, y1 = min(CANVAS[0], ink[2] + pad), min(CANVAS[1], ink[3] + pad)
    size = (x1 - x0, y1 - y0)
    canvas.paste(Image.new("RGB", size, colour), (x0, y0), _rounded_mask(size, 18, opacity))


def _text(canvas: Image.Image, tpl: Template, inputs: DesignInputs, faces: dict[str, Face]) -> list[dict]:
    boxes = []
    brand = inputs.brand
    for slot in tpl.text:
        text = getattr(inputs, slot.field).strip()
        if not text:
            continue
        box = safe_box(px_box(slot.box))
        setter = Typesetter(faces[slot.face])
        laid = setter.fit(text, box[2], box[3], slot.max_size, min(slot.min_size, slot.max_size), slot.line_spacing)
        mask = Image.new("L", CANVAS, 0)
        ink = setter.draw(ImageDraw.Draw(mask), laid, box, slot.align, 255)
        fill = contrast.hex_rgb(brand.text) if brand.text else contrast.best_text_colour(canvas, mask)
        measured = contrast.text_contrast(canvas, mask, fill)
        steps = 0
        while measured < contrast.AA_NORMAL and ink and steps < MAX_SCRIM_STEPS:
            steps += 1
            behind = contrast.DARK_TEXT if fill == contrast.LIGHT_TEXT or sum(fill) > 382 else contrast.LIGHT_TEXT
            _scrim(canvas, ink, behind, min(1.0, 0.25 + 0.12 * steps))
            if not brand.text:
                fill = contrast.best_text_colour(canvas, mask)
            measured = contrast.text_contrast(canvas, mask, fill)
        setter.draw(ImageDraw.Draw(canvas), laid, box, slot.align, fill)
        boxes.append(
            {
                "field": slot.field,
                "box": list(box),
                "ink": list(ink) if ink else None,
                "size": laid.size,
                "lines": laid.lines,
                "fits": laid.fits,
                "contrast": round(measured, 2),
                "colour": "#{:02X}{:02X}{:02X}".format(*fill),
                "scrim_steps": steps,
            }
        )
    return boxes


def _logo(canvas: Image.Image, tpl: Template, brand: BrandKit) -> None:
    if not (tpl.logo and brand.logo_path):
        return
    x, y, w, h = px_box(tpl.logo.box)
    try:
        with Image.open(brand.logo_path) as img:
            logo = img.convert("RGBA")
    except (OSError, UnidentifiedImageError):
        raise ValidationError(
            "The brand logo can't be read.", fix="Upload the logo again as a PNG.", code="unreadable"
        ) from None
    logo.thumbnail((w, h), Image.Resampling.LANCZOS)
    canvas.paste(logo, (x + (w - logo.width) // 2, y + (h - logo.height) // 2), logo)


def render(inputs: DesignInputs, template: Template) -> Design:
    """One design. No clock, no randomness: the bytes depend only on the inputs, the template and the fonts."""
    brand = inputs.brand
    faces = {"heading": _face(brand.heading_font), "body": _face(brand.body_font)}
    canvas = Image.new("RGB", CANVAS, brand.colour("background"))
    _background(canvas, template, inputs)
    _panel(canvas, template, brand)
    boxes = _text(canvas, template, inputs, faces)
    _logo(canvas, template, brand)
    buf = io.BytesIO()
    canvas.save(buf, "JPEG", **JPEG_OPTIONS)
    used = sorted({fonts.FaceSpec.parse(s).name for s in (brand.heading_font, brand.body_font)} | set(fonts.FALLBACKS))
    font_list = [
        {"name": n, "file": fonts.face_path(n).name, "sha256": fonts.file_sha256(str(fonts.face_path(n)))} for n in used
    ]
    contrasts = [b["contrast"] for b in boxes]
    return Design(
        template=template.name,
        data=buf.getvalue(),
        width=CANVAS[0],
        height=CANVAS[1],
        contrast=min(contrasts) if contrasts else None,
        text_fits=all(b["fits"] for b in boxes),
        boxes=boxes,
        fonts=font_list,
        provenance={
            "template": template.name,
            "template_digest": template.digest(),
            "template_source": template.source,
            "inputs": inputs.model_dump(mode="json"),
            "fonts": font_list,
            "renderer": {"pillow": PIL.__version__, "raqm": fonts.raqm_available()},
        },
    )
