"""Sign-in sessions: a token names its user until it expires, is tampered with, or the user's sessions end."""

from __future__ import annotations

import time

import pytest

from studio import people
from studio.people import Role
from studio.secrets import install_key

KEY = people.session_key(b"k" * 44)


@pytest.fixture
def editor(team):
    return team["editor"][0]


def test_a_token_names_its_user(store, editor):
    token = people.issue_session(editor, KEY, 3600)
    assert people.session_user(store, token, KEY).id == editor.id
    session = people.read_session(token, KEY)
    assert (session.user_id, session.epoch) == (editor.id, 0) and session.expires_at > time.time()


def test_a_tampered_token_names_nobody(store, team, editor):
    token = people.issue_session(editor, KEY, 3600)
    version, user_id, epoch, expires, mac = token.split(".")
    owner = team["owner"][0]
    forged = [
        f"{version}.{owner.id}.{epoch}.{expires}.{mac}",  # someone else's id
        f"{version}.{user_id}.{epoch}.{int(expires) + 10**6}.{mac}",  # a longer life
        f"{version}.{user_id}.{epoch}.{expires}.{mac[:-2]}AA",  # a different signature
        f"s0.{user_id}.{epoch}.{expires}.{mac}",  # another version
        token + ".extra",
        token[:-1],
        "",
        "garbage",
        "s1.1.0.99999999999." + "A" * 300,  # too long to be worth checking
        None,
    ]
    for candidate in forged:
        assert people.session_user(store, candidate, KEY) is None, candidate
    assert people.session_user(store, token, people.session_key(b"another studio's key")) is None


def test_a_token_expires(store, editor):
    token = people.issue_session(editor, KEY, 60, now=1_000_000)
    assert people.read_session(token, KEY, now=1_000_059) is not None
    assert people.read_session(token, KEY, now=1_000_060) is None
    assert people.session_user(store, token, KEY) is None  # long past, in real time


@pytest.mark.parametrize("change", ["disable", "reset_password", "change_password", "end_sessions"])
def test_sessions_end_when_the_account_is_locked_or_its_password_changes(store, team, operator, change):
    editor, password = team["editor"]
    token = people.issue_session(editor, KEY, 3600)
    other = people.issue_session(team["viewer"][0], KEY, 3600)
    if change == "disable":
        people.disable_user(store, editor.id, actor=operator)
    elif change == "reset_password":
        people.reset_password(store, editor.id, actor=operator)
    elif change == "change_password":
        fresh = people.change_password(store, editor.id, password, "my own long password")
        assert people.session_user(store, people.issue_session(fresh, KEY, 3600), KEY).id == editor.id
    else:
        people.end_sessions(store, editor.id, actor=people.Actor.for_user(editor))
    assert people.session_user(store, token, KEY) is None
    assert people.session_user(store, other, KEY) is not None  # nobody else is signed out


def test_a_role_change_applies_to_the_next_request_without_signing_out(store, editor, operator):
    token = people.issue_session(editor, KEY, 3600)
    people.set_role(store, editor.id, "reviewer", actor=operator)
    user = people.session_user(store, token, KEY)
    assert user.role is Role.REVIEWER and people.may(people.Actor.for_user(user), "approve")


def test_only_owners_end_someone_elses_sessions(store, team):
    editor, viewer = team["editor"][0], team["viewer"][0]
    with pytest.raises(people.PermissionDenied):
        people.end_sessions(store, viewer.id, actor=people.Actor.for_user(editor))
    people.end_sessions(store, viewer.id, actor=people.Actor.for_user(team["owner"][0]))


def test_the_session_key_comes_from_the_install_key(settings):
    key = people.session_key(install_key(settings))
    assert key == people.session_key(install_key(settings)) and len(key) == 32
    assert key != install_key(settings)  # derived: a session key says nothing about the vault's key
