"""The media report: what `check_path` finds (no I/O here).

Plain dataclasses, not pydantic models: building the first pydantic model costs ~0.2 s of CPU, which
`pinstudio check IMAGE` would pay on every call. `model_dump()` keeps the pydantic-style spelling the
callers use; nothing validates on assignment (pydantic didn't either).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


class _Dumpable:
    def model_dump(self, mode: str = "python", exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as plain dicts and lists (JSON-ready: every value is a str, number, bool or None)."""
        data = asdict(self)  # type: ignore[call-overload]
        return {k: v for k, v in data.items() if k not in (exclude or ())}


@dataclass(kw_only=True)
class Issue(_Dumpable):
    """One problem: a stable code, what is wrong in plain words, and the fix the studio offers."""

    code: str
    message: str
    fix: str = ""


@dataclass(kw_only=True)
class MediaFacts(_Dumpable):
    bytes: int = 0
    format: str | None = None  # JPEG/PNG/GIF/WEBP for images; the container for videos
    container: str | None = None
    width: int | None = None  # images: as displayed (EXIF orientation applied); every rule uses these
    height: int | None = None
    stored_width: int | None = None  # images: as stored in the file, before the EXIF orientation
    stored_height: int | None = None
    exif_orientation: int | None = None  # EXIF Orientation 2–8 when the picture is stored turned
    bit_depth: int | None = None  # only when above 8 bits a channel
    color_profile: str | None = None  # the embedded ICC profile's name
    duration_s: float | None = None
    fps: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    frames: int | None = None
    rotation: int | None = None
    mode: str | None = None
    animated: bool = False


@dataclass(kw_only=True)
class MediaReport(_Dumpable):
    source: str
    kind: Literal["image", "video", "unknown"] = "unknown"
    ok: bool = True
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    facts: MediaFacts = field(default_factory=MediaFacts)

    def error(self, code: str, message: str, fix: str = "") -> MediaReport:
        self.errors.append(Issue(code=code, message=message, fix=fix))
        self.ok = False
        return self

    def warn(self, code: str, message: str, fix: str = "") -> MediaReport:
        self.warnings.append(Issue(code=code, message=message, fix=fix))
        return self

    def codes(self) -> set[str]:
        return {i.code for i in [*self.errors, *self.warnings]}

    def display_size(self) -> tuple[int, int] | None:
        """Width × height as shown (a 90°/270° rotation swaps them)."""
        w, h = self.facts.width, self.facts.height
        if not w or not h:
            return None
        return (h, w) if (self.facts.rotation or 0) % 180 == 90 else (w, h)
