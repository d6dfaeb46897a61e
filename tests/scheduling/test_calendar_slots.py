"""Calendar grids in the user's zone, shared posting slots with per-board overrides, moving a pin."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from studio.drafts import approve, save_draft
from studio.scheduling import (
    add_slot,
    add_to_queue,
    calendar_days,
    move_pin,
    next_free_slot,
    pins_by_day,
    shift,
    slot_times,
)
from tests.support.people import editor, reviewer


def approved(store, title="Pin", board="Soups"):
    draft = save_draft(
        store, None, {"title": title, "board": board, "link": f"https://example.com/{title}"}, actor=editor()
    )
    return approve(store, draft.id, actor=reviewer())


def test_week_and_month_grids_are_whole_weeks_from_monday():
    week = calendar_days("week", date(2026, 12, 2))  # a Wednesday
    assert week[0] == date(2026, 11, 30) and len(week) == 7
    month = calendar_days("month", date(2026, 12, 15))
    assert month[0] == date(2026, 11, 30) and month[-1] == date(2027, 1, 3) and len(month) % 7 == 0
    assert shift("month", date(2026, 12, 15), 1) == date(2027, 1, 1)
    assert shift("week", date(2026, 12, 2), -1) == date(2026, 11, 25)


def test_shared_slots_serve_every_board_and_a_board_can_override_them(store):
    monday = datetime(2030, 1, 7, 0, 0, tzinfo=UTC)
    add_slot(store, "", 0, "09:00", "UTC", actor=reviewer())  # shared: Mondays 09:00
    add_slot(store, "Travel", 0, "18:00", "UTC", actor=reviewer())  # Travel posts at 18:00 instead
    assert next_free_slot(store, "Soups", monday) == monday.replace(hour=9)
    assert next_free_slot(store, "Travel", monday) == monday.replace(hour=18)
    assert slot_times(store, "Soups", monday.date(), "Europe/Paris") == [time(10, 0)]  # shown in the user's zone


def test_pins_land_on_their_local_day_and_move_by_picking_a_time(store, settings):
    tz = "Asia/Tokyo"
    add_slot(store, "", (datetime.now(UTC) + timedelta(days=2)).weekday(), "09:00", tz, actor=reviewer())
    pin = approved(store)
    queued, _ = add_to_queue(store, settings, pin.id, actor=reviewer())
    local = datetime.fromisoformat(queued.scheduled_at).astimezone(__import__("zoneinfo").ZoneInfo(tz))
    days = calendar_days("week", local.date())
    grid = pins_by_day(store, days, tz)
    assert [d.id for d in grid[local.date()]] == [pin.id]
    moved, _ = move_pin(store, settings, pin.id, local.date(), time(15, 30), tz=tz, actor=reviewer())
    back = datetime.fromisoformat(moved.scheduled_at).astimezone(__import__("zoneinfo").ZoneInfo(tz))
    assert (back.hour, back.minute) == (15, 30) and moved.schedule_tz == tz
