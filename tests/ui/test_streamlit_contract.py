"""The one private Streamlit detail the studio relies on (pages/_ui.leave_legacy_pages_mode)."""

from __future__ import annotations


def test_the_legacy_pages_switch_we_turn_off_still_exists():
    from streamlit.runtime.pages_manager import PagesManager

    assert isinstance(getattr(PagesManager, "uses_pages_directory", None), bool | None), (
        "Streamlit moved its legacy pages/ switch: update pages/_ui.leave_legacy_pages_mode, or a first visit "
        "straight to /review would skip app.py's password gate (tests/e2e/test_browser_gate.py shows it)"
    )
