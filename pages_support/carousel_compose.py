"""Compose: a carousel from any photos. Several photos uploaded at once (or picked from stored media) become
2–5 slides in order (↑/↓ to move one), each with its own title, description, link and alt text, each image
checked like a single pin's with the fixes that apply; saved as one carousel draft (studio.design.save_carousel)
with the pin's copy from the fields beside it, which ✨ drafts for the carousel and its slides."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import action, current_actor, error_text, flash, services, store
from pages_support.upload_progress import upload_progress
from studio import constraints
from studio.config import Settings
from studio.design import CarouselCheck, check_slides, save_carousel
from studio.drafting import draft_carousel_copy
from studio.errors import StudioError
from studio.media import (
    CAROUSEL_MAX_ITEMS,
    FIX_LABELS,
    SAME_SIZE_MODES,
    apply_fix,
    ingest_bytes,
    same_size,
    thumbnail,
)
from studio.storage import Store
from studio.text import escape_markdown as md

SLIDES = "carousel_slides"  # the slides' media ids, in order; each slide's widgets are keyed by its media id
SLIDE_FIELDS = ("title", "description", "link", "alt_text")
LABELS = {"title": "title", "description": "description", "link": "link", "alt_text": "alt text"}
PIN_FIELDS = ("title", "description", "alt_text", "link", "board", "topic", "keywords", "account")
ICON = {"error": "🔴", "warning": "🟠"}


def field_key(media_id: int, name: str) -> str:
    return f"car_{name}_{media_id}"


def _slides() -> list[int]:
    return list(st.session_state.get(SLIDES) or [])


def _set_slides(ids: list[int]) -> None:
    st.session_state[SLIDES] = ids


def _add(ids: list[int]) -> None:
    current = _slides()
    _set_slides(current + [i for i in dict.fromkeys(ids) if i not in current])


def _upload_key() -> str:
    """A fresh key after each upload: Streamlit can't clear an uploader, and its files are stored by then."""
    return f"carousel_upload_{st.session_state.get('carousel_round', 0)}"


def _on_upload(cfg: Settings, key: str) -> None:
    """Every file stored and checked; those that can't be a picture at all are named with the reason."""
    db = store(cfg)
    added, refused = [], []
    for upload in st.session_state.get(key) or []:
        try:
            asset, _duplicate = ingest_bytes(db, cfg.data_dir, upload.getvalue(), upload.name)
        except StudioError as exc:
            refused.append(error_text(f"{upload.name}: {exc.message}", exc.fix))
            continue
        added.append(asset.id)
    _add(added)
    if refused:
        st.session_state["carousel_error"] = "  \n".join(refused)
    st.session_state["carousel_round"] = st.session_state.get("carousel_round", 0) + 1


def _on_pick() -> None:
    _add([int(i) for i in st.session_state.get("carousel_pick") or []])
    st.session_state["carousel_pick"] = []


def _on_move(media_id: int, step: int) -> None:
    ids = _slides()
    at = ids.index(media_id)
    to = min(max(at + step, 0), len(ids) - 1)
    ids[at], ids[to] = ids[to], ids[at]
    _set_slides(ids)


def _on_remove(media_id: int) -> None:
    _set_slides([i for i in _slides() if i != media_id])
    for name in SLIDE_FIELDS:
        st.session_state.pop(field_key(media_id, name), None)


def _replace(old: int, new: int) -> None:
    """A fixed image takes its slide's place; the copy typed for the slide moves with it."""
    if old == new:
        return
    _set_slides([new if i == old else i for i in _slides()])
    for name in SLIDE_FIELDS:
        st.session_state[field_key(new, name)] = st.session_state.pop(field_key(old, name), "")


def _on_fix(cfg: Settings, media_id: int, action: str) -> None:
    db = store(cfg)
    try:
        fixed = apply_fix(db, cfg.data_dir, db.get_media(media_id), action)
    except StudioError as exc:
        st.session_state["carousel_error"] = error_text(exc.message, exc.fix)
        return
    _replace(media_id, fixed.id)
    flash(f"{FIX_LABELS[action]}: done. The original is kept as media #{media_id}.")


def _on_same_size(cfg: Settings, mode: str) -> None:
    db = store(cfg)
    ids = _slides()
    try:
        fixed = same_size(db, cfg.data_dir, [db.get_media(i) for i in ids], mode)
    except StudioError as exc:
        st.session_state["carousel_error"] = error_text(exc.message, exc.fix)
        return
    for old, new in zip(ids, fixed):
        _replace(old, new.id)
    flash(f"{SAME_SIZE_MODES[mode]}: done. The originals are kept.")


def _slide_copy(media_id: int) -> dict:
    state = st.session_state
    return {"media_id": media_id, **{name: state.get(field_key(media_id, name)) or "" for name in SLIDE_FIELDS}}


def _on_draft(cfg: Settings) -> None:
    """The carousel's copy into the pin's fields, and each slide's alt text where none is typed."""
    state = st.session_state
    ids = _slides()
    db = store(cfg)
    try:
        result = draft_carousel_copy(
            services().drafting(db),
            [{"media_id": i, "title": state.get(field_key(i, "title")) or ""} for i in ids],
            topic=state.get("topic", ""),
            keywords=state.get("keywords", ""),
            link=state.get("link", ""),
            board=state.get("board", ""),
            fresh=bool(state.get("fresh_ideas")),
        )
    except StudioError as exc:
        state["carousel_error"] = error_text(exc.message, exc.fix)
        return
    out = result.output
    state.update(title=out.title, description=out.description, alt_text=out.alt_text)
    state["drafted_by"] = f"{out.provider} / {out.model}"
    state["llm_call_ids"] = [*state.get("llm_call_ids", []), *([result.call_id] if result.call_id else [])]
    for media_id, alt in zip(ids, out.slide_alt_texts):
        if alt and not state.get(field_key(media_id, "alt_text")):
            state[field_key(media_id, "alt_text")] = alt
    state["carousel_note"] = "Drafted for the carousel: the title, description and alt text on the right, and the "
    state["carousel_note"] += "alt text of each slide that had none."


def _on_save(cfg: Settings) -> None:
    from pages_support.copy_panel import load_draft

    state = st.session_state
    ids = _slides()
    db = store(cfg)
    fields = {name: state.get(name, "") for name in PIN_FIELDS}
    try:
        draft = save_carousel(db, cfg.data_dir, [_slide_copy(i) for i in ids], fields, actor=current_actor())
    except StudioError as exc:
        state["carousel_error"] = error_text(exc.message, exc.fix)
        return
    for media_id in ids:
        for name in SLIDE_FIELDS:
            state.pop(field_key(media_id, name), None)
    _set_slides([])
    load_draft(draft.id)  # the carousel opens on Compose: its copy on the right, its slides' alt text below
    flash(f"Carousel draft #{draft.id} with {len(ids)} slides saved. Submit it for review when it's ready.")


def render(db: Store, cfg: Settings) -> None:
    state = st.session_state
    ids = _slides()
    with st.expander("🎠 Carousel: several photos in one pin", expanded=bool(ids)):
        st.caption(
            f"Upload 2–{CAROUSEL_MAX_ITEMS} photos at once (or pick stored ones): each becomes a slide with its own "
            "title, description, link and alt text. The pin's title, description, board and link are the fields "
            "on the right; ✨ drafts them for the carousel."
        )
        key = _upload_key()
        upload_progress()
        st.file_uploader(
            "Upload photos for a carousel",
            accept_multiple_files=True,
            max_upload_size=constraints.IMAGE_MAX_BYTES // constraints.MB,  # Pinterest's limit for an image
            key=key,
            on_change=action(_on_upload),
            args=(cfg, key),
            help="Images only (JPEG, PNG, WEBP, GIF, HEIC), up to 20 MB each. The content is checked, not the name.",
        )
        images = {m.id: m for m in db.list_media(limit=200) if m.kind == "image" and m.id not in ids}
        if images:
            left, right = st.columns([4, 1], vertical_alignment="bottom")
            left.multiselect(
                "…or pick stored images",
                list(images),
                format_func=lambda i: f"#{i} {images[i].original_name or images[i].sha256[:8]}",
                key="carousel_pick",
                placeholder="Choose images to add",
            )
            right.button(
                "➕ Add", key="carousel_add", on_click=action(_on_pick), disabled=not state.get("carousel_pick")
            )
        if err := state.pop("carousel_error", None):
            st.error(err)
        if note := state.pop("carousel_note", None):
            st.caption(note)
        if not ids:
            return
        check = check_slides(db, cfg.data_dir, ids)
        _carousel_issues(cfg, check)
        for slide in check.slides:
            _slide(db, cfg, slide, len(ids))
        draft_col, save_col = st.columns(2)
        draft_col.button(
            "✨ Draft carousel copy",
            key="carousel_draft",
            on_click=action(_on_draft),
            args=(cfg,),
            width="stretch",
            help="The pin's title and description for the carousel as a whole, and each slide's alt text from "
            "its own image (slides whose alt text you typed keep it).",
        )
        save_col.button(
            f"💾 Save as carousel draft ({len(ids)} slides)",
            key="carousel_save",
            on_click=action(_on_save),
            args=(cfg,),
            type="primary",
            width="stretch",
            disabled=not check.ok,
            help=None if check.ok else "Fix the problems above first.",
        )


def _carousel_issues(cfg: Settings, check: CarouselCheck) -> None:
    """What stops the carousel as a whole (count, duplicates, sizes), with the fix that applies."""
    for issue in check.issues:
        st.error(error_text(issue.message, issue.fix), icon="🎠")
    for issue in check.warnings:
        st.warning(error_text(issue.message, issue.fix))
    if any(i.code == "carousel_dimensions" for i in check.issues):
        cols = st.columns(len(SAME_SIZE_MODES))
        for col, (mode, label) in zip(cols, SAME_SIZE_MODES.items()):
            col.button(label, key=f"carousel_same_{mode}", on_click=action(_on_same_size), args=(cfg, mode))


def _slide(db: Store, cfg: Settings, slide, count: int) -> None:
    """One slide: its picture and checks, its own copy, and the buttons that move or remove it."""
    media_id, n = slide.media_id, slide.position + 1
    asset = db.get_media(media_id)
    with st.container(border=True, key=f"car_slide_{media_id}"):
        picture, fields, moves = st.columns([0.8, 4, 0.4])
        with picture:
            try:
                st.image(str(thumbnail(cfg.data_dir, asset)), width="stretch")
            except (OSError, StudioError):
                st.caption("No preview for this file.")
            facts = slide.report.facts
            st.caption(f"**Slide {n}** · {facts.width}×{facts.height} {facts.format or ''}")
            st.text(asset.original_name or f"media #{media_id}")  # a file name is shown as text
        with fields:
            for issue in slide.errors:
                st.markdown(f"{ICON['error']} Slide {n}: {md(issue.message)} {md(issue.fix)}")
            for issue in slide.warnings:
                st.markdown(f"{ICON['warning']} Slide {n}: {md(issue.message)}")
            if slide.fixes and (slide.errors or slide.warnings):
                cols = st.columns(len(slide.fixes))
                for col, fix in zip(cols, slide.fixes):
                    col.button(
                        FIX_LABELS[fix],
                        key=f"car_fix_{fix}_{media_id}",
                        on_click=action(_on_fix),
                        args=(cfg, media_id, fix),
                    )
            title, link = st.columns(2)
            title.text_input(f"Slide {n} title", key=field_key(media_id, "title"))
            link.text_input(f"Slide {n} link", key=field_key(media_id, "link"), placeholder="https://…")
            description, alt = st.columns(2)
            description.text_area(f"Slide {n} description", key=field_key(media_id, "description"), height=110)
            alt.text_area(f"Slide {n} alt text", key=field_key(media_id, "alt_text"), height=110)
        with moves:
            st.button(
                "↑",
                key=f"car_up_{media_id}",
                on_click=action(_on_move),
                args=(media_id, -1),
                disabled=n == 1,
                help="Move this slide earlier",
            )
            st.button(
                "↓",
                key=f"car_down_{media_id}",
                on_click=action(_on_move),
                args=(media_id, 1),
                disabled=n == count,
                help="Move this slide later",
            )
            st.button(
                "✕",
                key=f"car_remove_{media_id}",
                on_click=action(_on_remove),
                args=(media_id,),
                help="Remove this slide (the image stays stored)",
            )
