"""Compose: what reviewers said about the open draft. The "changes requested" reason at the top of the
draft, and the comment thread (with a reply box) in the sidebar beside the editor."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import action, current_actor, error_text, store
from studio.drafts import changes_requested, comment, thread
from studio.errors import StudioError
from studio.storage import Store
from studio.text import escape_markdown


@action
def _reply(draft_id: int) -> None:
    text = st.session_state.get(f"reply_{draft_id}", "")
    own = store()  # callbacks may run on another thread than the page body's store
    try:
        comment(own, draft_id, text, actor=current_actor())
        st.session_state[f"reply_{draft_id}"] = ""
    except StudioError as exc:
        st.session_state["_notes_error"] = error_text(exc.message, exc.fix)
    finally:
        own.close()


def render(db: Store) -> None:
    """The reviewers' notes on the draft open in Compose (nothing for a new pin)."""
    draft_id = st.session_state.get("draft_id")
    if not draft_id:
        return
    try:
        reason = changes_requested(db, draft_id)
        notes = thread(db, draft_id)
    except StudioError:
        return  # the draft is gone; the editor says so
    if reason:
        said = escape_markdown(reason["note"]) if reason["note"] else "(no note)"
        st.warning(
            f"**{reason['kind'].capitalize()} by {escape_markdown(reason['who'])}:** {said}  \n"
            "Edit the pin, then submit it for review again.",
            icon="↩️",
        )
    with st.sidebar:
        st.markdown(f"**💬 Notes on #{draft_id}** ({len(notes)})")
        if message := st.session_state.pop("_notes_error", None):
            st.error(message)
        with st.container(height=320 if len(notes) > 4 else "content", border=False):
            if not notes:
                st.caption("No comments yet. Reviewers' notes appear here.")
            for note in notes:
                icon = {"rejected": "🔴", "approved": "🟢"}.get(note["kind"], "💬")
                st.markdown(
                    f"{icon} **{escape_markdown(note['who'])}** · `{note['at'][:16].replace('T', ' ')}`",
                )
                st.text(note["text"])
        st.text_input("Reply", key=f"reply_{draft_id}", placeholder="Answer the reviewer…")
        st.button("Send", key=f"reply_send_{draft_id}", on_click=_reply, args=(draft_id,))
