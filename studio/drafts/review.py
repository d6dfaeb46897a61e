"""Review: comments, requested changes, the per-draft history and the dashboard counts.

Bulk actions on a selection (approve, reject, schedule, queue, move) live in studio.bulk.review: they
reach into scheduling, which sits above drafts."""

from __future__ import annotations

from studio import people
from studio.drafts.lifecycle import reopen
from studio.errors import TransitionError, ValidationError
from studio.models import TRANSITIONS, Draft, DraftFilter, DraftStatus, Event
from studio.people import Actor, Permission
from studio.storage import Store

# "Needs my attention": what a reviewer acts on (submitted drafts) and what an author still has to
# finish or submit (new drafts). The review grid opens on this view.
ATTENTION_STATUSES = (DraftStatus.IN_REVIEW, DraftStatus.DRAFT)
# What a reviewer's decision on a pin moves it to; approving a new draft submits it for review first
# (lifecycle.approve). Queueing moves no status: it schedules a pin, which must be approved.
REVIEW_DECISIONS = {"approve": DraftStatus.APPROVED, "reject": DraftStatus.REJECTED, "changes": DraftStatus.DRAFT}
SUBMITS_FIRST = frozenset({"approve"})
QUEUEABLE = frozenset({DraftStatus.APPROVED})  # scheduling refuses any other (require_current_approval)
# An approved pin not yet published can be sent back: its approval is withdrawn first (studio.scheduling.
# withdraw_approval takes it off the schedule and the queue), then it is rejected or returned to its author.
WITHDRAWABLE = frozenset({DraftStatus.APPROVED})


# How each event reads in a draft's history.
EVENT_LABELS = {
    "created": "created",
    "edited": "edited",
    "comment": "commented",
    "scheduled": "scheduled",
    "rescheduled": "rescheduled",
    "unscheduled": "unscheduled",
    "schedule_skipped": "skipped by the worker",
    "publish_on_approval": "asked to publish once approved",
    "queued_on_approval": "queued to publish",
    "guardrails_overridden": "published with guardrails overridden",
    "status:in_review": "sent to review",
    "status:approved": "approved",
    "status:rejected": "rejected",
    "status:draft": "sent back to editing",
    "status:published": "published",
    "status:failed": "publish failed",
    "cover_changed": "changed the video cover",
    "slide_alt_text_changed": "changed the alt text of carousel slides",
    "media_fixed": "fixed media",
    "drafted": "drafted copy",
}


def statuses_allowing(action: str) -> frozenset[DraftStatus]:
    """The statuses in which a reviewer may take `action` on a pin ("approve", "reject", "changes", "queue",
    "withdraw"): for a decision, the attention statuses from which TRANSITIONS allows its move. An approved pin
    is rejected or sent back by withdrawing its approval first (studio.scheduling.withdraw_approval)."""
    if action in ("queue", "withdraw"):
        return QUEUEABLE if action == "queue" else WITHDRAWABLE
    target = REVIEW_DECISIONS[action]

    def allows(status: DraftStatus) -> bool:
        if target in TRANSITIONS[status]:
            return True
        submitted = action in SUBMITS_FIRST and DraftStatus.IN_REVIEW in TRANSITIONS[status]
        return submitted and target in TRANSITIONS[DraftStatus.IN_REVIEW]

    return frozenset(status for status in ATTENTION_STATUSES if allows(status))


def comment(store: Store, draft_id: int, text: str, *, actor: Actor) -> None:
    """A comment (or a reply) on a pin's thread."""
    people.require(actor, Permission.COMMENT)
    if not text.strip():
        raise ValidationError("The comment is empty.", fix="Write something for the author.", code="empty_comment")
    store.get_draft(draft_id)
    store.add_event(draft_id, actor, "comment", {"text": text.strip()})


def request_changes(store: Store, draft_id: int, note: str, *, actor: Actor) -> Draft:
    """Send a draft in review back to its author with what to change (the note and the move, together)."""
    people.require(actor, Permission.REQUEST_CHANGES)
    if not note.strip():
        raise ValidationError("Say what should change.", fix="Write a note for the author.", code="note_required")
    with store.atomic():  # the step is checked before the note is written: a refusal leaves no comment behind
        draft = store.get_draft(draft_id)
        if draft.status not in statuses_allowing("changes"):
            raise TransitionError(
                f"Changes can only be requested on a pin in review; #{draft_id} is '{draft.status.value}'.",
                fix="Leave a comment instead, or ask the author to submit it for review first.",
            )
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
    if event.action == "slide_alt_text_changed":
        slides = d.get("slides") or []
        return f"changed the alt text of carousel slide{'s' * (len(slides) != 1)} " + ", ".join(map(str, slides))
    if event.action == "media_fixed":
        return f"fixed media ({d.get('fix', '').replace('_', ' ')}): #{d.get('from')} → #{d.get('to')}"
    if event.action in ("scheduled", "rescheduled"):
        extra = f" for {d.get('at', '')} ({d.get('tz', 'UTC')})"
        if d.get("note"):
            extra += f", {d['note']}"
        if d.get("override"):
            extra += " — guardrails overridden: " + ", ".join(d["override"])
        return label + extra
    if event.action == "publish_on_approval":
        return label + (f", at {d['at']}" if d.get("at") else ", as soon as the guardrails allow")
    if event.action == "guardrails_overridden":
        return f"{label}: " + ", ".join(d.get("override") or [])
    if note := d.get("note"):
        return f"{label}: {note}"
    if reason := d.get("reason"):
        return f"{label}: {reason}"
    return label


def dashboard(store: Store) -> dict:
    """Counts per status and the drafts waiting on someone."""
    counts = store.count_drafts()
    return {
        "counts": {s.value: counts.get(s.value, 0) for s in DraftStatus},
        "failures": store.list_drafts(["failed"], limit=5),
    }


def attention_filter(**narrowing: object) -> DraftFilter:
    """The review grid's default view: drafts submitted for review plus new drafts."""
    return DraftFilter(statuses=list(ATTENTION_STATUSES), **narrowing)  # type: ignore[arg-type]


def waiting_on(store: Store, actor: Actor) -> int:
    """How many pins wait on this person: others' pins to review (if they may review), and their own pins
    sent back."""
    return store.count_waiting(actor.person_ref, actor.name, reviews=people.may(actor, Permission.APPROVE))


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
