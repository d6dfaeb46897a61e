"""Design templates: data files (JSON), shipped in this package or added by users in `<data dir>/templates`.

A template names its regions as fractions of the 1000×1500 canvas: the background (one photo, or a
collage of the inputs), an optional panel (solid or blurred) behind the text, the text boxes (which
field, which face role, the size range, alignment) and where a logo goes. Colours are roles
(`primary`, `background`, …) filled in from the brand kit.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic import ValidationError as PydanticError

from studio.errors import ValidationError

CANVAS = (1000, 1500)  # 2:3, Pinterest's recommended pin size (docs/pinterest.md §9)
# Areas Pinterest's UI draws over in the feed and close-up (the save/more buttons at the top corners,
# the shop and action bar at the bottom): text is kept clear of them. Pixels on the 1000×1500 canvas.
SAFE_MARGINS = {"left": 70, "right": 70, "top": 90, "bottom": 180}
ColourRole = Literal["primary", "secondary", "background", "text", "accent"]
Box = tuple[float, float, float, float]  # x, y, width, height as fractions of the canvas


def _check_box(box: Box) -> Box:
    x, y, w, h = box
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1 and x + w <= 1.0001 and y + h <= 1.0001):
        raise ValueError("a box is [x, y, width, height] as fractions of the canvas, inside it")
    return box


class Background(BaseModel):
    kind: Literal["photo", "collage"] = "photo"
    box: Box = (0.0, 0.0, 1.0, 1.0)
    gap: int = Field(default=10, ge=0, le=60)

    _box = field_validator("box")(_check_box)


class Panel(BaseModel):
    box: Box
    kind: Literal["solid", "blur"] = "solid"
    color: ColourRole = "primary"
    opacity: float = Field(default=0.8, ge=0, le=1)
    radius: int = Field(default=16, ge=0, le=80)

    _box = field_validator("box")(_check_box)


class TextBox(BaseModel):
    field: Literal["title", "subtitle", "cta"]
    box: Box
    face: Literal["heading", "body"] = "heading"
    max_size: int = Field(default=80, ge=8, le=240)
    min_size: int = Field(default=24, ge=8, le=240)
    align: Literal["left", "center", "right"] = "center"
    line_spacing: float = Field(default=1.18, ge=0.9, le=2)

    _box = field_validator("box")(_check_box)


class LogoSlot(BaseModel):
    box: Box
    always: bool = False

    _box = field_validator("box")(_check_box)


class Template(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    label: str = ""
    background: Background = Field(default_factory=Background)
    panel: Panel | None = None
    text: list[TextBox] = Field(default_factory=list)
    logo: LogoSlot | None = None
    source: str = "shipped"  # shipped | user

    def digest(self) -> str:
        """A short hash of what the template draws (its provenance)."""
        data = self.model_dump(mode="json", exclude={"source"})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _parse(text: str, where: str, source: str) -> Template:
    try:
        return Template.model_validate({**json.loads(text), "source": source})
    except (json.JSONDecodeError, PydanticError) as exc:
        first = exc.errors()[0] if isinstance(exc, PydanticError) else {"loc": (), "msg": str(exc)}
        loc = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(
            f"The template {where} is not valid: {loc} {first['msg']}".strip(),
            fix="Fix the JSON file (see a shipped template, e.g. band-bottom.json, for the shape).",
            code="invalid_template",
        ) from None


def shipped_templates() -> dict[str, Template]:
    out = {}
    for entry in sorted(resources.files("studio.design").joinpath("templates").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            tpl = _parse(entry.read_text(encoding="utf-8"), entry.name, "shipped")
            out[tpl.name] = tpl
    return out


def user_templates(data_dir: Path | None) -> dict[str, Template]:
    """Templates the user dropped in `<data dir>/templates/*.json` (a user one may replace a shipped one)."""
    folder = Path(data_dir) / "templates" if data_dir else None
    if not folder or not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.glob("*.json")):
        tpl = _parse(path.read_text(encoding="utf-8"), path.name, "user")
        out[tpl.name] = tpl
    return out


def all_templates(data_dir: Path | None = None) -> dict[str, Template]:
    return {**shipped_templates(), **user_templates(data_dir)}


def get_template(name: str, data_dir: Path | None = None) -> Template:
    templates = all_templates(data_dir)
    if name not in templates:
        raise ValidationError(
            f"There is no template called '{name}'.",
            fix=f"Use one of: {', '.join(templates)}.",
            code="unknown_template",
        )
    return templates[name]
