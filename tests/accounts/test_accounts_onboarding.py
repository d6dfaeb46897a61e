"""Connecting Pinterest step by step: the redirect URI where the studio runs, the app checked before the
user leaves, boards synced on connect, and PINTEREST_ACCESS_TOKEN alone working as a connected account."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from studio.accounts import AccountError, redirect_uri_for, verify_app
from studio.bulk.csv_format import write
from studio.cli import main
from studio.preferences import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_redirect_uri_is_the_accounts_page_where_the_studio_runs():
    assert redirect_uri_for("http://127.0.0.1:8642/settings?x=1", 8501) == "http://127.0.0.1:8642/accounts"
    assert redirect_uri_for("https://studio.example.com/", 443) == "https://studio.example.com/accounts"
    assert redirect_uri_for(None, 8765) == "http://localhost:8765/accounts"


def test_app_id_and_secret_are_checked_with_pinterest(pinterest):
    cfg = load_settings()
    with httpx.Client() as http:
        verify_app(http, cfg, pinterest.app_id, pinterest.app_secret)  # recognised: no error
        with pytest.raises(AccountError, match="doesn't recognise this app id and secret"):
            verify_app(http, cfg, pinterest.app_id, "wrong-secret-123")
        with pytest.raises(Exception, match="app id is a number"):
            verify_app(http, cfg, "my app", pinterest.app_secret)


def test_accounts_page_explains_the_steps_and_refuses_a_wrong_secret(pinterest, monkeypatch):
    monkeypatch.delenv("PINTEREST_APP_ID")
    monkeypatch.delenv("PINTEREST_APP_SECRET")
    at = AppTest.from_file(str(ROOT / "pages" / "accounts.py"), default_timeout=30).run()
    text = " ".join(m.value for m in at.markdown)
    assert "1. Create a Pinterest app" in text and "2. Register this redirect URI" in text
    assert at.code[0].value.endswith(":8501/accounts")  # the port this studio runs on
    at.text_input(key="app_id").input(pinterest.app_id)
    at.text_input(key="app_secret").input("not-the-secret").run()
    at.button(key="app_save").click().run()
    assert any("doesn't recognise this app id and secret" in e.value for e in at.error)
    assert not at.get("link_button")  # nobody is sent to Pinterest with a bad app
    at.text_input(key="app_secret").input(pinterest.app_secret).run()
    at.button(key="app_save").click().run()
    assert any("Pinterest recognised the app" in s.value for s in at.success)
    assert at.get("link_button")[0].proto.label == "Connect Pinterest"


def test_env_token_alone_syncs_boards_and_checks_csv_boards(pinterest, capsys, tmp_path, host, monkeypatch):
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", pinterest.access_token)
    assert main(["boards", "--sync", "--json"]) == 0
    boards = json.loads(capsys.readouterr().out)
    assert len(boards) == 260 and boards[0]["account"] == "studio_test"
    rows = [
        {"title": "Known", "media_url": host.url("p0.jpg"), "board": "Board 001", "link": "https://example.com/a"},
        {
            "title": "Unknown",
            "media_url": host.url("p1.jpg"),
            "board": "No Such Board",
            "link": "https://example.com/b",
        },
    ]
    path = tmp_path / "pins.csv"
    path.write_text(write(rows), encoding="utf-8")
    assert main(["import-csv", str(path), "--dry-run", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["board_source"] == "synced boards"
    assert report["rows"][0]["ok"] and not report["rows"][1]["ok"]
    assert report["rows"][1]["errors"][0]["code"] == "unknown_board"
