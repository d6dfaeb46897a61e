"""Compose's work in progress (studio.drafts.autosave): restored when the person comes back, with a note and
a Discard button; kept on every run that changed what they typed. Pages hold no logic: this is the glue."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from pages_support.copy_panel import load_draft, new_pin
from pages_support.ui import action, current_actor, store
from studio.config import Settings
from studio.drafts import autosave, autosaved, discard_autosave
from studio.models import Draft
from studio.scheduling import zone
from studio.storage import Store

KEPT = ("title", "description", "alt_text", "topic", "keywords", "link", "board", "account")
TYPED = ("title", "description", "alt_text", "topic", "keywords", "link")  # boxes whose state a page change drops


def _snapshot() -> dict:
    state = st.session_state
    return {
        "media_id": state.get("media_id"),
        "draft_id": state.get("draft_id"),
        "fields": {name: str(state.get(name) or "") for name in KEPT},
    }


def restore(db: Store) -> None:
    """After a page change, Back or a reload (the boxes' state is gone), bring back what was left unsaved."""
    state = st.session_state
    if any(name in state for name in TYPED):
        return  # the boxes still hold this session's typing
    media_id = state.get("media_id")
    kept = autosaved(db, media_id, actor=current_actor(), latest=media_id is None)
    if kept is None:
        return
    state.update(kept["fields"])
    if kept["media_id"] and not media_id:
        state["media_id"] = kept["media_id"]
    if kept["draft_id"] and not state.get("draft_id"):
        state["draft_id"] = kept["draft_id"]
        state["draft_version"] = db.get_draft(kept["draft_id"]).version
    state["_autosave_restored"] = kept["saved_at"]
    state["_autosave_last"] = _snapshot()


@action
def _discard() -> None:
    state = st.session_state
    own = store()
    try:
        discard_autosave(own, state.get("media_id"), actor=current_actor())
    finally:
        own.close()
    state.pop("_autosave_restored", None)
    media_id = state.get("media_id")
    if state.get("draft_id"):
        load_draft(state["draft_id"])  # back to the draft as saved
    else:
        new_pin()
        state["media_id"] = media_id  # the photo stays; only the unsaved copy goes
    state["_autosave_last"] = _snapshot()


def note(db: Store, cfg: Settings) -> None:
    """ "Restored your unsaved changes from HH:MM — Discard", while the restored work is on screen."""
    saved_at = st.session_state.get("_autosave_restored")
    if not saved_at:
        return
    if _same_as_saved(db, _snapshot()):  # saved since: nothing is unsaved any more
        st.session_state.pop("_autosave_restored", None)
        return
    local = datetime.fromisoformat(saved_at).astimezone(zone(cfg.timezone or "UTC"))
    text, button = st.columns([5, 1], vertical_alignment="center")
    text.info(f"Restored your unsaved changes from {local:%H:%M}.", icon="💾")
    button.button("Discard", key="autosave_discard", on_click=_discard, help="Throw away the unsaved changes")


def _same_as_saved(db: Store, snapshot: dict) -> bool:
    if not snapshot["draft_id"]:
        return False
    draft: Draft = db.get_draft(snapshot["draft_id"])
    return all(str(getattr(draft, name) or "") == value for name, value in snapshot["fields"].items())


def keep(db: Store) -> None:
    """Autosave what is typed now, if it changed since the last run (nothing typed: nothing to keep)."""
    state = st.session_state
    snapshot = _snapshot()
    if snapshot == state.get("_autosave_last"):
        return
    state["_autosave_last"] = snapshot
    if not any(snapshot["fields"].values()) or _same_as_saved(db, snapshot):
        return
    autosave(db, snapshot["media_id"], snapshot["fields"], actor=current_actor(), draft_id=snapshot["draft_id"])
