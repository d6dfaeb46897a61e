"""Streamlit glue shared by the pages: settings, the store, errors. No application logic."""

from __future__ import annotations

import functools
import logging
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from studio import people
from studio.config import Settings, env_file, settings_fingerprint
from studio.errors import StudioError
from studio.preferences import PREFERENCES_FILE, load_settings
from studio.services import Services, open_store
from studio.storage import Store
from studio.text import escape_markdown


def leave_legacy_pages_mode() -> None:
    """Streamlit keeps its legacy multipage mode for an app with a `pages/` folder until some session
    calls st.navigation: a first visit straight to /review would run pages/review.py on its own, without
    app.py (no password gate, a sidebar listing every file). Every page imports this module first, so such
    a run switches the process to st.navigation mode and starts again through app.py. (`pinstudio run`
    starts Streamlit with the mode already off: pages_support/serve.py.)

    Streamlit has no setting for this (the folder must stay `pages/`, as the design asks), so this and
    serve.py are the places that touch a private Streamlit class; tests/ui/test_streamlit_contract.py
    fails loudly when a Streamlit upgrade moves it."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


leave_legacy_pages_mode()

log = logging.getLogger("pinstudio.pages")
Params = ParamSpec("Params")


def _stamp(path: Path | str | None) -> tuple[int, int] | None:
    """A file's modification time and size (None: no such file)."""
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info else None


# Settings as last read, by the environment they were read from: parsing them costs 10–60 ms (pydantic-settings
# reads the environment and the env file, then the saved preferences), and a run asked for them 4–7 times; a new
# tab's first render paid that on every call (bench/bench_cold_tab.py).
_SETTINGS: dict[tuple, tuple[Settings, tuple[int, int] | None]] = {}


def settings() -> Settings:
    """The studio's settings, read again whenever the environment, the env file or the saved preferences changed
    (a changed .env, env var or Settings page save shows up on the next click), else the ones last read."""
    key = (tuple(sorted(os.environ.items())), _stamp(env_file()))
    if (known := _SETTINGS.get(key)) is not None:
        cfg, saved = known
        if _stamp(Path(cfg.data_dir) / PREFERENCES_FILE) == saved:
            return cfg
    cfg = load_settings()
    if len(_SETTINGS) > 32:
        _SETTINGS.clear()
    _SETTINGS[key] = (cfg, _stamp(Path(cfg.data_dir) / PREFERENCES_FILE))
    return cfg


@st.cache_resource(show_spinner=False)
def _services_for(fingerprint: str, _settings: Settings) -> Services:
    return Services.from_settings(_settings)


def services() -> Services:
    """The composition root for this process (HTTP clients, vault, publishers, drafter), rebuilt when the
    settings change."""
    cfg = settings()
    return _services_for(settings_fingerprint(cfg), cfg)


def store(cfg: Settings | None = None) -> Store:
    """A store for this script run (or callback): sqlite connections can't cross Streamlit's threads.
    Pass the run's settings when you have them (reading them again costs ~20 ms)."""
    return open_store((cfg or settings()).db_path)


def reviewer() -> str:
    """The name this browser session goes by while nobody signs in (saved on the Settings page)."""
    return st.session_state.get("reviewer_name") or settings().reviewer or "studio user"


# The sidebar's counts (Review · N waiting) are computed by app.py, so only in a full run of the app. A page's
# fragments rerun without it: an action inside one (Review's approve, reject, bulk actions) left the count as it
# was ("302 waiting" after 16 approvals). Every action that changes something says so through `flash()` (its
# success message), which marks the counts stale; the next fragment run then becomes a full run.
_COUNTS_STALE = "_counts_stale"


def counts_changed() -> None:
    """Something changed: the sidebar's counts are recomputed before anything else is drawn."""
    st.session_state[_COUNTS_STALE] = True


def fragment(func: Callable) -> Callable:
    """`st.fragment`, except that a fragment run after an action (`counts_changed()`) reruns the whole app
    instead, so the sidebar's counts are never stale. Pages use this instead of `st.fragment`."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        if st.session_state.pop(_COUNTS_STALE, False):  # once: app.py recounts on the full run
            st.rerun(scope="app")
        return func(*args, **kwargs)

    return st.fragment(run)


def review_nav_title() -> str:
    """The Review page's name in the sidebar, with the count of pins waiting on this user (counted on every
    full run: see `fragment`)."""
    from studio.drafts import waiting_on

    st.session_state.pop(_COUNTS_STALE, None)

    try:
        actor = current_actor()
    except people.PermissionDenied:  # not signed in yet: the sign-in form comes first, with no count
        return "Review"
    db = store()
    try:
        count = waiting_on(db, actor)
    finally:
        db.close()
    return f"Review · {count} waiting" if count else "Review"


@contextmanager
def errors_shown() -> Iterator[None]:
    """A page's action boundary: a StudioError shows as its message and fix; anything else as a short apology
    (the details go to the log, never a traceback on the page). Widget values in session_state are untouched,
    so what the person typed is still there. (st.rerun/st.stop pass through: they are not Exceptions.)"""
    try:
        yield
    except StudioError as exc:
        show_error(exc)
    except Exception:
        show_unexpected()


def show_unexpected() -> None:
    """Call inside `except`: log the exception with a reference and tell the person, in words, with that reference."""
    ref = uuid.uuid4().hex[:8]
    log.exception("page action failed (ref %s)", ref)
    st.error(
        f"**That didn't work: something went wrong on our side (ref {ref}).** What you typed is still here; "
        "try again, and if it keeps happening, give the reference to whoever runs the studio.",
        icon="⚠️",
    )


def action(callback: Callable[Params, object]) -> Callable[Params, None]:
    """A widget callback (on_click/on_change) behind the action boundary: see `errors_shown`."""

    @functools.wraps(callback)
    def guarded(*args: Params.args, **kwargs: Params.kwargs) -> None:
        with errors_shown():
            callback(*args, **kwargs)

    return guarded


def error_text(message: str, fix: str | None = "") -> str:
    """An error's message in bold and its fix, both shown as text: they may quote what the user typed."""
    return f"**{escape_markdown(message)}** {escape_markdown(fix or '')}".strip()


def show_error(exc: StudioError) -> None:
    st.error(error_text(exc.message, exc.fix))


def flash(message: str, icon: str = "✅") -> None:
    """A message shown once, after the rerun that follows an action; the action changed something, so the
    sidebar's counts are refreshed too (`counts_changed`)."""
    st.session_state["_flash"] = (message, icon)
    counts_changed()


def show_flash() -> None:
    if item := st.session_state.pop("_flash", None):
        st.success(item[0], icon=item[1])


STATUS_BADGE = {
    "draft": "⚪ draft",
    "in_review": "🟡 in review",
    "approved": "🟢 approved",
    "published": "📌 published",
    "rejected": "🔴 rejected",
    "failed": "❌ failed",
}


def require_password(pages: Sequence[st.Page] = ()) -> people.Actor:
    """The door (the name pages have always called it by): nothing renders until this session may come in —
    a person's own sign-in once the studio has accounts, the shared STUDIO_PASSWORD before that, none for one
    person on loopback. Returns who acts. See pages_support/signin.py."""
    from pages_support.signin import require_sign_in

    return require_sign_in(pages)


def current_actor() -> people.Actor:
    """Who acts in this run: the signed-in user (read from the database on every run, so a role change applies
    at the next click), or the local owner when the studio needs no sign-in. PermissionDenied when this
    session should be signed in and isn't (e.g. its account was disabled a moment ago)."""
    from pages_support.signin import acting_actor

    return acting_actor()


def can(permission: people.Permission | str, actor: people.Actor | None = None) -> bool:
    """Whether the current actor (or `actor`) may do `permission`: to hide what they may not do. The real
    check is in studio/, on every action."""
    try:
        return people.may(actor or current_actor(), permission)
    except people.PermissionDenied:
        return False


def may_or_say(permission: people.Permission, actor: people.Actor | None = None) -> bool:
    """`can(permission)`; when not, says so here (once, in place of the actions it hides or disables)."""
    if can(permission, actor):
        return True
    role = (actor or current_actor()).role.value
    st.info(
        f"As {'an' if role[0] in 'aeiou' else 'a'} {role}, you may not {people.LABELS[permission]} here. "
        "An owner can change your role on the Team page.",
        icon="👁️",
    )
    return False


def board_input(db, key: str, label: str = "Board", account: str | None = None) -> None:
    """A searchable board picker over the synced boards (typing a new name or an id still works);
    a plain text box until boards are synced on the Accounts page."""
    from studio.accounts import board_names

    names = board_names(db, account)
    if not names:
        st.text_input(label, key=key, placeholder="Board name or id")
        return
    current = st.session_state.get(key) or None
    if key in st.session_state and current is None:
        st.session_state[key] = None  # "" (a cleared form) is "nothing picked" for a picker, not an option
    options = names if current is None or current in names else [current, *names]
    st.selectbox(
        label,
        options,
        key=key,
        index=None if current is None else options.index(current),
        accept_new_options=True,
        placeholder="Pick or type a board",
    )
