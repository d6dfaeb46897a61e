"""What approving does, said before the click and done the same way after it, and taking an approval back.

A draft whose maker asked for it to be published once approved (an API post sent for review) goes through the
same queue and guardrails as every pin: at the time its post asked for, else now if now clears every guardrail,
else the next free time (its board's next free posting slot, else the earliest time that clears the spacing,
the daily cap and the repeat window). `after_approval` answers before the click (the Review page says it),
`publish_approved` does it (the API's processor calls it) and the pin's history records it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel

from studio import people
from studio.config import Settings
from studio.drafts import reject, request_changes
from studio.drafts import withdraw_approval as withdraw_draft_approval
from studio.errors import GuardrailError, ValidationError
from studio.models import Draft, DraftStatus, iso, utcnow
from studio.people import Actor, Permission
from studio.publishing import (
    Outgoing,
    Publisher,
    check_pin,
    jobs,
    outgoing,
    queue_draft,
    repeat_clears_at,
)
from studio.scheduling.schedule import board_slots, next_free_slot, schedule, to_utc, zone
from studio.storage import Store

# The history line an API post sent for review leaves: approving it publishes it (at `at`, else when free).
ON_APPROVAL = "publish_on_approval"
# "A sensible time" of day, in the studio's zone, for a pin moved to another day (not 00:00 UTC).
DAY_STARTS = time(9, 0)
DAY_ENDS = time(21, 0)
HORIZON = timedelta(days=120)  # how far ahead the next free time is looked for
SLACK = timedelta(minutes=1)  # an asked time this close to now means "now"
WAITING_HELPS = frozenset({"daily_cap", "min_spacing", "repeat_pin"})  # the next free time gets past these

Action = Literal["none", "now", "at", "blocked"]
ONLY_APPROVES = "Approving doesn't publish it: schedule it or publish it afterwards."


class ApprovalRequest(BaseModel):
    """Approving publishes the draft: at `asked` (UTC), or as soon as the guardrails allow when None."""

    asked: datetime | None = None


class ApprovalPlan(BaseModel):
    """What approving a draft does, in words a reviewer reads before clicking."""

    draft_id: int
    action: Action
    when: datetime | None = None  # "at": the time (UTC)
    tz: str = "UTC"
    why: str = ""
    text: str
    guardrails: list[str] = []  # "blocked": the codes that stop it


# --- what the maker asked -----------------------------------------------------------------
def publish_on_approval(store: Store, draft_id: int, asked: datetime | None, *, actor: Actor) -> None:
    """Record that approving this draft publishes it (an API post sent for review), at `asked` if given."""
    store.add_event(draft_id, actor, ON_APPROVAL, {"at": iso(asked) if asked else None})


def approval_request(store: Store, draft: Draft) -> ApprovalRequest | None:
    """What approving this draft was asked to do, or None (approving only approves)."""
    return approval_requests(store, [draft.id]).get(draft.id)


def approval_requests(store: Store, draft_ids: Sequence[int]) -> dict[int, ApprovalRequest]:
    """What approving each of these drafts was asked to do (drafts that only get approved are left out)."""
    found = {}
    for draft_id, event in store.latest_events(draft_ids, ON_APPROVAL).items():
        at = event.detail.get("at")
        found[draft_id] = ApprovalRequest(asked=datetime.fromisoformat(at) if at else None)
    return found


# --- the next free time -------------------------------------------------------------------
def sensible(when: datetime, tz: str) -> datetime:
    """`when`, moved into the day (09:00–21:00 in `tz`) if it falls in the night."""
    local = when.astimezone(zone(tz))
    if local.time() < DAY_STARTS:
        return to_utc(local.date(), DAY_STARTS, tz)
    if local.time() >= DAY_ENDS:
        return to_utc(local.date() + timedelta(days=1), DAY_STARTS, tz)
    return when


def next_free_time(
    store: Store, settings: Settings, draft: Draft, after: datetime, *, extra: Sequence[Outgoing] = ()
) -> datetime | None:
    """The first time from `after` at which the pin clears every guardrail: its board's next free posting slot
    when it has slots, else the earliest such minute. None when no time helps (too many boards) or none is free
    within the horizon. The account's pins over the horizon are read once and candidate times skip past the
    spacing and the daily cap in memory; a candidate is then checked in full (`check_pin`, the one rule)."""
    slots, _ = board_slots(store, draft.board)
    spacing = timedelta(minutes=settings.min_spacing_minutes)
    start = after.astimezone(UTC)
    window = outgoing(store, draft, start - timedelta(days=1), start + HORIZON + timedelta(days=1), extra)
    marks = sorted(pin.at.astimezone(UTC).replace(second=0, microsecond=0) for pin in window)
    per_day = Counter(mark.date() for mark in marks)
    at = _ceil_minute(start)
    for _ in range(5000):
        if slots:
            try:
                at = next_free_slot(store, draft.board, at - timedelta(seconds=1))
            except ValidationError:
                return None
        if at > start + HORIZON:
            return None
        minute = at.replace(second=0, microsecond=0)
        near = marks[bisect_right(marks, minute - spacing) : bisect_left(marks, minute + spacing)]
        blocking = (["min_spacing"] if near else []) + (
            ["daily_cap"] if per_day[at.date()] >= settings.daily_cap else []
        )
        if not blocking:
            blocking = [g.code for g in check_pin(store, draft, at, settings, extra=extra) if g.blocking]
            if not blocking:
                return at
            if "too_many_boards" in blocking:
                return None
        later = at + timedelta(minutes=1)
        if near:
            later = max(later, near[-1] + spacing)
        if "repeat_pin" in blocking:
            later = max(later, repeat_clears_at(store, draft, at, settings, extra=extra))
        if "daily_cap" in blocking:
            next_day = at.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
            later = max(later, sensible(next_day, settings.timezone))
        at = later
    return None


def _ceil_minute(at: datetime) -> datetime:
    floor = at.replace(second=0, microsecond=0)
    return floor if floor == at else floor + timedelta(minutes=1)


# --- what approving does ------------------------------------------------------------------
def after_approval(
    store: Store,
    settings: Settings,
    draft: Draft,
    *,
    request: ApprovalRequest | None = None,
    now: datetime | None = None,
    extra: Sequence[Outgoing] = (),
) -> ApprovalPlan:
    """What approving `draft` does (said before the click; `publish_approved` does exactly this). `request`:
    what the maker asked (default: read from the draft's history). `extra`: pins other approvals in the same
    selection would send first."""
    request = request or approval_request(store, draft)
    tz = settings.timezone or "UTC"
    if request is None:
        return ApprovalPlan(
            draft_id=draft.id,
            action="none",
            tz=tz,
            text=ONLY_APPROVES,
        )
    now = now or utcnow()
    asked = request.asked.astimezone(UTC) if request.asked and request.asked > now + SLACK else None
    start = asked or now
    blocking = [g for g in check_pin(store, draft, start, settings, extra=extra) if g.blocking]
    if not blocking:
        if asked:
            return _at(draft, asked, tz, "the time its post asked for", now)
        return ApprovalPlan(draft_id=draft.id, action="now", tz=tz, text="Approving publishes it now.")
    when = next_free_time(store, settings, draft, start, extra=extra)
    if when is None:  # say what no time can clear (another board, image or link is needed), else everything
        lasting = [g for g in blocking if g.code not in WAITING_HELPS] or blocking
        return ApprovalPlan(
            draft_id=draft.id,
            action="blocked",
            tz=tz,
            guardrails=[g.code for g in lasting],
            text="Approving won't publish it: " + " ".join(g.message for g in lasting),
        )
    slots, _ = board_slots(store, draft.board)
    why = "its board's next free posting slot" if slots else "the next free time"
    return _at(draft, when, tz, why + (" after the time its post asked for" if asked else ""), now)


def _at(draft: Draft, when: datetime, tz: str, why: str, now: datetime) -> ApprovalPlan:
    local = when.astimezone(zone(tz))
    day = "" if local.date() == now.astimezone(zone(tz)).date() else f"on {local:%a %Y-%m-%d} "
    return ApprovalPlan(
        draft_id=draft.id,
        action="at",
        when=when,
        tz=tz,
        why=why,
        text=f"Approving publishes it {day}at {local:%H:%M} ({tz}), {why}.",
    )


def plans_after_approval(store: Store, settings: Settings, drafts: Sequence[Draft]) -> list[ApprovalPlan]:
    """What approving each of these (in order) does, each one counting the pins the ones before it send."""
    plans: list[ApprovalPlan] = []
    extra: list[Outgoing] = []
    now = utcnow()
    asked = approval_requests(store, [draft.id for draft in drafts])  # one query for a selection of 1,000
    for draft in drafts:
        if draft.id not in asked:
            plans.append(ApprovalPlan(draft_id=draft.id, action="none", text=ONLY_APPROVES))
            continue
        plan = after_approval(store, settings, draft, request=asked[draft.id], now=now, extra=extra)
        plans.append(plan)
        if plan.action in ("now", "at"):
            extra.append(Outgoing(draft, plan.when or now, "scheduled"))
    return plans


def summary(plans: Sequence[ApprovalPlan]) -> str:
    """One sentence for a selection: how many publish now, how many at which times, how many only approve."""
    if len(plans) == 1:
        return plans[0].text
    parts = []
    if now := [p for p in plans if p.action == "now"]:
        parts.append(f"{len(now)} publish{'es' * (len(now) == 1)} now")
    if later := sorted((p for p in plans if p.action == "at" and p.when), key=lambda p: p.when or 0):
        tz = later[0].tz
        first, last = (p.when.astimezone(zone(tz)) for p in (later[0], later[-1]) if p.when)
        span = f"at {first:%a %H:%M}" if first == last else f"from {first:%a %H:%M} to {last:%a %H:%M}"
        parts.append(f"{len(later)} {'is' if len(later) == 1 else 'are'} scheduled {span} ({tz}), the next free times")
    if blocked := [p for p in plans if p.action == "blocked"]:
        parts.append(
            f"{len(blocked)} can't be published (a guardrail: "
            + ", ".join(sorted({g for p in blocked for g in p.guardrails}))
            + ")"
        )
    if none := [p for p in plans if p.action == "none"]:
        parts.append(f"{len(none)} only {'is' if len(none) == 1 else 'are'} approved (not published)")
    return "Approving these: " + "; ".join(parts) + "."


def publish_approved(
    store: Store,
    settings: Settings,
    draft_id: int,
    publisher: Publisher,
    *,
    actor: Actor,
    request: ApprovalRequest | None = None,
) -> ApprovalPlan:
    """Do what approving an approved draft promised (`after_approval`): queue it now, or schedule it, with a
    line in its history. A guardrail that stops it at every time raises GuardrailError."""
    people.require(actor, Permission.PUBLISH)
    draft = store.get_draft(draft_id)
    plan = after_approval(store, settings, draft, request=request or ApprovalRequest())
    if plan.action == "now":
        try:
            queue_draft(store, publisher, draft_id, settings, actor=actor)
            store.add_event(draft_id, actor, "queued_on_approval", {"note": plan.text})
            return plan
        except GuardrailError:  # another pin went out since the plan: the next free time instead
            now = utcnow()
            when = next_free_time(store, settings, draft, now)
            if when is not None:
                plan = _at(draft, when, plan.tz, "the next free time", now)
            else:
                plan = after_approval(store, settings, draft, request=ApprovalRequest(asked=now + 2 * SLACK))
    if plan.action == "blocked":
        raise GuardrailError(
            plan.text, fix="Change its link, image or board, or schedule it with an override.", code=plan.guardrails[0]
        )
    assert plan.when is not None
    schedule(store, settings, draft_id, plan.when, tz=plan.tz, actor=actor, note=f"on approval, {plan.why}")
    return plan


# --- taking an approval back --------------------------------------------------------------
Then = Literal["review", "reject", "changes"]


def withdraw_approval(store: Store, draft_id: int, *, actor: Actor, note: str = "", then: Then = "review") -> Draft:
    """A reviewer takes back the approval of a pin that isn't published: it leaves the schedule and the queue
    (a publish job that hasn't started is cancelled) and goes back to review, or on to rejected or to its
    author (`then`), with a note in its history. A pin being published or published is refused."""
    people.require(actor, Permission.APPROVE)
    if then != "review" and not note.strip():
        raise ValidationError("Say why it goes back.", fix="Write a note for the author.", code="note_required")
    with store.atomic():
        draft = store.get_draft(draft_id)
        _refuse_if_going_out(store, draft)
        cancelled = jobs.cancel_queued(store, draft_id, actor=actor, reason="approval withdrawn")
        said = note.strip() + (f" (publish job #{cancelled[0]} cancelled)" if cancelled else "")
        updated = withdraw_draft_approval(store, draft_id, actor=actor, note=said.strip())
        if then == "reject":
            updated = reject(store, draft_id, actor=actor, note=note)
        elif then == "changes":
            updated = request_changes(store, draft_id, note, actor=actor)
    return updated


def _refuse_if_going_out(store: Store, draft: Draft) -> None:
    if draft.status is DraftStatus.PUBLISHED:
        raise ValidationError(
            f"Pin #{draft.id} is already published; its approval can't be taken back.",
            fix="Change or delete it on Pinterest instead.",
            code="already_published",
        )
    now = iso()
    for job in jobs.for_draft(store, draft.id):
        running = job["status"] in jobs.ACTIVE and not (
            job["status"] == "queued" and (not job.get("lease_until") or job["lease_until"] < now)
        )
        if running or job["status"] == "needs_attention":
            raise ValidationError(
                f"Pin #{draft.id} is being published right now (job #{job['id']}, {job['status']}); "
                "its approval can't be taken back.",
                fix="Wait for the job to finish; a published pin is changed on Pinterest.",
                code="publishing",
            )


def first_day_time(day: date, tz: str) -> datetime:
    """A date's sensible time (09:00 in `tz`), in UTC."""
    return to_utc(day, DAY_STARTS, tz)
