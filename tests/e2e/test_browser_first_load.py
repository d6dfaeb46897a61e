"""In Chromium: a fresh server's very first page load never lists files as pages. Streamlit's legacy mode
listed every file of pages/ ("ui", "copy panel", "dashboard"...) in the sidebar until app.py's navigation
replaced it; every label the sidebar ever shows is recorded from the first byte."""

import pytest

from tests.support.browser import chromium_page, studio_server
from tests.support.env import ROOT

pytestmark = pytest.mark.browser

STUDIO_PAGES = {
    "Home",
    "Compose",
    "Review",
    "Publish",
    "Schedule",
    "Calendar",
    "History",
    "Bulk",
    "Experiments",
    "Analytics",
    "Accounts",
    "Team",
    "Audit",
    "Settings",
}
# How Streamlit would name each shared module as a page ("copy_panel.py" → "copy panel"); the issue saw these two.
HELPERS = {"ui", "copy panel"} | {
    p.stem.replace("_", " ") for p in (ROOT / "pages_support").glob("*.py") if not p.name.startswith("__")
}

# Runs in the page before Streamlit's own scripts: every navigation label that reaches the DOM, even for a moment.
RECORD_NAV_LABELS = """
window.navLabelsSeen = [];
new MutationObserver(() => {
  for (const link of document.querySelectorAll('[data-testid="stSidebarNav"] a')) {
    const lines = link.innerText.trim().split("\\n").filter(Boolean);
    const label = lines[lines.length - 1] || "";
    if (label && !window.navLabelsSeen.includes(label)) window.navLabelsSeen.push(label);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def first_load_labels(base: str) -> list[str]:
    with chromium_page() as page:
        page.add_init_script(RECORD_NAV_LABELS)
        page.goto(base)
        page.get_by_text("Compose", exact=True).first.wait_for(timeout=90_000)
        page.wait_for_timeout(1000)  # anything drawn late would be recorded too
        return page.evaluate("window.navLabelsSeen")


def env_for(data_dir) -> dict[str, str]:
    return {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": ""}


def test_a_fresh_studio_lists_only_its_pages_from_the_first_load(data_dir):
    with studio_server(env_for(data_dir)) as base:  # started as `pinstudio run` starts it
        seen = first_load_labels(base)
    assert "Home" in seen
    assert {label.split(" · ")[0] for label in seen} <= STUDIO_PAGES, seen


def test_a_plain_streamlit_run_never_lists_helper_modules(data_dir):
    with studio_server(env_for(data_dir), plain=True) as base:  # `streamlit run app.py`, by hand
        seen = first_load_labels(base)
    assert "Home" in seen
    assert not HELPERS & set(seen), seen
