"""History: published and failed pins, with the request that was sent."""

import streamlit as st

from pages._ui import settings, store

cfg = settings()
db = store()
st.title("📜 History")

jobs = db.list_jobs(limit=200)
if not jobs:
    st.info("Nothing published yet. Published and failed pins appear here with the exact request sent.")

for job in jobs:
    draft = db.get_draft(job["draft_id"]) if job["draft_id"] else None
    icon = "📌" if job["status"] == "published" else ("❌" if job["status"] == "failed" else "⏳")
    title = draft.title if draft else "(payload)"
    with st.expander(f"{icon} job #{job['id']} · {title} · {job['status']} · {job['backend']}"):
        if job["pin_id"]:
            st.write(f"Pin: `{job['pin_id']}` — {job['pin_url']}")
        if job["error_message"]:
            st.error(job["error_message"])
        st.caption(f"Created {job['created_at']} · attempts {job['attempts']}")
        st.json(job["request"], expanded=False)
