"""The tables of studio.people (users, audit_log) and every SQL statement on them.

Migrations are append-only: a shipped function is never edited, a change is a new function.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio.storage import Store, inserted_id

migrations = Migrations("pinstudio.people")

USER_COLUMNS = (
    "id",
    "email",
    "name",
    "role",
    "created_at",
    "last_seen_at",
    "disabled",
    "must_change_password",
    "session_epoch",
)

AUDIT_COLUMNS = ("id", "at", "actor_ref", "actor_name", "action", "target", "detail")


@migrations()
def m001_people(db: sqlite_utils.Database) -> None:
    db.table("users").create(
        {
            "id": int,
            "email": str,  # stored lower-cased: one account per address, whatever case is typed
            "name": str,
            "role": str,  # viewer, editor, reviewer, owner
            "password_hash": str,  # argon2id (PHC string); the password itself is never stored
            "created_at": str,
            "last_seen_at": str,
            "disabled": int,
            "must_change_password": int,  # 1 while the one-time password from add/reset is in use
            "session_epoch": int,  # in every session token: bumping it signs the user out everywhere
        },
        pk="id",
        not_null={"email", "name", "role", "disabled", "must_change_password", "session_epoch"},
        defaults={"disabled": 0, "must_change_password": 0, "session_epoch": 0},
    )
    db.table("users").create_index(["email"], unique=True)
    db.table("audit_log").create(
        {
            "id": int,
            "at": str,
            "actor_ref": str,
            "actor_name": str,
            "action": str,
            "target": str,
            "detail": str,  # JSON; never a secret (studio.people.audit refuses secret-looking fields)
        },
        pk="id",
        not_null={"at", "actor_ref", "action"},
    )
    db.table("audit_log").create_index(["at"])
    db.table("audit_log").create_index(["action", "at"])
    db.table("audit_log").create_index(["actor_ref", "at"])


# --- users ------------------------------------------------------------------------------
class EmailTaken(Exception):
    """The unique index refused a second account with this email."""


def insert_user(store: Store, row: dict[str, Any]) -> int:
    try:
        return inserted_id(store.db.table("users").insert(row))
    except sqlite3.IntegrityError as exc:
        raise EmailTaken(row.get("email")) from exc


_SELECT_USER = f"select {', '.join(USER_COLUMNS)} from users"


def user_row(store: Store, user_id: int) -> dict | None:
    rows = list(store.db.query(f"{_SELECT_USER} where id = ?", [user_id]))
    return rows[0] if rows else None


def user_row_by_email(store: Store, email: str) -> dict | None:
    rows = list(store.db.query(f"{_SELECT_USER} where email = ?", [email]))
    return rows[0] if rows else None


def user_rows(store: Store, *, include_disabled: bool = True) -> list[dict]:
    where = "" if include_disabled else " where disabled = 0"
    return list(store.db.query(f"{_SELECT_USER}{where} order by disabled, lower(name), id"))


def password_hash(store: Store, user_id: int) -> str | None:
    row = store.db.execute("select password_hash from users where id = ?", [user_id]).fetchone()
    return row[0] if row else None


def count_active(store: Store, roles: Iterable[str] | None = None) -> int:
    """Accounts that are not disabled (with one of `roles`, when given)."""
    if roles is None:
        return store.db.execute("select count(*) from users where disabled = 0").fetchone()[0]
    wanted = list(roles)
    marks = ", ".join("?" * len(wanted))
    sql = f"select count(*) from users where disabled = 0 and role in ({marks})"
    return store.db.execute(sql, wanted).fetchone()[0]


def update_user(store: Store, user_id: int, fields: dict[str, Any], *, keep_an_owner: bool = False) -> bool:
    """Write `fields`; with `keep_an_owner`, only if another active owner remains when this user is one.

    The check and the write are one statement, so two owners demoting each other at once can't both win."""
    sets = ", ".join(f"[{name}] = ?" for name in fields)
    guard = ""
    params: list[Any] = [*fields.values(), user_id]
    if keep_an_owner:
        guard = (
            " and (role != 'owner' or disabled = 1"
            " or exists (select 1 from users other where other.role = 'owner' and other.disabled = 0"
            " and other.id != users.id))"
        )
    with store.db.atomic():
        cursor = store.db.execute(f"update users set {sets} where id = ?{guard}", params)
    return cursor.rowcount == 1


def bump_session_epoch(store: Store, user_id: int, extra: dict[str, Any] | None = None) -> None:
    """Invalidate every session of the user (and write `extra` columns in the same statement)."""
    sets = "".join(f", [{name}] = ?" for name in extra or {})
    with store.db.atomic():
        store.db.execute(
            f"update users set session_epoch = session_epoch + 1{sets} where id = ?",
            [*(extra or {}).values(), user_id],
        )


def touch_seen(store: Store, user_id: int, now: str, not_since: str) -> None:
    """Record a visit, writing at most once per interval (a click is not worth a write each)."""
    with store.db.atomic():
        store.db.execute(
            "update users set last_seen_at = ? where id = ? and (last_seen_at is null or last_seen_at < ?)",
            [now, user_id, not_since],
        )


# --- audit log --------------------------------------------------------------------------
def insert_audit(store: Store, row: dict[str, Any]) -> int:
    row = {**row, "detail": json.dumps(row.get("detail") or {}, sort_keys=True, default=str)}
    return inserted_id(store.db.table("audit_log").insert(row))


def _audit_where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column, op in (("action", "="), ("actor_ref", "="), ("since", ">="), ("until", "<")):
        value = filters.get(column)
        if value:
            clauses.append(f"{'at' if column in ('since', 'until') else column} {op} ?")
            params.append(value)
    return " and ".join(clauses) or "1", params


def audit_rows(store: Store, filters: dict[str, Any], limit: int, offset: int) -> list[dict]:
    where, params = _audit_where(filters)
    rows = store.db.query(
        f"select {', '.join(AUDIT_COLUMNS)} from audit_log where {where} order by at desc, id desc limit ? offset ?",
        [*params, limit, offset],
    )
    return [{**row, "detail": json.loads(row["detail"] or "{}")} for row in rows]


def audit_total(store: Store, filters: dict[str, Any]) -> int:
    where, params = _audit_where(filters)
    return store.db.execute(f"select count(*) from audit_log where {where}", params).fetchone()[0]
