"""Accounts: adding people, their one-time password, roles, the last owner, signing in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from studio import people
from studio.errors import NotFoundError, ValidationError
from studio.people import Role, passwords


def test_a_new_person_signs_in_with_the_one_time_password_once_given(store, operator):
    user, password = people.add_user(store, "  Maria.Lopez@Example.COM ", "  Maria   Lopez ", "owner", actor=operator)
    assert (user.email, user.name, user.role) == ("maria.lopez@example.com", "Maria Lopez", Role.OWNER)
    assert user.must_change_password and not user.disabled and user.last_seen_at is None
    signed_in = people.authenticate(store, "MARIA.LOPEZ@example.com", password)
    assert signed_in.id == user.id and signed_in.last_seen_at is not None
    assert password not in str(user.to_dict()) and "hash" not in str(user.to_dict())


def test_emails_are_checked_and_unique_whatever_their_case(store, operator):
    people.add_user(store, "ann@example.com", "Ann", "owner", actor=operator)
    with pytest.raises(ValidationError) as taken:
        people.add_user(store, "ANN@Example.com", "Ann again", "editor", actor=operator)
    assert taken.value.code == "email_taken"
    for bad in ("", "ann", "ann@", "@example.com", "ann@example", "ann smith@example.com", "a@b@example.com"):
        with pytest.raises(ValidationError) as refused:
            people.add_user(store, bad, "Someone", "editor", actor=operator)
        assert refused.value.code == "invalid_email", bad
    with pytest.raises(ValidationError) as refused:
        people.add_user(store, "x" * 250 + "@example.com", "Long", "editor", actor=operator)
    assert refused.value.code == "invalid_email"


def test_names_and_roles_are_checked(store, operator):
    people.add_user(store, "ann@example.com", "Ann", "owner", actor=operator)
    for bad_name in ("", "   ", "x" * 101, "Ann\x1b[31m", "Ann\u202e"):
        with pytest.raises(ValidationError) as refused:
            people.add_user(store, "b@example.com", bad_name, "editor", actor=operator)
        assert refused.value.code == "invalid_name"
    with pytest.raises(ValidationError) as refused:
        people.add_user(store, "b@example.com", "Bea", "admin", actor=operator)
    assert refused.value.code == "invalid_role" and "viewer, editor, reviewer, owner" in refused.value.fix


def test_the_first_person_must_be_an_owner(store, operator):
    with pytest.raises(ValidationError) as refused:
        people.add_user(store, "ed@example.com", "Ed", "editor", actor=operator)
    assert refused.value.code == "owner_first"
    assert people.list_users(store) == []


def test_only_owners_change_the_team(store, team):
    for role in ("viewer", "editor", "reviewer"):
        someone = people.Actor.for_user(team[role][0])
        with pytest.raises(people.PermissionDenied):
            people.add_user(store, "new@example.com", "New", "viewer", actor=someone)
        with pytest.raises(people.PermissionDenied):
            people.set_role(store, team["viewer"][0].id, "owner", actor=someone)
        with pytest.raises(people.PermissionDenied):
            people.reset_password(store, team["owner"][0].id, actor=someone)
    owner = people.Actor.for_user(team["owner"][0])
    promoted = people.set_role(store, team["viewer"][0].id, "reviewer", actor=owner)
    assert promoted.role is Role.REVIEWER


def test_the_last_owner_can_be_neither_demoted_nor_disabled(store, team, operator):
    owner, _ = team["owner"]
    with pytest.raises(people.LastOwnerError) as refused:
        people.set_role(store, owner.id, "reviewer", actor=operator)
    assert refused.value.code == "last_owner" and "only active owner" in refused.value.message
    with pytest.raises(people.LastOwnerError):
        people.disable_user(store, owner.id, actor=operator)
    assert people.get_user(store, owner.id).role is Role.OWNER and not people.get_user(store, owner.id).disabled
    # With a second owner, either may go, but not both.
    second = people.set_role(store, team["reviewer"][0].id, "owner", actor=operator)
    assert people.set_role(store, owner.id, "editor", actor=operator).role is Role.EDITOR
    with pytest.raises(people.LastOwnerError):
        people.disable_user(store, second.id, actor=operator)
    assert people.active_owner_count(store) == 1


def test_a_disabled_owner_does_not_count_as_the_owner_who_remains(store, team, operator):
    owner, _ = team["owner"]
    other = people.set_role(store, team["reviewer"][0].id, "owner", actor=operator)
    people.disable_user(store, other.id, actor=operator)
    with pytest.raises(people.LastOwnerError):
        people.set_role(store, owner.id, "viewer", actor=operator)


def test_wrong_password_unknown_email_and_disabled_account_get_the_same_answer(store, team, operator):
    editor, password = team["editor"]
    people.disable_user(store, team["viewer"][0].id, actor=operator)
    answers = []
    for email, given in (
        ("editor@example.com", "not the password"),
        ("nobody@example.com", "whatever it is"),
        ("viewer@example.com", "not the password"),
        ("", ""),
    ):
        with pytest.raises(people.SignInError) as refused:
            people.authenticate(store, email, given)
        answers.append((refused.value.code, refused.value.message, refused.value.fix, refused.value.http_status))
    assert len(set(answers)) == 1 and answers[0][0] == "sign_in_failed" and answers[0][3] == 401
    assert "doesn't exist" not in answers[0][1] and "unknown" not in answers[0][1]
    assert people.authenticate(store, "editor@example.com", password).id == editor.id


def test_the_right_password_of_a_disabled_account_is_told_it_is_disabled(store, team, operator):
    viewer, password = team["viewer"]
    people.disable_user(store, viewer.id, actor=operator)
    with pytest.raises(people.SignInError) as refused:
        people.authenticate(store, "viewer@example.com", password)
    assert refused.value.code == "account_disabled"
    people.enable_user(store, viewer.id, actor=operator)
    assert people.authenticate(store, "viewer@example.com", password).id == viewer.id


def test_a_reset_replaces_the_old_password(store, team, operator):
    editor, old = team["editor"]
    new = people.reset_password(store, editor.id, actor=operator)
    assert new != old
    with pytest.raises(people.SignInError):
        people.authenticate(store, "editor@example.com", old)
    assert people.authenticate(store, "editor@example.com", new).must_change_password


def test_a_person_chooses_their_own_password(store, team):
    editor, one_time = team["editor"]
    with pytest.raises(people.SignInError) as refused:
        people.change_password(store, editor.id, "wrong", "a brand new passphrase")
    assert refused.value.code == "wrong_password"
    for weak in ("short", "editor@example.com"):
        with pytest.raises(ValidationError) as refused:
            people.change_password(store, editor.id, one_time, weak)
        assert refused.value.code == "weak_password"
    changed = people.change_password(store, editor.id, one_time, "a brand new passphrase")
    assert not changed.must_change_password
    with pytest.raises(people.SignInError):
        people.authenticate(store, "editor@example.com", one_time)
    assert people.authenticate(store, "editor@example.com", "a brand new passphrase").id == editor.id


def test_a_megabyte_password_is_refused(store, team):
    with pytest.raises(people.SignInError):
        people.authenticate(store, "editor@example.com", "x" * 1_000_000)


def test_lookups(store, team):
    owner, _ = team["owner"]
    assert people.user_by_email(store, " OWNER@example.com ") == people.get_user(store, owner.id)
    assert people.user_by_email(store, "nobody@example.com") is None
    with pytest.raises(NotFoundError):
        people.get_user(store, 999)
    assert [u.role.value for u in people.list_users(store)] == ["editor", "owner", "reviewer", "viewer"]  # by name


def test_last_seen_is_written_at_most_once_a_minute(store, team):
    editor, _ = team["editor"]
    people.touch_seen(store, editor.id)
    first = people.get_user(store, editor.id).last_seen_at
    people.touch_seen(store, editor.id)
    assert first is not None and people.get_user(store, editor.id).last_seen_at == first


def test_passwords_are_stored_as_argon2id_with_the_recommended_cost(monkeypatch):
    monkeypatch.undo()  # the studio's own hasher, not the tests' quick one
    stored = passwords.hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "correct horse battery staple")
    assert not passwords.verify_password(stored, "correct horse battery stapler")


def test_a_weaker_hash_is_upgraded_at_the_next_sign_in(store, team, monkeypatch):
    editor, password = team["editor"]
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    people.authenticate(store, "editor@example.com", password)
    assert not passwords.needs_rehash(people.tables.password_hash(store, editor.id))


def test_a_disabled_account_cannot_change_its_password(store, team, operator):
    editor, one_time = team["editor"]
    people.disable_user(store, editor.id, actor=operator)
    with pytest.raises(people.PermissionDenied):
        people.change_password(store, editor.id, one_time, "a brand new passphrase")
    people.enable_user(store, editor.id, actor=operator)
    assert people.authenticate(store, "editor@example.com", one_time).id == editor.id
