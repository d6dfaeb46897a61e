"""The Team and Audit pages under AppTest: an owner adds someone (the one-time password shown once), changes
a role, disables an account, resets a password; the last owner stays an owner; others are turned away; the
audit log lists what happened, filtered, as text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from studio import people
from tests.support.env import ROOT
from tests.support.people import add_person, signed_in
from tests.support.shown import read


@pytest.fixture
def team(data_dir):
    owner, _ = add_person(data_dir, "olga@example.com", "Olga Owner", "owner", "olga's long password")
    editor, _ = add_person(data_dir, "ed@example.com", "Ed Editor", "editor", "ed's long password")
    return {"owner": owner, "editor": editor}


def page(name: str, user: people.User) -> AppTest:
    return signed_in(AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30), user)


def test_an_owner_adds_someone_and_sees_the_one_time_password_once(team, store):
    at = page("team.py", team["owner"]).run()
    assert not at.exception and at.title[0].value == "👥 Team"
    at.text_input(key="new_email").input("nina@example.com")
    at.text_input(key="new_name").input("Nina New")
    at.selectbox(key="new_role").set_value("reviewer")
    at.button[0].click().run()
    assert not at.exception
    (shown,) = at.code
    nina = people.user_by_email(store, "nina@example.com")
    assert nina.role is people.Role.REVIEWER and nina.must_change_password
    assert people.authenticate(store, "nina@example.com", shown.value).id == nina.id
    at.run()
    assert not at.code  # once


def test_an_owner_changes_a_role_disables_and_resets(team, store):
    editor = team["editor"]
    at = page("team.py", team["owner"]).run()
    at.selectbox(key=f"role_{editor.id}").set_value("reviewer").run()
    assert people.get_user(store, editor.id).role is people.Role.REVIEWER
    assert "Ed Editor is now reviewer" in read(at.success[0].value)

    at.button(key=f"reset_{editor.id}").click().run()
    (new_password,) = at.code
    assert people.authenticate(store, "ed@example.com", new_password.value).must_change_password
    with pytest.raises(people.SignInError):
        people.authenticate(store, "ed@example.com", "ed's long password")

    at.button(key=f"disable_{editor.id}").click().run()
    assert people.get_user(store, editor.id).disabled
    assert at.button(key=f"enable_{editor.id}")


def test_the_last_owner_stays_an_owner(team, store):
    owner = team["owner"]
    at = page("team.py", owner).run()
    at.selectbox(key=f"role_{owner.id}").set_value("editor").run()
    assert "only active owner" in read(at.error[0].value)
    assert people.get_user(store, owner.id).role is people.Role.OWNER
    assert at.selectbox(key=f"role_{owner.id}").value == "owner"  # the list shows the role kept


@pytest.mark.parametrize("name", ["team.py", "audit.py"])
def test_others_are_turned_away(team, name):
    at = page(name, team["editor"]).run()
    assert not at.exception
    assert "Only owners" in at.info[0].value
    assert not at.text_input and not at.dataframe


def test_the_audit_log_lists_what_happened_filtered_and_as_text(team, store):
    with pytest.raises(people.SignInError):
        people.authenticate(store, '=HYPERLINK("http://evil")@example.com', "guess", client="10.0.0.9")
    people.set_role(store, team["editor"].id, "reviewer", actor=people.Actor.for_user(team["owner"]))

    at = page("audit.py", team["owner"]).run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert list(rows["Action"])[:2] == ["role_changed", "sign_in_failed"]
    assert '=hyperlink("http://evil")@example.com' in list(rows["Target"])  # text, as typed (lower-cased)

    at.selectbox(key="audit_action").set_value("role_changed").run()
    rows = at.dataframe[0].value
    assert list(rows["Action"]) == ["role_changed"] and list(rows["Who"]) == ["Olga Owner"]
    assert "from: editor" in rows["Detail"][0] and "to: reviewer" in rows["Detail"][0]

    at.selectbox(key="audit_action").set_value("").run()
    at.selectbox(key="audit_person").set_value("anonymous").run()
    assert set(at.dataframe[0].value["Action"]) == {"sign_in_failed"}
