"""Bulk review actions on a selection of drafts: approve, submit for review, reject, move, schedule, queue.

Each draft succeeds or fails on its own, with the reason; the Review page and scripts call this.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from studio import people
from studio.accounts import require_known_board
from studio.config import Settings
from studio.drafts import approve, reject, save_draft, submit_for_review
from studio.errors import StudioError, ValidationError
from studio.people import Actor, Permission
from studio.scheduling import add_to_queue, schedule
from studio.storage import Store

BULK_ACTIONS = ("approve", "reject", "submit", "schedule", "queue", "move")
# What each action needs (checked once, before any draft is touched).
NEEDS = {
    "approve": Permission.APPROVE,
    "reject": Permission.REJECT,
    "submit": Permission.SUBMIT,
    "schedule": Permission.SCHEDULE,
    "queue": Permission.SCHEDULE,
    "move": Permission.EDIT,
}


class BulkResult(BaseModel):
    draft_id: int
    ok: bool
    message: str


def bulk(
    store: Store,
    settings: Settings,
    draft_ids: list[int],
    action: str,
    *,
    actor: Actor,
    note: str = "",
    board: str = "",
    when: datetime | None = None,
    tz: str = "UTC",
    progress: Callable[[int, int], None] | None = None,
) -> list[BulkResult]:
    """Apply one action to many drafts; each succeeds or fails on its own, with the reason.

    What the whole action needs (a note to reject, a board to move to, a time) is checked once,
    before any draft is touched: a missing note is one error, not one per draft."""
    check_bulk_request(action, note=note, board=board, when=when)
    people.require(actor, NEEDS[action])
    results = []
    for n, draft_id in enumerate(draft_ids, 1):
        try:
            if action == "approve":
                pin = store.get_draft(draft_id)
                require_known_board(store, pin.board, pin.account)
                approve(store, draft_id, actor=actor, note=note, second_approver=settings.require_second_approver)
                message = "approved"
            elif action == "reject":
                reject(store, draft_id, actor=actor, note=note)
                message = "rejected"
            elif action == "submit":
                submit_for_review(store, draft_id, actor=actor)
                message = "submitted for review"
            elif action == "move":
                require_known_board(store, board, store.get_draft(draft_id).account)
                save_draft(store, draft_id, {"board": board}, actor=actor)
                message = f"moved to {board}"
            elif action == "schedule":
                assert when is not None  # checked above
                schedule(store, settings, draft_id, when, tz=tz, actor=actor)
                message = f"scheduled for {when:%Y-%m-%d %H:%M}"
            elif action == "queue":
                draft, _ = add_to_queue(store, settings, draft_id, actor=actor)
                message = f"queued for {draft.scheduled_at}"
            results.append(BulkResult(draft_id=draft_id, ok=True, message=message))
        except StudioError as exc:
            results.append(BulkResult(draft_id=draft_id, ok=False, message=str(exc)))
        if progress:
            progress(n, len(draft_ids))
    return results


def check_bulk_request(action: str, *, note: str = "", board: str = "", when: datetime | None = None) -> None:
    """Refuse a bulk request that can't succeed for any draft, before touching one."""
    if action not in BULK_ACTIONS:
        raise ValidationError(
            f"Unknown bulk action '{action}'.", fix=f"Use one of: {', '.join(BULK_ACTIONS)}.", code="bad_action"
        )
    if action == "reject" and not note.strip():
        raise ValidationError(
            "A rejection needs a note.",
            fix="Write one note for the authors; it goes with every pin.",
            code="note_required",
        )
    if action == "move" and not board.strip():
        raise ValidationError("No board given.", fix="Type the board to move to.", code="board_required")
    if action == "schedule" and when is None:
        raise ValidationError("No time given.", fix="Pick a date and time.", code="time_required")
