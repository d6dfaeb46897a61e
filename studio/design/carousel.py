"""A carousel from any photos: 2–5 different images, in the order given, each slide with its own title,
description, link and alt text; each image checked like a single pin's, and the carousel's own rules
(count, images only, one size) over all of them. Saved as one draft whose slides live in `carousel_items`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio import constraints, people
from studio.design import store as design_store
from studio.errors import ValidationError
from studio.models import Draft
from studio.people import Actor, Permission
from studio.storage import Store

SLIDE_FIELDS = ("title", "description", "link", "alt_text")
SLIDE_LIMITS = {
    "title": constraints.TITLE_MAX,
    "description": constraints.DESCRIPTION_MAX,
    "alt_text": constraints.ALT_TEXT_MAX,
    "link": constraints.LINK_MAX,
}
PIN_FIELDS = ("title", "description", "alt_text", "link", "board", "board_section", "topic", "keywords", "account")


@dataclass
class SlideCheck:
    """One slide's image checked as a single pin's image would be: its problems and the fixes that apply."""

    position: int  # 0-based
    media_id: int
    report: Any  # studio.media.MediaReport
    fixes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list:
        return list(self.report.errors)

    @property
    def warnings(self) -> list:
        return list(self.report.warnings)


@dataclass
class CarouselCheck:
    """Every slide's check and the carousel's own issues (count, images only, duplicates, one size)."""

    slides: list[SlideCheck]
    issues: list = field(default_factory=list)  # studio.media.Issue: what stops the carousel
    warnings: list = field(default_factory=list)  # studio.media.Issue: e.g. a shape Pinterest shows smaller

    @property
    def ok(self) -> bool:
        return not self.issues and not any(s.errors for s in self.slides)

    def first_problem(self) -> ValidationError | None:
        """What saving refuses first: a slide's error (named by its slide), else the carousel's issue."""
        for slide in self.slides:
            if slide.errors:
                issue = slide.errors[0]
                return ValidationError(f"Slide {slide.position + 1}: {issue.message}", fix=issue.fix, code=issue.code)
        if self.issues:
            issue = self.issues[0]
            return ValidationError(issue.message, fix=issue.fix, code=issue.code)
        return None


def check_slides(store: Store, data_dir: Path, media_ids: list[int]) -> CarouselCheck:
    """Check each slide's image (the single-image rules) and the carousel's rules over all of them."""
    from studio.media import Issue, available_fixes, carousel_ratio_warnings, check_carousel, check_path, media_path

    slides = []
    for position, media_id in enumerate(media_ids):
        report = check_path(media_path(data_dir, store.get_media(media_id)), animated_flatten=True)
        slides.append(SlideCheck(position, int(media_id), report, available_fixes(report)))
    reports = [s.report for s in slides]
    # a slide's format and byte size are that slide's own errors already: only what concerns them all here
    issues = [i for i in check_carousel(reports) if i.code not in ("carousel_format", "carousel_size")]
    for position, media_id in enumerate(media_ids):
        if media_id in media_ids[:position]:
            first = media_ids.index(media_id) + 1
            issues.append(
                Issue(
                    code="carousel_duplicate",
                    message=f"Slide {position + 1} is the same image as slide {first}.",
                    fix="Remove one of them, or pick a different image.",
                )
            )
    warnings = carousel_ratio_warnings(reports) if not issues else []
    return CarouselCheck(slides, issues, warnings)


def _count_error(count: int) -> ValidationError:
    from studio.media import CAROUSEL_MAX_ITEMS, CAROUSEL_MIN_ITEMS

    if count < CAROUSEL_MIN_ITEMS:
        return ValidationError(
            f"A carousel takes {CAROUSEL_MIN_ITEMS} to {CAROUSEL_MAX_ITEMS} images; it has {count}.",
            fix="Add images until there are at least two (upload several at once, or pick stored ones).",
            code="carousel_count",
        )
    return ValidationError(
        f"A carousel takes {CAROUSEL_MIN_ITEMS} to {CAROUSEL_MAX_ITEMS} images; it has {count}.",
        fix=f"Remove {count - CAROUSEL_MAX_ITEMS} of them: keep five at most.",
        code="carousel_count",
    )


def validate_slide_copy(slides: list[dict]) -> None:
    """Refuse a slide's text Pinterest would refuse: over-long, or a link that is not a web address."""
    for n, slide in enumerate(slides, 1):
        for name, limit in SLIDE_LIMITS.items():
            value = str(slide.get(name) or "").strip()
            if len(value) > limit:
                raise ValidationError(
                    f"Slide {n}'s {name.replace('_', ' ')} is {len(value)} characters; Pinterest allows {limit}.",
                    fix=f"Shorten it by {len(value) - limit} characters.",
                    code="text_too_long",
                )
        link = str(slide.get("link") or "").strip()
        if link and not link.lower().startswith(("http://", "https://")):
            raise ValidationError(
                f"Slide {n}'s link must be a web address starting with https://.",
                fix="Paste the full address, e.g. https://example.com/page.",
                code="invalid_link",
            )


def save_carousel(
    store: Store,
    data_dir: Path,
    slides: list[dict],
    fields: dict[str, Any],
    *,
    actor: Actor,
    submit: bool = False,
) -> Draft:
    """A new carousel draft of `slides` (`{media_id, title, description, link, alt_text}`, in order) with the
    pin's `fields` (title, description, board, …). The pin's alt text and link default to the first slide's.
    Refuses (and writes nothing) a count outside 2–5, a slide whose image has an error, images of different
    sizes, the same image twice, or text Pinterest would refuse."""
    from studio.drafts import save_draft, submit_for_review

    people.require(actor, Permission.SUBMIT if submit else Permission.COMPOSE)
    from studio.media import CAROUSEL_MAX_ITEMS, CAROUSEL_MIN_ITEMS

    if not CAROUSEL_MIN_ITEMS <= len(slides) <= CAROUSEL_MAX_ITEMS:
        raise _count_error(len(slides))
    media_ids = [int(s["media_id"]) for s in slides]
    if problem := check_slides(store, data_dir, media_ids).first_problem():
        raise problem
    validate_slide_copy(slides)
    items = [
        {"media_id": m, **{k: str(s.get(k) or "").strip() for k in SLIDE_FIELDS}} for m, s in zip(media_ids, slides)
    ]
    pin = {k: fields[k] for k in PIN_FIELDS if k in fields}
    pin["media_id"] = media_ids[0]  # the cover: Review's card, scheduling and the guardrails read it
    for name in ("alt_text", "link"):
        if not str(pin.get(name) or "").strip():
            pin[name] = items[0][name]
    with store.atomic():
        draft = save_draft(store, None, pin, actor=actor)
        design_store.set_carousel_items(store, draft.id, items)
        if submit:
            draft = submit_for_review(store, draft.id, actor=actor)
    return store.get_draft(draft.id)
