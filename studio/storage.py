"""The SQLite store: migrations, tables and every SQL statement of the core domain (media, drafts, events).

Other domains (publishing, accounts, ...) keep their tables in their own migration set; the composition
root hands them in (`studio.services.open_store`), and `Store.open` applies the core set, then those, in
order. Storage knows no feature. The `slots` and `workers`
tables and the claim columns of `drafts` were created here before scheduling had a package (shipped
migrations stay as they are); their SQL lives in `studio.scheduling`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio.errors import ConflictError, NotFoundError
from studio.models import Acting, Draft, DraftFilter, DraftStatus, Event, MediaAsset, check_transition, iso

migrations = Migrations("pinstudio.core")


@migrations()
def m001_core(db: sqlite_utils.Database) -> None:
    db.table("media").create(
        {
            "id": int,
            "sha256": str,
            "kind": str,
            "path": str,
            "original_name": str,
            "mime": str,
            "format": str,
            "bytes": int,
            "width": int,
            "height": int,
            "duration_s": float,
            "source_id": int,
            "fix": str,
            "facts": str,  # JSON: the full probe facts
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("source_id", "media", "id")],
    )
    db.table("media").create_index(["sha256"], unique=True)
    db.table("drafts").create(
        {
            "id": int,
            "media_id": int,
            "title": str,
            "description": str,
            "alt_text": str,
            "link": str,
            "board": str,
            "board_section": str,
            "topic": str,
            "keywords": str,
            "status": str,
            "version": int,
            "provider": str,
            "model": str,
            "approved_hash": str,
            "author": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("media_id", "media", "id")],
        not_null={"status", "version"},
        defaults={"status": "draft", "version": 1},
    )
    db.table("drafts").create_index(["status", "updated_at"])
    db.table("events").create(
        {"id": int, "draft_id": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="id",
        foreign_keys=[("draft_id", "drafts", "id")],
    )
    db.table("events").create_index(["draft_id", "id"])
    db.table("publish_jobs").create(
        {
            "id": int,
            "draft_id": int,
            "backend": str,
            "status": str,
            "pin_id": str,
            "pin_url": str,
            "request": str,  # JSON: the exact request(s) sent or that would be sent
            "response": str,
            "error_code": str,
            "error_message": str,
            "attempts": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("draft_id", "drafts", "id")],
        defaults={"attempts": 0},
    )
    db.table("publish_jobs").create_index(["draft_id"])
    db.table("publish_jobs").create_index(["status"])


@migrations()
def m002_review_and_schedule(db: sqlite_utils.Database) -> None:
    drafts = db.table("drafts")
    drafts.add_column("account", str)
    drafts.add_column("scheduled_at", str)  # UTC ISO time the worker publishes at
    drafts.add_column("schedule_tz", str)  # the zone the user picked it in, for display
    drafts.add_column("claimed_by", str)  # the worker publishing it now
    drafts.add_column("claimed_at", str)
    drafts.add_column("lint_failures", int)
    drafts.add_column("media_warnings", int)
    drafts.create_index(["status", "scheduled_at"])
    drafts.create_index(["board"])
    drafts.create_index(["author"])
    drafts.create_index(["account"])
    db.table("slots").create(
        {"id": int, "board": str, "weekday": int, "time": str, "tz": str},
        pk="id",
    )
    db.table("slots").create_index(["board", "weekday", "time"], unique=True)
    db.table("workers").create(
        {
            "name": str,
            "pid": int,
            "host": str,
            "started_at": str,
            "last_seen": str,
            "next_run": str,
            "published": int,
            "last_error": str,
        },
        pk="name",
    )


@migrations()
def m003_actor_refs(db: sqlite_utils.Database) -> None:
    """Who did it, as a reference to a person (issue 23): rows from before keep the name typed then
    (`actor`, `author`) and no ref, so history shows them as typed names; nothing is rewritten."""
    events = db.table("events")
    events.add_column("actor_ref", str)  # user:12, cli:ana, api:key_1, worker:…, local:owner
    events.add_column("person_ref", str)  # the person who answers for it (an API key's owner)
    db.table("drafts").add_column("author_ref", str)
    db.table("drafts").create_index(["author_ref"])


@migrations()
def m004_media_checks(db: sqlite_utils.Database) -> None:
    """Media stored before its pixels were proven to decode (the HTTP API checks them after answering, issue
    24): `checking` while that runs, `failed` when they did not decode; null once checked (every earlier row).
    A draft of such media is kept out of the review lists until its media passed."""
    db.table("media").add_column("check_state", str)
    db.table("media").create_index(["check_state"])
    # the copy lint's "title used before" lookup (`first_with_title`), without reading every draft
    db.execute("create index if not exists drafts_title_key on drafts (lower(trim(title)))")
    db.table("drafts").create_index(["scheduled_at"])  # "scheduled after" listings


_DRAFT_COLUMNS = tuple(Draft.model_fields)
_AUTHOR = ("author", "author_ref")  # set once, by create_draft, from the actor: never from fields
_MEDIA_COLUMNS = tuple(MediaAsset.model_fields)


def inserted_id(table: sqlite_utils.db.Table) -> int:
    """The integer primary key of the row `table.insert(...)` just wrote."""
    if table.last_pk is None:
        raise RuntimeError(f"nothing was inserted into {table.name}")
    return int(table.last_pk)


class Store:
    """Typed access to the studio's SQLite database. Open one per thread.

    `db`, the connection, is for the modules that own tables (each package's table module, listed in
    tests/core/test_sql_owners.py); everything else calls their functions, and `atomic()` to write
    through several of them in one transaction."""

    db: sqlite_utils.Database

    def __init__(self, db: sqlite_utils.Database, migrations: Sequence[Migrations] = ()) -> None:
        self.db = db
        migrate(db, migrations)

    @classmethod
    def open(cls, path: str | Path, *, migrations: Sequence[Migrations]) -> Store:
        """Open (creating if needed) the database file, in WAL mode, migrated: the core set, then
        `migrations` (the packages' sets, in order). `studio.services.open_store` passes them all, and is
        the one caller (tests/core/test_architecture.py)."""
        path = Path(path)
        _keep_private(path)
        db = sqlite_utils.Database(sqlite3.connect(path, factory=_ImmediateConnection))
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA foreign_keys = ON")
        _enable_wal(db)
        return cls(db, migrations)

    @classmethod
    def memory(cls, *, migrations: Sequence[Migrations] = ()) -> Store:
        return cls(sqlite_utils.Database(memory=True), migrations)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def atomic(self) -> AbstractContextManager:
        """One transaction (BEGIN IMMEDIATE) around several writes, nested ones included."""
        return self.db.atomic()

    # --- media --------------------------------------------------------------------------
    def media_by_sha(self, sha256: str) -> MediaAsset | None:
        rows = list(self.db.query("select * from media where sha256 = ? limit 1", [sha256]))
        return _media(rows[0]) if rows else None

    def add_media(self, *, check_state: str | None = None, **fields: Any) -> MediaAsset:
        """Store a media row; `check_state` "checking" when its pixels are still to be proven (`set_media_checked`)."""
        facts = fields.pop("facts", None)
        row = {k: v for k, v in fields.items() if k in _MEDIA_COLUMNS and k != "id"}
        row["facts"] = json.dumps(facts or {}, default=str)
        row.setdefault("created_at", iso())
        row["check_state"] = check_state
        with self.db.atomic():  # a plain insert: sqlite-utils' would list the tables first
            cursor = self.db.execute(
                f"insert into media ({', '.join(row)}) values ({', '.join('?' for _ in row)})", list(row.values())
            )
        return self.get_media(int(cursor.lastrowid or 0))

    def set_media_checked(self, media_id: int, passed: bool) -> None:
        """The end of a deferred check: the media passed (its drafts may show in Review) or failed."""
        with self.db.atomic():
            self.db.execute("update media set check_state = ? where id = ?", [None if passed else "failed", media_id])

    def media_check_state(self, media_id: int) -> str | None:
        """None once checked (or never deferred), else `checking` or `failed`."""
        row = self.db.execute("select check_state from media where id = ?", [media_id]).fetchone()
        return row[0] if row else None

    def get_media(self, media_id: int) -> MediaAsset:
        try:
            return _media(self.db.table("media").get(media_id))
        except sqlite_utils.db.NotFoundError:
            raise NotFoundError(f"There is no media #{media_id}.", fix="Upload the file again.") from None

    def media_facts(self, media_id: int) -> dict:
        row = self.db.execute("select facts from media where id = ?", [media_id]).fetchone()
        return json.loads(row[0] or "{}") if row else {}

    def list_media(self, limit: int = 100) -> list[MediaAsset]:
        return [_media(r) for r in self.db.table("media").rows_where(order_by="id desc", limit=limit)]

    def media_shown_by(self, media_id: int, statuses: Iterable[str]) -> bool:
        """Whether a draft in one of `statuses` (e.g. approved, published) is a pin of this media."""
        wanted = list(statuses)
        marks = ",".join("?" * len(wanted))
        row = self.db.execute(
            f"select 1 from drafts where media_id = ? and status in ({marks}) limit 1", [media_id, *wanted]
        ).fetchone()
        return row is not None

    def forget_media(self, media_id: int) -> bool:
        """Delete a media row nothing refers to (no draft shows it, nothing was made from it); True if it went."""
        try:
            with self.db.atomic():
                gone = self.db.execute(
                    "delete from media where id = ? and not exists (select 1 from drafts where media_id = ?)",
                    [media_id, media_id],
                ).rowcount
        except sqlite3.IntegrityError:  # another row refers to it (a fix made from it): it stays
            return False
        return gone > 0

    def media_derived_from(self, media_id: int) -> list[MediaAsset]:
        return [_media(r) for r in self.db.table("media").rows_where("source_id = ?", [media_id])]

    # --- drafts -------------------------------------------------------------------------
    def create_draft(self, *, actor: Acting, **fields: Any) -> Draft:
        now = iso()
        row = {k: v for k, v in fields.items() if k in _DRAFT_COLUMNS and k not in ("id", *_AUTHOR)}
        row.update(status=DraftStatus.DRAFT.value, version=1, created_at=now, updated_at=now)
        row.update(author=actor.name, author_ref=actor.person_ref)
        columns = ", ".join(f"[{k}]" for k in row)
        with self.db.atomic():  # a plain prepared insert: sqlite-utils' would list the tables first, every time
            cursor = self.db.execute(
                f"insert into drafts ({columns}) values ({', '.join('?' * len(row))})", [*row.values()]
            )
            pk = int(cursor.lastrowid or 0)
            self.add_event(pk, actor, "created", {k: row.get(k) for k in ("title", "media_id", "provider", "model")})
        return self.get_draft(pk)

    def get_draft(self, draft_id: int) -> Draft:
        # plain SQL: sqlite-utils' `table.get` reads the table's schema first, on every call
        for row in self.db.query("select * from drafts where id = ?", [draft_id]):
            return _draft(row)
        raise NotFoundError(f"There is no draft #{draft_id}.", fix="Pick a draft from the list.")

    def drafts_by_id(self, draft_ids: Iterable[int]) -> dict[int, Draft]:
        """The drafts that exist among `draft_ids`, by id (one query however many)."""
        rows = self.db.query(
            "select * from drafts where id in (select value from json_each(?))", [json.dumps(list(draft_ids))]
        )
        return {r["id"]: _draft(r) for r in rows}

    def list_drafts(self, statuses: Iterable[str] | None = None, *, limit: int = 100, offset: int = 0) -> list[Draft]:
        where, params = None, []
        if statuses:
            statuses = list(statuses)
            where = "status in ({})".format(", ".join("?" * len(statuses)))
            params = [str(s) for s in statuses]
        rows = self.db.table("drafts").rows_where(
            where, params, order_by="updated_at desc, id desc", limit=limit, offset=offset
        )
        return [_draft(r) for r in rows]

    def query_drafts(self, filters: DraftFilter, *, limit: int = 25, offset: int = 0) -> tuple[list[Draft], int]:
        """One page of drafts matching the filters (newest first) and the total count."""
        where, params = self._draft_where(filters)
        total = self.db.execute(f"select count(*) from drafts where {where}", params).fetchone()[0]
        rows = self.db.query(
            f"select * from drafts where {where} order by updated_at desc, id desc limit ? offset ?",
            [*params, limit, offset],
        )
        return [_draft(r) for r in rows], total

    def draft_ids(self, filters: DraftFilter, *, limit: int = 10_000) -> list[int]:
        """The ids of every draft matching the filters (for "select all matching")."""
        where, params = self._draft_where(filters)
        rows = self.db.execute(
            f"select id from drafts where {where} order by updated_at desc, id desc limit ?", [*params, limit]
        )
        return [r[0] for r in rows]

    def count_waiting(self, person_ref: str, name: str, *, reviews: bool = True) -> int:
        """Pins waiting on a person: others' drafts in review (when they review), plus their own drafts a
        reviewer rejected or sent back (the last status change came from review). A draft is theirs by its
        author ref; one from before accounts, by the name typed then."""
        mine = "(case when d.author_ref is not null then d.author_ref = ? else coalesce(d.author, '') = ? end)"
        return self.db.execute(
            f"select count(*) from drafts d where ({int(reviews)} and d.status = 'in_review' and not {mine})"
            f" or ({mine} and (d.status = 'rejected' or (d.status = 'draft' and ("
            "  select json_extract(e.detail, '$.from') from events e where e.draft_id = d.id"
            "  and e.action like 'status:%' order by e.id desc limit 1) = 'in_review')))",
            [person_ref, name, person_ref, name],
        ).fetchone()[0]

    def _draft_where(self, filters: DraftFilter) -> tuple[str, list]:
        # a draft whose media is still being checked (or failed the check) is not one to review yet
        clauses = ["(media_id is null or media_id not in (select id from media where check_state is not null))"]
        params: list = []
        if filters.statuses:
            clauses.append("status in ({})".format(", ".join("?" * len(filters.statuses))))
            params += [s.value for s in filters.statuses]
        for column in ("board", "account", "author"):
            if value := getattr(filters, column).strip():
                clauses.append(f"{column} = ? collate nocase")
                params.append(value)
        if filters.updated_from:
            clauses.append("updated_at >= ?")
            params.append(filters.updated_from)
        if filters.updated_to:
            clauses.append("updated_at < date(?, '+1 day')")
            params.append(filters.updated_to)
        if filters.lint_failing:
            clauses.append("lint_failures > 0")
        if filters.media_warnings:
            clauses.append("media_warnings > 0")
        if filters.text.strip():
            clauses.append("(title like ? or description like ?)")
            params += [f"%{filters.text.strip()}%"] * 2
        return " and ".join(clauses), params

    def distinct_values(self, column: str) -> list[str]:
        """Boards, accounts or authors seen on drafts, for filter pickers."""
        if column not in ("board", "account", "author"):
            raise ValueError(column)
        rows = self.db.execute(
            f"select distinct {column} from drafts where coalesce({column}, '') != '' order by 1 limit 500"
        )
        return [r[0] for r in rows]

    def set_draft_marks(self, draft_id: int, **marks: Any) -> None:
        """Derived, non-content columns (lint and media counts): no version bump."""
        allowed = {"lint_failures", "media_warnings"}
        fields = {k: v for k, v in marks.items() if k in allowed}
        if fields:
            sets = ", ".join(f"[{k}] = ?" for k in fields)
            self.db.execute(f"update drafts set {sets} where id = ?", [*fields.values(), draft_id])

    # --- the schedule (slots, workers and claims are studio.scheduling's) ------------------
    def scheduled_between(self, start_utc: str, end_utc: str) -> list[Draft]:
        rows = self.db.query(
            "select * from drafts where scheduled_at >= ? and scheduled_at < ? "
            "and status in ('approved', 'published', 'failed') order by scheduled_at",
            [start_utc, end_utc],
        )
        return [_draft(r) for r in rows]

    def pins_for_account_between(
        self, account: str, start_utc: str, end_utc: str, exclude_id: int | None = None
    ) -> list[Draft]:
        """Pins of an account scheduled or published in a window (for guardrails)."""
        rows = self.db.query(
            "select * from drafts where coalesce(account, '') = ? and id != ? and ("
            " (scheduled_at >= ? and scheduled_at < ? and status in ('approved', 'published'))"
            " or (status = 'published' and updated_at >= ? and updated_at < ?)) order by scheduled_at",
            [account or "", exclude_id or -1, start_utc, end_utc, start_utc, end_utc],
        )
        return [_draft(r) for r in rows]

    def pins_sharing(self, draft: Draft, since_utc: str) -> list[Draft]:
        """Other scheduled or published pins with the same link or the same media since a time."""
        rows = self.db.query(
            "select * from drafts where id != ? and status in ('approved', 'published')"
            " and (scheduled_at is not null or status = 'published') and coalesce(scheduled_at, updated_at) >= ?"
            " and ((? != '' and link = ?) or (? is not null and media_id = ?))",
            [draft.id, since_utc, draft.link, draft.link, draft.media_id, draft.media_id],
        )
        return [_draft(r) for r in rows]

    def count_drafts(self) -> dict[str, int]:
        rows = self.db.execute("select status, count(*) from drafts group by status").fetchall()
        return {status: n for status, n in rows}

    def published_per_account(self) -> dict[str | None, int]:
        """How many pins each account published (None: drafts that never had an account)."""
        rows = self.db.execute("select account, count(*) from drafts where status = 'published' group by account")
        return dict(rows.fetchall())

    def update_draft(
        self,
        draft_id: int,
        fields: dict[str, Any],
        *,
        expected_version: int,
        actor: Acting,
        action: str = "edited",
        detail: dict | None = None,
    ) -> Draft:
        """Write fields only if nobody saved since `expected_version`; bump the version."""
        changes = {k: v for k, v in fields.items() if k in _DRAFT_COLUMNS and k not in ("id", "version", *_AUTHOR)}
        changes["updated_at"] = iso()
        sets = ", ".join(f"[{k}] = ?" for k in changes)
        with self.db.atomic():
            cursor = self.db.execute(
                f"update drafts set {sets}, version = version + 1 where id = ? and version = ?",
                [*changes.values(), draft_id, expected_version],
            )
            if cursor.rowcount != 1:
                current = self.get_draft(draft_id)  # raises NotFoundError if it is gone
                raise ConflictError(
                    f"Draft #{draft_id} was changed by someone else while you were editing "
                    f"(your copy is version {expected_version}, the saved one is {current.version}).",
                    fix="Reload the draft to see their changes, then apply yours again.",
                )
            self.add_event(
                draft_id,
                actor,
                action,
                detail if detail is not None else {k: v for k, v in fields.items() if k != "updated_at"},
            )
        return self.get_draft(draft_id)

    def set_status(
        self,
        draft_id: int,
        status: DraftStatus | str,
        *,
        actor: Acting,
        note: str = "",
        expected_version: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Draft:
        """Move a draft to `status` if its life cycle allows it, recording the event."""
        draft = self.get_draft(draft_id)
        check_transition(draft.status, status)
        fields = {"status": DraftStatus(status).value, **(extra or {})}
        detail = {"from": draft.status.value, "to": DraftStatus(status).value}
        if note:
            detail["note"] = note
        return self.update_draft(
            draft_id,
            fields,
            expected_version=draft.version if expected_version is None else expected_version,
            actor=actor,
            action=f"status:{DraftStatus(status).value}",
            detail=detail,
        )

    # --- events -------------------------------------------------------------------------
    def add_event(self, draft_id: int, actor: Acting, action: str, detail: dict | None = None) -> None:
        """One line of the draft's history: who (their name as shown, and their refs), what, when."""
        self.db.execute(
            "insert into events (draft_id, at, actor, actor_ref, person_ref, action, detail)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [
                draft_id,
                iso(),
                actor.name or actor.ref,
                actor.ref,
                actor.person_ref,
                action,
                json.dumps(detail or {}, default=str),
            ],
        )

    def events(self, draft_id: int) -> list[Event]:
        rows = self.db.table("events").rows_where("draft_id = ?", [draft_id], order_by="id")
        return [_event(r) for r in rows]

    def latest_events(self, draft_ids: Iterable[int], action: str) -> dict[int, Event]:
        """Each of these drafts' latest event of one kind, by draft id (one query however many drafts)."""
        rows = self.db.query(
            "select * from events where id in (select max(id) from events where action = ?"
            " and draft_id in (select value from json_each(?)) group by draft_id)",
            [action, json.dumps(list(draft_ids))],
        )
        return {event.draft_id: event for event in map(_event, rows)}

    def all_events(self) -> list[Event]:
        """Every draft's history, oldest first (for backups)."""
        return [_event(r) for r in self.db.table("events").rows_where(order_by="id")]

    # --- repeats: Pinterest treats repeated titles and link + image pairs as spam ---------------
    def draft_with_title(self, title: str, *, excluding: int | None = None) -> int | None:
        """The first other draft whose title is `title` (case and surrounding spaces ignored)."""
        if not title.strip():
            return None
        row = self.db.execute(
            "select min(id) from drafts where lower(trim(title)) = lower(trim(?)) and id != ?", [title, excluding or 0]
        ).fetchone()
        return row[0] if row else None

    def draft_with_link_and_media(self, link: str, media_id: int, *, excluding: int | None = None) -> int | None:
        """The first other draft that pins the same image to the same link."""
        row = self.db.execute(
            "select min(id) from drafts where link = ? and media_id = ? and id != ?", [link, media_id, excluding or 0]
        ).fetchone()
        return row[0] if row else None

    def first_drafts_by_title(self) -> dict[str, int]:
        """Every title in use (lower-cased, trimmed) → the first draft that has it."""
        sql = "select lower(trim(title)), min(id) from drafts where coalesce(title, '') != '' group by 1"
        return dict(self.db.execute(sql).fetchall())

    def first_drafts_by_link(self) -> dict[str, int]:
        """Every link in use → the first draft that has it."""
        sql = "select link, min(id) from drafts where coalesce(link, '') != '' group by 1"
        return dict(self.db.execute(sql).fetchall())

    def published_without_alt_text(self, limit: int = 1000) -> list[Draft]:
        rows = self.db.query(
            "select * from drafts where status = 'published' and coalesce(alt_text, '') = '' order by id limit ?",
            [limit],
        )
        return [_draft(r) for r in rows]


class _ImmediateConnection(sqlite3.Connection):
    """Starts `db.atomic()` transactions with BEGIN IMMEDIATE.

    A deferred BEGIN that reads first and writes later fails at once with "database is locked"
    when another process wrote in between (WAL snapshot upgrade); the busy timeout never applies.
    Taking the write lock up front makes concurrent writers (worker, CLI, pages) queue instead."""

    def execute(self, sql, *args):
        if sql.strip().upper() == "BEGIN":
            sql = "BEGIN IMMEDIATE"
        return super().execute(sql, *args)


def _keep_private(path: Path) -> None:
    """The data dir for the studio's user alone (0700) and the database (0600, its -wal and -shm too: SQLite
    gives them the database's mode): it holds every draft, API key hashes and the encrypted tokens. Created so,
    and tightened on open when an older studio left them readable by everyone."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            part.chmod(0o600)


def _enable_wal(db: sqlite_utils.Database, wait_s: float = 10.0) -> None:
    """Switch a new database to WAL. The switch ignores the busy timeout: while another process (the studio,
    the API, the worker, all started at once) holds the new file's lock, it is retried for up to `wait_s`."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def draft_join(alias: str, draft_id: str) -> str:
    """SQL joining each row's draft as `alias` (left join on `draft_id`, an expression of the caller's
    query): for an owner's listing that filters on a draft's status without reading every draft."""
    return f"left join drafts {alias} on {alias}.id = {draft_id}"


def migrate(db: sqlite_utils.Database, package_migrations: Sequence[Migrations] = ()) -> None:
    """Apply every pending migration: the core set first, then each package's, in the order given.

    The studio, the API and the worker open a new database at the same moment (`make run`): the one that
    finds work to do takes the write lock (BEGIN IMMEDIATE) and migrates; the others wait for it, then find
    nothing left. An up-to-date database is only read, without the lock.
    """
    sets = [migrations, *package_migrations]
    if not _pending(db, sets):
        return
    with db.atomic():
        for migration_set in sets:
            migration_set.apply(db)


def _pending(db: sqlite_utils.Database, sets: Sequence[Migrations]) -> bool:
    """Whether any migration of `sets` is not applied yet, in one read of the migrations table (every page run
    opens the store a few times; asking each set in turn took some forty queries)."""
    try:
        applied = set(db.execute(f"select migration_set, name from {Migrations.migrations_table}").fetchall())
    except sqlite3.OperationalError:  # no migrations table yet (a new database): migrate, under the lock
        return True
    blank = sqlite_utils.Database(memory=True)  # where every migration of a set is pending: its full list
    return any((s.name, m.name) not in applied for s in sets for m in s.pending(blank))


def _media(row: dict) -> MediaAsset:
    return MediaAsset(**{k: v for k, v in row.items() if k in _MEDIA_COLUMNS and v is not None})


def _event(row: dict) -> Event:
    return Event(**{**row, "detail": json.loads(row["detail"] or "{}")})


def _draft(row: dict) -> Draft:
    return Draft(**{k: v for k, v in row.items() if k in _DRAFT_COLUMNS and v is not None})
