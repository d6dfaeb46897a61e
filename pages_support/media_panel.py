"""Compose page, left column: bring media (upload, URL, samples, stored), its checklist, fixes, cover, before/after."""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from pages_support.ui import action as boundary
from pages_support.ui import current_actor, error_text, flash, services, show_error, store
from pages_support.upload_progress import upload_progress
from studio import constraints
from studio.config import Settings
from studio.drafts import change_cover
from studio.errors import StudioError
from studio.media import (
    FIX_LABELS,
    MediaReport,
    add_samples,
    apply_fix,
    available_fixes,
    check_path,
    checklist,
    fetch_url,
    human_bytes,
    ingest_bytes,
    ingest_path,
    media_path,
    sample_topic,
    thumbnail,
)
from studio.models import MediaAsset
from studio.storage import Store

ICON = {"ok": "🟢", "warning": "🟠", "error": "🔴"}
VIDEO_FIXES_WITH_PROGRESS = {"transcode", "trim"}


@st.cache_data(show_spinner=False, max_entries=256)
def _report(path: str) -> MediaReport:
    # Stored media are named by content hash and never change: one check per file per server.
    # The studio publishes local images as JPEG/PNG (Pinterest's base64 path), so animation is lost.
    return check_path(Path(path), animated_flatten=True)


def _select(media_id: int) -> None:
    """Make `media_id` the current media; the picker follows on the next run (its widget may exist already)."""
    st.session_state["media_id"] = media_id
    for key in ("cover_media_id", "cover_offset_s"):  # a cover belongs to the video it was taken from
        st.session_state.pop(key, None)


@boundary
def _on_pick_media() -> None:
    """A media picked from the list becomes the pin's media (an open draft takes it when saved)."""
    picked = st.session_state.get("media_pick")
    if picked and picked != st.session_state.get("media_id"):
        _select(picked)
        if not st.session_state.get("topic"):
            st.session_state["topic"] = sample_topic(store().get_media(picked).original_name)


def _use(asset: MediaAsset, duplicate: bool, what: str) -> None:
    """The new media becomes the pin's media; the copy typed so far stays (an open draft takes it when saved)."""
    _select(asset.id)
    if duplicate:
        flash(f"You added this {what} before (media #{asset.id}); using the stored copy.", "♻️")


def _upload_key() -> str:
    """The uploader's key: a refused file is dropped by giving the uploader a fresh key (Streamlit can't clear it)."""
    n = st.session_state.get("upload_round", 0)
    return "upload" if not n else f"upload_{n}"


def _on_upload(cfg: Settings, key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        asset, duplicate = ingest_bytes(store(), cfg.data_dir, upload.getvalue(), upload.name)
    except StudioError as exc:
        st.session_state["upload_error"] = error_text(f"{upload.name}: {exc.message}", exc.fix)
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1  # not left as if accepted
        return
    _use(asset, duplicate, "file")


@boundary
def _on_fetch(cfg: Settings) -> None:
    url = (st.session_state.get("media_url") or "").strip()
    if not url:
        return
    name = Path(urlparse(url).path).name or "download"
    try:
        path = fetch_url(url, cfg.data_dir, http=services().fetch_http)
        asset, duplicate = ingest_path(store(), cfg.data_dir, path, name, move=True)
    except StudioError as exc:
        st.session_state["upload_error"] = error_text(f"{url[:80]}: {exc.message}", exc.fix)
        # The media shown before belongs to no link the user gave: don't leave it looking like the result.
        for key in ("media_id", "cover_media_id", "cover_offset_s"):
            st.session_state.pop(key, None)
        st.session_state["media_pick"] = None  # else the picker would bring the old media straight back
        return
    _use(asset, duplicate, "file")


def _preview(db: Store, cfg: Settings, asset: MediaAsset) -> None:
    path = media_path(cfg.data_dir, asset)
    if asset.kind == "video":
        st.video(str(path))
    else:
        try:
            st.image(str(thumbnail(cfg.data_dir, asset)), width="stretch")
        except (OSError, StudioError):
            st.caption("No preview for this file.")


def _checklist(report: MediaReport) -> None:
    for status, text in checklist(report):
        st.markdown(f"{ICON[status]} {text}")


def _fix_buttons(db: Store, cfg: Settings, asset: MediaAsset, report: MediaReport) -> None:
    actions = available_fixes(report)
    if not actions:
        if report.errors:
            st.caption(f"No one-click fix can make this file work. {report.errors[0].fix}")
        return
    st.markdown("**One-click fixes** (the original is kept)")
    options: dict = {}
    if {"pad_2x3", "crop_2x3"} & set(actions):
        c1, c2 = st.columns(2)
        colours = db.media_facts(asset.id).get("dominant_colours") or ["#ffffff"]
        options["colour"] = c1.color_picker("Pad colour", colours[0], key=f"pad_colour_{asset.id}")
        focus = c2.select_slider(
            "Crop around", ["left/top", "centre", "right/bottom"], "centre", key=f"crop_focus_{asset.id}"
        )
        options["focus"] = {"left/top": (0.0, 0.0), "centre": (0.5, 0.5), "right/bottom": (1.0, 1.0)}[focus]
    cols = st.columns(len(actions))
    for col, action in zip(cols, actions):
        if col.button(FIX_LABELS[action], key=f"fix_{action}", width="stretch"):
            _run_fix(db, cfg, asset, action, options)


def _run_fix(db: Store, cfg: Settings, asset: MediaAsset, action: str, options: dict) -> None:
    kwargs = {
        k: v
        for k, v in options.items()
        if (k == "colour" and action == "pad_2x3") or (k == "focus" and action == "crop_2x3")
    }
    if action in VIDEO_FIXES_WITH_PROGRESS:
        bar = st.progress(0.0, text=f"{FIX_LABELS[action]}…")
        # Pressing Cancel reruns the script: Streamlit stops this run at the next progress
        # update, and run_ffmpeg's cleanup terminates ffmpeg and drops the partial file.
        st.button("Cancel", key="cancel_fix")
        kwargs["on_progress"] = lambda done: bar.progress(done, text=f"{FIX_LABELS[action]}… {done:.0%}")
    try:
        fixed = apply_fix(db, cfg.data_dir, asset, action, **kwargs)
    except StudioError as exc:
        show_error(exc)
        return
    _select(fixed.id)
    flash(f"{FIX_LABELS[action]}: done. The original is kept as media #{asset.id}.")
    st.rerun()


def _cover_picker(db: Store, cfg: Settings, asset: MediaAsset) -> None:
    duration = asset.duration_s or 0.0
    if duration <= 0:
        return
    st.markdown("**Cover frame**")
    last = float(max(0, math.ceil(duration) - 1))  # Pinterest's cover time is whole seconds inside the video
    if last <= 0:
        st.caption("The video is too short to choose a cover: Pinterest will use its first frame.")
        return
    key = f"cover_at_{asset.id}"
    offset = st.slider(
        "Time of the cover (s)",
        0.0,
        last,
        min(1.0, last),
        1.0,
        key=key,
        help="Pinterest takes the cover time in whole seconds.",
    )
    try:
        st.image(str(thumbnail(cfg.data_dir, asset, offset)), width="stretch", caption=f"Frame at {offset:.1f} s")
    except StudioError as exc:
        show_error(exc)
        return
    if st.button(FIX_LABELS["cover_frame"], key="use_cover"):
        try:
            cover = apply_fix(db, cfg.data_dir, asset, "cover_frame", offset_s=offset)
        except StudioError as exc:
            show_error(exc)
            return
        st.session_state["cover_offset_s"] = offset
        st.session_state["cover_media_id"] = cover.id
        saved = ""
        if draft_id := st.session_state.get("draft_id"):
            change_cover(db, draft_id, asset.id, offset, cover.id, actor=current_actor())
            saved = f" Saved with draft #{draft_id}."
        flash(f"Cover set to the frame at {offset:.0f} s (media #{cover.id}).{saved}")
        st.rerun()
    if st.session_state.get("cover_media_id") and st.session_state.get("cover_offset_s") is not None:
        st.caption(f"Chosen cover: the frame at {st.session_state['cover_offset_s']:.0f} s.")


def _before_after(db: Store, cfg: Settings, asset: MediaAsset) -> None:
    if not asset.source_id:
        return
    try:
        source = db.get_media(asset.source_id)
    except StudioError:
        return
    with st.expander(f"Before / after: {FIX_LABELS.get(asset.fix or '', asset.fix or 'fix')}", expanded=True):
        before, after = st.columns(2)
        for col, item, title in ((before, source, "Before"), (after, asset, "After")):
            with col:
                st.markdown(f"**{title}** · #{item.id}")
                if item.kind == "video":
                    st.video(str(media_path(cfg.data_dir, item)))
                else:
                    st.image(str(thumbnail(cfg.data_dir, item)), width="stretch")
                _checklist(_report(str(media_path(cfg.data_dir, item))))
        if st.button(f"Go back to the original (#{source.id})", key="use_original"):
            _select(source.id)
            st.rerun()


def _facts_line(asset: MediaAsset, report: MediaReport) -> str:
    f = report.facts
    parts = [(f.format or asset.format or "?").upper(), f"{f.width}×{f.height} px" if f.width else ""]
    if report.kind == "video":
        parts += [f"{f.duration_s or 0:.1f} s", "/".join(c for c in (f.video_codec, f.audio_codec) if c)]
    parts += [human_bytes(f.bytes or asset.bytes)]
    return " · ".join(p for p in parts if p)


def _label(m: MediaAsset) -> str:
    size = f"{m.width}×{m.height}" if m.width else "?"
    extra = f", {m.duration_s:.0f} s" if m.kind == "video" and m.duration_s else ""
    fixed = f" ← fixed from #{m.source_id}" if m.source_id else ""
    return f"#{m.id} {m.original_name or m.sha256[:8]} ({m.kind}, {size}{extra}){fixed}"


def render(db: Store, cfg: Settings) -> None:
    media = db.list_media(limit=200)
    if not media:
        st.info(
            "No media yet. Upload an image or a video, paste a link, or start with a few sample images "
            "made on this machine."
        )
        if st.button("Add sample images", key="add_samples"):
            add_samples(db, cfg.data_dir)
            flash("Added 3 sample images. Pick one below.")
            st.rerun()
    upload_key = _upload_key()
    upload_progress()  # a percentage while a big video travels
    st.file_uploader(
        "Upload an image or a video",
        key=upload_key,
        on_change=boundary(_on_upload),
        args=(cfg, upload_key),
        max_upload_size=constraints.VIDEO_MAX_BYTES // constraints.MB,  # the largest file Pinterest takes
        help="Images: JPEG, PNG, GIF, WEBP. Videos: MP4, MOV. The content is checked, not the file name.",
    )
    st.caption(
        f"Pinterest takes images up to {constraints.IMAGE_MAX_BYTES // constraints.MB} MB (a bigger one can be "
        f"shrunk here after upload) and videos up to {constraints.VIDEO_MAX_BYTES // (1024 * constraints.MB)} GB."
    )
    with st.form("fetch_form", clear_on_submit=False, border=False):
        st.text_input("…or paste a link to an image or video", key="media_url", placeholder="https://…")
        st.form_submit_button("Fetch", on_click=_on_fetch, args=(cfg,))
    if err := st.session_state.pop("upload_error", None):
        st.error(err)
    if media:
        ids = [m.id for m in media]
        labels = {m.id: _label(m) for m in media}
        current = st.session_state.get("media_id")
        # The picker shows the current media (set before the widget exists, so no stale choice).
        if current in ids:
            st.session_state["media_pick"] = current
        elif st.session_state.get("media_pick") not in ids:
            st.session_state["media_pick"] = None
        picked = st.selectbox(
            "…or pick stored media",
            ids,
            format_func=labels.get,
            key="media_pick",
            placeholder="Choose an image or a video",
            on_change=_on_pick_media,
        )
        if picked and picked != current and not st.session_state.get("draft_id"):  # kept after "New pin"
            st.session_state["media_id"] = picked
            if not st.session_state.get("topic"):
                st.session_state["topic"] = sample_topic(db.get_media(picked).original_name)
            st.rerun()
    media_id = st.session_state.get("media_id")
    if not media_id:
        return
    try:
        asset = db.get_media(media_id)
    except StudioError as exc:
        show_error(exc)
        return
    report = _report(str(media_path(cfg.data_dir, asset)))
    preview, checks = st.columns([3, 2])
    with preview:
        _preview(db, cfg, asset)
        st.caption(_facts_line(asset, report))
    with checks:
        verdict = (
            "Ready for Pinterest"
            if report.ok and not report.warnings
            else "Publishable, with warnings"
            if report.ok
            else "Needs a fix before review"
        )
        st.markdown(
            f"**{ICON['ok' if report.ok and not report.warnings else 'warning' if report.ok else 'error']} {verdict}**"
        )
        _checklist(report)
    _fix_buttons(db, cfg, asset, report)
    if asset.kind == "video" and report.facts.duration_s:
        _cover_picker(db, cfg, asset)
    _before_after(db, cfg, asset)
