"""The Accounts page under AppTest, driving real studio code against the fake Pinterest server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from studio import accounts
from studio.pinterest.oauth import TokenSet
from studio.preferences import load_settings
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.env import ROOT
from tests.support.people import owner


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "accounts.py"), default_timeout=30)


def texts(at: AppTest) -> str:
    """Everything the page shows as text (messages, markdown, captions)."""
    parts = [
        e.value
        for kind in ("success", "error", "warning", "info", "markdown", "caption", "title", "subheader")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def connect_directly(fake) -> None:
    cfg = load_settings()
    store = open_store(cfg.db_path)
    with httpx.Client(timeout=5) as http:
        accounts.connect(
            store,
            vault_for(cfg),
            http,
            cfg,
            TokenSet(access_token=fake.access_token, refresh_token=fake.refresh_token),
            actor=owner(),
        )
    store.close()


def test_paste_a_token_connects_and_empties_the_field(pinterest):
    at = page().run()
    assert "None yet" in texts(at)
    at.text_input(key="acc_token").input(pinterest.access_token)
    at.text_input(key="acc_refresh").input(pinterest.refresh_token)
    at.button(key="acc_connect_token").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Connected studio_test. 260 boards" in shown and "**studio_test** · Business · 🟢 connected" in shown
    assert "token ••••" + pinterest.access_token[-4:] in shown and "renews itself" in shown
    assert at.text_input(key="acc_token").value == "" and at.text_input(key="acc_refresh").value == ""
    [picture] = at.get("image")  # the profile image Pinterest returned
    assert picture.proto.imgs[0].url == "https://i.pinimg.com/75x75_RS/studio_test.jpg"


def test_a_refused_token_shows_an_error(pinterest):
    at = page().run()
    at.text_input(key="acc_token").input("pina_typo")
    at.button(key="acc_connect_token").click().run()
    assert "Pinterest refused this access token" in at.error[0].value
    assert "None yet" in texts(at)


def test_connect_pinterest_round_trip_through_query_params(pinterest):
    at = page().run()
    link = at.get("link_button")[0].proto
    assert link.label == "Connect Pinterest"
    query = {k: v[0] for k, v in parse_qs(urlparse(link.url).query).items()}
    assert query["client_id"] == pinterest.app_id and "user_accounts:read" in query["scope"]
    pinterest.auth_codes.add("the-code")  # the user allowed access on Pinterest
    back = page()
    back.query_params["code"], back.query_params["state"] = "the-code", query["state"]
    back.run()
    assert not back.exception
    assert "Connected **studio\\_test**. 260 boards" in back.success[0].value  # boards synced right away
    assert dict(back.query_params) == {}  # a reload can't replay the code
    assert "**studio_test** · Business" in texts(back)


def test_a_mismatched_state_is_refused_on_the_page(pinterest):
    page().run()  # a real state exists, but this callback carries another
    at = page()
    at.query_params["code"], at.query_params["state"] = "the-code", "forged"
    at.run()
    assert "doesn't match" in at.error[0].value
    assert pinterest.calls("POST", "/oauth/token") == []


def test_pinterest_app_saved_on_the_page_enables_connect(monkeypatch, pinterest):
    monkeypatch.delenv("PINTEREST_APP_ID")
    monkeypatch.delenv("PINTEREST_APP_SECRET")
    at = page().run()
    assert not at.get("link_button") and "Available once the app is checked" in texts(at)
    at.text_input(key="app_id").input(pinterest.app_id)
    at.text_input(key="app_secret").input(pinterest.app_secret)
    at.button(key="app_save").click().run()  # checked with Pinterest first
    assert "Pinterest recognised the app" in texts(at) and at.text_input(key="app_secret").value == ""
    assert f"client_id={pinterest.app_id}" in at.get("link_button")[0].proto.url
    assert at.text_input(key="app_secret").placeholder == "saved ••••" + pinterest.app_secret[-4:]


def test_reconnect_banner(pinterest):
    connect_directly(pinterest)
    cfg = load_settings()
    store = open_store(cfg.db_path)
    accounts.mark_reconnect_needed(store, "studio_test", "Pinterest refused to renew the connection.")
    store.close()
    at = page().run()
    assert "studio_test needs to be reconnected" in at.warning[0].value
    assert "⚠️ reconnect needed" in texts(at)


def test_refresh_boards_then_create_a_board_and_a_section(pinterest):
    connect_directly(pinterest)
    at = page().run()
    assert "Last synced: never" in texts(at)
    at.button(key="boards_refresh").click().run()
    assert "Boards refreshed." in texts(at) and "Last synced: 20" in texts(at)
    assert len(at.dataframe[0].value) == 260
    at.text_input(key="nb_name").input("Picnic ideas")
    at.text_area(key="nb_desc").input("Outdoor food")
    at.selectbox(key="nb_privacy").set_value("PROTECTED")
    next(b for b in at.button if b.label == "Create board").click().run()
    assert "Board “Picnic ideas” created." in texts(at)
    created = pinterest.board_named("Picnic ideas")
    assert created["privacy"] == "PROTECTED" and len(at.dataframe[0].value) == 261
    at.selectbox(key="ns_board").set_value(created["id"])
    at.text_input(key="ns_name").input("Sandwiches")
    next(b for b in at.button if b.label == "Create section").click().run()
    assert not at.exception
    assert "Section “Sandwiches” added to “Picnic ideas”." in texts(at)
    assert pinterest.sections[created["id"]][0]["name"] == "Sandwiches"


def test_postproxy_key_that_cannot_be_checked_is_not_saved(monkeypatch):
    monkeypatch.setenv("POSTPROXY_API_BASE", "http://127.0.0.1:9/api")  # nothing listens there
    at = page().run()
    at.text_input(key="pp_key").input("pp_some_key_1234")
    at.button(key="pp_save").click().run()
    assert "Postproxy could not be reached" in at.error[0].value
    assert at.text_input(key="pp_key").value == ""
    assert "pp_some_key" not in texts(at)


@pytest.mark.parametrize("with_account", [False, True])
def test_page_runs_clean(pinterest, with_account):
    if with_account:
        connect_directly(pinterest)
    at = page().run()
    assert not at.exception


def test_a_changed_secret_key_is_explained_not_a_traceback(monkeypatch, pinterest):
    at = page().run()
    at.text_input(key="app_id").input(pinterest.app_id)
    at.text_input(key="app_secret").input(pinterest.app_secret)
    at.button(key="app_save").click().run()
    monkeypatch.setenv("STUDIO_SECRET_KEY", "a different key than the one that saved it")
    at = page().run()
    assert not at.exception
    assert any("can't be read with the current secret key" in e.value for e in at.error)
