"""A refused action leaves no trace: `pinstudio drafts …` checks the step first, then writes (issue 25)."""

from __future__ import annotations

import json
import subprocess

import pytest

from studio.cli import main
from studio.drafts import approve, save_draft, submit_for_review
from studio.media import ingest_image
from tests.support.people import editor, reviewer


def drafts(capsys, *args: str) -> subprocess.CompletedProcess:
    """`pinstudio drafts ARGS` in this process: exit code, stdout, stderr."""
    try:
        code = main(["drafts", *args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


@pytest.fixture
def pin(store, data_dir, make_image):
    """A new draft (not submitted), with a photo, a board and a link."""
    asset, _ = ingest_image(store, data_dir, make_image(), "pasta.jpg")
    fields = {"title": "Easy pasta", "description": "Ready fast.", "link": "https://example.com/p", "board": "Dinner"}
    return save_draft(store, None, {**fields, "media_id": asset.id}, actor=editor("ana")).id


def _trace(store, draft_id: int) -> tuple:
    draft = store.get_draft(draft_id)
    return draft.status, draft.version, [(e.action, e.detail) for e in store.events(draft_id)]


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_request_changes_on_a_draft_not_in_review_is_refused_and_stores_no_note(capsys, store, pin, status):
    if status == "approved":
        submit_for_review(store, pin, actor=editor("ana"))
        approve(store, pin, actor=reviewer())
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
