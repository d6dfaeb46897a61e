"""Pinstudio's Streamlit entrypoint: page config, the door, and the navigation this person may use."""

import streamlit as st

import studio.analytics  # noqa: F401  (registers what-worked grounding with the drafter on every page)
from pages_support.signin import account_box, acting_as, require_sign_in
from pages_support.ui import errors_shown, review_nav_title
from studio.people import Permission, may

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
    st.Page("pages/team.py", title="Team", icon="👥"),
    st.Page("pages/audit.py", title="Audit", icon="🧾"),
    st.Page("pages/settings.py", title="Settings", icon="⚙️"),
]
# Pages only some roles see (studio/ checks every action again; this keeps the navigation honest).
NEEDS = {
    "accounts": Permission.ACCOUNTS,
    "team": Permission.MANAGE_USERS,
    "audit": Permission.AUDIT,
    "settings": Permission.SETTINGS,
}

actor = require_sign_in(PAGES)  # before any page renders: nothing shows until this session may come in
account_box(actor)
with acting_as(actor):
    shown = [page for page in PAGES if may(actor, NEEDS.get(page.url_path, Permission.READ))]
    with errors_shown():  # the last action boundary: whatever a page let through is a message, not a traceback
        st.navigation(shown, expanded=True).run()  # an owner's 14 pages, all in sight (no "View 4 more")
