"""Settings: who you are in this session, and the effective configuration (secrets masked)."""

import streamlit as st

from pages._ui import settings

cfg = settings()
st.title("⚙️ Settings")

st.text_input("Your name (recorded on every review action)", key="reviewer_name")
st.subheader("Effective configuration")
st.caption("Set these with environment variables or a `.env` file, then restart. Secrets are masked.")
st.table([{"setting": k, "value": v} for k, v in cfg.public_view().items()])
