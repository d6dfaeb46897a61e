"""The calendar: week and month grids of scheduled pins in the user's time zone, and moving a pin to a
day and a posting slot (or any time)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal

from studio.config import Settings
from studio.models import Draft, iso
from studio.people import Actor
from studio.publishing import Guardrail
from studio.scheduling.schedule import board_slots, local_time, schedule, to_utc, zone
from studio.storage import Store

View = Literal["week", "month"]


def calendar_days(view: View, anchor: date) -> list[date]:
    """The days a grid shows, whole weeks from Monday: the anchor's week, or the weeks covering its month."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return [start + timedelta(days=i) for i in range(7)]
    first = anchor.replace(day=1)
    start = first - timedelta(days=first.weekday())
    next_month = (first + timedelta(days=32)).replace(day=1)
    end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    return [start + timedelta(days=i) for i in range((end - start).days)]


def shift(view: View, anchor: date, steps: int) -> date:
    """The anchor of the previous (-1) or next (+1) week or month."""
    if view == "week":
        return anchor + timedelta(weeks=steps)
    month = anchor.month - 1 + steps
    return date(anchor.year + month // 12, month % 12 + 1, 1)


def pins_by_day(store: Store, days: list[date], tz: str) -> dict[date, list[Draft]]:
    """Scheduled (and published or failed) pins on each day, in the user's zone, in time order."""
    grid: dict[date, list[Draft]] = {d: [] for d in days}
    if not days:
        return grid
    start = datetime.combine(days[0], time(0), tzinfo=zone(tz))
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone(tz))
    for draft in store.scheduled_between(iso(start), iso(end)):
        day = local_time(draft.scheduled_at or "", tz).date()
        if day in grid:
            grid[day].append(draft)
    return grid


def slot_times(store: Store, board: str, day: date, tz: str) -> list[time]:
    """The posting slots of a board (its own, else the shared set) on a day, as times in the user's zone."""
    slots, _ = board_slots(store, board)
    times = []
    for slot in slots:
        slot_tz = slot["tz"] or "UTC"
        hh, mm = (int(x) for x in slot["time"].split(":"))
        # The slot's weekday is in its own zone; find the local dates around `day` that match it.
        for offset in (-1, 0, 1):
            slot_day = day + timedelta(days=offset)
            if slot_day.weekday() != slot["weekday"]:
                continue
            try:
                at = to_utc(slot_day, time(hh, mm), slot_tz).astimezone(zone(tz))
            except Exception:
                continue
            if at.date() == day:
                times.append(at.time().replace(tzinfo=None))
    return sorted(set(times))


def move_pin(
    store: Store,
    settings: Settings,
    draft_id: int,
    day: date,
    at: time,
    *,
    tz: str,
    actor: Actor,
    override: bool = False,
) -> tuple[Draft, list[Guardrail]]:
    """Schedule (or move) an approved pin to a day and time in the user's zone, with the guardrails."""
    return schedule(store, settings, draft_id, to_utc(day, at, tz), tz=tz, actor=actor, override=override)
