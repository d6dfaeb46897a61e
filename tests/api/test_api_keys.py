"""API keys: the CLI contract (`--json`, key shown once, never listed, exit codes), the Settings page,
and the bind rule (beyond loopback only with keys)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from studio import people
from studio.accounts.access import AccessError
from studio.api import create_key, list_keys, verify_key
from studio.cli import main
from studio.cli.api import check_api_bind
from studio.services import open_store
from tests.support.env import ROOT
from tests.support.people import owner


def test_cli_creates_lists_and_revokes_keys(capsys, store):
    assert main(["api-keys", "create", "--name", "cms", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert {"id", "name", "key"} <= set(made) and made["name"] == "cms"
    assert made["scopes"] == ["posts:draft"]  # the default: every post waits in Review
    assert main(["api-keys", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert made["id"] in listed and made["key"] not in listed and made["key"][8:] not in listed
    assert verify_key(store, made["key"])["id"] == made["id"]
    assert main(["api-keys", "revoke", made["id"]]) == 0
    assert verify_key(store, made["key"]) is None
    assert main(["api-keys", "revoke", "key_nope"]) == 2
    assert "no API key key_nope" in capsys.readouterr().err
    assert main(["api-keys", "create", "--name", " "]) == 2


def test_keys_are_stored_hashed(store):
    made = create_key(store, "zapier", actor=owner())
    row = store.db.execute("select * from api_keys").fetchone()
    assert made["key"] not in json.dumps(row) and verify_key(store, made["key"] + "x") is None


def test_the_api_binds_beyond_loopback_only_with_a_key(store, capsys):
    check_api_bind(store, "127.0.0.1")
    with pytest.raises(AccessError, match="api-keys create"):
        check_api_bind(store, "0.0.0.0")
    assert main(["api", "--host", "0.0.0.0"]) == 2
    assert "no API key configured" in capsys.readouterr().err
    create_key(store, "cms", actor=owner())
    check_api_bind(store, "0.0.0.0")


def test_settings_page_shows_a_new_key_once_and_revokes(settings):
    at = AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30).run()
    at.text_input(key="api_key_name").input("newsletter")
    at.button[[b.label for b in at.button].index("🔑 Create key")].click().run()
    assert not at.exception
    shown = at.code[0].value
    assert shown.startswith("psk_")
    at.run()
    assert not any(c.value == shown for c in at.code)  # shown once
    store = open_store(settings.db_path)
    try:
        (key,) = list_keys(store)
    finally:
        store.close()
    at.button(key=f"revoke_{key['id']}").click().run()
    store = open_store(settings.db_path)
    try:
        assert list_keys(store)[0]["revoked_at"] and verify_key(store, shown) is None
    finally:
        store.close()


def test_cli_keys_carry_scopes_and_the_choices_are_the_studios(capsys, store):
    from studio.cli.api import SCOPES
    from studio.people import Scope

    assert tuple(scope.value for scope in Scope) == SCOPES
    assert (
        main(["api-keys", "create", "--name", "cms", "--scope", "posts:publish", "--scope", "webhooks", "--json"]) == 0
    )
    made = json.loads(capsys.readouterr().out)
    assert made["scopes"] == ["posts:publish", "webhooks"]
    assert main(["api-keys", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["scopes"] == ["posts:publish", "webhooks"] and listed["owner_ref"].startswith("cli:")
    (created,) = people.audit_entries(store, action="api_key_created")
    assert created.detail == {"key_id": made["id"], "name": "cms", "scopes": ["posts:publish", "webhooks"]}
    with pytest.raises(SystemExit):
        main(["api-keys", "create", "--name", "cms", "--scope", "everything"])
