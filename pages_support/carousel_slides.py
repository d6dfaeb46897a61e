"""Compose, for a carousel draft: each slide's image with its own alt text, drafted per image by
"Draft copy" (slides without one) and editable here. Pinterest takes no alt text per carousel slide:
it stays in the studio, and the pin is sent the first slide's when it has none of its own."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import action, current_actor, error_text, errors_shown, flash, services, store
from studio import constraints
from studio.bulk import draft_carousel_alt_texts
from studio.config import Settings
from studio.design import carousel_items, save_slide_alt_texts
from studio.drafting import DraftingService
from studio.drafts import BrandVoice, lint
from studio.errors import StudioError
from studio.media import preview_image
from studio.storage import Store
from studio.text import escape_markdown as md


def alt_key(draft_id: int, position: int) -> str:
    return f"slide_alt_{draft_id}_{position}"


def for_drafting(db: Store, draft_id: int | None) -> list[dict]:
    """A carousel draft's slides as the drafter takes them (`{media_id, title}`, in order); [] for a single pin."""
    items = carousel_items(db, draft_id) if draft_id else []
    return [{"media_id": i["media_id"], "title": i["title"] or ""} for i in items] if len(items) > 1 else []


def forget(draft_id: int, positions: list[int]) -> None:
    """Let these slides' fields show what is stored now (after drafting), leaving other typing alone."""
    for position in positions:
        st.session_state.pop(alt_key(draft_id, position), None)


def draft_missing(db: Store, service: DraftingService, draft_id: int) -> None:
    """Draft the alt text of the slides without one, each from its own image (kept on the slides at once)."""
    state = st.session_state
    try:
        results = draft_carousel_alt_texts(
            db, service, draft_id, fresh=bool(state.get("fresh_ideas")), actor=current_actor()
        )
    except StudioError as exc:
        state["slides_error"] = error_text(exc.message, exc.fix)
        return
    forget(draft_id, [r["slide"] - 1 for r in results])
    if failed := [r for r in results if r["error"]]:
        state["slides_error"] = error_text("; ".join(f"Slide {r['slide']}: {r['error']}" for r in failed))
    if done := [r["slide"] for r in results if not r["error"]]:
        state["slides_note"] = f"Alt text drafted for carousel slide(s) {', '.join(map(str, done))}."


def _on_draft_slides(draft_id: int) -> None:
    """A callback runs in another thread than the script: it opens its own store."""
    db = store()
    try:
        service = services().drafting(db)
    except StudioError as exc:
        st.session_state["slides_error"] = error_text(exc.message, exc.fix)
        return
    draft_missing(db, service, draft_id)


def render(db: Store, cfg: Settings) -> None:
    draft_id = st.session_state.get("draft_id")
    items = carousel_items(db, draft_id) if draft_id else []
    if len(items) < 2:
        return
    st.markdown(f"**🎠 Carousel slides ({len(items)}): alt text per image**")
    st.caption(
        "✨ Draft copy writes the alt text of each slide that has none, looking at that image. "
        "Pinterest takes no alt text per slide: it is kept here, and the pin gets the first slide's when "
        "its own alt text is empty."
    )
    if note := st.session_state.pop("slides_note", None):
        st.caption(note)
    if err := st.session_state.pop("slides_error", None):
        st.error(err)
    title = st.session_state.get("title", "")
    voice = BrandVoice.from_settings(cfg)
    values: dict[int, str] = {}
    for item in items:
        key = alt_key(draft_id, item["position"])
        st.session_state.setdefault(key, item["alt_text"] or "")
        image, text = st.columns([1, 4])
        path = preview_image(cfg.data_dir, db.get_media(item["media_id"]))
        if path:
            image.image(str(path), width="stretch")
        with text:
            label = f"Slide {item['position'] + 1} alt text" + (f" · {item['title']}" if item["title"] else "")
            st.text_area(md(label), key=key, height=70)
            value = st.session_state.get(key) or ""
            values[item["position"]] = value
            if len(value) > constraints.ALT_TEXT_MAX:
                st.markdown(f":red[**{len(value)}/{constraints.ALT_TEXT_MAX}** characters — too long for Pinterest]")
            elif value:
                fields = {"title": item["title"] or title, "alt_text": value}
                problems = [r for r in lint(fields, voice=voice) if r["rule"].startswith("alt_text") and not r["ok"]]
                st.caption(f"{len(value)}/{constraints.ALT_TEXT_MAX} characters")
                for rule in problems:
                    st.markdown(f"⚠️ {md(rule['message'])}")
    stored = {i["position"]: i["alt_text"] or "" for i in items}
    unsaved = any(values[p].strip() != stored[p] for p in stored)
    left, right = st.columns(2)
    left.button(
        "✨ Draft alt text for slides without one",
        key="draft_slide_alts",
        on_click=action(_on_draft_slides),
        args=(draft_id,),
        disabled=all(stored.values()),
        help="Only the slides' alt text: the pin's title, description and alt text stay as they are.",
    )
    if right.button("💾 Save slide alt text", key="save_slide_alts", disabled=not unsaved):
        with errors_shown():
            changed = save_slide_alt_texts(db, draft_id, values, actor=current_actor())
            flash(f"Alt text saved for slide(s) {', '.join(str(p + 1) for p in changed)}.")
            st.rerun()
