"""Streamlit glue shared by the pages: settings, the store, errors. No application logic."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from studio.config import Settings, load_settings
from studio.errors import StudioError
from studio.storage import Store


def settings() -> Settings:
    # Settings are cheap and read per run, so a changed .env or env var shows up on reload.
    return load_settings()


def store() -> Store:
    """A store for this script run (or callback): sqlite connections can't cross Streamlit's threads."""
    cfg = settings()
    return Store.open(cfg.db_path)


def reviewer() -> str:
    """The display name of whoever uses this browser session (set on the Settings page)."""
    return st.session_state.get("reviewer_name") or settings().reviewer or "studio user"


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show a StudioError as a message with its fix instead of a traceback."""
    try:
        yield
    except StudioError as exc:
        st.error(f"**{exc.message}** {exc.fix}".strip())


def flash(message: str, icon: str = "✅") -> None:
    """A message shown once, after the rerun that follows an action."""
    st.session_state["_flash"] = (message, icon)


def show_flash() -> None:
    if item := st.session_state.pop("_flash", None):
        st.success(item[0], icon=item[1])


STATUS_BADGE = {
    "draft": "⚪ draft", "in_review": "🟡 in review", "approved": "🟢 approved",
    "published": "📌 published", "rejected": "🔴 rejected", "failed": "❌ failed",
}
