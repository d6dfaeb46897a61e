"""Compose's Save in one transaction: the draft, its submission for review, the LLM calls that wrote its
copy, and a video's cover chosen before the first save. Either all of it lands or none of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from studio.drafting.log import CallLog
from studio.drafts import change_cover, discard_autosave, save_draft, submit_for_review
from studio.models import Draft
from studio.people import Actor
from studio.storage import Store


def save_composed(
    store: Store,
    draft_id: int | None,
    fields: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int | None = None,
    submit: bool = False,
    llm_call_ids: Iterable[int] = (),
    cover_offset_s: float | None = None,
    cover_media_id: int | None = None,
) -> Draft:
    """Create or save a draft as the Compose page holds it; refuses (and writes nothing) on any error."""
    with store.atomic():
        draft = save_draft(store, draft_id, fields, actor=actor, expected_version=expected_version)
        if submit:
            draft = submit_for_review(store, draft.id, actor=actor)
        CallLog(store).attach(list(llm_call_ids), draft.id)
        discard_autosave(store, draft.media_id, actor=actor)  # saved: nothing is left unsaved
        if cover_offset_s is not None and draft.media_id:  # the cover picked before the first save
            draft = change_cover(store, draft.id, draft.media_id, cover_offset_s, cover_media_id, actor=actor)
    return store.get_draft(draft.id)
