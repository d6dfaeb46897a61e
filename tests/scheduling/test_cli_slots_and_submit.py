"""A scripted review from start to queue: `drafts submit`, `slots list|add|remove`, then `--queue` (issue 25)."""

from __future__ import annotations

import json

import pytest

from studio.drafts import save_draft
from studio.media import ingest_image
from studio.scheduling import posting_slots
from tests.support.cli import pinstudio
from tests.support.people import editor


@pytest.fixture
def new_draft(store, data_dir, make_image) -> int:
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    fields = {"title": "Squash soup", "link": "https://example.com/soup", "board": "Recipes", "media_id": asset.id}
    return save_draft(store, None, fields, actor=editor()).id


def test_a_fresh_draft_goes_to_review_approval_and_the_queue_from_a_script(capsys, store, new_draft):
    submitted = pinstudio(capsys, "drafts", "submit", str(new_draft), "--json")
    assert submitted.returncode == 0, submitted
    assert json.loads(submitted.stdout)[0]["status"] == "in_review"
    assert pinstudio(capsys, "drafts", "approve", str(new_draft)).returncode == 0
    assert pinstudio(capsys, "drafts", "schedule", str(new_draft), "--queue").returncode == 2  # no slots yet

    added = pinstudio(capsys, "slots", "add", "--day", "mon,thu", "--at", "09:30", "--json")
    assert added.returncode == 0, added
    assert [(r["day"], r["time"], r["board"]) for r in json.loads(added.stdout)] == [
        ("mon", "09:30", ""),
        ("thu", "09:30", ""),
    ]
    queued = pinstudio(capsys, "drafts", "schedule", str(new_draft), "--queue", "--json")
    assert queued.returncode == 0, queued
    assert store.get_draft(new_draft).scheduled_at


def test_submit_refuses_what_is_already_in_review_and_an_unknown_draft(capsys, store, new_draft):
    assert pinstudio(capsys, "drafts", "submit", str(new_draft)).returncode == 0
    again = pinstudio(capsys, "drafts", "submit", str(new_draft), "--json")
    assert again.returncode == 2 and json.loads(again.stdout)[0]["code"] == "illegal_transition"
    missing = pinstudio(capsys, "drafts", "submit", "999")
    assert missing.returncode == 2 and "No draft #999" in missing.stderr


def test_slots_list_by_board_and_remove(capsys, store):
    assert pinstudio(capsys, "slots", "add", "--day", "tue", "--at", "18:00", "--board", "Recipes").returncode == 0
    assert pinstudio(capsys, "slots", "add", "--day", "wed", "--at", "08:00").returncode == 0
    mine = json.loads(pinstudio(capsys, "slots", "list", "--board", "Recipes", "--json").stdout)
    assert [(r["board"], r["day"], r["time"]) for r in mine] == [("Recipes", "tue", "18:00")]
    everything = pinstudio(capsys, "slots", "list")
    assert "tue 18:00" in everything.stdout and "(shared)" in everything.stdout
    removed = pinstudio(capsys, "slots", "remove", str(mine[0]["id"]), "--json")
    assert removed.returncode == 0 and json.loads(removed.stdout)[0]["ok"]
    assert [s["board"] for s in posting_slots(store)] == [""]
    gone = pinstudio(capsys, "slots", "remove", str(mine[0]["id"]))
    assert gone.returncode == 2 and "No posting slot" in gone.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--day", "funday", "--at", "09:00"), "'fun' is not a day"),
        (("--day", "mon", "--at", "25:99"), "not a time of day"),
        (("--day", "mon", "--at", "09:00", "--tz", "Mars/Base"), "not a time zone"),
    ],
)
def test_slots_add_refuses_bad_input_and_adds_nothing(capsys, store, args, says):
    result = pinstudio(capsys, "slots", "add", *args)
    assert result.returncode == 2 and says in result.stderr, result
    assert posting_slots(store) == []
