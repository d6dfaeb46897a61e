"""`pinstudio drafts`: scripted review with the studio's rules; JSON contracts and exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from studio.cli import main
from studio.cli.common import DRAFT_STATUSES
from studio.drafts import approval_is_current, save_draft, submit_for_review
from studio.media import ingest_image
from studio.models import DraftStatus
from tests.support.people import editor


def drafts(capsys, *args: str) -> subprocess.CompletedProcess:
    """`pinstudio drafts ARGS` in this process: exit code, stdout, stderr."""
    try:
        code = main(["drafts", *args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


@pytest.fixture
def pins(store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(), "pasta.jpg")
    made = []
    for n, title in enumerate(("Easy weeknight pasta", "Lemon pasta in 15 minutes", "Green pesto pasta")):
        draft = save_draft(
            store,
            None,
            {"title": title, "description": "Ready fast.", "link": f"https://example.com/{n}", "board": "Dinner"},
            actor=editor("ana"),
        )
        store.update_draft(draft.id, {"media_id": asset.id}, expected_version=draft.version, actor=editor("ana"))
        made.append(draft.id)
    submit_for_review(store, made[0], actor=editor("ana"))
    submit_for_review(store, made[1], actor=editor("ana"))
    return made


def test_statuses_offered_are_the_studios():
    assert set(DRAFT_STATUSES) == {s.value for s in DraftStatus}


def test_list_and_show_as_json(capsys, pins):
    listed = drafts(capsys, "list", "--status", "in_review", "--json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    assert sorted(r["id"] for r in rows) == pins[:2] and {r["status"] for r in rows} == {"in_review"}
    assert {"id", "status", "title", "board", "link", "scheduled_at"} <= set(rows[0])
    shown = json.loads(drafts(capsys, "show", str(pins[0]), "--json").stdout)
    assert shown["title"] == "Easy weeknight pasta" and shown["approval_current"] is False
    assert [e["what"] for e in shown["history"]][-1] == "sent to review"
    human = drafts(capsys, "list")
    assert "Green pesto pasta" in human.stdout and "in_review" in human.stdout
    missing = drafts(capsys, "show", "999")
    assert missing.returncode == 2 and "999" in missing.stderr
    assert shown["slides"] == []  # a single-image pin


def test_show_lists_a_carousels_slides_with_their_alt_text(capsys, store, data_dir, make_image, pins):
    from studio.design import save_slide_alt_texts, set_carousel_items

    second, _ = ingest_image(store, data_dir, make_image(color=(10, 200, 30)), "basil.jpg")
    first = store.get_draft(pins[0]).media_id
    set_carousel_items(store, pins[0], [{"media_id": first}, {"media_id": second.id}])
    save_slide_alt_texts(store, pins[0], {1: "Basil leaves on a wooden board"}, actor=editor("ana"))
    shown = json.loads(drafts(capsys, "show", str(pins[0]), "--json").stdout)
    assert shown["slides"] == [
        {"position": 0, "media_id": first, "alt_text": ""},
        {"position": 1, "media_id": second.id, "alt_text": "Basil leaves on a wooden board"},
    ]
    human = drafts(capsys, "show", str(pins[0])).stdout
    assert "Slides (2):" in human and "2. media" in human and "Basil leaves on a wooden board" in human


def test_approve_reject_request_changes_with_the_studios_rules(capsys, store, pins):
    first, second, third = pins
    approved = drafts(capsys, "approve", str(first), str(third), "--json")  # a new draft is submitted first
    assert approved.returncode == 0, approved.stderr
    assert [r["status"] for r in json.loads(approved.stdout)] == ["approved", "approved"]
    assert approval_is_current(store, store.get_draft(first))

    # A note is checked once, before anything changes: exit 2, nothing rejected.
    no_note = drafts(capsys, "reject", str(second), str(first))
    assert no_note.returncode == 2 and no_note.stderr.count("needs a note") == 1
    assert store.get_draft(second).status is DraftStatus.IN_REVIEW
    # An unknown id refuses the whole request.
    unknown = drafts(capsys, "approve", str(second), "4242")
    assert unknown.returncode == 2 and "#4242" in unknown.stderr
    assert store.get_draft(second).status is DraftStatus.IN_REVIEW
    # The life cycle's rules: an approved pin can't be rejected; nothing done → 2.
    refused = drafts(capsys, "reject", str(first), "--note", "Off brand")
    assert refused.returncode == 2 and "cannot become 'rejected'" in refused.stderr
    # Mixed: one refused, one done → 1 (the work partly failed), each outcome reported.
    mixed = drafts(capsys, "reject", str(first), str(second), "--note", "Off brand", "--json")
    assert mixed.returncode == 1
    assert [(r["draft_id"], r["ok"]) for r in json.loads(mixed.stdout)] == [(first, False), (second, True)]
    assert store.get_draft(second).status is DraftStatus.REJECTED

    # Changes are requested of a pin in review, as on the page: a rejected one is refused, its note not kept.
    changes = drafts(capsys, "request-changes", str(second), "--note", "Shorter title, please")
    assert changes.returncode == 2 and store.get_draft(second).status is DraftStatus.REJECTED
    history = json.loads(drafts(capsys, "show", str(second), "--json").stdout)["history"]
    assert "commented: Shorter title, please" not in [e["what"] for e in history]


def test_edit_voids_the_approval_as_on_the_page(capsys, store, pins):
    first = pins[0]
    assert drafts(capsys, "approve", str(first)).returncode == 0
    edited = drafts(capsys, "edit", str(first), "--title", "Easy weeknight pasta for two", "--json")
    assert edited.returncode == 0
    result = json.loads(edited.stdout)[0]
    assert result["approval_voided"] is True and result["status"] == "in_review"
    draft = store.get_draft(first)
    assert draft.title == "Easy weeknight pasta for two" and not approval_is_current(store, draft)
    too_long = drafts(capsys, "edit", str(first), "--title", "x" * 101)
    assert too_long.returncode == 2 and "101 characters" in too_long.stderr
    assert store.get_draft(first).title == "Easy weeknight pasta for two"
    assert drafts(capsys, "edit", str(first)).returncode == 2  # nothing to change


def test_schedule_at_a_time_or_in_the_queue(capsys, store, pins):
    first, second, _ = pins
    refused = drafts(capsys, "schedule", str(second), "--at", "2030-01-01T09:00")
    assert refused.returncode == 2 and "approved" in refused.stderr  # only approved pins
    assert drafts(capsys, "approve", str(first)).returncode == 0
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    done = drafts(capsys, "schedule", str(first), "--at", when.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    assert store.get_draft(first).scheduled_at.startswith(when.strftime("%Y-%m-%dT%H:%M"))
    assert drafts(capsys, "schedule", str(first), "--at", "next tuesday").returncode == 2
    no_slots = drafts(capsys, "schedule", str(first), "--queue")
    assert no_slots.returncode == 2 and "posting slots" in no_slots.stderr
    assert drafts(capsys, "schedule", str(first)).returncode == 2  # --at or --queue is required


def test_usage_errors_exit_2(capsys):
    assert drafts(capsys).returncode == 2
    assert drafts(capsys, "approve").returncode == 2
    assert drafts(capsys, "list", "--status", "nonsense").returncode == 2
