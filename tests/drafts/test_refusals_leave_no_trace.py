"""A refused action leaves no trace: `pinstudio drafts …` checks the step first, then writes (issue 25)."""

from __future__ import annotations

import json
import subprocess

import pytest

from studio.drafts import reject, save_draft, submit_for_review
from studio.media import ingest_image
from tests.support.cli import pinstudio
from tests.support.people import editor, reviewer


def drafts(capsys, *args: str) -> subprocess.CompletedProcess:
    return pinstudio(capsys, "drafts", *args)


@pytest.fixture
def pin(store, data_dir, make_image):
    """A new draft (not submitted), with a photo, a board and a link."""
    asset, _ = ingest_image(store, data_dir, make_image(), "pasta.jpg")
    fields = {"title": "Easy pasta", "description": "Ready fast.", "link": "https://example.com/p", "board": "Dinner"}
    return save_draft(store, None, {**fields, "media_id": asset.id}, actor=editor("ana")).id


def _trace(store, draft_id: int) -> tuple:
    draft = store.get_draft(draft_id)
    return draft.status, draft.version, [(e.action, e.detail) for e in store.events(draft_id)]


@pytest.mark.parametrize("status", ["draft", "rejected"])
def test_request_changes_on_a_draft_not_in_review_is_refused_and_stores_no_note(capsys, store, pin, status):
    if status == "rejected":
        submit_for_review(store, pin, actor=editor("ana"))
        reject(store, pin, actor=reviewer(), note="Not this one")
    before = _trace(store, pin)
    result = drafts(capsys, "request-changes", str(pin), "--note", "Shorter title", "--json")
    assert result.returncode == 2, result
    (row,) = json.loads(result.stdout)
    assert row["ok"] is False and row["code"]
    assert _trace(store, pin) == before  # no comment, no event, no version bump


def test_reject_of_a_new_draft_is_refused_without_a_trace(capsys, store, pin):
    before = _trace(store, pin)
    result = drafts(capsys, "reject", str(pin), "--note", "No")
    assert result.returncode == 2, result
    assert _trace(store, pin) == before
