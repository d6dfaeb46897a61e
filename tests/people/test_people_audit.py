"""The audit log: what owners see of sign-ins and team changes, filtered, exported, never a secret."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from studio import people
from studio.people import AuditAction


def test_team_changes_and_sign_ins_are_recorded_with_who_did_them(store, team, operator):
    editor, password = team["editor"]
    people.set_role(store, editor.id, "reviewer", actor=operator)
    people.authenticate(store, "editor@example.com", password, client="10.0.0.7")
    with pytest.raises(people.SignInError):
        people.authenticate(store, "nobody@example.com", "guess", client="10.0.0.9")
    newest = people.audit_entries(store, limit=3)
    assert [e.action for e in newest] == ["sign_in_failed", "sign_in", "role_changed"]
    failed, signed_in, changed = newest
    assert (failed.actor_ref, failed.target, failed.detail) == (
        "anonymous",
        "nobody@example.com",
        {"reason": "unknown_email", "client": "10.0.0.9"},
    )
    assert (signed_in.actor_ref, signed_in.actor_name) == (f"user:{editor.id}", "Ed Editor")
    assert (changed.actor_ref, changed.target, changed.detail) == (
        "cli:tester",
        "editor@example.com",
        {"from": "editor", "to": "reviewer"},
    )
    added = people.audit_entries(store, action="user_added")
    assert len(added) == 4 and {e.detail["role"] for e in added} == {"owner", "reviewer", "editor", "viewer"}
    assert all(password not in repr(e) for e in people.audit_entries(store, limit=1000))


def test_filters_and_paging(store, team, operator):
    owner = people.Actor.for_user(team["owner"][0])
    people.audit(store, owner, "setting_changed", "STUDIO_TIMEZONE", key="STUDIO_TIMEZONE")
    people.audit(store, owner, AuditAction.API_KEY_CREATED, "cms", key_id="key_1", scopes=["posts:draft"])
    assert [e.target for e in people.audit_entries(store, actor=owner)] == ["cms", "STUDIO_TIMEZONE"]
    assert people.audit_count(store, actor=owner.ref) == 2
    assert people.audit_count(store, action="user_added") == 4
    assert people.audit_entries(store, action="api_key_created")[0].detail == {
        "key_id": "key_1",
        "scopes": ["posts:draft"],
    }
    now = datetime.now(UTC)
    assert people.audit_count(store, since=now - timedelta(minutes=1)) == 6
    assert people.audit_count(store, until=now - timedelta(minutes=1)) == 0
    assert people.audit_count(store, since=now.date().isoformat()) == 6
    first_page = people.audit_entries(store, limit=4)
    second_page = people.audit_entries(store, limit=4, offset=4)
    assert len(first_page) == 4 and len(second_page) == 2
    assert {e.id for e in first_page}.isdisjoint({e.id for e in second_page})


@pytest.mark.parametrize(
    "detail",
    [
        {"password": "hunter2"},
        {"new_password": "x"},
        {"client_secret": "x"},
        {"access_token": "x"},
        {"value": SecretStr("sk-live")},
    ],
)
def test_a_secret_never_reaches_the_log(store, operator, detail):
    with pytest.raises(ValueError):
        people.audit(store, operator, "webhook_changed", "hook", **detail)
    assert people.audit_count(store, action="webhook_changed") == 0


def test_a_changed_setting_is_logged_by_its_key_only(store, operator):
    with pytest.raises(ValueError):
        people.audit(store, operator, "setting_changed", "OPENAI_BASE_URL", key="OPENAI_BASE_URL", new="http://evil")
    people.audit(store, operator, "setting_changed", "OPENAI_BASE_URL", key="OPENAI_BASE_URL")
    assert people.audit_entries(store, action="setting_changed")[0].detail == {"key": "OPENAI_BASE_URL"}


def test_an_unknown_action_is_a_programming_error(store, operator):
    with pytest.raises(ValueError):
        people.audit(store, operator, "made_coffee")


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(store, operator):
    mallory, _ = people.add_user(store, "mallory@example.com", '=HYPERLINK("http://x","y")', "owner", actor=operator)
    as_mallory = people.Actor.for_user(mallory)
    people.audit(store, as_mallory, "webhook_changed", "@SUM(A1:A9)", url="+cmd|' /C calc'!A0")
    people.audit(store, as_mallory, "published_early", "-2+3", draft_id=-5)
    text = people.audit_csv(people.audit_entries(store))
    assert text.startswith("at,actor,actor_ref,action,target,detail\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["target"] == "'-2+3" and rows[0]["detail"] == '{"draft_id": -5}'
    assert rows[1]["actor"] == '\'=HYPERLINK("http://x","y")' and rows[1]["target"] == "'@SUM(A1:A9)"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert people.audit_csv([]) == "at,actor,actor_ref,action,target,detail\r\n"
