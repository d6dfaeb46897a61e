"""Who must sign in, who acts when nobody does, four eyes, and history from before accounts."""

from __future__ import annotations

import pytest

from studio import people
from studio.services import open_store
from tests.support.upgrade import previous_release, typed_pin


def test_one_person_on_loopback_never_signs_in(store, operator):
    for host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        assert not people.sign_in_required(store, host)
    owner, _ = people.add_user(store, "me@example.com", "Me", "owner", actor=operator)
    assert not people.sign_in_required(store, "127.0.0.1")
    assert people.local_actor(store).ref == f"user:{owner.id}"  # the one account is who acts


def test_a_second_person_or_a_reachable_address_means_signing_in(store, operator):
    assert people.sign_in_required(store, "0.0.0.0") and people.sign_in_required(store, "192.168.1.20")
    people.add_user(store, "me@example.com", "Me", "owner", actor=operator)
    second, _ = people.add_user(store, "you@example.com", "You", "editor", actor=operator)
    assert people.sign_in_required(store, "127.0.0.1")
    people.disable_user(store, second.id, actor=operator)
    assert not people.sign_in_required(store, "127.0.0.1")  # a disabled account is nobody at the door


def test_with_no_account_the_local_owner_acts_under_the_saved_reviewer_name(store):
    actor = people.local_actor(store, "Marie")
    assert (actor.ref, actor.name, actor.role.value, actor.kind) == ("local:owner", "Marie", "owner", "local")


def test_four_eyes_turns_on_with_the_second_person_who_may_approve(store, operator):
    people.add_user(store, "me@example.com", "Me", "owner", actor=operator)
    people.add_user(store, "ed@example.com", "Ed", "editor", actor=operator)
    assert not people.second_approver_required(store, None)  # nobody else could ever approve
    assert people.second_approver_required(store, True)
    rita, _ = people.add_user(store, "rita@example.com", "Rita", "reviewer", actor=operator)
    assert people.second_approver_required(store, None)
    assert not people.second_approver_required(store, False)
    people.disable_user(store, rita.id, actor=operator)
    assert not people.second_approver_required(store, None)


def test_the_author_of_the_current_content_cannot_approve_it(team):
    reviewer = people.Actor.for_user(team["reviewer"][0])
    owner = people.Actor.for_user(team["owner"][0])
    with pytest.raises(people.PermissionDenied) as refused:
        people.check_four_eyes(reviewer, reviewer.ref)
    assert refused.value.code == "four_eyes" and refused.value.http_status == 403
    assert "someone else has to approve it" in refused.value.message
    with pytest.raises(people.PermissionDenied):
        people.check_four_eyes(reviewer, [owner.ref, None, reviewer.ref])  # one of several authors
    people.check_four_eyes(owner, reviewer.ref)
    people.check_four_eyes(owner, [None])  # a name typed before accounts can't be matched
    people.check_four_eyes(owner, None)


def test_approving_a_post_your_own_api_key_wrote_is_approving_your_own(team):
    rita = team["reviewer"][0]
    key = people.Actor.for_api_key({"id": "key_abc", "name": "cms"}, rita)
    with pytest.raises(people.PermissionDenied):
        people.check_four_eyes(people.Actor.for_user(rita), key.person_ref)
    with pytest.raises(people.PermissionDenied):
        people.check_four_eyes(key, f"user:{rita.id}")


def test_names_typed_before_accounts_stay_as_they_were(settings):
    """A data dir from before accounts opens with its history intact; the old names show as typed names."""
    old = previous_release(settings.db_path)  # written as the code before accounts wrote it: typed names
    draft_id = typed_pin(old, author="Marie", approver="Paul")
    before = [(e["actor"], e["action"], e["at"]) for e in old.table("events").rows_where(order_by="id")]
    assert "users" not in old.table_names()
    old.close()
    with open_store(settings.db_path) as upgraded:
        assert {"users", "audit_log"} <= set(upgraded.db.table_names())
        events = upgraded.events(draft_id)
        assert [(e.actor, e.action, e.at) for e in events] == before
        assert upgraded.get_draft(draft_id).author == "Marie"
        shown = people.attribution(events[-1].actor)
        assert (shown.name, shown.ref, shown.verified) == ("Paul", None, False)
        assert shown.label == "Paul (typed name, before accounts)"
    verified = people.attribution("Rita Reviewer", "user:2")
    assert (verified.label, verified.kind, verified.verified) == ("Rita Reviewer", "user", True)
