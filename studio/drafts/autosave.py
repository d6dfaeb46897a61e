"""Work in progress on Compose, kept per person and per media as they type: restored when they come back
(another page, Back, a reload), cleared when they save. Nothing typed is lost to a page change."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from studio import people
from studio.drafts.covers import migrations
from studio.models import iso
from studio.people import Actor, Permission
from studio.storage import Store

# The fields a person types on Compose (and the draft they belong to, if saved once).
KEPT = ("title", "description", "alt_text", "topic", "keywords", "link", "board", "account")
NO_MEDIA = 0  # typing before a photo is picked is work too: kept under "no media"


@migrations()
def m003_autosaves(db: sqlite_utils.Database) -> None:
    db.table("autosaves").create(
        {
            "person_ref": str,  # Actor.person_ref (a signed-in person, or the local owner)
            "media_id": int,  # 0: no media picked yet
            "draft_id": int,
            "fields": str,  # JSON: KEPT → text
            "saved_at": str,
        },
        pk=("person_ref", "media_id"),
    )


def _who(actor: Actor) -> str:
    return actor.person_ref or actor.ref


def autosave(
    store: Store, media_id: int | None, fields: dict[str, Any], *, actor: Actor, draft_id: int | None = None
) -> str:
    """Keep what `actor` has typed for `media_id` (replacing what was kept); returns when (ISO, UTC)."""
    people.require(actor, Permission.COMPOSE)
    kept = {name: str(fields.get(name) or "") for name in KEPT}
    now = iso()
    store.db.table("autosaves").upsert(
        {
            "person_ref": _who(actor),
            "media_id": media_id or NO_MEDIA,
            "draft_id": draft_id,
            "fields": json.dumps(kept, ensure_ascii=False),
            "saved_at": now,
        },
        pk=("person_ref", "media_id"),
    )
    return now


def autosaved(store: Store, media_id: int | None, *, actor: Actor, latest: bool = False) -> dict | None:
    """What `actor` left unsaved for `media_id` ({media_id, draft_id, fields, saved_at}); with `latest`, their
    most recent work whatever the media (a reload forgets which photo was open)."""
    where, params = "person_ref = ?", list[object]([_who(actor)])
    if not latest:
        where += " and media_id = ?"
        params.append(media_id or NO_MEDIA)
    rows = list(store.db.table("autosaves").rows_where(where, params, order_by="saved_at desc", limit=1))
    if not rows:
        return None
    row = rows[0]
    return {
        "media_id": row["media_id"] or None,
        "draft_id": row["draft_id"],
        "fields": json.loads(row["fields"]),
        "saved_at": row["saved_at"],
    }


def discard_autosave(store: Store, media_id: int | None, *, actor: Actor) -> None:
    """Forget `actor`'s unsaved work for `media_id`, and what they typed before picking a photo (saved with it, or
    thrown away on purpose)."""
    store.db.table("autosaves").delete_where(
        "person_ref = ? and media_id in (?, ?)", [_who(actor), media_id or NO_MEDIA, NO_MEDIA]
    )
