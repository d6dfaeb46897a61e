"""Pinstudio's Streamlit entrypoint: page config and navigation, nothing else."""

import streamlit as st

import studio.analytics  # noqa: F401  (registers what-worked grounding with the drafter on every page)
from pages_support.ui import require_password, review_nav_title

st.set_page_config(page_title="Pinstudio", page_icon="📌", layout="wide")

PAGES = [
    st.Page("pages/dashboard.py", title="Home", icon="📌", default=True),
    st.Page("pages/compose.py", title="Compose", icon="✏️"),
    st.Page("pages/review.py", title=review_nav_title(), icon="🔎"),
    st.Page("pages/publish.py", title="Publish", icon="🚀"),
    st.Page("pages/schedule.py", title="Schedule", icon="🗓️"),
    st.Page("pages/calendar.py", title="Calendar", icon="📅"),
    st.Page("pages/history.py", title="History", icon="📜"),
    st.Page("pages/bulk.py", title="Bulk", icon="📦"),
    st.Page("pages/experiments.py", title="Experiments", icon="⚗️"),
    st.Page("pages/analytics.py", title="Analytics", icon="📈"),
    st.Page("pages/accounts.py", title="Accounts", icon="🔗"),
    st.Page("pages/settings.py", title="Settings", icon="⚙️"),
]

require_password(PAGES)  # before any page renders: STUDIO_PASSWORD, when set, guards every page
st.navigation(PAGES).run()
