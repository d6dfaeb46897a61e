"""Settings edited in the studio: saved in the data dir (secrets in the vault), in effect without a
restart, and environment variables still win, saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.errors import ValidationError
from studio.preferences import load_settings, save_preferences
from tests.support.people import owner

ROOT = Path(__file__).resolve().parents[2]


def settings_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30).run()


def test_saved_on_the_page_and_in_effect_on_the_next_run(data_dir):
    at = settings_page()
    at.text_input(key="pref_brand_tone").input("warm, witty")
    at.selectbox(key="pref_timezone").set_value("Europe/Paris")
    at.number_input(key="pref_daily_cap").set_value(12)
    at.text_input(key="reviewer_name").input("Rita")
    at.text_input(key="pref_openai_api_key").input("sk-test-secret-abcd1234").run()
    at.button(key="settings_save").click().run()
    assert not at.exception
    assert "no restart needed" in at.success[0].value
    cfg = load_settings()  # what every page, the CLI and the worker read next
    assert (cfg.brand_tone, cfg.timezone, cfg.daily_cap, cfg.reviewer) == ("warm, witty", "Europe/Paris", 12, "Rita")
    assert cfg.openai_api_key.get_secret_value() == "sk-test-secret-abcd1234"
    stored = (data_dir / "preferences.json").read_text()
    assert "sk-test-secret" not in stored  # the key is vault ciphertext, never plain
    assert json.loads(stored)["openai_api_key"]["vault"]
    assert at.text_input(key="pref_openai_api_key").value == ""  # and never lingers in the form
    again = settings_page()
    assert again.text_input(key="pref_brand_tone").value == "warm, witty"
    assert "saved in the vault" in again.text_input(key="pref_openai_api_key").placeholder


def test_environment_wins_and_the_page_says_so(data_dir, monkeypatch, store):
    monkeypatch.setenv("STUDIO_BRAND_TONE", "formal")
    at = settings_page()
    assert at.text_input(key="pref_brand_tone").disabled
    assert any("Set by `STUDIO_BRAND_TONE` in the environment" in c.value for c in at.caption)
    cfg = load_settings()
    save_preferences(cfg, {"brand_tone": "playful", "brand_language": "French"}, actor=owner(), store=store)
    cfg = load_settings()
    assert cfg.brand_tone == "formal" and cfg.brand_language == "French"
    monkeypatch.delenv("STUDIO_BRAND_TONE")
    assert load_settings().brand_tone == "playful"


def test_bad_values_are_refused_with_the_reason(data_dir, store):
    cfg = load_settings()
    with pytest.raises(ValidationError, match="not a time zone"):
        save_preferences(cfg, {"timezone": "Mars/Olympus"}, actor=owner(), store=store)
    with pytest.raises(ValidationError, match="can't be set in the studio"):
        save_preferences(cfg, {"data_dir": "/tmp"}, actor=owner(), store=store)
    assert not (data_dir / "preferences.json").exists()


def test_raw_variables_are_behind_advanced(data_dir):
    at = settings_page()
    advanced = [e for e in at.expander if e.label.startswith("Advanced")]
    assert advanced and "STUDIO_DATA_DIR" in str(advanced[0].table[0].value)
