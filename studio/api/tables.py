"""The HTTP API's tables: API keys (hashed), posts mapped to drafts and jobs, idempotency keys,
webhooks and their deliveries. Every SQL statement on them lives in this package."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("pinstudio.api")


@migrations()
def m001_api(db: sqlite_utils.Database) -> None:
    db.table("api_keys").create(
        {
            "id": str,
            "name": str,
            "prefix": str,  # the first characters, so a person can tell keys apart
            "key_hash": str,  # sha256 of the whole key; the key itself is never stored
            "created_at": str,
            "last_used_at": str,
            "revoked_at": str,
        },
        pk="id",
    )
    db.table("api_keys").create_index(["key_hash"], unique=True)
    db.table("api_posts").create(
        {
            "id": str,
            "key_id": str,
            "draft_id": int,
            "body": str,
            "profile_id": str,
            "draft": int,  # sent as a draft: waits for a person's approval in Review
            "scheduled_at": str,  # what the caller asked for (UTC ISO)
            "params": str,  # JSON: the Pinterest params as received (cover file as a stored path)
            "media": str,  # JSON: [{id, url, content_type, source_url}]
            "fingerprint": str,  # for the duplicate check
            "error_code": str,  # set when the API itself could not go on (a guardrail after approval)
            "error_message": str,
            "notified": str,  # the last platform status announced to webhooks
            "open": int,  # 1 until the post reached a final state and webhooks were told
            "deleted_at": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db.table("api_posts").create_index(["key_id", "fingerprint", "created_at"])
    db.table("api_posts").create_index(["open"])
    db.table("api_posts").create_index(["draft_id"])
    db.table("api_idempotency").create(
        {"key_id": str, "idem_key": str, "post_id": str, "created_at": str},
        pk=("key_id", "idem_key"),
    )
    db.table("api_webhooks").create(
        {
            "id": str,
            "url": str,
            "events": str,  # JSON list; ["*"] means every event
            "enabled": int,
            "description": str,
            "secret": str,  # encrypted with the studio's vault (needed to sign each delivery)
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
    )
    db.table("api_deliveries").create(
        {
            "id": str,
            "webhook_id": str,
            "event_id": str,
            "event_type": str,
            "payload": str,
            "response_status": int,
            "attempt_number": int,
            "success": int,
            "done": int,
            "error": str,
            "next_attempt_at": str,
            "attempted_at": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("api_deliveries").create_index(["done", "next_attempt_at"])
    db.table("api_deliveries").create_index(["webhook_id", "created_at"])


@migrations()
def m002_auto_retries(db: sqlite_utils.Database) -> None:
    """How many times the API retried a post's failed job by itself (429, 5xx: see processor.retry_waiting)."""
    db.table("api_posts").add_column("auto_retries", int)


@migrations()
def m003_media_bytes(db: sqlite_utils.Database) -> None:
    """What each post keeps stored (its media's size), for the per-key storage quota; earlier posts from `media`."""
    db.table("api_posts").add_column("media_bytes", int)
    db.execute(
        "update api_posts set media_bytes = (select bytes from media where media.id = "
        "cast(substr(json_extract(api_posts.media, '$[0].id'), 5) as integer))"
    )


@migrations()
def m004_key_owners_and_scopes(db: sqlite_utils.Database) -> None:
    """Keys belong to someone and carry scopes; webhooks belong to the key that made them (issue 23). Numbered
    after the API's m003 (issue 24's per-key storage quota), which it follows once both are merged.

    Keys made before: owned by the local operator, scopes `posts:draft webhooks` (what they did, except that a
    post sent with draft=false now waits in Review). Webhooks made before have no key: every key with the
    `webhooks` scope still sees them (re-create one to make it a key's own)."""
    keys = db.table("api_keys")
    keys.add_column("owner_ref", str)  # user:12, or cli:<os user> / local:owner for the operator
    keys.add_column("owner_name", str)  # how history names an owner who has no account (the local owner)
    keys.add_column("scopes", str)  # JSON list, e.g. ["posts:draft", "webhooks"]
    db.execute("update api_keys set owner_ref = 'local:owner' where owner_ref is null")
    db.execute("""update api_keys set scopes = '["posts:draft", "webhooks"]' where scopes is null""")
    db.table("api_webhooks").add_column("key_id", str)
    db.table("api_webhooks").create_index(["key_id"])
    db.table("api_posts").add_column("review_forced", int)  # sent with draft=false by a drafts-only key


@migrations()
def m005_media_checks_and_listing(db: sqlite_utils.Database) -> None:
    """Posts answered before their media's pixels were checked (issue 24): `media_state` pending → processed
    or failed (with `error_fix` beside `error_code`/`error_message`); null for every earlier post (checked
    before it was answered). Indexes for listing a studio of 100,000 posts newest first, per key or all."""
    posts = db.table("api_posts")
    posts.add_column("media_state", str)
    posts.add_column("error_fix", str)
    posts.create_index(["media_state"])
    posts.create_index(["deleted_at", "created_at"])
    posts.create_index(["key_id", "deleted_at", "created_at"])
    # what each key's live posts keep stored, kept up to date with them: the quota check reads one row
    db.table("api_keys").add_column("media_bytes", int, not_null_default=0)
    db.execute(
        "update api_keys set media_bytes = (select coalesce(sum(media_bytes), 0) from api_posts "
        "where api_posts.key_id = api_keys.id and deleted_at is null)"
    )


# What a post's listed status is made of, over `api_posts p`, its draft `d` and its draft's newest job `j`:
# the SQL twin of `posts.statuses(row)[0]` (tests/api hold the stored column, this and `statuses` together).
# Written out here as it was when this migration shipped: a migration never changes.
_M006_STATUS = """case
    when p.media_state = 'pending' then 'pending'
    when p.error_code = 'media_processing_failed' then 'media_processing_failed'
    when coalesce(p.error_code, '') != '' then 'processed'
    else coalesce(case
        when j.status = 'queued' then 'pending'
        when j.status in ('uploading_media', 'processing_media', 'creating_pin', 'needs_attention') then 'processing'
        when j.status = 'published' then 'processed'
        when j.status = 'failed' then case
            when d.status = 'approved' then 'pending'
            when coalesce(j.retryable, 0) != 0 and d.status = 'failed' and coalesce(p.auto_retries, 0) < 3
                then 'pending'
            when coalesce(j.error_code, '') like 'media%' or coalesce(j.error_code, '') like 'video%'
                or coalesce(j.error_code, '') like 'image%'
                or coalesce(j.error_code, '') like 'unsupported_format%'
                or coalesce(j.error_code, '') like 'file_too_large%'
                or coalesce(j.error_code, '') like 'download_failed%'
                then 'media_processing_failed'
            else 'processed' end
        end, case
        when d.status in ('draft', 'in_review', 'rejected') then 'draft'
        when d.status = 'approved' and coalesce(d.scheduled_at, '') != '' then 'scheduled'
        when d.status in ('published', 'failed') then 'processed'
        else 'pending' end) end"""
# The time a post shows as `scheduled_at`: its draft's place in the schedule, else the time it asked for.
_M006_SCHEDULED = "coalesce(nullif(d.scheduled_at, ''), p.scheduled_at)"


@migrations()
def m006_listed_status(db: sqlite_utils.Database) -> None:
    """Issue 24: `GET /api/posts?status=…&scheduled_after=…` at 100,000 posts in milliseconds. Each post keeps
    the status and time the listing filters on, as columns with indexes over the live posts. SQLite triggers
    keep them true at every change of what they are made of (the post's media state, error and retries, its
    draft's status and schedule, its draft's jobs), whichever package writes it: the triggers only ever
    write `api_posts`, and read the draft and jobs as `posts.statuses` does."""
    posts = db.table("api_posts")
    posts.add_column("listed_status", str)
    posts.add_column("listed_scheduled_at", str)
    _keep_listing(db, "(select max(id) from publish_jobs where draft_id = p.draft_id)")
    for name, columns in (
        ("status", "listed_status, created_at"),
        ("key_status", "key_id, listed_status, created_at"),
        ("scheduled", "listed_scheduled_at"),
        ("key_scheduled", "key_id, listed_scheduled_at"),
    ):
        db.execute(f"create index api_posts_live_{name} on api_posts ({columns}) where deleted_at is null")


_LISTING_TRIGGERS = (
    "post_insert",
    "post_update",
    "draft_update",
    "draft_delete",
    "job_insert",
    "job_update",
    "job_delete",
)


def _keep_listing(db: sqlite_utils.Database, latest_job: str) -> None:
    """Compute every post's listed status and time, and (re)create the triggers that keep them, with the draft's
    job that counts as its newest being `latest_job` (SQL over `api_posts p`)."""

    def refresh(where: str) -> str:
        """SQL recomputing the listed status and time of the posts matching `where` (over `api_posts`)."""
        joins = f"left join drafts d on d.id = p.draft_id left join publish_jobs j on j.id = {latest_job}"
        return (
            f"update api_posts set listed_status = (select {_M006_STATUS} from api_posts p {joins}"
            f" where p.id = api_posts.id), listed_scheduled_at = (select {_M006_SCHEDULED} from api_posts p"
            f" left join drafts d on d.id = p.draft_id where p.id = api_posts.id) where {where}"
        )

    for name in _LISTING_TRIGGERS:
        db.execute(f"drop trigger if exists api_posts_listed_{name}")
    db.execute(refresh("1"))
    by_post = refresh("id = new.id")
    for name, event, sql in zip(
        _LISTING_TRIGGERS,
        (
            "insert on api_posts",
            "update of draft_id, media_state, error_code, auto_retries, scheduled_at on api_posts",
            "update of status, scheduled_at on drafts",
            "delete on drafts",
            "insert on publish_jobs",
            "update of draft_id, status, retryable, error_code on publish_jobs",
            "delete on publish_jobs",
        ),
        (
            by_post,
            by_post,
            refresh("draft_id = new.id"),
            refresh("draft_id = old.id"),
            refresh("draft_id = new.draft_id"),
            refresh("draft_id in (new.draft_id, old.draft_id)"),
            refresh("draft_id = old.draft_id"),
        ),
        strict=True,
    ):
        db.execute(f"create trigger api_posts_listed_{name} after {event} begin {sql}; end")


@migrations()
def m007_open_posts_by_status(db: sqlite_utils.Database) -> None:
    """The processor's passes (every half second, and after each create) read only the open posts that may
    have work left (`listed_status` other than draft or scheduled), not the thousands waiting in Review."""
    db.execute("create index api_posts_open_status on api_posts (open, listed_status)")


@migrations()
def m008_cancelled_jobs_dont_count(db: sqlite_utils.Database) -> None:
    """A job cancelled before it started (its approval was withdrawn: nothing was sent) is not the post's newest
    job: the post is listed by its draft again (back in Review: a draft), and approving it again queues anew."""
    _keep_listing(
        db,
        "(select max(id) from publish_jobs where draft_id = p.draft_id and coalesce(error_code, '') != 'cancelled')",
    )
