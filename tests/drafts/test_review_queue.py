"""The review queue's logic: what waits on whom, why a draft came back, bulk submit, one note check."""

from __future__ import annotations

import pytest

from studio.bulk import bulk
from studio.drafts import (
    attention_filter,
    changes_requested,
    reject,
    request_changes,
    save_draft,
    submit_for_review,
    thread,
    waiting_on,
)
from studio.errors import ValidationError
from studio.models import DraftStatus
from tests.support.people import editor, person, reviewer


def test_waiting_on_counts_others_reviews_and_my_returned_drafts(store):
    mine = save_draft(store, None, {"title": "Mine"}, actor=editor("ana"))
    theirs = save_draft(store, None, {"title": "Theirs"}, actor=editor("bo"))
    submit_for_review(store, mine.id, actor=editor("ana"))
    submit_for_review(store, theirs.id, actor=editor("bo"))
    assert waiting_on(store, person("ana")) == 1 and waiting_on(store, reviewer("rita")) == 2
    request_changes(store, mine.id, "Shorter title", actor=reviewer("rita"))
    assert waiting_on(store, person("ana")) == 2  # bo's pin to review + her own sent back
    assert changes_requested(store, mine.id) | {"at": ""} == {
        "who": "rita",
        "at": "",
        "note": "Shorter title",
        "kind": "changes requested",
    }
    submit_for_review(store, mine.id, actor=editor("ana"))
    assert changes_requested(store, mine.id) is None  # answered: no banner any more


def test_a_rejection_reason_and_the_thread_reach_the_author(store):
    draft = save_draft(store, None, {"title": "Soup"}, actor=editor("ana"))
    submit_for_review(store, draft.id, actor=editor())
    reject(store, draft.id, actor=reviewer("rita"), note="Wrong board")
    assert changes_requested(store, draft.id)["note"] == "Wrong board"
    assert [(n["who"], n["text"], n["kind"]) for n in thread(store, draft.id)] == [("rita", "Wrong board", "rejected")]


def test_bulk_submit_and_a_missing_note_said_once(store, settings):
    ids = [save_draft(store, None, {"title": f"P{i}"}, actor=editor()).id for i in range(3)]
    assert all(r.ok for r in bulk(store, settings, ids, "submit", actor=reviewer()))
    assert {store.get_draft(i).status for i in ids} == {DraftStatus.IN_REVIEW}
    with pytest.raises(ValidationError, match="needs a note"):
        bulk(store, settings, ids, "reject", note=" ", actor=reviewer())
    assert store.draft_ids(attention_filter()) == ids[::-1]
