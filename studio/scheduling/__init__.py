"""Scheduling: pins at a time in the user's zone (stored in UTC), posting slots and the queue, and the worker
that publishes what is due. The guardrails against spam flags are studio.publishing's (`check_schedule` here is
its `check_pin`): scheduling, publishing now, approving and the worker ask the same rule. What approving an API
draft does (`after_approval`, said before the click; `publish_approved`, done after it) and withdrawing an
approval (`withdraw_approval`) live here too.

Every action takes the `studio.people.Actor` doing it and checks its role first; the worker acts as
`Actor.worker(name)`.

May import: studio core, people, drafts, accounts, publishing.
"""

from studio.publishing import Guardrail, is_shortened, scheduled_with_override
from studio.publishing import check_pin as check_schedule
from studio.scheduling.approval import (
    ApprovalPlan,
    ApprovalRequest,
    after_approval,
    approval_request,
    next_free_time,
    plans_after_approval,
    publish_approved,
    publish_on_approval,
    withdraw_approval,
)
from studio.scheduling.approval import summary as approval_summary
from studio.scheduling.calendar import (
    CalendarPin,
    View,
    WeekStart,
    calendar_days,
    calendar_pins,
    fullcalendar_first_day,
    locale_week_start,
    move_pin,
    pins_by_day,
    shift,
    slot_times,
    week_start,
    week_start_of,
    weekday_names,
)
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
    "ApprovalPlan",
    "ApprovalRequest",
    "CalendarPin",
    "Guardrail",
    "View",
    "WeekStart",
    "When",
    "add_slot",
    "add_to_queue",
    "after_approval",
    "approval_request",
    "approval_summary",
    "board_slots",
    "calendar_days",
    "calendar_pins",
    "check_schedule",
    "delete_slot",
    "fullcalendar_first_day",
    "heartbeat",
    "is_shortened",
    "local_time",
    "locale_week_start",
    "move_pin",
    "next_free_slot",
    "next_free_time",
    "parse_when",
    "pins_by_day",
    "plans_after_approval",
    "posting_slots",
    "publish_approved",
    "publish_on_approval",
    "run_due",
    "run_worker",
    "schedule",
    "scheduled_with_override",
    "shift",
    "slot_times",
    "to_utc",
    "unschedule",
    "wall_clock",
    "week_start",
    "week_start_of",
    "weekday_names",
    "withdraw_approval",
    "worker_name",
    "worker_status",
    "zone",
]
