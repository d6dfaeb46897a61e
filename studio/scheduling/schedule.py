"""Scheduling: pins go out at the time a user picks, in their zone, published by a worker."""

from __future__ import annotations

import os
import random
import socket
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studio import people
from studio.config import Settings
from studio.drafts import require_current_approval
from studio.errors import GuardrailError, NotFoundError, StudioError, ValidationError
from studio.leases import owner_name
from studio.models import Draft, iso, utcnow
from studio.people import Actor, Permission
from studio.publishing import (
    TIME_GUARDRAILS,
    Guardrail,
    Publisher,
    audit_override,
    require_clear,
    scheduled_with_override,
)
from studio.scheduling import tables
from studio.scheduling.tables import claim_due, heartbeat, posting_slots, release_claim, worker_heartbeats
from studio.storage import Store

# A worker that has not touched its claim for this long is presumed dead; its pin may be retaken.
# The publishing module's reconciliation keeps a retaken pin from being posted twice.
STALE_CLAIM = timedelta(minutes=15)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"'{name}' is not a time zone we know.",
            fix="Use a name like Europe/Paris or America/New_York.",
            code="bad_timezone",
        ) from None


def to_utc(day: date, at: time, tz: str) -> datetime:
    """A wall-clock time in a zone, as UTC. Refuses times that don't exist (clocks going forward);
    an ambiguous time (clocks going back) means its first occurrence."""
    local = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=zone(tz))
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(zone(tz)).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(
            f"{day:%Y-%m-%d} {at:%H:%M} doesn't exist in {tz}: the clocks skip that hour.",
            fix="Pick a time an hour later or earlier.",
            code="nonexistent_time",
        )
    return as_utc


def local_time(utc_iso: str, tz: str) -> datetime:
    return datetime.fromisoformat(utc_iso).astimezone(zone(tz or "UTC"))


def schedule(
    store: Store,
    settings: Settings,
    draft_id: int,
    when: datetime,
    *,
    tz: str = "UTC",
    actor: Actor,
    override: bool = False,
    note: str = "",
) -> tuple[Draft, list[Guardrail]]:
    """Schedule (or reschedule) an approved pin at `when` (aware). Returns the draft and warnings.

    A blocking guardrail refuses the schedule (GuardrailError) unless a reviewer sets `override`, which is
    noted in the pin's history and audited. `note` says why in the history (e.g. "the next free time")."""
    draft = store.get_draft(draft_id)
    people.require(actor, Permission.RESCHEDULE if draft.scheduled_at else Permission.SCHEDULE)
    require_current_approval(store, draft, "scheduled")
    when = when.astimezone(UTC)
    if when < utcnow() - timedelta(minutes=1):
        raise ValidationError(
            "That time is in the past.", fix="Pick a time from now on, or use Publish now.", code="time_in_past"
        )
    detail: dict[str, object] = {"at": iso(when), "tz": tz, "previous": draft.scheduled_at}
    if note:
        detail["note"] = note
    with store.atomic():  # checked and written together: two schedules can't both take the same free time
        overridden, warnings = require_clear(
            store,
            settings,
            draft,
            when,
            actor=actor,
            override=override,
            fix="Pick another time, or tick 'override guardrails' (a reviewer's choice; it is logged).",
        )
        if overridden:
            detail["override"] = overridden
        updated = store.update_draft(
            draft_id,
            {"scheduled_at": iso(when), "schedule_tz": tz},
            expected_version=draft.version,
            actor=actor,
            action="rescheduled" if draft.scheduled_at else "scheduled",
            detail=detail,
        )
        if overridden:
            audit_override(store, actor, draft_id, overridden, when)
    return updated, warnings


def unschedule(store: Store, draft_id: int, *, actor: Actor) -> Draft:
    """Take a pin off the schedule (it stays approved)."""
    people.require(actor, Permission.SCHEDULE)
    draft = store.get_draft(draft_id)
    if not draft.scheduled_at:
        return draft
    return store.update_draft(
        draft_id,
        {"scheduled_at": None, "schedule_tz": ""},
        expected_version=draft.version,
        actor=actor,
        action="unscheduled",
        detail={"was": draft.scheduled_at},
    )


def next_free_slot(
    store: Store,
    board: str,
    after: datetime,
    *,
    jitter_minutes: int = 0,
    rng: random.Random | None = None,
    horizon_days: int = 56,
) -> datetime:
    """The first weekly posting slot of a board after `after` that no other pin uses.

    A board with slots of its own uses those; every other board uses the shared set (a shared slot
    is taken by a pin of any board, a board's own slot by a pin of that board)."""
    slots, shared = board_slots(store, board)
    if not slots:
        raise ValidationError(
            f"The board '{board}' has no posting slots, and there are no shared ones.",
            fix="Add weekly posting slots (shared, or for this board) on the Schedule page.",
            code="no_slots",
        )
    window = store.scheduled_between(iso(after - timedelta(hours=1)), iso(after + timedelta(days=horizon_days)))
    # A jittered pin still occupies its slot's hour.
    taken_hours = {
        d.scheduled_at[:13] for d in window if d.scheduled_at and (shared or d.board.lower() == board.lower())
    }
    rng = rng or random.Random()
    for offset in range(horizon_days + 1):
        candidates = []
        for slot in slots:
            tz = slot["tz"] or "UTC"
            local_day = (after.astimezone(zone(tz)) + timedelta(days=offset)).date()
            if local_day.weekday() != slot["weekday"]:
                continue
            hh, mm = (int(x) for x in slot["time"].split(":"))
            try:
                start = to_utc(local_day, time(hh, mm), tz)
            except ValidationError:
                continue  # this week the slot falls in a DST gap
            if start > after and iso(start)[:13] not in taken_hours:
                candidates.append(start)
        if candidates:
            start = min(candidates)
            return start + timedelta(minutes=rng.randint(0, jitter_minutes)) if jitter_minutes else start
    raise ValidationError(
        f"Every slot of '{board}' is taken for the next {horizon_days} days.",
        fix="Add more slots, or schedule this pin at a chosen time.",
        code="slots_full",
    )


def board_slots(store: Store, board: str) -> tuple[list[dict], bool]:
    """The slots a board posts in: its own (an override), else the shared set. True when shared."""
    own = posting_slots(store, board) if board else []
    return (own, False) if own else (posting_slots(store, ""), True)


def add_to_queue(
    store: Store, settings: Settings, draft_id: int, *, actor: Actor, rng: random.Random | None = None
) -> tuple[Draft, list[Guardrail]]:
    """Schedule an approved pin into its board's next free posting slot. A fresh pin (studio.design) goes on the
    date it was suggested for: the first free slot from that date, else that date at 09:00 in the studio's zone,
    moved on to the next time every guardrail allows."""
    people.require(actor, Permission.SCHEDULE)
    draft = store.get_draft(draft_id)
    if (suggested := _suggested_day(store, draft, settings.timezone)) is not None:
        return _queue_on(store, settings, draft, suggested, actor=actor)
    when = next_free_slot(store, draft.board, utcnow(), jitter_minutes=settings.slot_jitter_minutes, rng=rng)
    return schedule(store, settings, draft_id, when, tz=settings.timezone, actor=actor)


def _suggested_day(store: Store, draft: Draft, tz: str) -> date | None:
    """The day a fresh pin was suggested for (in the studio's zone), if it is still ahead."""
    from studio.design import fresh_pin_origin

    origin = fresh_pin_origin(store, draft.id)
    if not origin or not origin.get("suggested_at"):
        return None
    day = datetime.fromisoformat(origin["suggested_at"]).astimezone(zone(tz)).date()
    return day if day >= utcnow().astimezone(zone(tz)).date() else None


def _queue_on(store: Store, settings: Settings, draft: Draft, day: date, *, actor: Actor):
    from studio.scheduling.approval import first_day_time, next_free_time

    tz = settings.timezone or "UTC"
    slots, _ = board_slots(store, draft.board)
    start = to_utc(day, time(0), tz) if slots else first_day_time(day, tz)
    when = next_free_time(store, settings, draft, max(start, utcnow()))
    if when is None:
        raise ValidationError(
            f"No time on or after {day} clears the guardrails for this pin.",
            fix="Pick a time on the Calendar (a reviewer may override the guardrails).",
            code="no_free_time",
        )
    return schedule(store, settings, draft.id, when, tz=tz, actor=actor, note=f"the fresh pin's suggested date {day}")


def add_slot(store: Store, board: str, weekday: int, time: str, tz: str, *, actor: Actor) -> None:
    """A weekly posting slot of a board ("" = shared by every board without its own): weekday 0 (Monday)
    to 6, time HH:MM, a zone we know; with boards synced, a board that exists."""
    from studio.accounts import require_known_board

    people.require(actor, Permission.SCHEDULE)
    if weekday not in range(7):
        raise ValidationError(
            f"'{weekday}' is not a day of the week.", fix="Use 0 (Monday) to 6 (Sunday).", code="bad_day"
        )
    try:
        at = datetime.strptime(time.strip(), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise ValidationError(
            f"'{time}' is not a time of day.", fix="Write it as HH:MM, e.g. 09:30.", code="bad_time"
        ) from None
    zone(tz)
    require_known_board(store, board)
    tables.add_slot(store, board.strip(), weekday, at, tz)


def delete_slot(store: Store, slot_id: int, *, actor: Actor) -> None:
    people.require(actor, Permission.SCHEDULE)
    if not any(slot["id"] == slot_id for slot in posting_slots(store)):
        raise NotFoundError(f"No posting slot #{slot_id}.", fix="See `pinstudio slots list`.")
    tables.delete_slot(store, slot_id)


# --- the worker -------------------------------------------------------------------------


def worker_name() -> str:
    """The scheduler worker as a lease holder: it runs in a thread of the studio's process."""
    return owner_name(per_thread=True)


PublisherFor = Callable[["str | None"], Publisher]


def run_due(
    store: Store,
    publisher: Publisher | PublisherFor,
    settings: Settings,
    *,
    worker: str,
    now: datetime | None = None,
    limit: int = 50,
) -> list[dict]:
    """Publish every due pin once. Each pin is claimed atomically before it is published.

    `publisher` is a backend, or a function giving the backend for a draft's account. Pins of an
    account that must be reconnected wait (they stay scheduled) instead of failing. The guardrails are asked
    again at publish time (a pin scheduled with an override is not refused again): a pin that would break the
    spacing or the daily cap now (a late worker) moves to the next free time, one that would repeat a link or
    image is taken off the schedule, each with the reason in its history."""
    from studio.accounts import ready
    from studio.publishing import publish_draft

    now = now or utcnow()
    acting = Actor.worker(worker)
    backend_for: PublisherFor = (lambda account: publisher) if hasattr(publisher, "publish") else publisher  # type: ignore[assignment, return-value]
    results: list[dict] = []
    waiting: list[int] = []
    for _ in range(limit):
        draft = claim_due(store, iso(now), worker, iso(now - STALE_CLAIM), exclude=waiting)
        if draft is None:
            break
        try:
            if not ready(store, draft.account):
                waiting.append(draft.id)
                results.append(
                    {
                        "draft_id": draft.id,
                        "status": "waiting",
                        "pin_id": None,
                        "error": f"account {draft.account or '(default)'} must be reconnected on the Accounts page",
                    }
                )
                continue
            job = publish_draft(
                store,
                backend_for(draft.account or None),
                draft.id,
                settings,
                actor=acting,
                override=scheduled_with_override(store, draft),
            )
            results.append(
                {
                    "draft_id": draft.id,
                    "status": job["status"],
                    "pin_id": job.get("pin_id"),
                    "error": job.get("error_message"),
                }
            )
        except GuardrailError as exc:
            results.append(_postpone_or_skip(store, settings, draft, exc, acting, now))
        except StudioError as exc:
            # Refused before anything was sent (e.g. approval voided): take it off the schedule.
            store.add_event(draft.id, acting, "schedule_skipped", {"reason": str(exc)})
            unschedule(store, draft.id, actor=acting)
            results.append({"draft_id": draft.id, "status": "skipped", "pin_id": None, "error": str(exc)})
        finally:
            release_claim(store, draft.id)
    return results


def _postpone_or_skip(
    store: Store, settings: Settings, draft: Draft, exc: GuardrailError, acting: Actor, now: datetime
) -> dict:
    """A due pin the guardrails refuse now: to the next free time if waiting helps, else off the schedule."""
    from studio.scheduling.approval import next_free_time

    waits = set(exc.guardrails) <= TIME_GUARDRAILS  # waiting helps with the spacing and the daily cap only
    when = next_free_time(store, settings, draft, max(now, utcnow())) if waits else None
    try:
        if when is None:
            raise exc
        moved, _ = schedule(
            store, settings, draft.id, when, tz=draft.schedule_tz or "UTC", actor=acting, note=f"moved: {exc.message}"
        )
    except StudioError as refused:  # no time helps (or the move itself was refused): off the schedule
        store.add_event(draft.id, acting, "schedule_skipped", {"reason": str(refused)})
        unschedule(store, draft.id, actor=acting)
        return {"draft_id": draft.id, "status": "skipped", "pin_id": None, "error": str(refused)}
    return {
        "draft_id": draft.id,
        "status": "rescheduled",
        "pin_id": None,
        "error": f"{exc.message} Moved to {moved.scheduled_at}.",
    }


def run_worker(
    open_store: Callable[[], Store],
    make_publisher: Callable[[], Publisher | PublisherFor],
    settings: Settings,
    *,
    once: bool = False,
    interval: float | None = None,
    stop: threading.Event | None = None,
    log: Callable[[str], None] = print,
    on_pass: Callable[[Store], None] | None = None,
) -> int:
    """Publish due pins until stopped (or one pass with `once`). Returns the number published.
    `on_pass` runs after each pass (the daily analytics sync hooks in there)."""
    stop = stop or threading.Event()
    interval = settings.worker_interval_s if interval is None else interval
    name = worker_name()
    store = open_store()
    publisher = make_publisher()
    published = 0
    heartbeat(store, name, pid=os.getpid(), host=socket.gethostname(), started_at=iso(), published=0)
    try:
        while True:
            results = run_due(store, publisher, settings, worker=name)
            for r in results:
                published += r["status"] == "published"
                log(f"pin #{r['draft_id']}: {r['status']}" + (f" ({r['error']})" if r["error"] else ""))
            next_run = utcnow() + timedelta(seconds=interval)
            heartbeat(
                store,
                name,
                next_run=iso(next_run),
                published=published,
                last_error=next((r["error"] for r in results if r["error"]), None),
            )
            if on_pass is not None:
                on_pass(store)
            if once or stop.wait(interval):
                return published
    finally:
        store.close()


def worker_status(store: Store, now: datetime | None = None) -> dict:
    """Is a worker alive? Based on the freshest heartbeat in the store."""
    now = now or utcnow()
    workers = worker_heartbeats(store)
    if not workers:
        return {"alive": False, "last_seen": None, "next_run": None, "name": None}
    w = workers[0]
    last_seen = datetime.fromisoformat(w["last_seen"])
    next_run = w.get("next_run")
    grace = timedelta(seconds=60)
    alive = (datetime.fromisoformat(next_run) + grace > now) if next_run else (now - last_seen < grace)
    return {"alive": alive, "last_seen": w["last_seen"], "next_run": next_run, "name": w["name"]}
