"""Compose, for a carousel draft: each slide's image with its own alt text, drafted per image by
"Draft copy" (slides without one) and editable here. Pinterest takes no alt text per carousel slide:
it stays in the studio, and the pin is sent the first slide's when it has none of its own."""

from __future__ import annotations

import streamlit as st

from pages._ui import errors_shown, flash, reviewer
from studio import constraints as C
from studio.config import Settings
from studio.design import carousel_items, save_slide_alt_texts
from studio.drafts import BrandVoice, lint
from studio.media import preview_image
from studio.storage import Store
from studio.text import escape_markdown as md


def alt_key(draft_id: int, position: int) -> str:
    return f"slide_alt_{draft_id}_{position}"


def forget(draft_id: int, positions: list[int]) -> None:
    """Let these slides' fields show what is stored now (after drafting), leaving other typing alone."""
    for position in positions:
        st.session_state.pop(alt_key(draft_id, position), None)


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
            if len(value) > C.ALT_TEXT_MAX:
                st.markdown(f":red[**{len(value)}/{C.ALT_TEXT_MAX}** characters — too long for Pinterest]")
            elif value:
                fields = {"title": item["title"] or title, "alt_text": value}
                problems = [r for r in lint(fields, voice=voice) if r["rule"].startswith("alt_text") and not r["ok"]]
                st.caption(f"{len(value)}/{C.ALT_TEXT_MAX} characters")
                for rule in problems:
                    st.markdown(f"⚠️ {md(rule['message'])}")
    stored = {i["position"]: i["alt_text"] or "" for i in items}
    unsaved = any(values[p].strip() != stored[p] for p in stored)
    if st.button("💾 Save slide alt text", key="save_slide_alts", disabled=not unsaved):
        with errors_shown():
            changed = save_slide_alt_texts(db, draft_id, values, actor=reviewer())
            flash(f"Alt text saved for slide(s) {', '.join(str(p + 1) for p in changed)}.")
            st.rerun()
