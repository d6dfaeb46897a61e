"""What went out, on the calendar: the first metrics of the studio's published pins once synced, and the pins
of the synced accounts that the studio didn't publish (posted on Pinterest itself or with another tool)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from studio.analytics import tables
from studio.models import iso
from studio.scheduling import CalendarPin, calendar_pins, local_time, zone
from studio.storage import Store

PIN_URL = "https://www.pinterest.com/pin/{pin_id}/"


def calendar_with_results(store: Store, days: list[date], tz: str) -> dict[date, list[CalendarPin]]:
    """`studio.scheduling.calendar_pins`, with the synced pins the studio didn't publish added on their day,
    and every published pin's first metrics (impressions, saves, clicks) once a sync has them."""
    grid = calendar_pins(store, days, tz)
    if not days:
        return grid
    start = datetime.combine(days[0], time(0), tzinfo=zone(tz))
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone(tz))
    ours = {e.pin_id for entries in grid.values() for e in entries if e.pin_id}
    shown_drafts = {e.draft.id for entries in grid.values() for e in entries if e.draft}
    for pin in tables.pins_posted_between(store, iso(start), iso(end)):
        if pin["pin_id"] in ours or (pin["draft_id"] is not None and pin["draft_id"] in shown_drafts):
            continue
        at = local_time(pin["created_at"], tz)
        if at.date() in grid:
            grid[at.date()].append(
                CalendarPin(
                    at=at,
                    state="published",
                    title=pin["title"] or "(untitled pin)",
                    board=pin["board_name"] or "",
                    pin_id=pin["pin_id"],
                    pin_url=PIN_URL.format(pin_id=pin["pin_id"]),
                    thumbnail=pin["thumbnail"] or "",
                )
            )
    went_out = [e for entries in grid.values() for e in entries if e.pin_id]
    metrics = tables.first_metrics(store, [e.pin_id for e in went_out])
    for entry in went_out:
        entry.metrics = metrics.get(entry.pin_id, {})
    for entries in grid.values():
        entries.sort(key=lambda e: e.at)
    return grid
