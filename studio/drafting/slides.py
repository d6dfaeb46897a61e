"""Alt text for each image of a carousel: the model looks at every slide on its own (vision when the
model can see; the offline drafter describes the slide's facts), answers are logged, capped at
Pinterest's alt-text limit and linted like a single pin's alt text.

Drafting knows nothing of where a carousel's slides are kept (studio.design owns that table): it takes
the slides as data and returns one result per slide; the caller stores them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from studio import constraints
from studio.drafting.offline import clip
from studio.drafting.service import DraftingService
from studio.errors import DraftingError

MAX_PARALLEL = 5  # a carousel holds 5 images at most: every slide in flight at once


@dataclass
class SlideAlt:
    """The drafted alt text of one slide, or why there is none."""

    position: int
    media_id: int
    alt_text: str = ""
    lint: list[dict] = field(default_factory=list)
    call_id: int | None = None
    cached: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def slide_note(position: int, count: int, title: str) -> str:
    """What the prompt says about this slide, beside the pin's own facts."""
    shown = f" (its own title: {title!r})" if title else ""
    return (
        f"This image is slide {position + 1} of {count} of a carousel pin{shown}. "
        "Write the alt text for this slide only, describing what is visible in it."
    )


def alt_lint(service: DraftingService, alt_text: str, *, title: str, description: str = "") -> list[dict]:
    """The alt-text rules of the SEO linter (length, not a copy of the title, no 'image of')."""
    rules = service.lint({"title": title, "description": description, "alt_text": alt_text})
    return [r for r in rules if r["rule"].startswith("alt_text")]


def draft_slide_alt_texts(
    service: DraftingService,
    slides: list[dict],
    *,
    topic: str = "",
    keywords: str | list[str] = "",
    link: str = "",
    board: str = "",
    title: str = "",
    description: str = "",
    draft_id: int | None = None,
    fresh: bool = False,
    total: int | None = None,
) -> list[SlideAlt]:
    """One alt text per slide (`{position, media_id, title}` dicts, in order; `total`: how many slides the
    carousel has, when only some are asked for), the model calls made concurrently. A slide whose call
    fails carries its error and the others still land; the first DraftingError is raised only when every
    slide failed."""
    count = total or len(slides)
    prepared = []
    for slide in slides:
        slide_title = (slide.get("title") or "").strip()
        request = service.build_input(
            media_id=int(slide["media_id"]),
            topic=slide_title or topic or title,
            keywords=keywords,
            link=link,
            board=board,
            field="alt_text",
            current={"title": slide_title or title, "description": description},
            notes=slide_note(int(slide["position"]), count, slide_title),
            fresh=fresh,
        )
        prepared.append((slide, request, service.key(request)))
    results: list[SlideAlt | None] = [None] * len(slides)
    pending = []
    for i, (slide, request, key) in enumerate(prepared):
        hit = service.from_cache(key, request, draft_id=draft_id)
        if hit is not None:
            results[i] = _result(service, slide, hit.output.alt_text, hit.call_id, True, title, description)
        else:
            pending.append(i)
    first_error: DraftingError | None = None
    if pending:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(pending)), thread_name_prefix="slide-alt") as pool:
            futures = [(i, time.perf_counter(), pool.submit(service.call, prepared[i][1])) for i in pending]
            for i, started, future in futures:  # the log is written from this thread (one store, one thread)
                slide, request, key = prepared[i]
                media_id = int(slide["media_id"])
                try:
                    output = future.result()
                except DraftingError as exc:
                    service.record(key, request, error=exc, started=started, media_id=media_id, draft_id=draft_id)
                    first_error = first_error or exc
                    results[i] = SlideAlt(int(slide["position"]), media_id, error=str(exc))
                    continue
                done = service.record(
                    key, request, output=output, started=started, media_id=media_id, draft_id=draft_id
                )
                call_id = done.call_id if done else None
                results[i] = _result(service, slide, output.alt_text, call_id, False, title, description)
    out = [r for r in results if r is not None]
    if first_error is not None and not any(r.ok for r in out):
        raise first_error
    return out


def _result(
    service: DraftingService,
    slide: dict,
    alt_text: str,
    call_id: int | None,
    cached: bool,
    title: str,
    description: str,
) -> SlideAlt:
    alt = clip(alt_text, constraints.ALT_TEXT_MAX)  # the drafters trim already; a cached answer from elsewhere too
    return SlideAlt(
        position=int(slide["position"]),
        media_id=int(slide["media_id"]),
        alt_text=alt,
        lint=alt_lint(service, alt, title=(slide.get("title") or "").strip() or title, description=description),
        call_id=call_id,
        cached=cached,
    )
