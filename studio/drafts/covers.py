"""A video draft's cover: the time of the frame chosen on Compose, kept with the draft so the
publish request sends it (`cover_image_key_frame_time`) instead of the first frame."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from studio.models import iso
from studio.storage import Store

migrations = Migrations("pinstudio.covers")


@migrations()
def m001_draft_covers(db: sqlite_utils.Database) -> None:
    db.table("draft_covers").create(
        {
            "draft_id": int,
            "media_id": int,  # the video the time belongs to: a cover never follows a media change
            "offset_s": float,  # seconds into the video; Pinterest takes whole seconds
            "cover_media_id": int,  # the extracted frame (a stored image asset), for the UI
            "updated_at": str,
        },
        pk="draft_id",
    )


@migrations()
def m002_cover_image(db: sqlite_utils.Database) -> None:
    # A cover given as an image instead of a frame time (the HTTP API's cover_url / cover_file).
    db.table("draft_covers").add_column("cover_url", str)
    db.table("draft_covers").add_column("cover_file", str)


def key_frame_second(offset_s: float) -> int:
    """The whole second Pinterest uses as the cover (`cover_image_key_frame_time` is an integer)."""
    return max(0, int(offset_s))


def set_cover(
    store: Store,
    draft_id: int,
    media_id: int,
    offset_s: float,
    cover_media_id: int | None = None,
    *,
    cover_url: str | None = None,
    cover_file: str | None = None,
) -> None:
    """Remember the cover chosen for a draft's video (replaces an earlier choice): a frame time,
    or a cover image given as a link (`cover_url`) or a stored file (`cover_file`)."""
    store.db.table("draft_covers").upsert(
        {
            "draft_id": draft_id,
            "media_id": media_id,
            "offset_s": float(offset_s),
            "cover_media_id": cover_media_id,
            "cover_url": cover_url,
            "cover_file": cover_file,
            "updated_at": iso(),
        },
        pk="draft_id",
    )


def set_cover_frame(store: Store, draft_id: int, media_id: int, cover_media_id: int) -> None:
    """Keep the extracted image of the cover time already chosen (the time and any cover image stay)."""
    store.db.execute(
        "update draft_covers set cover_media_id = ?, updated_at = ? where draft_id = ? and media_id = ?",
        [cover_media_id, iso(), draft_id, media_id],
    )


def get_cover(store: Store, draft_id: int, media_id: int | None) -> dict | None:
    """The cover chosen for this draft's current video, or None (none chosen, or the media changed)."""
    rows = list(store.db.table("draft_covers").rows_where("draft_id = ? and media_id = ?", [draft_id, media_id]))
    return rows[0] if rows else None


def cover_offset(store: Store, draft_id: int, media_id: int | None) -> float | None:
    """The cover time (s) for the draft's video, as the publish request needs it."""
    row = get_cover(store, draft_id, media_id)
    return float(row["offset_s"]) if row else None


def cover_image(store: Store, draft_id: int, media_id: int | None) -> tuple[str | None, str | None]:
    """(cover_url, cover_file) when the draft's video has a cover image instead of a frame time."""
    row = get_cover(store, draft_id, media_id)
    return (row.get("cover_url"), row.get("cover_file")) if row else (None, None)
