"""Each role may do what the issue's table says, and nothing more; a refusal names what and the fix."""

from __future__ import annotations

import pytest

from studio import people
from studio.people import Permission, Role

# The table of issue 23, written out again here on purpose: the code's table must agree with it.
VIEWER = {"read"}
EDITOR = VIEWER | {"compose", "draft", "design", "edit", "submit", "comment", "reply"}
REVIEWER = EDITOR | {"approve", "reject", "request_changes", "schedule", "publish", "reschedule"}
OWNER = REVIEWER | {
    "manage_users",
    "settings",
    "brand_kit",
    "accounts",
    "api_keys",
    "webhooks",
    "read_secrets",
    "audit",
}
EXPECTED = {"viewer": VIEWER, "editor": EDITOR, "reviewer": REVIEWER, "owner": OWNER}


def actor_with(role: str) -> people.Actor:
    ref = f"user:{len(role)}"
    return people.Actor(len(role), f"A {role}", Role(role), "user", ref, ref)


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("permission", [p.value for p in Permission])
def test_each_role_may_exactly_what_the_table_says(role, permission):
    actor = actor_with(role)
    allowed = permission in EXPECTED[role]
    assert people.may(actor, permission) is allowed
    if allowed:
        people.require(actor, permission)
    else:
        with pytest.raises(people.PermissionDenied) as refused:
            people.require(actor, permission)
        assert refused.value.code == "forbidden" and refused.value.http_status == 403


def test_every_permission_is_in_the_table():
    assert {p.value for p in Permission} == OWNER


def test_nobody_but_owners_sees_secrets():
    assert [role.value for role in Role if people.may(actor_with(role.value), "read_secrets")] == ["owner"]


def test_roles_are_ordered_by_rank_not_alphabet():
    assert Role.VIEWER < Role.EDITOR < Role.REVIEWER < Role.OWNER
    assert sorted([Role.OWNER, Role.VIEWER, Role.REVIEWER, Role.EDITOR]) == list(Role)
    assert Role.REVIEWER >= "editor" and not Role.EDITOR >= "reviewer"


def test_a_refusal_says_what_was_refused_and_who_can_fix_it():
    with pytest.raises(people.PermissionDenied) as refused:
        people.require(actor_with("editor"), Permission.APPROVE)
    assert refused.value.message == "A editor is an editor, and editors may not approve pins."
    assert refused.value.fix == "Ask an owner to make you a reviewer on the Team page."
    with pytest.raises(people.PermissionDenied) as refused:
        people.require(actor_with("reviewer"), "webhooks")
    assert "may not manage webhooks" in refused.value.message and "make you an owner" in refused.value.fix


def test_an_api_key_is_told_its_owners_role_is_what_counts(store, team):
    editor, _ = team["editor"]
    key = people.Actor.for_api_key({"id": "key_abc", "name": "cms", "scopes": '["posts:draft"]'}, editor)
    assert key.ref == "api:key_abc" and key.person_ref == f"user:{editor.id}" and key.role is Role.EDITOR
    assert key.scopes == frozenset({"posts:draft"}) and key.name == "cms (API key of Ed Editor)"
    with pytest.raises(people.PermissionDenied) as refused:
        people.require(key, "publish")
    assert "a key acts with its owner's role" in refused.value.fix


def test_an_unknown_permission_is_a_programming_error():
    with pytest.raises(ValueError):
        people.may(actor_with("owner"), "approve_everything")


def test_the_local_operator_and_the_local_owner_are_owners():
    cli = people.Actor.cli("alice")
    assert (cli.ref, cli.kind, cli.role, cli.user_id) == ("cli:alice", "cli", Role.OWNER, None)
    assert people.Actor.cli("evil:user name").ref == "cli:evil_user_name"  # a ref has one colon, no spaces
    local = people.Actor.local_owner("Marie")
    assert (local.ref, local.name, local.role) == ("local:owner", "Marie", Role.OWNER)
    assert people.Actor.local_owner().name == "Local owner"
    assert local.record() == {"actor_ref": "local:owner", "actor_name": "Marie"}


def test_a_disabled_account_cannot_act(store, team, operator):
    editor, _ = team["editor"]
    disabled = people.disable_user(store, editor.id, actor=operator)
    with pytest.raises(people.PermissionDenied):
        people.Actor.for_user(disabled)
    with pytest.raises(people.PermissionDenied):
        people.Actor.for_api_key({"id": "key_1", "name": "cms"}, disabled)
