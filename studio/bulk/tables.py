"""The bulk domain's tables (its own migration set) and every SQL statement on them."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio.models import iso
from studio.storage import Store, inserted_id

migrations = Migrations("pinstudio.bulk")


@migrations()
def m001_bulk(db: sqlite_utils.Database) -> None:
    # What a CSV row said that a draft has no column for: kept so an export gives it back.
    db.table("bulk_pins").create(
        {"draft_id": int, "media_url": str, "thumbnail": str, "publish_date": str, "import_id": int, "row": int},
        pk="draft_id",
        foreign_keys=[("draft_id", "drafts", "id")],
    )
    db.table("bulk_media_urls").create(
        {"media_id": int, "url": str}, pk="media_id", foreign_keys=[("media_id", "media", "id")]
    )
    db.table("bulk_imports").create(
        {"id": int, "file_name": str, "at": str, "actor": str, "rows": int, "imported": int, "invalid": int}, pk="id"
    )
    db.table("bulk_batches").create(
        {
            "id": int,
            "action": str,
            "params": str,
            "status": str,
            "actor": str,
            "owner": str,
            "total": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db.table("bulk_batches").create_index(["status"])
    db.table("bulk_batch_items").create(
        {
            "batch_id": int,
            "draft_id": int,
            "position": int,
            "status": str,
            "message": str,
            "payload": str,
            "finished_at": str,
        },
        pk=("batch_id", "draft_id"),
        foreign_keys=[("batch_id", "bulk_batches", "id")],
    )
    db.table("bulk_batch_items").create_index(["batch_id", "status", "position"])


# --- per-pin CSV facts ------------------------------------------------------------------
def remember_pin(store: Store, draft_id: int, **fields: Any) -> None:
    store.db.table("bulk_pins").upsert({"draft_id": draft_id, **fields}, pk="draft_id")


def pin_facts(store: Store) -> dict[int, dict]:
    return {r["draft_id"]: r for r in store.db.table("bulk_pins").rows}


def pin_fact(store: Store, draft_id: int) -> dict:
    """One draft's CSV facts ({} when it didn't come from a CSV)."""
    row = store.db.execute(
        "select publish_date, thumbnail, media_url from bulk_pins where draft_id = ?", [draft_id]
    ).fetchone()
    return dict(zip(("publish_date", "thumbnail", "media_url"), row)) if row else {}


def remember_media_url(store: Store, media_id: int, url: str) -> None:
    store.db.table("bulk_media_urls").upsert({"media_id": media_id, "url": url}, pk="media_id")


def media_urls(store: Store) -> dict[int, str]:
    return {r["media_id"]: r["url"] for r in store.db.table("bulk_media_urls").rows}


def record_import(store: Store, file_name: str, actor: str, rows: int, invalid: int) -> int:
    return inserted_id(
        store.db.table("bulk_imports").insert(
            {"file_name": file_name, "at": iso(), "actor": actor, "rows": rows, "imported": 0, "invalid": invalid}
        )
    )


def count_imported(store: Store, import_id: int, imported: int) -> None:
    store.db.table("bulk_imports").update(import_id, {"imported": imported})


# --- batches ----------------------------------------------------------------------------
def create_batch(
    store: Store, action: str, params: dict, draft_ids: list[int], actor: str, payloads: dict[int, dict] | None = None
) -> int:
    now = iso()
    with store.db.atomic():
        batch_id = inserted_id(
            store.db.table("bulk_batches").insert(
                {
                    "action": action,
                    "params": json.dumps(params, default=str),
                    "status": "pending",
                    "actor": actor,
                    "owner": None,
                    "total": len(draft_ids),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        )
        store.db.table("bulk_batch_items").insert_all(
            (
                {
                    "batch_id": batch_id,
                    "draft_id": d,
                    "position": i,
                    "status": "pending",
                    "message": "",
                    "payload": json.dumps((payloads or {}).get(d) or {}),
                    "finished_at": None,
                }
                for i, d in enumerate(dict.fromkeys(draft_ids))
            ),
            pk=("batch_id", "draft_id"),
        )
        store.db.table("bulk_batches").update(
            batch_id,
            {
                "total": store.db.execute(
                    "select count(*) from bulk_batch_items where batch_id = ?", [batch_id]
                ).fetchone()[0]
            },
        )
    return batch_id


def get_batch(store: Store, batch_id: int) -> dict:
    row = dict(store.db.table("bulk_batches").get(batch_id))
    row["params"] = json.loads(row["params"] or "{}")
    counts = dict(
        store.db.execute(
            "select status, count(*) from bulk_batch_items where batch_id = ? group by status", [batch_id]
        ).fetchall()
    )
    row["counts"] = counts
    row["done"] = counts.get("ok", 0) + counts.get("failed", 0)
    return row


def list_batches(store: Store, statuses: tuple[str, ...] = (), limit: int = 20) -> list[dict]:
    where, params = (f"status in ({', '.join('?' * len(statuses))})", list(statuses)) if statuses else (None, [])
    ids = [r["id"] for r in store.db.table("bulk_batches").rows_where(where, params, order_by="id desc", limit=limit)]
    return [get_batch(store, i) for i in ids]


def batch_status(store: Store, batch_id: int) -> str | None:
    row = store.db.execute("select status from bulk_batches where id = ?", [batch_id]).fetchone()
    return row[0] if row else None


def request_cancel(store: Store, batch_id: int) -> None:
    """Mark a running batch to stop after its current item (its runner checks between items)."""
    with store.db.atomic():
        store.db.execute(
            "update bulk_batches set status = 'cancelling' where id = ? and status = 'running'", [batch_id]
        )


def set_batch(store: Store, batch_id: int, **fields: Any) -> None:
    store.db.table("bulk_batches").update(batch_id, {**fields, "updated_at": iso()})


def open_items(store: Store, batch_id: int) -> list[dict]:
    """Items not finished yet, in order; a `running` one was cut short by a crash."""
    rows = store.db.table("bulk_batch_items").rows_where(
        "batch_id = ? and status in ('pending', 'running')", [batch_id], order_by="position"
    )
    return [{**r, "payload": json.loads(r["payload"] or "{}")} for r in rows]


def items(store: Store, batch_id: int) -> list[dict]:
    rows = store.db.table("bulk_batch_items").rows_where("batch_id = ?", [batch_id], order_by="position")
    return [{**r, "payload": json.loads(r["payload"] or "{}")} for r in rows]


def set_item(store: Store, batch_id: int, draft_id: int, status: str, message: str = "") -> None:
    with store.db.atomic():
        store.db.execute(
            "update bulk_batch_items set status = ?, message = ?, finished_at = ? where batch_id = ? and draft_id = ?",
            [status, message, iso() if status in ("ok", "failed") else None, batch_id, draft_id],
        )
        store.db.execute("update bulk_batches set updated_at = ? where id = ?", [iso(), batch_id])
