"""Fresh pins on Compose: N templates × the draft's title alternatives → a gallery of designs; the chosen
ones become drafts of their own (same link, new image), or one carousel draft."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import action, current_actor, errors_shown, flash, services, store
from studio.bulk import carousel_from_designs
from studio.config import Settings
from studio.design import (
    brand_kit,
    cover_design,
    design_cover,
    fresh_designs,
    get_design,
    make_fresh_pins,
    template_names,
    use_design_as_cover,
)
from studio.storage import Store
from studio.text import escape_markdown as md

GALLERY_COLUMNS = 3


def _on_make(cfg: Settings, draft_id: int) -> None:
    """A callback runs in another thread than the script: it opens its own store."""
    state = st.session_state
    db = store()
    titles = [t.strip() for t in (state.get("fresh_titles") or "").splitlines() if t.strip()]
    try:
        with errors_shown():
            templates = list(state.get("fresh_templates") or [])
            made = fresh_designs(db, cfg, draft_id, templates, titles, actor=current_actor())
            state["fresh_designs"] = [d["id"] for d in made]
            state["fresh_for"] = draft_id
    finally:
        db.close()


def _video_cover(db: Store, cfg: Settings, draft_id: int, video_id: int) -> None:
    """One click: the first picked template over the video's frame, with the first title, is its cover."""
    state = st.session_state
    template = next(iter(state.get("fresh_templates") or []), None)
    title = next((t.strip() for t in (state.get("fresh_titles") or "").splitlines() if t.strip()), None)
    if st.button(
        f"🎬 Use a design as the video's cover ({template or 'default template'})",
        key="fresh_design_cover",
        help="Renders the template over the video's cover frame with the title; sent to Pinterest as the cover image.",
    ):
        with errors_shown():
            design = design_cover(db, cfg, draft_id, template=template, title=title, actor=current_actor())
            flash(f"Design #{design['id']} ({design['template']}) is now the video's cover image.")
            st.rerun()
    if current := cover_design(db, draft_id, video_id):
        st.image(str(cfg.data_dir / db.get_media(current["media_id"]).path), width=160)
        st.caption(f"Cover: design #{current['id']} ({md(current['template'])}), sent as the cover image.")
        if st.button("↩️ Use the video's frame as cover instead", key="fresh_cover_frame"):
            with errors_shown():
                use_design_as_cover(db, draft_id, None, actor=current_actor())
                flash("The video's cover is its frame again.")
                st.rerun()


def _chosen() -> list[int]:
    return [i for i in st.session_state.get("fresh_designs", []) if st.session_state.get(f"fresh_pick_{i}")]


def render(db: Store, cfg: Settings) -> None:
    state = st.session_state
    draft_id = state.get("draft_id")
    with st.expander("🎨 Fresh pins: new designs for the same link", expanded=bool(state.get("fresh_designs"))):
        if not draft_id:
            st.caption("Save the draft first: fresh pins are made from a saved draft's image and title.")
            return
        draft = db.get_draft(draft_id)
        asset = db.get_media(draft.media_id) if draft.media_id else None
        if asset is None or asset.kind not in ("image", "video"):
            st.caption("Fresh pins are made from an image; this draft has none.")
            return
        if asset.kind == "video":
            st.caption(
                "For a video, designs are made from its cover frame (the one chosen on the left, else the "
                "cover time, else the first frame); one can become the cover."
            )
        if state.get("fresh_for") != draft_id:  # another draft was opened: its gallery starts empty
            state.update(fresh_designs=[], fresh_for=draft_id, fresh_titles=draft.title)
        names = template_names(cfg.data_dir)
        default = brand_kit(db).default_template
        picks = [default, *[n for n in names if n != default]][:3]
        st.multiselect("Templates", names, default=[p for p in picks if p in names], key="fresh_templates")
        st.text_area("Titles (one per line: each title × each template)", key="fresh_titles", height=80)
        if asset.kind == "video":
            _video_cover(db, cfg, draft_id, asset.id)
        st.button("🎨 Make designs", key="fresh_make", on_click=action(_on_make), args=(cfg, draft_id))
        ids = state.get("fresh_designs") or []
        if not ids:
            return
        cols = st.columns(GALLERY_COLUMNS)
        for n, design_id in enumerate(ids):
            design = get_design(db, design_id)
            with cols[n % GALLERY_COLUMNS]:
                path = cfg.data_dir / db.get_media(design["media_id"]).path
                st.image(str(path), width="stretch")
                fits = "✅ text fits" if design["text_fits"] else "⚠️ text cut"
                contrast = "—" if design["contrast"] is None else f"{design['contrast']:.1f}:1"
                st.checkbox(f"{design['template']} · contrast {contrast} · {fits}", key=f"fresh_pick_{design_id}")
                st.text(design["title"])  # user text shown as text, never Markdown
        chosen = _chosen()
        c1, c2 = st.columns(2)
        if c1.button(f"➕ Make {len(chosen)} draft(s) from the chosen", key="fresh_drafts", disabled=not chosen):
            with errors_shown():
                made = make_fresh_pins(db, cfg, draft_id, chosen, actor=current_actor())
                when = ", ".join(m["suggested_at"][:10] for m in made)
                flash(
                    f"{len(made)} fresh pin draft(s) sent to review; suggested dates {when} (spaced apart): "
                    "once approved, Add to queue puts each on its date."
                )
                state["fresh_designs"] = []
                st.rerun()
        if asset.kind == "video" and st.button(
            "🎬 Use the chosen design as the video's cover", key="fresh_cover", disabled=len(chosen) != 1
        ):
            with errors_shown():
                use_design_as_cover(db, draft_id, chosen[0], actor=current_actor())
                flash("The design is now the video's cover (sent to Pinterest as the cover image).")
                st.rerun()
        if c2.button("🎠 Make one carousel from the chosen", key="fresh_carousel", disabled=not 2 <= len(chosen) <= 5):
            with errors_shown():
                # the carousel's own copy is drafted: not the original's title, alt text for each 2:3 design
                service = services().drafting(db)
                made = carousel_from_designs(db, cfg, service, draft_id, chosen, actor=current_actor())
                flash(f"Carousel draft #{made['draft_id']} with {made['items']} images sent to review.")
                state["fresh_designs"] = []
                st.rerun()
