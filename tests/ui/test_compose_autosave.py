"""Compose keeps work in progress per person and photo (studio.drafts.autosave): back after a reload with a note,
gone once saved or discarded (issue 25; the browser test is tests/e2e/test_browser_nothing_lost.py)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio.drafts import autosave, autosaved, discard_autosave
from studio.services import open_store
from tests.support.people import editor
from tests.support.seeded import seed_studio

ROOT = Path(__file__).resolve().parents[2]
NOTE = "Restored your unsaved changes from"


def compose() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)


def _typed(settings) -> AppTest:
    ids = seed_studio(settings)
    at = compose().run()
    at.selectbox(key="media_pick").set_value(ids["media"]).run()
    at.text_area(key="title").input("Leek and potato soup").run()
    at.text_area(key="description").input("Silky, cheap and ready in 30 minutes.").run()
    return at


def test_a_reload_brings_back_the_unsaved_copy_with_a_note(settings):
    _typed(settings)
    again = compose().run()  # a new session: a reload, or Back to a page the browser forgot
    assert not again.exception
    assert again.text_area(key="title").value == "Leek and potato soup"
    assert again.text_area(key="description").value == "Silky, cheap and ready in 30 minutes."
    assert any(NOTE in box.value for box in again.info)


def test_saving_clears_the_kept_copy(settings):
    at = _typed(settings)
    at.button(key="save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    again = compose().run()
    assert not any(NOTE in box.value for box in again.info)
    assert again.text_area(key="title").value == ""


def test_each_person_has_their_own(settings):
    store = open_store(settings.db_path)
    autosave(store, 7, {"title": "Ed's soup"}, actor=editor("ed"))
    assert autosaved(store, 7, actor=editor("ann")) is None
    kept = autosaved(store, 7, actor=editor("ed"))
    assert kept is not None and kept["fields"]["title"] == "Ed's soup"
    discard_autosave(store, 7, actor=editor("ed"))
    assert autosaved(store, None, actor=editor("ed"), latest=True) is None
    store.close()
