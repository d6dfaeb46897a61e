import itertools

import pytest

from studio.drafts.lifecycle import approval_is_current, approve, reject, save_draft, submit_for_review
from studio.errors import ConflictError, NotFoundError, TransitionError, ValidationError
from studio.media.assets import ingest_image
from studio.models import TRANSITIONS, DraftStatus, check_transition
from tests.support.people import editor, reviewer

ALL = list(DraftStatus)


@pytest.mark.parametrize("current,target", list(itertools.product(ALL, ALL)))
def test_every_transition_is_allowed_or_refused(current, target):
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionError) as err:
            check_transition(current, target)
        assert current.value in err.value.message and target.value in err.value.message


def test_published_is_final():
    assert TRANSITIONS[DraftStatus.PUBLISHED] == frozenset()


def test_store_refuses_an_illegal_transition(store):
    draft = store.create_draft(title="t", actor=editor())
    with pytest.raises(TransitionError):
        store.set_status(draft.id, "published", actor=reviewer())
    assert store.get_draft(draft.id).status is DraftStatus.DRAFT


def test_empty_title_is_refused_with_the_reason(store):
    with pytest.raises(ValidationError) as err:
        save_draft(store, None, {"title": "   ", "description": "x"}, actor=editor())
    assert "title" in err.value.message.lower()
    assert store.list_drafts() == []


def test_non_web_link_is_refused(store):
    with pytest.raises(ValidationError) as err:
        save_draft(store, None, {"title": "A", "link": "ftp://example.com"}, actor=editor())
    assert "https://" in err.value.message


def test_two_tabs_editing_the_same_draft_detect_the_conflict(store):
    draft = save_draft(store, None, {"title": "First"}, actor=editor())
    tab_a_version = tab_b_version = draft.version
    save_draft(store, draft.id, {"title": "Edited in tab A"}, expected_version=tab_a_version, actor=editor())
    with pytest.raises(ConflictError) as err:
        save_draft(store, draft.id, {"title": "Edited in tab B"}, expected_version=tab_b_version, actor=editor())
    assert "someone else" in err.value.message
    assert store.get_draft(draft.id).title == "Edited in tab A"


def test_approval_is_bound_to_the_content(store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(), "a.jpg")
    draft = save_draft(store, None, {"title": "T", "media_id": asset.id, "board": "Recipes"}, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    approved = approve(store, draft.id, actor=reviewer("rita"))
    assert approved.status is DraftStatus.APPROVED and approval_is_current(store, approved)
    edited = save_draft(store, draft.id, {"description": "a new sentence"}, actor=editor("sam"))
    assert edited.status is DraftStatus.IN_REVIEW
    assert edited.approved_hash is None
    last = store.events(draft.id)[-1]
    assert "edited after approval" in last.detail["note"] and "description" in last.detail["note"]


def test_reject_needs_a_note_and_records_it(store):
    draft = save_draft(store, None, {"title": "T"}, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    with pytest.raises(ValidationError):
        reject(store, draft.id, note=" ", actor=reviewer())
    rejected = reject(store, draft.id, actor=reviewer("rita"), note="Wrong board")
    assert rejected.status is DraftStatus.REJECTED
    assert store.events(draft.id)[-1].detail["note"] == "Wrong board"


def test_missing_draft_is_a_clear_error(store):
    with pytest.raises(NotFoundError):
        store.get_draft(999)
