"""Data dirs as earlier releases left them, for upgrade tests: the tables their migrations made, and rows
written the way their code wrote them (names typed in, no refs), without today's Store."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from studio import people, services, storage
from studio.models import iso

# The migrations of issue 23 (people, roles, API scopes): a data dir from before has none of them.
NEW_WITH_PEOPLE = {
    "pinstudio.core": "m003_actor_refs",
    "pinstudio.api": "m004_key_owners_and_scopes",
    "pinstudio.publishing": "m003_job_actors",
}


def previous_release(path: Path, *, without_people: bool = True) -> sqlite_utils.Database:
    """A database file migrated as the release before issue 23 left it (by default without the people
    package's tables either, as the release before accounts)."""
    db = sqlite_utils.Database(path)
    sets: list[Migrations] = [storage.migrations, *services.MIGRATIONS]
    for migration_set in sets:
        if without_people and migration_set is people.migrations:
            continue
        migration_set.apply(db, stop_before=NEW_WITH_PEOPLE.get(migration_set.name))
    return db


def typed_pin(db: sqlite_utils.Database, author: str, approver: str, title: str = "Old pin") -> int:
    """An approved pin whose history names its author and approver as they were typed; returns its id."""
    media_id = db.table("media").insert({"sha256": "a" * 64, "kind": "image", "path": "a.jpg"}).last_pk
    now = iso()
    row = {"title": title, "media_id": media_id, "status": "approved", "version": 3, "author": author}
    draft_id = db.table("drafts").insert({**row, "created_at": now, "updated_at": now}).last_pk
    for actor, action, detail in (
        (author, "created", {"title": title}),
        (author, "status:in_review", {"from": "draft", "to": "in_review"}),
        (approver, "status:approved", {"from": "in_review", "to": "approved"}),
    ):
        db.table("events").insert(
            {"draft_id": draft_id, "at": iso(), "actor": actor, "action": action, "detail": json.dumps(detail)}
        )
    return int(draft_id)


def old_api_key(db: sqlite_utils.Database, key_id: str, name: str, key_hash: str) -> None:
    """An API key as the HTTP API made it before keys had owners and scopes."""
    db.table("api_keys").insert(
        {"id": key_id, "name": name, "prefix": "psk_old", "key_hash": key_hash, "created_at": iso()}
    )


def old_job(db: sqlite_utils.Database, draft_id: int, resolved_by: str) -> int:
    """A publish job a person marked resolved by typing their name."""
    now = iso()
    row = {"draft_id": draft_id, "backend": "dry-run", "status": "published", "attempts": 1, "created_at": now}
    return int(db.table("publish_jobs").insert({**row, "updated_at": now, "resolved_by": resolved_by}).last_pk)
