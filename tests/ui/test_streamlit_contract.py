"""The one private Streamlit detail the studio relies on (pages_support/ui.leave_legacy_pages_mode and
pages_support/serve.py)."""

from __future__ import annotations


def test_the_legacy_pages_switch_we_turn_off_still_exists():
    from streamlit.runtime.pages_manager import PagesManager

    assert isinstance(getattr(PagesManager, "uses_pages_directory", None), bool | None), (
        "Streamlit moved its legacy pages/ switch: update pages_support/ui.leave_legacy_pages_mode and "
        "pages_support/serve.py, or a first visit straight to /review would skip app.py's password gate "
        "(tests/e2e/test_browser_gate.py shows it) and a first load would list files as pages"
    )
