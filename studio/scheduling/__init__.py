"""Scheduling: pins at a time in the user's zone (stored in UTC), posting slots and the queue, guardrails
against spam flags, and the worker that publishes what is due.

May import: studio core, drafts, accounts, publishing.
"""

from studio.scheduling.guardrails import Guardrail, check_schedule, is_shortened
from studio.scheduling.schedule import (
    add_to_queue,
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

__all__ = [
    "Guardrail",
    "add_to_queue",
    "check_schedule",
    "is_shortened",
    "local_time",
    "next_free_slot",
    "run_due",
    "run_worker",
    "schedule",
    "to_utc",
    "unschedule",
    "worker_name",
    "worker_status",
    "zone",
]
