"""Settings page, LLM section: Test connection gives a clear result; brand voice is shown."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.fakes.openai_server import FakeOpenAIServer
from tests.support.shown import read

ROOT = Path(__file__).resolve().parents[2]


def settings_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30).run()


def test_connection_ok_names_the_model(server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("STUDIO_LLM_MODEL", "fake-vision-model")
    at = settings_page()
    at.button(key="test_connection").click().run()
    assert not at.exception
    assert "model 'fake-vision-model' is available" in at.success[0].value


def test_connection_unknown_model_lists_the_available_ones(server, allow_private_fetch):
    at = settings_page()
    at.selectbox(key="llm_provider").set_value("openai").run()
    at.text_input(key="llm_base_url").input(server.base_url).run()
    at.text_input(key="llm_model").input("gpt-nope").run()
    at.button(key="test_connection").click().run()
    assert "no model 'gpt-nope'" in read(at.error[0].value) and "fake-text-model" in read(at.error[0].value)


def test_connection_refused_and_offline(monkeypatch, allow_private_fetch):
    srv = FakeOpenAIServer()
    url = srv.base_url
    srv.stop()
    monkeypatch.setenv("STUDIO_LLM_RETRIES", "0")
    at = settings_page()
    at.button(key="test_connection").click().run()
    assert "template" in at.success[0].value  # the default offline drafter needs no connection
    at.selectbox(key="llm_provider").set_value("openai").run()
    at.text_input(key="llm_base_url").input(url).run()
    at.button(key="test_connection").click().run()
    assert "Could not connect" in read(at.error[0].value)


def test_brand_voice_is_shown(monkeypatch):
    monkeypatch.setenv("STUDIO_BRAND_WORDS_AVOID", "cheap, hack")
    at = settings_page()
    assert at.text_input(key="pref_brand_words_avoid").value == "cheap, hack"
    assert at.text_input(key="reviewer_name") is not None


def test_connection_without_key_or_base_url_asks_for_the_key():
    at = settings_page()
    at.selectbox(key="llm_provider").set_value("openai").run()
    at.button(key="test_connection").click().run()
    assert not at.exception and not at.success
    assert "OPENAI_API_KEY is not set" in read(at.error[0].value)


def test_connection_with_a_base_url_that_is_not_a_web_address_says_so():
    at = settings_page()
    at.selectbox(key="llm_provider").set_value("openai").run()
    at.text_input(key="llm_base_url").input("localhost 11434").run()
    at.button(key="test_connection").click().run()
    assert not at.exception
    assert "is not a web address" in read(at.error[0].value) and "http://localhost:11434/v1" in read(at.error[0].value)
