"""Which statuses let a reviewer approve, reject, request changes on or queue a pin: one rule in
`studio.drafts`, derived from the draft life cycle, and the actions really work in exactly those."""

from __future__ import annotations

import pytest

from studio.drafts import approve, reject, request_changes, save_draft, statuses_allowing, submit_for_review
from studio.errors import StudioError
from studio.models import DraftStatus
from tests.support.people import editor, reviewer

DECISIONS = {
    "approve": lambda store, draft_id: approve(store, draft_id, actor=reviewer("rita")),
    "reject": lambda store, draft_id: reject(store, draft_id, actor=reviewer("rita"), note="Too dark"),
    "changes": lambda store, draft_id: request_changes(store, draft_id, "Brighter, please", actor=reviewer("rita")),
}


def test_the_review_grid_offers_each_action_in_these_statuses():
    assert statuses_allowing("approve") == {DraftStatus.DRAFT, DraftStatus.IN_REVIEW}
    assert statuses_allowing("reject") == {DraftStatus.IN_REVIEW}
    assert statuses_allowing("changes") == {DraftStatus.IN_REVIEW}
    assert statuses_allowing("queue") == {DraftStatus.APPROVED}


@pytest.mark.parametrize("action", list(DECISIONS))
@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "in_review"])
def test_a_decision_works_exactly_where_it_is_offered(store, action, submitted):
    fields = {"title": "Easy weeknight pasta", "description": "Ready in 20 minutes.", "board": "Dinner"}
    draft = save_draft(store, None, fields, actor=editor("ana"))
    if submitted:
        draft = submit_for_review(store, draft.id, actor=editor("ana"))
    if draft.status in statuses_allowing(action):
        DECISIONS[action](store, draft.id)
    else:
        with pytest.raises(StudioError):
            DECISIONS[action](store, draft.id)
