"""A carousel's own copy: one title and description for the pin as a whole, and one alt text per slide
describing that slide's image (its shape from its real size, its colours, its own title).

The drafter is told it drafts a carousel (`DraftInput.slides`: how many slides, each one's facts and
picture) and answers `DraftOutput.slide_alt_texts` beside the pin's copy. Drafting knows nothing of where
a carousel's slides are kept (studio.design owns that table): it takes the slides as data; callers store.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from studio import constraints
from studio.drafting.base import DraftInput, DraftOutput
from studio.drafting.prompts import PinCopy
from studio.drafts import BrandVoice

if TYPE_CHECKING:
    from studio.drafting.service import DraftingService, DraftResult
    from studio.drafting.tone import ToneStyle

# What the prompt and the offline drafter learn about each slide (the file name often says what it shows).
SLIDE_FACT_KEYS = ("kind", "format", "width", "height", "dominant_colours", "file_name")
TITLE_TRIES = 3  # alternatives asked for when the drafted title repeats a title to avoid (e.g. the original pin's)


class SlideCopy(BaseModel):
    alt_text: str


class CarouselPinCopy(PinCopy):
    """The structured answer for a carousel: the pin's copy and one alt text per slide, in order."""

    slides: list[SlideCopy] = Field(default_factory=list)


def slide_entries(service: DraftingService, slides: list[dict]) -> list[dict]:
    """`DraftInput.slides` for slides given as `{media_id, title?}`: each slide's facts and picture."""
    from studio.media import orientation

    entries = []
    for position, slide in enumerate(slides):
        media_id = int(slide["media_id"])
        asset = service.store.get_media(media_id)
        facts = {"kind": str(asset.kind), "file_name": asset.original_name, **service.store.media_facts(media_id)}
        kept = {k: facts[k] for k in SLIDE_FACT_KEYS if facts.get(k) not in (None, "", [])}
        width, height = int(facts.get("width") or 0), int(facts.get("height") or 0)
        if width and height:  # from the slide's own size: a design of a landscape photo is a 2:3 portrait
            kept["orientation"] = orientation(width, height)
        entries.append(
            {
                "position": position,
                "title": str(slide.get("title") or "").strip(),
                "media_facts": kept,
                "image_path": service._image_path(asset.kind, asset.path, facts, media_id),
            }
        )
    return entries


def draft_carousel_copy(
    service: DraftingService,
    slides: list[dict],
    *,
    topic: str = "",
    keywords: str | list[str] = "",
    link: str = "",
    board: str = "",
    avoid_titles: tuple[str, ...] | list[str] = (),
    fresh: bool = False,
    draft_id: int | None = None,
) -> DraftResult:
    """The copy of a carousel of `slides` (`{media_id, title?}` dicts, in order): its title and description,
    the pin's alt text (the first slide's) and `output.slide_alt_texts`, one per slide. A title equal to one
    of `avoid_titles` (another pin's, e.g. the one the designs came from) is asked for again, differently."""
    avoided = {t.strip().casefold() for t in avoid_titles if t.strip()}
    notes = ""
    if avoided:
        shown = "; ".join(json.dumps(t.strip(), ensure_ascii=False) for t in avoid_titles if t.strip())
        notes = f"Write a new title: it must differ from these titles of other pins: {shown}."
    result = None
    for variant in range(TITLE_TRIES):
        result = service.draft(
            media_id=int(slides[0]["media_id"]),
            topic=topic,
            keywords=keywords,
            link=link,
            board=board,
            notes=notes,
            fresh=fresh,
            draft_id=draft_id,
            variant=variant,
            slides=slides,
        )
        if result.output.title.strip().casefold() not in avoided:
            break
    assert result is not None
    alts = list(result.output.slide_alt_texts)[: len(slides)]
    result.output.slide_alt_texts = alts + [""] * (len(slides) - len(alts))
    return result


# --- the OpenAI-compatible drafter's part -------------------------------------------------------
def carousel_prompt(request: DraftInput) -> str:
    """What the user prompt adds for a carousel: the slides' facts and the answer's shape."""
    facts = [
        {
            "slide": n,
            **({"title": s["title"]} if s.get("title") else {}),
            **{k: v for k, v in s.get("media_facts", {}).items() if k != "file_name"},
        }
        for n, s in enumerate(request.slides, 1)
    ]
    return "\n".join(
        [
            f"This pin is a carousel of {len(request.slides)} images (slides) that people swipe through.",
            "Slides (in order): " + json.dumps(facts, ensure_ascii=False, default=str),
            "Write the title and description for the carousel as a whole (not for one slide), and for each slide "
            "an alt text describing only what is visible in that slide's own image (its shape from its own size).",
            f'Answer with one JSON object: {{"title": str, "description": str, "alt_text": str, '
            f'"keywords": [str], "slides": [{{"alt_text": str}}]}} with exactly {len(request.slides)} '
            "entries in slides, in order; alt_text describes the carousel's pictures as a whole.",
        ]
    )


def slide_images(request: DraftInput, data_url: Any) -> list[dict]:
    """The slides' pictures as message parts, each introduced by its number (for a model that can see)."""
    parts: list[dict] = []
    for n, slide in enumerate(request.slides, 1):
        path = slide.get("image_path")
        if path:
            parts.append({"type": "text", "text": f"Slide {n}:"})
            parts.append({"type": "image_url", "image_url": {"url": data_url(path)}})
    return parts


def normalise_slides(data: dict) -> dict:
    """Accept slides answered as plain strings or with `alt`/`altText` keys."""
    slides = data.get("slides")
    if not isinstance(slides, list):
        return {**data, "slides": []}
    fixed = []
    for item in slides:
        if isinstance(item, str):
            fixed.append({"alt_text": item})
        elif isinstance(item, dict):
            text = next((item[k] for k in ("alt_text", "altText", "alt") if isinstance(item.get(k), str)), "")
            fixed.append({"alt_text": text})
    return {**data, "slides": fixed}


# --- the offline drafter's part -----------------------------------------------------------------
CAROUSEL_LEADS = {  # the carousel's title lead, by tone register; {n}: the number of slides
    "friendly": ("{lead} in {n} pictures", "{lead}, {n} ways", "{lead}: {n} slides to swipe"),
    "playful": ("{lead}: {n} slides of fun", "{lead}, {n} ways", "{lead} in {n} swipes"),
    "calm": ("{lead} in {n} quiet pictures", "{lead}, {n} ways", "{lead} in {n} slides"),
    "formal": ("{lead} in {n} images", "{lead}: a {n}-part guide", "{lead}, in {n} steps"),
}


def offline_carousel(
    voice: BrandVoice, style: ToneStyle, request: DraftInput, single: DraftOutput, *, lead: str, topic: str
) -> DraftOutput:
    """The offline drafter's carousel: a title that says it is a carousel, a description that names the
    slides, and each slide's alt text from that slide's own look."""
    from studio.drafting.offline import _listed, _Writer, clip, look_of

    count = len(request.slides)
    avoid = voice.words_avoid
    first_look = look_of(request.slides[0].get("media_facts", {}), known_words=request.topic, avoid=avoid)
    writer = _Writer(voice, style, replace(first_look, subject=""), request.variant)  # not one slide's subject
    forms = CAROUSEL_LEADS.get(style.register, CAROUSEL_LEADS["friendly"])
    carousel_lead = writer.pick(list(forms), "carousel").format(lead=lead.rstrip(". "), n=count)
    titles = [s["title"] for s in request.slides if s.get("title")]
    swipe = f"Swipe through {count} slides: {_listed(titles)}." if titles else f"Swipe through all {count} slides."
    sentences = re.split(r"(?<=[.!?])\s+", single.description)
    # the opener, the slides, and the way on (the last sentence); within the tone's length and 1–3 sentences
    kept = [sentences[0], swipe, *sentences[1:][-1:]][: max(2, min(3, style.max_sentences))]
    description = " ".join(kept)
    looks = [look_of(slide.get("media_facts", {}), known_words=request.topic, avoid=avoid) for slide in request.slides]
    texts = [
        _Writer(voice, style, look, request.variant).alt_text(slide.get("title") or topic)
        for look, slide in zip(looks, request.slides)
    ]
    shapes = {look.shape for look in looks}
    shape = f"{shapes.pop()} " if len(shapes) == 1 and "" not in shapes else ""
    together = f"A carousel of {count} {shape}images illustrating {topic[:1].lower()}{topic[1:]}"
    alts = [
        clip(f"Slide {n} of {count}: {text[:1].lower()}{text[1:]}", constraints.ALT_TEXT_MAX)
        for n, text in enumerate(texts, 1)
    ]
    return single.model_copy(
        update={
            "title": writer.title(carousel_lead),
            "description": clip(description, constraints.DESCRIPTION_MAX),
            # the pin's own: the pictures as a whole, then what the first one shows
            "alt_text": clip(f"{together}; the first: {texts[0][:1].lower()}{texts[0][1:]}", constraints.ALT_TEXT_MAX),
            "slide_alt_texts": alts,
        }
    )
