"""Review: approve or reject drafts waiting for review."""

import streamlit as st

from pages._ui import STATUS_BADGE, errors_shown, flash, reviewer, settings, show_flash, store
from studio.media import media_path
from studio.workflow import approve, reject

cfg = settings()
db = store()
st.title("🔎 Review")
show_flash()

queue = db.list_drafts(["in_review"], limit=50)
if not queue:
    st.info("Nothing waits for review. Drafts submitted on the Compose page show up here.")

for draft in queue:
    with st.container(border=True):
        left, right = st.columns([1, 3])
        if draft.media_id:
            asset = db.get_media(draft.media_id)
            left.image(str(media_path(cfg.data_dir, asset)), width="stretch")
        right.markdown(f"**#{draft.id} · {draft.title}**  \n{STATUS_BADGE[draft.status.value]}")
        right.write(draft.description)
        right.caption(f"Alt text: {draft.alt_text or '—'}")
        right.caption(f"Board: {draft.board or '—'} · Link: {draft.link or '—'}")
        note = right.text_input("Note", key=f"note_{draft.id}", placeholder="Required to reject")
        a, r = right.columns(2)
        if a.button("✅ Approve", key=f"approve_{draft.id}", width="stretch"):
            with errors_shown():
                approve(db, draft.id, actor=reviewer(), note=note)
                flash(f"Approved #{draft.id}.")
                st.rerun()
        if r.button("❌ Reject", key=f"reject_{draft.id}", width="stretch"):
            with errors_shown():
                reject(db, draft.id, actor=reviewer(), note=note)
                flash(f"Rejected #{draft.id}.", "🔴")
                st.rerun()
