"""Scheduling: pins at a time in the user's zone (stored in UTC), posting slots and the queue, guardrails
against spam flags, and the worker that publishes what is due.

Every action takes the `studio.people.Actor` doing it and checks its role first; the worker acts as
`Actor.worker(name)`.

May import: studio core, people, drafts, accounts, publishing.
"""

from studio.scheduling.calendar import (
    CalendarPin,
    View,
    WeekStart,
    calendar_days,
    calendar_pins,
    fullcalendar_first_day,
    move_pin,
    pins_by_day,
    shift,
    slot_times,
    week_start_of,
    weekday_names,
)
from studio.scheduling.guardrails import Guardrail, check_schedule, is_shortened
from studio.scheduling.schedule import (
    add_slot,
    add_to_queue,
    board_slots,
    delete_slot,
    local_time,
    next_free_slot,
    run_due,
    run_worker,
    schedule,
    to_utc,
    unschedule,
    worker_name,
    worker_status,
    zone,
)
from studio.scheduling.tables import heartbeat, posting_slots
from studio.scheduling.when import When, parse_when, wall_clock

__all__ = [
    "CalendarPin",
    "Guardrail",
    "View",
    "WeekStart",
    "When",
    "add_slot",
    "add_to_queue",
    "board_slots",
    "calendar_days",
    "calendar_pins",
    "check_schedule",
    "delete_slot",
    "fullcalendar_first_day",
    "heartbeat",
    "is_shortened",
    "local_time",
    "move_pin",
    "next_free_slot",
    "parse_when",
    "pins_by_day",
    "posting_slots",
    "run_due",
    "run_worker",
    "schedule",
    "shift",
    "slot_times",
    "to_utc",
    "unschedule",
    "wall_clock",
    "week_start_of",
    "weekday_names",
    "worker_name",
    "worker_status",
    "zone",
]
