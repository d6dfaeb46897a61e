"""Single sign-on: a provider's user signs in as the account their verified email names; unknown and
unverified emails are refused (and audited) unless STUDIO_SSO_AUTO_ROLE lets a newcomer in."""

from __future__ import annotations

import pytest

from studio import people
from studio.errors import ValidationError
from studio.people import Role


def test_a_verified_email_signs_in_as_its_account_whatever_its_case(store, team):
    rita = people.sso_user(store, " Reviewer@Example.COM ", True, "Rita at the provider", None, provider="okta")
    assert (rita.id, rita.name, rita.role) == (team["reviewer"][0].id, "Rita Reviewer", Role.REVIEWER)
    assert rita.last_seen_at is not None
    (entry,) = people.audit_entries(store, action="sign_in")
    assert entry.actor_ref == f"user:{rita.id}" and entry.detail == {"method": "sso", "provider": "okta", "client": ""}
    assert people.sso_user(store, "editor@example.com", "true", "", None).role is Role.EDITOR  # a string claim


@pytest.mark.parametrize("verified", [False, None, "false", "yes", 1])
def test_an_email_the_provider_did_not_verify_is_refused(store, team, verified):
    with pytest.raises(people.SignInError) as refused:
        people.sso_user(store, "owner@example.com", verified, "Olga", "editor")
    assert refused.value.code == "sso_email_unverified"
    (entry,) = people.audit_entries(store, action="sign_in_failed")
    assert entry.target == "owner@example.com" and entry.detail["reason"] == "email_not_verified"


def test_a_newcomer_is_refused_unless_an_auto_role_is_set(store, team):
    with pytest.raises(people.SignInError) as refused:
        people.sso_user(store, "new@example.com", True, "New Person", None)
    assert refused.value.code == "sso_unknown_email" and "Team page" in refused.value.fix
    assert people.user_by_email(store, "new@example.com") is None

    newcomer = people.sso_user(store, "new@example.com", True, "New Person", "editor", provider="google")
    assert (newcomer.email, newcomer.name, newcomer.role) == ("new@example.com", "New Person", Role.EDITOR)
    assert not newcomer.must_change_password
    (added,) = people.audit_entries(store, action="user_added", actor=f"user:{newcomer.id}")
    assert added.detail == {"role": "editor", "method": "sso", "provider": "google"}
    with pytest.raises(people.SignInError):  # no password anyone knows: the provider is their way in
        people.authenticate(store, "new@example.com", "")
    again = people.sso_user(store, "new@example.com", True, "Renamed", "viewer")
    assert again.id == newcomer.id and again.role is Role.EDITOR  # the account as it is, not re-made


def test_a_provider_never_makes_an_owner(store, team):
    with pytest.raises(ValidationError) as refused:
        people.sso_user(store, "boss@example.com", True, "Boss", "owner")
    assert refused.value.code == "sso_cannot_create"
    assert people.user_by_email(store, "boss@example.com") is None
    (entry,) = people.audit_entries(store, action="sign_in_failed")
    assert entry.detail["reason"] == "cannot_create"


def test_with_no_owner_yet_single_sign_on_creates_nobody(store):
    with pytest.raises(ValidationError) as refused:
        people.sso_user(store, "first@example.com", True, "First", "editor")
    assert refused.value.code == "sso_cannot_create"
    assert people.list_users(store) == []


def test_a_newcomer_without_a_usable_name_is_named_after_their_mailbox(store, team):
    assert people.sso_user(store, "kim.lee@example.com", True, "\x1b[31m", "viewer").name == "kim.lee"


def test_a_disabled_account_is_refused(store, team, operator):
    people.disable_user(store, team["editor"][0].id, actor=operator)
    with pytest.raises(people.SignInError) as refused:
        people.sso_user(store, "editor@example.com", True, "Ed", "editor")
    assert refused.value.code == "account_disabled"
