"""Compose page, left column: bring media (upload, samples, stored) and show its facts."""

from __future__ import annotations

import streamlit as st

from pages._ui import flash, store
from studio.config import Settings
from studio.errors import StudioError
from studio.media import ingest_image, media_path
from studio.samples import add_samples, sample_topic
from studio.storage import Store


def _on_upload(cfg: Settings) -> None:
    upload = st.session_state.get("upload")
    if upload is None:
        return
    try:
        asset, duplicate = ingest_image(store(), cfg.data_dir, upload.getvalue(), upload.name)
    except StudioError as exc:
        st.session_state["upload_error"] = f"**{upload.name}: {exc.message}** {exc.fix}"
        return
    from pages._copy_panel import new_pin

    new_pin()
    st.session_state["media_id"] = asset.id
    if duplicate:
        flash(f"You uploaded this image before (media #{asset.id}); using the stored copy.", "♻️")


def render(db: Store, cfg: Settings) -> None:
    media = db.list_media(limit=200)
    if not media:
        st.info("No media yet. Upload an image, or start with a few sample images made on this machine.")
        if st.button("Add sample images", key="add_samples"):
            add_samples(db, cfg.data_dir)
            flash("Added 3 sample images. Pick one below.")
            st.rerun()
    st.file_uploader("Upload an image", key="upload", on_change=_on_upload, args=(cfg,),
                     help="JPEG, PNG, GIF or WEBP. The content is checked, not the file name.")
    if err := st.session_state.pop("upload_error", None):
        st.error(err)
    if media:
        ids = [m.id for m in media]
        labels = {m.id: f"#{m.id} {m.original_name or m.sha256[:8]} ({m.width}×{m.height})" for m in media}
        current = st.session_state.get("media_id")
        picked = st.selectbox("…or pick stored media", ids, index=ids.index(current) if current in ids else None,
                              format_func=labels.get, key="media_pick", placeholder="Choose an image")
        if picked and picked != current and not st.session_state.get("draft_id"):
            st.session_state["media_id"] = picked
            if not st.session_state.get("topic"):
                st.session_state["topic"] = sample_topic(db.get_media(picked).original_name)
            st.rerun()
    media_id = st.session_state.get("media_id")
    if media_id:
        try:
            asset = db.get_media(media_id)
        except StudioError as exc:
            st.error(f"**{exc.message}** {exc.fix}")
            return
        st.image(str(media_path(cfg.data_dir, asset)), width="stretch")
        facts = db.media_facts(media_id)
        st.caption(f"{asset.format} · {asset.width}×{asset.height} px · {asset.bytes / 1024:.0f} KB · "
                   f"{facts.get('orientation', '')}")
