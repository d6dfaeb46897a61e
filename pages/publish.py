"""Publish: approved pins, published with the configured publisher."""

import streamlit as st

from pages._ui import errors_shown, flash, reviewer, settings, show_flash, store
from studio.publishing import get_publisher
from studio.publishing.service import publish_draft

cfg = settings()
db = store()
st.title("🚀 Publish")
show_flash()

publisher = None
with errors_shown():
    publisher = get_publisher(cfg)
if publisher is not None and publisher.name == "dry-run":
    st.caption("Publisher: **dry run** — nothing is posted; the exact request is recorded in History.")
elif publisher is not None:
    st.caption(f"Publisher: **{publisher.name}**")

approved = db.list_drafts(["approved"], limit=100)
if not approved:
    st.info("No approved pins yet. Approve drafts on the Review page first.")

for draft in approved:
    with st.container(border=True):
        st.markdown(f"**#{draft.id} · {draft.title}** → board *{draft.board or '(none)'}*")
        if st.button("Publish now", key=f"publish_{draft.id}", type="primary", disabled=publisher is None):
            with errors_shown():
                job = publish_draft(db, publisher, draft.id, cfg.data_dir, actor=reviewer())
                if job["status"] == "published":
                    flash(f"Published #{draft.id}: {job['pin_url']}", "📌")
                else:
                    flash(f"#{draft.id} failed: {job['error_message']}", "❌")
                st.rerun()
