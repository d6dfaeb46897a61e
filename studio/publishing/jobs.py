"""Publish jobs: the state machine, the attempts log, atomic state changes, claim and resume.

queued → uploading_media → processing_media → creating_pin → published
                                                  ↘ failed (permanent, with reason and fix)
                                                  ↘ needs_attention (outcome unknown)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio import people
from studio.errors import NotFoundError, PublishError, StudioError
from studio.leases import owner_alive, owner_name
from studio.models import DraftStatus, iso
from studio.people import Actor, Permission
from studio.pinterest import OutcomeUnknown, redact
from studio.publishing.base import AccountReady, Publisher
from studio.publishing.payload import PublishRequest
from studio.storage import Store, inserted_id

migrations = Migrations("pinstudio.publishing")

ACTIVE = ("queued", "uploading_media", "processing_media", "creating_pin")
FINAL = ("published", "failed", "needs_attention")
STEPS = ACTIVE + ("published",)
LEASE_S = 300.0  # a claimed job whose worker stopped heartbeating for this long can be resumed
UPLOAD_WRITE_EVERY_S = 0.5  # upload progress is written at most this often


@migrations()
def m001_jobs(db: sqlite_utils.Database) -> None:
    jobs = db.table("publish_jobs")
    for column, kind in (
        ("payload", str),
        ("media_format", str),
        ("checkpoint", str),
        ("error_fix", str),
        ("http_status", int),
        ("pinterest_code", int),
        ("request_id", str),
        ("claimed_by", str),
        ("lease_until", str),
        ("upload_sent", int),
        ("upload_total", int),
        ("warnings", str),
        ("resolved_by", str),
        ("finished_at", str),
    ):
        jobs.add_column(column, kind)
    db.table("publish_attempts").create(
        {
            "id": int,
            "job_id": int,
            "at": str,
            "kind": str,
            "step": str,
            "method": str,
            "url": str,
            "http_status": int,
            "pinterest_code": int,
            "request_id": str,
            "outcome": str,
            "message": str,
            "elapsed_ms": int,
            "detail": str,
        },
        pk="id",
        foreign_keys=[("job_id", "publish_jobs", "id")],
    )
    db.table("publish_attempts").create_index(["job_id", "id"])


@migrations()
def m002_job_retryable(db: sqlite_utils.Database) -> None:
    """Whether a failed job's error says trying again later can help (429, 5xx, network)."""
    db.table("publish_jobs").add_column("retryable", int)


@migrations()
def m003_job_actors(db: sqlite_utils.Database) -> None:
    """Who asked for each publish and who marked one resolved, as people (issue 23). Jobs from before keep
    only `resolved_by`, the name typed then."""
    jobs = db.table("publish_jobs")
    jobs.add_column("actor_ref", str)  # who queued it: user:12, cli:ana, api:key_1, worker:…
    jobs.add_column("actor_name", str)
    jobs.add_column("resolved_by_ref", str)


@migrations()
def m004_published_when(db: sqlite_utils.Database) -> None:
    """The calendar and Home ask which pins went out on a day: an index on (status, updated_at) answers it
    without reading every job."""
    db.table("publish_jobs").create_index(["status", "updated_at"], if_not_exists=True)


def _now(offset_s: float = 0.0) -> str:
    return iso(datetime.now(UTC) + timedelta(seconds=offset_s))


def _decode(row: dict) -> dict:
    job = dict(row)
    for key in ("request", "response", "payload", "checkpoint", "warnings"):
        job[key] = json.loads(job[key]) if job.get(key) else None
    job["checkpoint"] = job["checkpoint"] or {}
    return job


def get_job(store: Store, job_id: int) -> dict:
    try:
        return _decode(store.db.table("publish_jobs").get(job_id))
    except sqlite_utils.db.NotFoundError:
        raise NotFoundError(f"There is no publish job #{job_id}.", fix="Pick a job from `pinstudio jobs`.") from None


def list_jobs(store: Store, statuses: list[str] | None = None, limit: int = 100) -> list[dict]:
    where, params = None, list(statuses or [])
    if params:
        where = "status in ({})".format(", ".join("?" * len(params)))
    rows = store.db.table("publish_jobs").rows_where(where, params, order_by="id desc", limit=limit)
    return [_decode(r) for r in rows]


def for_draft(store: Store, draft_id: int) -> list[dict]:
    """A draft's publish jobs, newest first."""
    rows = store.db.table("publish_jobs").rows_where("draft_id = ?", [draft_id], order_by="id desc")
    return [_decode(r) for r in rows]


# A job cancelled before it started (`cancel_queued`: its approval was withdrawn) sent nothing.
_NOT_CANCELLED = "coalesce(error_code, '') != 'cancelled'"


def latest_for_drafts(store: Store, draft_ids: Iterable[int], *, skip_cancelled: bool = False) -> dict[int, dict]:
    """Each of these drafts' newest job, by draft id (drafts without a job are left out); `skip_cancelled`: the
    newest that wasn't cancelled before it started, as if those never were."""
    rows = store.db.query(
        "select * from publish_jobs where id in (select max(id) from publish_jobs"
        " where draft_id in (select value from json_each(?))"
        + (f" and {_NOT_CANCELLED}" if skip_cancelled else "")
        + " group by draft_id)",
        [json.dumps(list(draft_ids))],
    )
    return {r["draft_id"]: _decode(r) for r in rows}


def latest_job_join(alias: str, draft_id: str, *, skip_cancelled: bool = False) -> str:
    """SQL joining each row's draft's newest job as `alias` (left join; `draft_id` an expression of the
    caller's query): for an owner's listing that filters on a job's status in the database."""
    live = f" and {_NOT_CANCELLED}" if skip_cancelled else ""
    return (
        f"left join publish_jobs {alias} on {alias}.id = "
        f"(select max(id) from publish_jobs where draft_id = {draft_id}{live})"
    )


def published_between(store: Store, start_utc: str, end_utc: str) -> list[dict]:
    """Jobs that published a pin in a window (the time it went out is the job's last change), oldest first:
    draft id, backend, pin id and link, and when."""
    rows = store.db.execute(
        "select draft_id, backend, pin_id, pin_url, updated_at from publish_jobs"
        " where status = 'published' and updated_at >= ? and updated_at < ? order by updated_at",
        [start_utc, end_utc],
    ).fetchall()
    keys = ("draft_id", "backend", "pin_id", "pin_url", "published_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def published_job_of(store: Store, draft_ids: Iterable[int]) -> set[int]:
    """Which of these drafts have a published job (the others were marked published some other way)."""
    rows = store.db.execute(
        "select distinct draft_id from publish_jobs where status = 'published'"
        " and draft_id in (select value from json_each(?))",
        [json.dumps(list(draft_ids))],
    ).fetchall()
    return {r[0] for r in rows}


def queued_for_drafts(store: Store, draft_ids: Iterable[int], *, limit: int = 50) -> list[int]:
    """The ids of these drafts' queued jobs, oldest first."""
    rows = store.db.execute(
        "select id from publish_jobs where status = 'queued' and draft_id in (select value from json_each(?))"
        " order by id limit ?",
        [json.dumps(list(draft_ids)), limit],
    )
    return [r[0] for r in rows.fetchall()]


def in_flight(store: Store) -> dict[int, str]:
    """Drafts being published right now (a job queued or running): draft id → when the job was queued.
    Such a pin is about to reach Pinterest, so the guardrails count it as going out at that time."""
    placeholders = ", ".join("?" * len(ACTIVE))
    rows = store.db.execute(
        f"select draft_id, min(created_at) from publish_jobs where status in ({placeholders})"
        " and draft_id is not null group by draft_id",
        list(ACTIVE),
    ).fetchall()
    return {row[0]: row[1] for row in rows}


def cancel_queued(store: Store, draft_id: int, *, actor: Actor, reason: str) -> list[int]:
    """Cancel a draft's queued jobs that have not started (nobody holds them): they end failed, code
    `cancelled`, nothing was sent. A job already running is left to finish. Returns the cancelled ids."""
    people.require(actor, Permission.PUBLISH)
    cancelled = []
    with store.db.atomic():
        rows = store.db.execute(
            "select id from publish_jobs where draft_id = ? and status = 'queued'"
            " and (claimed_by is null or lease_until is null or lease_until < ?)",
            [draft_id, iso()],
        ).fetchall()
        for (job_id,) in rows:
            store.db.table("publish_jobs").update(
                job_id,
                {
                    "status": "failed",
                    "error_code": "cancelled",
                    "error_message": reason,
                    "error_fix": "Approve the pin again to publish it.",
                    "retryable": 0,
                    "finished_at": iso(),
                    "updated_at": iso(),
                },
            )
            _log(store, job_id, kind="state", step="failed", outcome="cancelled", message=reason)
            cancelled.append(job_id)
    return cancelled


def all_jobs(store: Store) -> list[dict]:
    """Every job, oldest first (for backups)."""
    return [_decode(r) for r in store.db.table("publish_jobs").rows_where(order_by="id")]


def insert_job(store: Store, draft_id: int | None, backend: str, request: Any, status: str = "queued") -> int:
    """A bare job row (what `create_job` starts from; history imports and tests write one directly)."""
    now = iso()
    row = {
        "draft_id": draft_id,
        "backend": backend,
        "status": status,
        "request": json.dumps(request, default=str),
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
    return inserted_id(store.db.table("publish_jobs").insert(row))


def update_job(store: Store, job_id: int, **fields: Any) -> None:
    for key in ("request", "response"):
        if key in fields and not isinstance(fields[key], str):
            fields[key] = json.dumps(fields[key], default=str)
    store.db.table("publish_jobs").update(job_id, {**fields, "updated_at": iso()})


def attempts(store: Store, job_id: int) -> list[dict]:
    rows = store.db.table("publish_attempts").rows_where("job_id = ?", [job_id], order_by="id")
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]


def create_job(
    store: Store,
    request: PublishRequest,
    backend: str,
    *,
    draft_id: int | None = None,
    media_format: str | None = None,
    warnings: list[str] | None = None,
    actor: Actor,
) -> int:
    """A queued job holding everything needed to run (or resume) it, and who asked for it."""
    people.require(actor, Permission.PUBLISH)
    with store.db.atomic():
        job_id = insert_job(store, draft_id, backend, {}, status="queued")
        store.db.table("publish_jobs").update(
            job_id,
            {
                "payload": request.model_dump_json(),
                "media_format": media_format,
                "checkpoint": "{}",
                "warnings": json.dumps(warnings or []),
                **actor.record(),
            },
        )
        _log(store, job_id, kind="state", step="queued", outcome="ok")
    return job_id


def _log(store: Store, job_id: int, **fields: Any) -> None:
    detail = fields.pop("detail", None)
    store.db.table("publish_attempts").insert(
        {"job_id": job_id, "at": iso(), **fields, "detail": json.dumps(detail or {}, default=str)}
    )


def claim(store: Store, job_id: int, owner: str, lease_s: float = LEASE_S) -> bool:
    """Take a job for running, atomically: only one worker/CLI runs it at a time."""
    with store.db.atomic():  # BEGIN IMMEDIATE: two processes can't both see it free
        row = store.db.execute("select claimed_by from publish_jobs where id = ?", [job_id]).fetchone()
        if row and row[0] and row[0] != owner and not owner_alive(row[0]):
            owner_was = row[0]  # the claimer died on this machine: its lease means nothing now
            store.db.execute(
                "update publish_jobs set lease_until = null where id = ? and claimed_by = ?", [job_id, owner_was]
            )
        placeholders = ", ".join("?" * len(ACTIVE))
        cursor = store.db.execute(
            f"update publish_jobs set claimed_by = ?, lease_until = ?, updated_at = ? where id = ? "
            f"and status in ({placeholders}) and (lease_until is null or lease_until < ? or claimed_by = ?)",
            [owner, _now(lease_s), iso(), job_id, *ACTIVE, iso(), owner],
        )
    return cursor.rowcount == 1


class JobRun:
    """The Progress a backend reports to: each step is one atomic state change + checkpoint."""

    def __init__(
        self, store: Store, job: dict, owner: str, lease_s: float = LEASE_S, watch: Callable[[dict], None] | None = None
    ) -> None:
        self.store, self.job_id, self.owner, self.lease_s = store, job["id"], owner, lease_s
        self.watch = watch  # a page shows live steps and upload progress through this
        self.checkpoint: dict = dict(job["checkpoint"] or {})
        self.status = job["status"]
        self.count = 0
        self._last_upload_write = 0.0

    def step(self, state: str, **checkpoint: object) -> None:
        self.checkpoint.update(checkpoint)
        fields = {
            "status": state,
            "checkpoint": json.dumps(self.checkpoint),
            "lease_until": _now(self.lease_s),
            "updated_at": iso(),
        }
        with self.store.db.atomic():
            self.store.db.table("publish_jobs").update(self.job_id, fields)
            if state != self.status:
                _log(self.store, self.job_id, kind="state", step=state, outcome="ok")
        self.status = state
        if self.watch:
            self.watch({"status": state})

    def attempt(self, record: dict) -> None:
        self.count += 1
        with self.store.db.atomic():
            _log(
                self.store,
                self.job_id,
                kind="http",
                at=record.get("started_at") or iso(),
                step=record.get("step"),
                method=record.get("method"),
                url=record.get("url"),
                http_status=record.get("http_status"),
                pinterest_code=record.get("pinterest_code"),
                request_id=record.get("request_id"),
                outcome=record.get("outcome"),
                message=record.get("message"),
                elapsed_ms=record.get("elapsed_ms"),
                detail={k: record.get(k) for k in ("params", "body", "code", "finished_at") if record.get(k)},
            )
            self.store.db.execute(
                "update publish_jobs set attempts = coalesce(attempts, 0) + 1, http_status = ?, "
                "pinterest_code = ?, request_id = coalesce(?, request_id), lease_until = ? where id = ?",
                [
                    record.get("http_status"),
                    record.get("pinterest_code"),
                    record.get("request_id"),
                    _now(self.lease_s),
                    self.job_id,
                ],
            )

    def upload_progress(self, sent: int, total: int) -> None:
        now = time.monotonic()
        if sent < total and now - self._last_upload_write < UPLOAD_WRITE_EVERY_S:
            return  # a 1 GB upload reads thousands of chunks; the page needs a few updates a second
        self._last_upload_write = now
        with self.store.db.atomic():
            self.store.db.table("publish_jobs").update(
                self.job_id, {"upload_sent": sent, "upload_total": total, "lease_until": _now(self.lease_s)}
            )
        if self.watch:
            self.watch({"status": self.status, "upload_sent": sent, "upload_total": total})


def _finish(store: Store, job: dict, fields: dict, draft_status: DraftStatus | None, actor: Actor, note: str) -> None:
    fields.update(claimed_by=None, lease_until=None, finished_at=iso(), updated_at=iso())
    with store.db.atomic():
        store.db.table("publish_jobs").update(job["id"], fields)
        _log(
            store,
            job["id"],
            kind="state",
            step=fields["status"],
            outcome=fields.get("error_code") or "ok",
            message=fields.get("error_message"),
        )
        if job["draft_id"] and draft_status is not None:
            draft = store.get_draft(job["draft_id"])
            if draft.status is not draft_status:
                store.set_status(job["draft_id"], draft_status, actor=actor, note=note)


def run_job(
    store: Store,
    publisher: Publisher,
    job_id: int,
    *,
    actor: Actor,
    owner: str | None = None,
    watch: Callable[[dict], None] | None = None,
) -> dict:
    """Run (or resume) a job to a final state; returns the job. Another owner's live job is left alone."""
    people.require(actor, Permission.PUBLISH)
    owner = owner or owner_name()
    if not claim(store, job_id, owner):
        return get_job(store, job_id)
    job = get_job(store, job_id)
    run = JobRun(store, job, owner, watch=watch)
    request = PublishRequest.model_validate(job["payload"])
    try:
        outcome = publisher.publish(request, media_format=job["media_format"], progress=run)
    except OutcomeUnknown as exc:
        _finish(
            store,
            job,
            {
                "status": "needs_attention",
                "error_code": exc.code,
                "error_message": exc.message,
                "error_fix": exc.fix,
                "retryable": 0,
            },
            None,
            actor,
            "",
        )
    except StudioError as exc:
        # An account that must be reconnected is not the pin's fault: the draft stays approved
        # (and scheduled), so it waits and publishes once the account is connected again.
        waits = exc.code == "reconnect_required" and _account_flagged(store, job, publisher.account_ready)
        _finish(
            store,
            job,
            {
                "status": "failed",
                "error_code": exc.code,
                "error_message": exc.message,
                "error_fix": exc.fix,
                "retryable": int(bool(exc.retryable)),
            },
            None if waits else DraftStatus.FAILED,
            actor,
            exc.message,
        )
    except Exception as exc:  # an unexpected bug must not leave the job looking alive
        _finish(
            store,
            job,
            {
                "status": "failed",
                "error_code": "internal_error",
                "error_message": f"Unexpected error: {type(exc).__name__}",
                "error_fix": "Try again; if it repeats, report it with the job id.",
                "retryable": 0,
            },
            DraftStatus.FAILED,
            actor,
            "unexpected error",
        )
        raise PublishError(
            "Publishing hit an unexpected error; the job is kept as failed.",
            fix=f"Try again; if it repeats, report job #{job_id}.",
        ) from exc
    else:
        _finish(
            store,
            job,
            {
                "status": "published",
                "pin_id": outcome.pin_id,
                "pin_url": outcome.pin_url,
                "request": json.dumps(redact(outcome.requests), default=str),
                "response": json.dumps(outcome.response, default=str),
                "error_code": None,
                "error_message": None,
                "error_fix": None,
                "retryable": 0,
            },
            DraftStatus.PUBLISHED,
            actor,
            ("dry run: " if outcome.dry_run else "") + outcome.pin_id,
        )
    return get_job(store, job_id)


def _account_flagged(store: Store, job: dict, account_ready: AccountReady | None) -> bool:
    """Is the job's draft publishing through an account now marked "reconnect needed"? `account_ready`
    (the publisher's, from the composition root) answers; without it the backend knows no account."""
    if not job["draft_id"] or account_ready is None:
        return False
    return not account_ready(store, store.get_draft(job["draft_id"]).account)


def retry_job(
    store: Store, publisher: Publisher, job_id: int, *, actor: Actor, watch: Callable[[dict], None] | None = None
) -> dict:
    """Run a failed or needs-attention job again from its checkpoint (an unknown create is
    reconciled against the board before anything is resent)."""
    people.require(actor, Permission.PUBLISH)
    job = get_job(store, job_id)
    if job.get("error_code") == "cancelled":  # its pin's approval was withdrawn: publishing needs a new one
        raise PublishError(
            f"Job #{job_id} was cancelled ({job.get('error_message') or 'approval withdrawn'}).",
            fix="Approve the pin again; approving queues a new publish.",
            code="not_retryable",
        )
    if job["status"] not in ("failed", "needs_attention"):
        raise PublishError(
            f"Job #{job_id} is '{job['status']}', so there is nothing to retry.",
            fix="Only failed or needs-attention jobs can be retried.",
            code="not_retryable",
        )
    if job["draft_id"]:
        draft = store.get_draft(job["draft_id"])
        others = [
            j
            for j in for_draft(store, job["draft_id"])
            if j["id"] != job_id and j["status"] in ACTIVE + ("needs_attention", "published")
        ]
        if draft.status is DraftStatus.PUBLISHED or others:  # retrying would post the pin twice
            later = f"job #{others[0]['id']} ({others[0]['status']})" if others else "another job"
            raise PublishError(
                f"This pin was published or is being published by {later}, so job #{job_id} is not retried.",
                fix="Nothing to do; see that job on the Publish page.",
                code="not_retryable",
            )
    with store.db.atomic():
        resume_at = "creating_pin" if job["checkpoint"].get("create_started_at") else "queued"
        store.db.table("publish_jobs").update(
            job_id, {"status": resume_at, "claimed_by": None, "lease_until": None, "updated_at": iso()}
        )
        _log(store, job_id, kind="state", step=resume_at, outcome="retry", message=f"retried by {actor.name}")
        if job["draft_id"] and store.get_draft(job["draft_id"]).status is DraftStatus.FAILED:
            store.set_status(job["draft_id"], DraftStatus.APPROVED, actor=actor, note=f"retry job #{job_id}")
    return run_job(store, publisher, job_id, actor=actor, watch=watch)


def mark_resolved(store: Store, job_id: int, *, actor: Actor, pin_id: str = "") -> dict:
    """A person checked Pinterest: the pin exists (optionally with its id), so the job is published."""
    people.require(actor, Permission.PUBLISH)
    job = get_job(store, job_id)
    if job["status"] != "needs_attention":
        raise PublishError(
            f"Job #{job_id} is '{job['status']}', not waiting for a check.",
            fix="Only needs-attention jobs can be marked resolved.",
            code="not_needs_attention",
        )
    pin_id = pin_id.strip()
    fields = {
        "status": "published",
        "resolved_by": actor.name,
        "resolved_by_ref": actor.ref,
        "error_code": None,
        "error_message": None,
        "error_fix": None,
    }
    if pin_id:
        fields.update(pin_id=pin_id, pin_url=f"https://www.pinterest.com/pin/{pin_id}/")
    _finish(store, job, fields, DraftStatus.PUBLISHED, actor, f"resolved by hand (job #{job_id})")
    return get_job(store, job_id)


def resumable(store: Store) -> list[dict]:
    """Jobs left mid-way by a stopped process (active state, no live lease)."""
    placeholders = ", ".join("?" * len(ACTIVE))
    rows = store.db.execute(
        f"select id, claimed_by, lease_until from publish_jobs where status in ({placeholders}) order by id",
        list(ACTIVE),
    ).fetchall()
    now = iso()
    return [get_job(store, r[0]) for r in rows if not r[2] or r[2] < now or not owner_alive(r[1])]


def resume_all(store: Store, publisher_for: Callable[[dict], Publisher], *, actor: Actor) -> list[dict]:
    """Finish every interrupted job with the backend (and account) it started on."""
    people.require(actor, Permission.PUBLISH)
    return [run_job(store, publisher_for(job), job["id"], actor=actor) for job in resumable(store)]


def account_of(store: Store, job: dict) -> str:
    """The connected account a job publishes as: its draft's ("" = the default account)."""
    if not job.get("draft_id"):
        return ""
    try:
        return store.get_draft(job["draft_id"]).account
    except NotFoundError:  # the draft was deleted since: the default account
        return ""


def title_of(store: Store, job: dict) -> str:
    """The pin's title as the job sent it (or its draft's, for a job that holds no payload); "" if unknown."""
    sent = (((job.get("payload") or {}).get("platforms") or {}).get("pinterest") or {}).get("title")
    if sent:
        return str(sent)
    if not job.get("draft_id"):
        return ""
    try:
        return store.get_draft(job["draft_id"]).title
    except NotFoundError:  # the draft was deleted since
        return ""


def steps(store: Store, job_id: int) -> list[dict]:
    """The job's state changes in order (for the live status and History)."""
    return [a for a in attempts(store, job_id) if a["kind"] == "state"]


def requests_sent(store: Store, job_id: int) -> list[dict]:
    """Every HTTP attempt: step, method, URL, HTTP status, Pinterest code, x-pinterest-rid."""
    return [a for a in attempts(store, job_id) if a["kind"] == "http"]


def summary(job: dict) -> dict:
    """The stable CLI/JSON view of a job."""
    error = None
    if job.get("error_code") or job["status"] in ("failed", "needs_attention"):
        error = {"code": job.get("error_code"), "message": job.get("error_message"), "fix": job.get("error_fix")}
    return {
        "job_id": job["id"],
        "status": job["status"],
        "pin_id": job.get("pin_id"),
        "pin_url": job.get("pin_url"),
        "attempts": job.get("attempts") or 0,
        "error": error,
    }
