"""A carousel made from designs with copy drafted for it, and alt text for every slide of a carousel draft
that has none, drafted per image and kept on the slides.

It sits here, above drafting (which drafts) and design (which owns the carousel's slides), because it
needs both; Compose's "Draft copy" and the batch re-draft call it. Pinterest's carousel items take no
alt text (SPEC PinMediaSourceImages*Item: title, description, link), so the slides' alt text stays in
the studio; the pin itself is sent the first slide's when it has none of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio import people
from studio.people import Actor, Permission
from studio.storage import Store

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.drafting import DraftingService


def carousel_from_designs(
    store: Store, settings: Settings, service: DraftingService, draft_id: int, design_ids: list[int], *, actor: Actor
) -> dict:
    """The chosen designs as one carousel draft whose copy is drafted for it: a title that is not the original
    pin's, a description for the carousel, and each slide's alt text from that design (a 2:3 portrait)."""
    from studio.design import get_design, make_carousel_draft
    from studio.drafting import draft_carousel_copy

    people.require(actor, Permission.DESIGN)  # before any model call
    original = store.get_draft(draft_id)
    designs = [get_design(store, i) for i in design_ids]
    result = draft_carousel_copy(
        service,
        [{"media_id": d["media_id"], "title": d["title"]} for d in designs],
        topic=original.topic or original.title,
        keywords=original.keywords,
        link=original.link,
        board=original.board,
        avoid_titles=[original.title],
    )
    out = result.output
    copy = {
        "title": out.title,
        "description": out.description,
        "alt_text": out.alt_text,
        "slide_alt_texts": out.slide_alt_texts,
    }
    made = make_carousel_draft(store, settings, draft_id, design_ids, copy=copy, actor=actor)
    if result.call_id:
        service.log.attach([result.call_id], made["draft_id"])
    return made


def draft_carousel_alt_texts(
    store: Store, service: DraftingService, draft_id: int, *, fresh: bool = False, actor: Actor
) -> list[dict]:
    """Draft and keep the alt text of each slide without one (typed text is never replaced); returns
    `[{slide, media_id, alt_text, lint, cached, error}]` for the slides it drafted, [] for a pin that is
    not a carousel or whose slides all have alt text. Raises DraftingError only when every slide failed."""
    from studio.design import carousel_items, save_slide_alt_texts  # the slides' table belongs to studio.design
    from studio.drafting import draft_slide_alt_texts

    people.require(actor, Permission.EDIT)  # before any model call
    items = carousel_items(store, draft_id)
    if len(items) < 2:
        return []
    missing = [i for i in items if not (i["alt_text"] or "").strip()]
    if not missing:
        return []
    draft = store.get_draft(draft_id)
    results = draft_slide_alt_texts(
        service,
        [{"position": i["position"], "media_id": i["media_id"], "title": i["title"] or ""} for i in missing],
        topic=draft.topic,
        keywords=draft.keywords,
        link=draft.link,
        board=draft.board,
        title=draft.title,
        description=draft.description,
        draft_id=draft_id,
        fresh=fresh,
        total=len(items),
    )
    save_slide_alt_texts(store, draft_id, {r.position: r.alt_text for r in results if r.ok}, actor=actor)
    return [
        {
            "slide": r.position + 1,
            "media_id": r.media_id,
            "alt_text": r.alt_text,
            "lint": r.lint,
            "cached": r.cached,
            "error": r.error,
        }
        for r in results
    ]


def summary(results: list[dict]) -> str:
    """One line for a user: how many slides got alt text, and which failed."""
    done = [r["slide"] for r in results if not r["error"]]
    failed = [r for r in results if r["error"]]
    parts = []
    if done:
        parts.append(f"alt text drafted for slide{'s' * (len(done) != 1)} {', '.join(map(str, done))}")
    for r in failed:
        parts.append(f"slide {r['slide']} failed: {r['error']}")
    return "; ".join(parts)
