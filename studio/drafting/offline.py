"""The offline drafter: deterministic template copy, no network. Default without a key."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from studio import constraints
from studio.config import Settings
from studio.drafting.base import DraftInput, DraftOutput, register_drafter

COLOUR_NAMES = {
    (0, 0, 0): "black",
    (255, 255, 255): "white",
    (128, 128, 128): "grey",
    (220, 40, 40): "red",
    (240, 140, 30): "orange",
    (240, 220, 50): "yellow",
    (50, 160, 70): "green",
    (40, 90, 200): "blue",
    (130, 60, 170): "purple",
    (240, 150, 180): "pink",
    (140, 90, 50): "brown",
    (30, 50, 90): "navy",
    (60, 180, 180): "teal",
    (230, 215, 185): "beige",
}


TITLE_HOOKS = ("", "ideas to save", "a simple guide")
PITCHES = ("ideas and inspiration worth saving", "easy ideas to try this week", "everything you need to get started")


def colour_name(hex_colour: str) -> str:
    """The nearest plain-English name of a #rrggbb colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return min(COLOUR_NAMES.items(), key=lambda kv: sum((a - c) ** 2 for a, c in zip(kv[0], (r, g, b))))[1]


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary so the text fits `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut[:limit]


class OfflineDrafter:
    """Writes copy from a template; honest that it isn't an LLM."""

    name = "offline"
    model = "template-v1"

    def draft(self, request: DraftInput) -> DraftOutput:
        keywords = [k.strip() for k in request.keywords if k.strip()]
        keywords = keywords or list(request.grounding.get("keywords") or [])[:3]  # the board's best, from analytics
        topic = request.topic.strip() or (keywords[0] if keywords else "") or "Fresh idea"
        primary = keywords[0] if keywords else topic
        facts = request.media_facts
        colours = [colour_name(c) for c in facts.get("dominant_colours", [])]
        colours = list(dict.fromkeys(colours))[:2]
        shape = facts.get("orientation", "")
        domain = urlparse(request.link).netloc.removeprefix("www.") if request.link else ""

        title = topic[0].upper() + topic[1:]
        if primary.lower() not in title.lower():
            title = f"{primary.title()}: {title}"
        # Alternatives get a different (still deterministic) template, so there is a real choice.
        hook = TITLE_HOOKS[request.variant % len(TITLE_HOOKS)]
        title = title if not hook else f"{title}: {hook}"
        pitch = PITCHES[request.variant % len(PITCHES)]
        sentences = [f"{title.rstrip('.')} — {pitch}."]
        if keywords[1:]:
            sentences.append("Explore " + ", ".join(keywords[1:4]) + " and more.")
        if domain:
            sentences.append(f"Read the full guide on {domain}.")
        elif request.board:
            sentences.append(f"Save it to your {request.board} board for later.")
        palette = " and ".join(colours) if colours else "colourful"
        kind = "video" if facts.get("duration_s") else "image"
        alt = f"A {shape or 'pin'} {kind} in {palette} tones illustrating {topic.lower()}."
        return DraftOutput(
            title=clip(title, constraints.TITLE_MAX),
            description=clip(" ".join(sentences), constraints.DESCRIPTION_MAX),
            alt_text=clip(alt, constraints.ALT_TEXT_MAX),
            keywords=keywords or [primary],
            provider=self.name,
            model=self.model,
        )


@register_drafter("offline")
def _offline(settings: Settings) -> OfflineDrafter:
    return OfflineDrafter()
