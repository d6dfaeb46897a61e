"""Review: the queue, comments, the per-draft history, and bulk actions on a selection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from studio.config import Settings
from studio.drafts.lifecycle import approve, reject, reopen, save_draft, submit_for_review
from studio.errors import StudioError, ValidationError
from studio.models import Draft, DraftFilter, DraftStatus, Event
from studio.storage import Store

# "Needs my attention": what a reviewer acts on (submitted drafts) and what an author still has to
# finish or submit (new drafts). The review grid opens on this view.
ATTENTION_STATUSES = (DraftStatus.IN_REVIEW, DraftStatus.DRAFT)

BULK_ACTIONS = ("approve", "reject", "submit", "schedule", "queue", "move")

# How each event reads in a draft's history.
EVENT_LABELS = {
    "created": "created",
    "edited": "edited",
    "comment": "commented",
    "scheduled": "scheduled",
    "rescheduled": "rescheduled",
    "unscheduled": "unscheduled",
    "schedule_skipped": "skipped by the worker",
    "status:in_review": "sent to review",
    "status:approved": "approved",
    "status:rejected": "rejected",
    "status:draft": "sent back to editing",
    "status:published": "published",
    "status:failed": "publish failed",
    "cover_changed": "changed the video cover",
    "media_fixed": "fixed media",
    "drafted": "drafted copy",
}


class BulkResult(BaseModel):
    draft_id: int
    ok: bool
    message: str


def comment(store: Store, draft_id: int, text: str, *, actor: str = "") -> None:
    if not text.strip():
        raise ValidationError("The comment is empty.", fix="Write something for the author.", code="empty_comment")
    store.get_draft(draft_id)
    store.add_event(draft_id, actor, "comment", {"text": text.strip()})


def request_changes(store: Store, draft_id: int, note: str, *, actor: str = "") -> Draft:
    """Send a draft in review back to its author with what to change."""
    if not note.strip():
        raise ValidationError("Say what should change.", fix="Write a note for the author.", code="note_required")
    comment(store, draft_id, note, actor=actor)
    return reopen(store, draft_id, actor=actor)


def timeline(store: Store, draft_id: int) -> list[dict]:
    """The draft's complete history, in words: who did what, when, and the details."""
    rows = []
    for event in store.events(draft_id):
        rows.append({"at": event.at, "who": event.actor, "what": describe(event)})
    return rows


def describe(event: Event) -> str:
    d = event.detail
    label = EVENT_LABELS.get(event.action, event.action.replace("_", " "))
    if event.action == "comment":
        return f"commented: {d.get('text', '')}"
    if event.action == "created" and d.get("provider"):
        model = f" / {d['model']}" if d.get("model") else ""
        return f"created (copy drafted by {d['provider']}{model})"
    if event.action == "edited":
        parts = []
        if d.get("provider"):
            parts.append(f"redrafted with {d['provider']}" + (f" / {d['model']}" if d.get("model") else ""))
        if "media_id" in d:
            parts.append(f"changed the media to #{d['media_id']}")
        fields = sorted(k for k in d if k not in ("media_id", "provider", "model"))
        if fields:
            parts.append("edited " + ", ".join(f.replace("_", " ") for f in fields))
        return "; ".join(parts) or "edited"
    if event.action == "media_fixed":
        return f"fixed media ({d.get('fix', '').replace('_', ' ')}): #{d.get('from')} → #{d.get('to')}"
    if event.action in ("scheduled", "rescheduled"):
        extra = f" for {d.get('at', '')} ({d.get('tz', 'UTC')})"
        if d.get("override"):
            extra += " — guardrails overridden: " + ", ".join(d["override"])
        return label + extra
    if note := d.get("note"):
        return f"{label}: {note}"
    if reason := d.get("reason"):
        return f"{label}: {reason}"
    return label


def bulk(
    store: Store,
    settings: Settings,
    draft_ids: list[int],
    action: str,
    *,
    actor: str = "",
    note: str = "",
    board: str = "",
    when: datetime | None = None,
    tz: str = "UTC",
    progress: Callable[[int, int], None] | None = None,
) -> list[BulkResult]:
    """Apply one action to many drafts; each succeeds or fails on its own, with the reason.

    What the whole action needs (a note to reject, a board to move to, a time) is checked once,
    before any draft is touched: a missing note is one error, not one per draft."""
    from studio.scheduling.schedule import add_to_queue, schedule

    check_bulk_request(action, note=note, board=board, when=when)
    results = []
    for n, draft_id in enumerate(draft_ids, 1):
        try:
            if action == "approve":
                approve(store, draft_id, actor=actor, note=note)
                message = "approved"
            elif action == "reject":
                reject(store, draft_id, actor=actor, note=note)
                message = "rejected"
            elif action == "submit":
                submit_for_review(store, draft_id, actor=actor)
                message = "submitted for review"
            elif action == "move":
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


def dashboard(store: Store) -> dict:
    """Counts per status and the drafts waiting on someone."""
    counts = store.count_drafts()
    return {
        "counts": {s.value: counts.get(s.value, 0) for s in DraftStatus},
        "failures": store.list_drafts(["failed"], limit=5),
    }


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


def attention_filter(**narrowing: object) -> DraftFilter:
    """The review grid's default view: drafts submitted for review plus new drafts."""
    return DraftFilter(statuses=list(ATTENTION_STATUSES), **narrowing)  # type: ignore[arg-type]


def waiting_on(store: Store, person: str) -> int:
    """How many pins wait on this person: others' pins to review, and their own pins sent back."""
    return store.count_waiting(person)


def thread(store: Store, draft_id: int) -> list[dict]:
    """The conversation on a draft: comments and review notes (rejections, requested changes), oldest first."""
    rows = []
    for event in store.events(draft_id):
        text = ""
        if event.action == "comment":
            text = event.detail.get("text", "")
        elif event.action.startswith("status:") and event.detail.get("note"):
            text = event.detail["note"]
        if text:
            kind = {"status:rejected": "rejected", "status:approved": "approved"}.get(event.action, "comment")
            rows.append({"at": event.at, "who": event.actor, "text": text, "kind": kind})
    return rows


def changes_requested(store: Store, draft_id: int) -> dict | None:
    """Why a reviewer sent this draft back, while it is still waiting on its author: the rejection
    note, or the note given with "request changes" (the comment just before the return to editing)."""
    draft = store.get_draft(draft_id)
    if draft.status not in (DraftStatus.DRAFT, DraftStatus.REJECTED):
        return None
    events = store.events(draft_id)
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if not event.action.startswith("status:"):
            continue
        if event.action == "status:rejected":
            return {"who": event.actor, "at": event.at, "note": event.detail.get("note", ""), "kind": "rejected"}
        if event.action == "status:draft" and event.detail.get("from") == "in_review":
            before = events[i - 1] if i else None
            note = before.detail.get("text", "") if before and before.action == "comment" else ""
            return {"who": event.actor, "at": event.at, "note": note, "kind": "changes requested"}
        return None  # the last status change wasn't a reviewer sending it back
    return None
