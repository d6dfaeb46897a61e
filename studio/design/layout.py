"""Text layout by real font metrics: wrapping (words, or characters for CJK), autoscaling to the box,
runs across fallback faces, right-to-left lines, and drawing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import ImageDraw

from studio.design import fonts

# Break opportunities: every CJK character stands alone; other words keep their trailing space.
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+\s*|\s+")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_STRONG = re.compile(
    rf"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff{_CJK}]|[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
)
ELLIPSIS = "…"


@dataclass
class Face:
    """A face role as the brand kit sets it: a shipped face name or a font file, and a weight."""

    name: str = "noto-sans"
    weight: int = 700


@dataclass
class Laid:
    """A text laid out in a box: the size chosen, its lines, and whether all of it fits."""

    size: int
    lines: list[str]
    line_height: int
    fits: bool
    widths: list[float] = field(default_factory=list)


def is_rtl(line: str) -> bool:
    first = _STRONG.search(line)
    return bool(first and _RTL.match(first.group()))


class Typesetter:
    """Measures and draws text in one face role (with fallbacks) at any size."""

    def __init__(self, face: Face) -> None:
        self.face = face
        self._widths: dict[tuple[str, int], float] = {}

    def font(self, name: str, size: int):
        return fonts.load(name, size, self.face.weight)  # variable fallbacks follow the weight too

    def runs(self, text: str, size: int) -> list[tuple[str, str]]:
        runs = fonts.runs(text, self.face.name)
        return list(reversed(runs)) if is_rtl(text) else runs

    def width(self, text: str, size: int) -> float:
        key = (text, size)
        if key not in self._widths:
            self._widths[key] = sum(
                self.font(name, size).getlength(part, **_direction(part))
                for name, part in fonts.runs(text, self.face.name)
            )
        return self._widths[key]

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        lines: list[str] = []
        line = ""
        for token in _TOKENS.findall(" ".join(text.split())):
            candidate = line + token
            if self.width(candidate.rstrip(), size) <= width or not line.strip():
                line = candidate
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
            while self.width(line.rstrip(), size) > width and len(line.rstrip()) > 1:  # one word wider than the box
                cut = len(line)
                while cut > 1 and self.width(line[:cut], size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        if line.strip():
            lines.append(line.rstrip())
        return lines

    def line_height(self, size: int, spacing: float) -> int:
        return max(1, round(size * spacing))

    def block_height(self, n: int, size: int, spacing: float) -> int:
        ascent, descent = self.font(self.face.name, size).getmetrics()
        return (n - 1) * self.line_height(size, spacing) + ascent + descent if n else 0

    def fit(self, text: str, width: int, height: int, max_size: int, min_size: int, spacing: float) -> Laid:
        """The largest size in [min_size, max_size] at which the wrapped text fits the box (binary search);
        at the smallest size, what doesn't fit is cut with an ellipsis and `fits` is False."""
        text = " ".join(text.split())
        lo, hi, best = min_size, max(min_size, max_size), None
        while lo <= hi:
            mid = (lo + hi) // 2
            lines = self.wrap(text, mid, width)
            if self.block_height(len(lines), mid, spacing) <= height:
                best, lo = (mid, lines), mid + 1
            else:
                hi = mid - 1
        if best:
            size, lines = best
            return Laid(size, lines, self.line_height(size, spacing), True, [self.width(x, size) for x in lines])
        size = min_size
        lines = self.wrap(text, size, width)
        keep = max(1, sum(1 for n in range(1, len(lines) + 1) if self.block_height(n, size, spacing) <= height))
        kept = lines[:keep]
        last = kept[-1]
        while last and self.width(last + ELLIPSIS, size) > width:
            last = last[:-1].rstrip()
        kept[-1] = last + ELLIPSIS
        return Laid(size, kept, self.line_height(size, spacing), False, [self.width(x, size) for x in kept])

    def draw(
        self,
        draw: ImageDraw.ImageDraw,
        laid: Laid,
        box: tuple[int, int, int, int],
        align: str,
        fill,
    ) -> tuple[int, int, int, int] | None:
        """Draw the laid-out lines, vertically centred in the box; returns the inked bounding box."""
        x0, y0, w, h = box
        size = laid.size
        ascent, _ = self.font(self.face.name, size).getmetrics()
        top = y0 + (h - self.block_height(len(laid.lines), size, laid.line_height / size)) // 2
        ink: list[tuple[float, float, float, float]] = []
        colour_fonts = isinstance(fill, tuple)
        for i, line in enumerate(laid.lines):
            lw = self.width(line, size)
            side = align
            if align == "left" and is_rtl(line):  # "left" means the start of the line
                side = "right"
            x = x0 + (0 if side == "left" else (w - lw) if side == "right" else (w - lw) / 2)
            baseline = top + ascent + i * laid.line_height
            for name, part in self.runs(line, size):
                font = self.font(name, size)
                kwargs = {**_direction(part), "anchor": "ls"}
                if name == fonts.EMOJI and colour_fonts:
                    kwargs["embedded_color"] = True
                bbox = draw.textbbox((x, baseline), part, font=font, **kwargs)
                if bbox[2] > bbox[0]:
                    ink.append(bbox)
                draw.text((x, baseline), part, font=font, fill=fill, **kwargs)
                x += font.getlength(part, **_direction(part))
        if not ink:
            return None
        return (
            int(min(b[0] for b in ink)),
            int(min(b[1] for b in ink)),
            int(max(b[2] for b in ink)) + 1,
            int(max(b[3] for b in ink)) + 1,
        )


def _direction(part: str) -> dict:
    """raqm shapes Arabic right-to-left (joining forms); without raqm Pillow can only lay glyphs out plainly."""
    if fonts.raqm_available() and _RTL.search(part):
        return {"direction": "rtl"}
    return {}
