"""The Compose page's copy panel with an LLM: draft, alternatives, per-field regenerate, lint, log, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.drafting.log import CallLog
from studio.media.assets import ingest_image
from studio.services import open_store
from tests.fakes.openai_server import DEFAULT_REPLY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def compose(settings, make_image):
    store = open_store(settings.db_path)
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "soup.jpg")
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=30)
    at.session_state["media_id"] = asset.id
    at.run()
    at.text_input(key="keywords").input("autumn soup recipe").run()
    return at


def lint_lines(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_draft_fills_fields_lints_and_logs(openai_server, compose, settings):
    at = compose
    at.button(key="draft_copy").click().run()
    assert not at.exception
    assert at.text_area(key="title").value == DEFAULT_REPLY["title"]
    assert "fake-text-model" in " ".join(c.value for c in at.caption)
    assert "first 40 characters of the title" in lint_lines(at)
    assert len(openai_server.requests) == 3  # three alternatives (identical answers collapse to one option)
    at.button(key="save").click().run()
    store = open_store(settings.db_path)
    (draft,) = store.list_drafts()
    assert draft.provider == "openai" and len(CallLog(store).for_draft(draft.id)) == 3
    assert any("LLM log for this draft (3 calls)" in e.label for e in at.expander)


def test_regenerate_one_field_offers_alternatives(openai_server, compose):
    at = compose
    at.button(key="draft_copy").click().run()
    openai_server.reply = {**DEFAULT_REPLY, "title": "Autumn soup recipe, take two"}
    at.checkbox(key="fresh_ideas").check().run()
    at.number_input(key="n_alternatives").set_value(2).run()
    description = at.text_area(key="description").value
    at.button(key="regen_title").click().run()
    assert at.text_area(key="title").value == "Autumn soup recipe, take two"
    assert at.text_area(key="description").value == description  # only the title changed
    assert "Rewrite only the title" in openai_server.requests[-1]["messages"][1]["content"]


def test_lint_follows_hand_edits(openai_server, compose):
    at = compose
    at.text_area(key="title").input("Image of soup #yum").run()
    at.text_area(key="description").input("Soup. #soup").run()
    text = lint_lines(at)
    assert "Put “autumn soup recipe” in the first 40" in text and "Remove the hashtags" in text


def test_provider_failure_shows_error_and_keeps_the_edit(openai_server, compose):
    at = compose
    at.text_area(key="title").input("My own careful title").run()
    openai_server.mode = "401"
    at.button(key="draft_copy").click().run()
    assert not at.exception
    assert any("refused the API key" in e.value for e in at.error)
    assert at.text_area(key="title").value == "My own careful title"


def test_batch_drafts_and_saves_many_with_one_failure(openai_server, compose, settings, make_image):
    store = open_store(settings.db_path)
    extra = [ingest_image(store, settings.data_dir, make_image(color=(i, 20, 200)), f"b{i}.jpg")[0] for i in range(2)]
    at = compose.run()
    openai_server.script = ["500"]
    openai_server.reply = {**DEFAULT_REPLY}
    at.multiselect(key="batch_media").set_value([a.id for a in extra] + [1]).run()
    at.text_input(key="batch_keywords").input("soup").run()
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert any("Saved 2 draft(s), 1 failed" in s.value for s in at.success)
    assert any("internal error" in w.value for w in at.warning)
    assert len(store.list_drafts()) == 2
