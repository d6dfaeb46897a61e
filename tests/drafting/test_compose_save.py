"""Compose's Save is one transaction: a failure part-way leaves no half-saved draft behind."""

from __future__ import annotations

import pytest

from studio.drafting import CallLog, save_composed
from studio.errors import StudioError
from studio.models import DraftStatus
from tests.support.people import editor


def test_save_and_submit_in_one_call(store):
    draft = save_composed(store, None, {"title": "Autumn soup"}, actor=editor("ana"), submit=True)
    assert draft.status is DraftStatus.IN_REVIEW and draft.title == "Autumn soup"
    assert [e.action for e in store.events(draft.id)] == ["created", "status:in_review"]


def test_a_failure_part_way_writes_nothing(store, monkeypatch):
    def broken(self, call_ids, draft_id):
        raise StudioError("The LLM log could not be updated.")

    monkeypatch.setattr(CallLog, "attach", broken)
    with pytest.raises(StudioError):
        save_composed(store, None, {"title": "Autumn soup"}, actor=editor("ana"), submit=True, llm_call_ids=[1])
    assert store.list_drafts(limit=10) == []  # neither the draft nor its submission landed
