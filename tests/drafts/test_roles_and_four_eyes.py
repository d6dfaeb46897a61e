"""Roles are checked in studio/, before anything is written, whoever calls (page, CLI, API); four eyes: whoever
wrote a pin's current content can't approve it; history records people, the CLI as `cli:<os user>`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from studio import people
from studio.api import create_key
from studio.cli import main
from studio.design import save_brand_kit
from studio.drafts import approve, comment, reject, save_draft, submit_for_review
from studio.publishing import publish_draft
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import add_slot, schedule
from tests.support.people import editor, member, owner, reviewer, viewer

PIN = {"title": "Lemon tart", "description": "Bright and quick.", "board": "Baking", "link": "https://example.com"}


@pytest.fixture
def team(store):
    """An owner, a reviewer (four eyes is on by itself from the second person who may approve) and an editor."""
    return {
        "olga": member(store, "owner", "Olga"),
        "rita": member(store, "reviewer", "Rita"),
        "ed": member(store, "editor", "Ed"),
    }


def test_the_author_of_the_current_content_cannot_approve_it(store, team):
    draft = save_draft(store, None, PIN, actor=team["ed"])
    submit_for_review(store, draft.id, actor=team["ed"])
    save_draft(store, draft.id, {"description": "Bright, quick, no oven."}, actor=team["rita"])  # Rita wrote some
    with pytest.raises(people.PermissionDenied) as refused:
        approve(store, draft.id, actor=team["rita"])
    assert refused.value.code == "four_eyes" and refused.value.http_status == 403
    assert store.get_draft(draft.id).status.value == "in_review"  # nothing was written
    approved = approve(store, draft.id, actor=team["olga"])
    assert approved.status.value == "approved"
    last = store.events(draft.id)[-1]
    assert (last.actor, last.actor_ref, last.action) == ("Olga", team["olga"].ref, "status:approved")


def test_four_eyes_can_be_turned_off_and_is_off_for_one_approver(store):
    olga = member(store, "owner", "Olga")
    draft = save_draft(store, None, PIN, actor=olga)
    assert approve(store, draft.id, actor=olga).status.value == "approved"  # nobody else could ever approve
    member(store, "reviewer", "Rita")
    again = save_draft(store, None, {**PIN, "title": "Plum tart"}, actor=olga)
    with pytest.raises(people.PermissionDenied):
        approve(store, again.id, actor=olga)
    assert approve(store, again.id, actor=olga, second_approver=False).status.value == "approved"


def test_each_role_is_refused_in_studio_before_anything_is_written(store, settings, data_dir, make_image):
    with pytest.raises(people.PermissionDenied) as refused:
        save_draft(store, None, PIN, actor=viewer("Vic"))
    assert store.count_drafts() == {} and "viewers may not compose pins" in refused.value.message
    draft = save_draft(store, None, PIN, actor=editor("Ed"))
    comment(store, draft.id, "Looks tasty", actor=editor("Ed"))
    for attempt in (
        lambda: approve(store, draft.id, actor=editor("Ed")),
        lambda: reject(store, draft.id, actor=editor("Ed"), note="no"),
        lambda: add_slot(store, "", 0, "09:00", "UTC", actor=editor("Ed")),
        lambda: save_brand_kit(store, {"primary": "#112233"}, actor=reviewer("Rita")),
        lambda: create_key(store, "cms", actor=reviewer("Rita")),
    ):
        with pytest.raises(people.PermissionDenied):
            attempt()
    assert store.get_draft(draft.id).status.value == "draft" and not store.db.table("api_keys").count


def test_an_editor_cannot_schedule_or_publish_an_approved_pin(store, settings):
    draft = save_draft(store, None, PIN, actor=editor("Ed"))
    approve(store, draft.id, actor=reviewer("Rita"))
    when = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(people.PermissionDenied):
        schedule(store, settings, draft.id, when, actor=editor("Ed"))
    with pytest.raises(people.PermissionDenied):
        publish_draft(store, DryRunPublisher(), draft.id, settings, actor=editor("Ed"))
    assert store.get_draft(draft.id).scheduled_at is None and store.get_draft(draft.id).status.value == "approved"
    owner_done = schedule(store, settings, draft.id, when, actor=owner("Olga"))[0]
    assert owner_done.scheduled_at


def test_the_cli_approves_as_the_operator_and_says_so_in_history(store, capsys, monkeypatch):
    monkeypatch.setenv("LOGNAME", "marie")  # the OS user running pinstudio
    draft = save_draft(store, None, PIN, actor=editor("Ed"))
    submit_for_review(store, draft.id, actor=editor("Ed"))
    assert main(["drafts", "approve", str(draft.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "approved"
    last = store.events(draft.id)[-1]
    assert (last.actor, last.actor_ref, last.action) == ("cli:marie", "cli:marie", "status:approved")


def test_the_cli_operator_who_wrote_a_pin_cannot_approve_it_with_four_eyes_on(store, capsys, monkeypatch):
    monkeypatch.setenv("STUDIO_REQUIRE_SECOND_APPROVER", "true")
    monkeypatch.setenv("LOGNAME", "marie")
    draft = save_draft(store, None, PIN, actor=people.Actor.cli("marie"))
    assert main(["drafts", "approve", str(draft.id), "--json"]) == 2  # refused: nothing done
    (row,) = json.loads(capsys.readouterr().out)
    assert row["ok"] is False and row["code"] == "four_eyes"
    assert store.get_draft(draft.id).status.value == "draft"
