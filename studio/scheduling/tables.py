"""Scheduling's SQL: posting slots, the workers' heartbeats, and a worker's claim on a due pin.

The `slots` and `workers` tables and the `claimed_by`/`claimed_at` columns of `drafts` are created by
the core migration set in `studio.storage` (shipped before this package had tables of its own); every
statement on them lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from studio.models import Draft, iso
from studio.storage import Store


# --- claims: a worker takes a due pin before publishing it --------------------------------
def claim_due(store: Store, now_utc: str, worker: str, stale_before: str, exclude: Iterable[int] = ()) -> Draft | None:
    """Atomically claim the earliest due approved pin, so two workers never take the same one.

    A claim older than `stale_before` (its worker died) can be taken over."""
    skip = ",".join(str(int(i)) for i in exclude) or "-1"
    with store.db.atomic():
        row = store.db.execute(
            "update drafts set claimed_by = ?, claimed_at = ? where id = ("
            " select id from drafts where status = 'approved' and scheduled_at <= ?"
            f" and (claimed_by is null or claimed_at < ?) and id not in ({skip}) order by scheduled_at, id limit 1"
            ") and status = 'approved' and (claimed_by is null or claimed_at < ?) returning id",
            [worker, now_utc, now_utc, stale_before, stale_before],
        ).fetchone()
    return store.get_draft(row[0]) if row else None


def release_claim(store: Store, draft_id: int) -> None:
    with store.db.atomic():
        store.db.execute("update drafts set claimed_by = null, claimed_at = null where id = ?", [draft_id])


# --- posting slots ------------------------------------------------------------------------
def posting_slots(store: Store, board: str | None = None) -> list[dict]:
    """Posting slots: all (None), or one board's ("" is the shared set every board uses)."""
    where, params = ("coalesce(board, '') = ? collate nocase", [board]) if board is not None else (None, [])
    return list(store.db.table("slots").rows_where(where, params, order_by="board, weekday, time"))


def add_slot(store: Store, board: str, weekday: int, time: str, tz: str) -> None:
    store.db.table("slots").insert({"board": board, "weekday": weekday, "time": time, "tz": tz}, ignore=True)


def delete_slot(store: Store, slot_id: int) -> None:
    store.db.table("slots").delete(slot_id)


# --- workers ------------------------------------------------------------------------------
def heartbeat(store: Store, name: str, **fields: Any) -> None:
    """Record that worker `name` is alive now (with its pid, next run, published count...)."""
    store.db.table("workers").upsert({"name": name, "last_seen": iso(), **fields}, pk="name")


def worker_heartbeats(store: Store) -> list[dict]:
    """Every worker's last heartbeat, freshest first."""
    return list(store.db.table("workers").rows_where(order_by="last_seen desc"))
