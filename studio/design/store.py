"""The design tables: each design's provenance, the fresh pins made from a draft, the brand kit,
and a carousel draft's items.

`carousel_items` lives here rather than in studio.drafts: a draft row keeps exactly one `media_id`
(its cover item, which review, scheduling and guardrails already use), and the extra images of a
carousel are a composition of media, like a design; keeping them in their own table leaves the
drafts table and its many readers untouched.
"""

from __future__ import annotations

import json

import sqlite_utils
from sqlite_utils import Migrations

from studio.models import iso
from studio.storage import Store

migrations = Migrations("pinstudio.design")


@migrations()
def m001_designs(db: sqlite_utils.Database) -> None:
    db.table("designs").create(
        {
            "id": int,
            "media_id": int,  # the rendered image, a stored media asset
            "template": str,
            "template_digest": str,
            "title": str,
            "source_media": str,  # JSON list of media ids (or paths) the design was made from
            "source_draft_id": int,  # the draft it was made for, if any
            "contrast": float,
            "text_fits": int,
            "provenance": str,  # JSON: template, inputs, fonts with their hashes, renderer versions
            "created_at": str,
        },
        pk="id",
    )
    db.table("designs").create_index(["source_draft_id"])
    db.table("fresh_pins").create(
        {"draft_id": int, "source_draft_id": int, "design_id": int, "suggested_at": str, "created_at": str},
        pk="draft_id",
    )
    db.table("fresh_pins").create_index(["source_draft_id"])
    db.table("brand_kit").create({"name": str, "kit": str, "updated_at": str}, pk="name")
    db.table("carousel_items").create(
        {
            "draft_id": int,
            "position": int,
            "media_id": int,
            "title": str,
            "description": str,
            "link": str,
            "alt_text": str,
        },
        pk=("draft_id", "position"),
    )


@migrations()
def m002_video_cover_designs(db: sqlite_utils.Database) -> None:
    db.table("video_cover_designs").create(
        {"draft_id": int, "media_id": int, "design_id": int, "updated_at": str},  # media_id: the video
        pk="draft_id",
    )


def set_cover_design(store: Store, draft_id: int, media_id: int, design_id: int | None) -> None:
    if design_id is None:
        store.db.execute("delete from video_cover_designs where draft_id = ?", [draft_id])
        return
    store.db.table("video_cover_designs").upsert(
        {"draft_id": draft_id, "media_id": media_id, "design_id": design_id, "updated_at": iso()}, pk="draft_id"
    )


def cover_design(store: Store, draft_id: int, media_id: int | None) -> dict | None:
    """The design chosen as this draft's video cover (None when none, or when the video changed)."""
    rows = list(store.db.table("video_cover_designs").rows_where("draft_id = ? and media_id = ?", [draft_id, media_id]))
    return get_design(store, rows[0]["design_id"]) if rows else None


def add_design(store: Store, **row) -> dict:
    row = {**row, "created_at": iso()}
    for key in ("source_media", "provenance"):
        if not isinstance(row.get(key), str):
            row[key] = json.dumps(row.get(key), sort_keys=True, ensure_ascii=False)
    row["text_fits"] = int(bool(row.get("text_fits")))
    table = store.db.table("designs")
    table.insert(row)
    return get_design(store, int(table.last_pk or 0))


def get_design(store: Store, design_id: int) -> dict:
    row = store.db.table("designs").get(design_id)
    out = dict(row)
    out["source_media"] = json.loads(out["source_media"] or "[]")
    out["provenance"] = json.loads(out["provenance"] or "{}")
    out["text_fits"] = bool(out["text_fits"])
    return out


def designs_for_draft(store: Store, draft_id: int) -> list[dict]:
    ids = [r["id"] for r in store.db.table("designs").rows_where("source_draft_id = ?", [draft_id], order_by="id")]
    return [get_design(store, i) for i in ids]


def design_for_media(store: Store, media_id: int) -> dict | None:
    rows = list(store.db.table("designs").rows_where("media_id = ?", [media_id], order_by="id desc", limit=1))
    return get_design(store, rows[0]["id"]) if rows else None


def link_fresh_pin(store: Store, draft_id: int, source_draft_id: int, design_id: int, suggested_at: str) -> None:
    store.db.table("fresh_pins").upsert(
        {
            "draft_id": draft_id,
            "source_draft_id": source_draft_id,
            "design_id": design_id,
            "suggested_at": suggested_at,
            "created_at": iso(),
        },
        pk="draft_id",
    )


def fresh_pins_of(store: Store, source_draft_id: int) -> list[dict]:
    return list(store.db.table("fresh_pins").rows_where("source_draft_id = ?", [source_draft_id], order_by="draft_id"))


def fresh_pin_origin(store: Store, draft_id: int) -> dict | None:
    rows = list(store.db.table("fresh_pins").rows_where("draft_id = ?", [draft_id]))
    return rows[0] if rows else None


def load_brand_kit(store: Store, name: str = "default") -> dict | None:
    rows = list(store.db.table("brand_kit").rows_where("name = ?", [name]))
    return json.loads(rows[0]["kit"]) if rows else None


def save_brand_kit(store: Store, kit: dict, name: str = "default") -> None:
    store.db.table("brand_kit").upsert(
        {"name": name, "kit": json.dumps(kit, sort_keys=True), "updated_at": iso()}, pk="name"
    )


def set_carousel_items(store: Store, draft_id: int, items: list[dict]) -> None:
    """Replace a draft's carousel items (in order); an empty list makes it a single-image pin again."""
    with store.db.atomic():
        store.db.execute("delete from carousel_items where draft_id = ?", [draft_id])
        for position, item in enumerate(items):
            store.db.table("carousel_items").insert(
                {
                    "draft_id": draft_id,
                    "position": position,
                    "media_id": int(item["media_id"]),
                    **{k: str(item.get(k) or "") for k in ("title", "description", "link", "alt_text")},
                }
            )


def update_carousel_alt_texts(store: Store, draft_id: int, alt_texts: dict[int, str]) -> list[int]:
    """Set the alt text of some slides (position → text); returns the positions whose text changed."""
    current = {row["position"]: row["alt_text"] or "" for row in carousel_items(store, draft_id)}
    changed = [p for p, text in sorted(alt_texts.items()) if p in current and current[p] != text]
    with store.db.atomic():
        for position in changed:
            store.db.execute(
                "update carousel_items set alt_text = ? where draft_id = ? and position = ?",
                [alt_texts[position], draft_id, position],
            )
    return changed


def carousel_items(store: Store, draft_id: int) -> list[dict]:
    return list(store.db.table("carousel_items").rows_where("draft_id = ?", [draft_id], order_by="position"))


def carousel_counts(store: Store) -> dict[int, int]:
    """Draft id → number of carousel images, for every carousel draft (one query, for exports)."""
    rows = store.db.execute("select draft_id, count(*) from carousel_items group by draft_id having count(*) > 1")
    return {int(d): int(n) for d, n in rows.fetchall()}
