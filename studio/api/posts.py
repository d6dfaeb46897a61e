"""Posts: a Postproxy-shaped post becomes a studio draft (and, unless it is a draft, an approved one
that is queued or scheduled). Publishing is the studio's own: `studio.publishing` jobs and the worker."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from studio import constraints, people
from studio.accounts import require_known_board
from studio.api.errors import ConflictApiError, PayloadTooLarge
from studio.api.schemas import CreatePostIn, PinterestIn
from studio.config import Settings
from studio.drafts import approve_as_posted, save_draft, set_cover, submit_for_review
from studio.errors import GuardrailError, MediaError, NotFoundError, StudioError, ValidationError
from studio.media import MediaReport, check_path, fetch_url, finish_check, forget_unused, ingest_path
from studio.models import Draft, DraftStatus, MediaAsset, iso, utcnow
from studio.people import Actor, Permission, Scope
from studio.publishing import PinterestOptions, Platforms, Post, PublishRequest, jobs, plan_media, queue_draft
from studio.scheduling import check_schedule, publish_on_approval, schedule
from studio.storage import Store, draft_join

DEFAULT_PROFILE = "pinterest"  # the word Postproxy clients send for "the connected account"
MEDIA_FAILED = "media_processing_failed"  # the post status (and error code) when its media did not decode
MEDIA_CODES = ("media", "video", "image", "unsupported_format", "file_too_large", "download_failed")
SCHEDULE_SLACK = timedelta(seconds=30)  # a scheduled_at this close to now means "now"
# A job that failed with an error where trying later can help (429, 5xx, network) is retried by the API's
# processor this many times, after these waits; meanwhile the post is pending (`failed_waiting_for_retry`).
AUTO_RETRIES = 3  # the listing's triggers (api/tables.py, m006) count with it too: change both, in a migration
RETRY_BACKOFF_S = (30.0, 120.0, 600.0)
REVIEW_FORCED = "This API key may only make drafts (scope posts:draft): the post waits in Review for a person."


@dataclass
class Upload:
    """A file that arrived in a multipart request, already streamed to disk."""

    path: Path
    filename: str


@dataclass
class ApiContext:
    settings: Settings
    http: httpx.Client  # media downloads
    publisher_name: str  # the backend recorded on jobs (the processor runs them)
    fetch_options: dict = field(default_factory=dict)  # e.g. the API's shorter deadline for media links


# --- profiles ----------------------------------------------------------------------------
def profile_id(account: str) -> str:
    return "prof_" + hashlib.sha256(account.encode()).hexdigest()[:12] if account else "prof_default"


def profiles(store: Store) -> list[dict]:
    """Each connected Pinterest account; with none, the default one (env token or dry run)."""
    from studio.accounts import list_accounts

    counts = store.published_per_account()
    out = []
    for acc in list_accounts(store):
        expired = acc.needs_reconnect
        out.append(
            {
                "id": profile_id(acc.name),
                "name": acc.business_name or acc.name,
                "username": acc.name,
                "status": "expired" if expired else "active",
                "platform_id": acc.user_id or None,
                "expires_at": acc.expires_at,
                "post_count": counts.get(acc.name, 0),
                "avatar_url": acc.profile_image or None,
                "_account": acc.name,
            }
        )
    if not out:
        out.append(
            {
                "id": profile_id(""),
                "name": "Pinterest (default account)",
                "status": "active",
                "post_count": counts.get("", 0),
                "_account": "",
            }
        )
    return out


def profile_names(store: Store) -> dict[str, str]:
    """Profile id → name, as `profiles` names them (without counting each account's pins)."""
    from studio.accounts import list_accounts

    names = {profile_id(acc.name): acc.business_name or acc.name for acc in list_accounts(store)}
    return names or {profile_id(""): "Pinterest (default account)"}


def public_profile(p: dict) -> dict:
    return {k: v for k, v in p.items() if not k.startswith("_")}


def resolve_profile(store: Store, wanted: list[str]) -> dict:
    known = profiles(store)
    if not wanted:
        return known[0]
    if len(wanted) > 1 and len({w for w in wanted}) > 1:
        raise ValidationError(
            "A post goes to one Pinterest profile here.",
            fix="Send one profile id (or the word pinterest); make one post per account.",
            code="one_profile",
        )
    w = wanted[0]
    if w == DEFAULT_PROFILE:
        return known[0]
    for p in known:
        if w in (p["id"], p["_account"]):
            return p
    raise ValidationError(
        f"There is no Pinterest profile “{w[:60]}”.",
        fix="Use an id from GET /api/profiles, or the word pinterest.",
        code="unknown_profile",
    )


# --- creating ---------------------------------------------------------------------------
def derive_title(body: str) -> str:
    """Postproxy posts need no title; a pin's is the body's first line, cut at a word."""
    line = (body or "").strip().splitlines()[0] if (body or "").strip() else ""
    if len(line) <= constraints.TITLE_MAX:
        return line
    cut = line[: constraints.TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,.;:-")
    return (cut or line[: constraints.TITLE_MAX - 1]) + "…"


def _when(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(key_id: str, payload: CreatePostIn, uploads: list[Upload]) -> str:
    data = {
        "key": key_id,
        "post": payload.post.model_dump(mode="json"),
        "profiles": payload.profiles,
        "media": payload.media_urls(),
        "files": [_file_sha(u.path) for u in uploads],
        "pinterest": payload.pin().model_dump(mode="json", exclude={"cover_file"}),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _duplicate(store: Store, key_id: str, fp: str, window_s: float) -> str | None:
    since = iso(utcnow() - timedelta(seconds=window_s))
    row = store.db.execute(
        "select id from api_posts where key_id = ? and fingerprint = ? and created_at >= ? and deleted_at is null "
        "order by created_at desc limit 1",
        [key_id, fp, since],
    ).fetchone()
    return row[0] if row else None


def storage_used(store: Store, key_id: str) -> int:
    """Bytes of media the live posts of one API key keep stored (what STUDIO_API_KEY_QUOTA_MB caps)."""
    row = store.db.execute("select media_bytes from api_keys where id = ?", [key_id]).fetchone()
    return int(row[0] or 0) if row else 0


def _check_quota(store: Store, settings: Settings, key_id: str, incoming: int) -> None:
    quota = settings.api_key_quota_mb * constraints.MB
    used = storage_used(store, key_id)
    if used + incoming > quota:
        raise PayloadTooLarge(
            f"This file would take the media kept by this API key's posts past its quota of "
            f"{settings.api_key_quota_mb} MB ({used / constraints.MB:.0f} MB are kept now).",
            fix="Delete posts that are no longer needed (DELETE /api/posts/{id}), or raise STUDIO_API_KEY_QUOTA_MB.",
            code="storage_quota_exceeded",
        )


def _store_media(
    store: Store,
    ctx: ApiContext,
    key_id: str,
    url: str | None,
    upload: Upload | None,
    held: contextlib.ExitStack | None = None,
) -> tuple[MediaAsset, bool, MediaReport, bool]:
    """Fetch or take the media, check it where it arrived, and only once the studio's checks and the key's
    storage quota accept it, store it by content hash: a refused file never reaches data/media.

    An image is judged here from its header (format, size, pixels): proving its pixels decode and making its
    tile wait for `finish_media`, after the answer. Returns (asset, whether this request stored it, the
    report, whether its check is still to come)."""
    data_dir = ctx.settings.data_dir
    staged = upload.path if upload is not None else fetch_url(url or "", data_dir, http=ctx.http, **ctx.fetch_options)
    if held is not None:
        held.enter_context(WRITES)  # the media is here: the rest of the create writes
    try:
        _check_quota(store, ctx.settings, key_id, staged.stat().st_size)
        report = check_path(staged, decode=False)
        if not report.ok:
            issue = report.errors[0]
            raise ValidationError(issue.message, fix=issue.fix, code=issue.code)
        name = upload.filename if upload is not None else Path(url or "").name[:120]
        deferred = report.kind == "image"
        asset, duplicate = ingest_path(store, data_dir, staged, name, move=True, report=report, deferred=deferred)
    finally:
        staged.unlink(missing_ok=True)
    state = store.media_check_state(asset.id)
    if state == "failed":  # the same bytes were sent before and did not decode
        raise ValidationError(
            "The image is damaged or cut short and can't be read.",
            fix="Export or download it again, then send the new file.",
            code="unreadable",
        )
    return asset, not duplicate, report, state == "checking"


def _store_cover(ctx: ApiContext, cover: Upload | str | None) -> str | None:
    """A cover image (an uploaded file or a data: URL) checked and kept in the data dir."""
    if cover is None:
        return None
    covers = Path(ctx.settings.data_dir) / "api" / "covers"
    covers.mkdir(parents=True, exist_ok=True)
    if isinstance(cover, str):
        match = re.fullmatch(r"data:image/[a-z0-9.+-]+;base64,(.+)", cover.strip(), re.S | re.I)
        if not match:
            raise ValidationError(
                "cover_file must be an uploaded image or a data:image/...;base64, URL.",
                fix="Attach the cover as a file, or send it base64-encoded in a data URL.",
                code="invalid_cover_file",
            )
        try:
            data = base64.b64decode(match.group(1), validate=False)
        except (binascii.Error, ValueError):
            raise ValidationError(
                "The cover's base64 data can't be decoded.", fix="Encode the image again.", code="invalid_cover_file"
            ) from None
        if len(data) > constraints.IMAGE_MAX_BYTES:
            raise ValidationError(
                "The cover image is too large.", fix="Use a cover under 20 MB.", code="invalid_cover_file"
            )
        tmp = covers / f"incoming-{secrets.token_hex(6)}"
        tmp.write_bytes(data)
    else:
        tmp = cover.path
    report = check_path(tmp)
    if report.kind != "image" or not report.ok:
        tmp.unlink(missing_ok=True)
        issue = report.errors[0] if report.errors else None
        raise ValidationError(
            "The cover file is not a usable image" + (f": {issue.message}" if issue else "."),
            fix="Use a JPEG or PNG cover image.",
            code="invalid_cover_file",
        )
    ext = "." + (report.facts.format or "img").lower().replace("jpeg", "jpg")
    target = covers / f"{_file_sha(tmp)}{ext}"
    tmp.replace(target)
    return str(target)


def publishes(actor: Actor, payload: CreatePostIn) -> bool:
    """Whether this post skips Review: asked for (`draft` false) by a key holding `posts:publish`. Any other
    post waits in Review for a person, whatever `draft` says (a `posts:draft` key can't bypass review)."""
    return not payload.post.draft and people.has_scope(actor, Scope.POSTS_PUBLISH)


def check_may_post(actor: Actor, payload: CreatePostIn) -> None:
    """Refuse (403) before anything is stored: a key without a posting scope, or an owner whose role can't
    compose (or, for a post that skips Review, approve and publish)."""
    people.require_scope(actor, Scope.POSTS_DRAFT, Scope.POSTS_PUBLISH)
    for permission in (Permission.COMPOSE, Permission.SUBMIT):
        people.require(actor, permission)
    if publishes(actor, payload):
        for permission in (Permission.APPROVE, Permission.SCHEDULE, Permission.PUBLISH):
            people.require(actor, permission)


def create_post(
    store: Store,
    ctx: ApiContext,
    key: dict,
    payload: CreatePostIn,
    *,
    actor: Actor,
    uploads: list[Upload] = (),  # type: ignore[assignment]
    cover_upload: Upload | None = None,
    idempotency_key: str | None = None,
    skip_duplicate_check: bool = False,
) -> tuple[dict, bool]:
    """Create the post as `actor` (the key's owner, with its scopes); returns (post row, created). A replayed
    Idempotency-Key returns the original."""
    check_may_post(actor, payload)
    if idempotency_key:
        row = store.db.execute(
            "select post_id from api_idempotency where key_id = ? and idem_key = ?", [key["id"], idempotency_key]
        ).fetchone()
        if row and row[0]:
            return get_row(store, row[0]), False
        if row:
            raise ConflictApiError(
                "A request with this Idempotency-Key is still being handled.",
                fix="Wait a moment and send it again.",
                code="idempotency_in_flight",
            )
        try:
            with store.atomic():
                store.db.execute(
                    "insert into api_idempotency (key_id, idem_key, created_at) values (?, ?, ?)",
                    [key["id"], idempotency_key, iso()],
                )
        except sqlite3.IntegrityError:
            raise ConflictApiError(
                "A request with this Idempotency-Key is still being handled.",
                fix="Wait a moment and send it again.",
                code="idempotency_in_flight",
            ) from None
    stored: list[MediaAsset] = []
    try:
        row = _create(store, ctx, key, actor, payload, list(uploads), cover_upload, skip_duplicate_check, stored)
    except BaseException:
        for asset in stored:  # media kept for a post that was refused after all (a cover, a guardrail…)
            with contextlib.suppress(StudioError, sqlite3.Error, OSError):
                forget_unused(store, ctx.settings.data_dir, asset)
        if idempotency_key:
            store.db.execute(
                "delete from api_idempotency where key_id = ? and idem_key = ? and post_id is null",
                [key["id"], idempotency_key],
            )
            store.db.conn.commit()
        raise
    if idempotency_key:
        store.db.execute(
            "update api_idempotency set post_id = ? where key_id = ? and idem_key = ?",
            [row["id"], key["id"], idempotency_key],
        )
        store.db.conn.commit()
    return row, True


def _create(
    store: Store,
    ctx: ApiContext,
    key: dict,
    actor: Actor,
    payload: CreatePostIn,
    uploads: list[Upload],
    cover_upload: Upload | None,
    skip_duplicate_check: bool,
    stored: list[MediaAsset],
) -> dict:
    with contextlib.ExitStack() as held:  # `WRITES`, from the end of the download to the post's row
        return _create_held(store, ctx, key, actor, payload, uploads, cover_upload, skip_duplicate_check, stored, held)


# The writes of posts being created in this process, one create at a time once its media has arrived: the
# work is CPU-bound under the GIL anyway, and SQLite's busy handler (sleeps of up to 100 ms) never sees two
# of them contend for the write lock. Downloads run outside it, as many at a time as the create pool allows.
WRITES = threading.Lock()


def _create_held(
    store: Store,
    ctx: ApiContext,
    key: dict,
    actor: Actor,
    payload: CreatePostIn,
    uploads: list[Upload],
    cover_upload: Upload | None,
    skip_duplicate_check: bool,
    stored: list[MediaAsset],
    held: contextlib.ExitStack,
) -> dict:
    pin: PinterestIn = payload.pin()
    profile = resolve_profile(store, payload.profiles)
    body = payload.post.body or ""
    title = (pin.title or "").strip() or derive_title(body)
    alt: str | None = (pin.alt_text[0] if pin.alt_text else None) if isinstance(pin.alt_text, list) else pin.alt_text
    board = pin.board_id or pin.board_name or ""
    entries = [u for u in payload.media_urls()] + [str(u.path.with_name(u.filename or u.path.name)) for u in uploads]
    basics = PublishRequest(
        post=Post(body=body),
        media=entries,
        platforms=Platforms(
            pinterest=PinterestOptions(
                title=title or None,
                board_id=board if board.isdigit() else None,
                board_name=None if board.isdigit() else (board or None),
                destination_link=pin.destination_link,
                alt_text=alt or None,
            )
        ),
    )
    basics.validate_basics()  # no media, mixed media, no board, too long, bad link: before any download
    if not title:
        raise ValidationError(
            "The pin has no title and the body is empty.",
            fix="Send platforms.pinterest.title, or a body whose first line can be the title.",
            code="title_required",
        )
    fp = fingerprint(key["id"], payload, uploads)
    if not skip_duplicate_check and (dup := _duplicate(store, key["id"], fp, ctx.settings.api_duplicate_window_s)):
        raise ConflictApiError(
            f"An identical post ({dup}) was sent moments ago.",
            fix="Send X-Skip-Duplicate-Check: true to post it again anyway.",
            code="duplicate_post",
            duplicate_of=dup,
        )
    when = _when(payload.post.scheduled_at)
    if when is not None and when <= utcnow() + SCHEDULE_SLACK:
        when = None  # "now" (or a moment ago): publish at once
    as_draft = not publishes(actor, payload)
    asset, fresh, report, pending = _store_media(
        store, ctx, key["id"], payload.media_urls()[0] if payload.media else None, uploads[0] if uploads else None, held
    )
    if fresh:
        stored.append(asset)
    cover_file = _store_cover(ctx, cover_upload or pin.cover_file)
    if cover_file and pin.cover_url:
        raise ValidationError(
            "Choose either cover_url or cover_file, not both.", fix="Remove one of them.", code="cover_conflict"
        )
    check = basics.model_copy(
        update={
            "media": [str(Path(ctx.settings.data_dir) / asset.path)],
            "platforms": Platforms(
                pinterest=basics.pin.model_copy(
                    update={"cover_url": pin.cover_url, "cover_file": cover_file, "thumb_offset": pin.thumb_offset}
                )
            ),
        }
    )
    plan_media(check, asset.format, report)  # cover for an image, bad cover link, cover time past the end…
    fields = {
        "media_id": asset.id,
        "title": title,
        "description": body,
        "alt_text": alt or "",
        "link": pin.destination_link or "",
        "board": board,
        "board_section": pin.board_section or "",
        "account": profile["_account"],
    }
    require_known_board(store, board, profile["_account"])  # with boards synced, as at edit and approve
    if not as_draft:  # guardrails (at the time asked, else now) are checked before anything is stored
        probe = Draft(id=0, status=DraftStatus.APPROVED, **fields)
        blocking = [g for g in check_schedule(store, probe, when or utcnow(), ctx.settings) if g.blocking]
        if blocking:
            raise GuardrailError(
                "This pin breaks a guardrail: " + " ".join(g.message for g in blocking),
                fix="Pick another time (or schedule it in the studio, where a person may override).",
                code=blocking[0].code,
                guardrails=[g.code for g in blocking],
            )
    draft = save_draft(store, None, fields, actor=actor)
    if asset.kind == "video" and (cover_file or pin.cover_url or pin.thumb_offset is not None):
        set_cover(store, draft.id, asset.id, pin.thumb_offset or 0.0, cover_url=pin.cover_url, cover_file=cover_file)
    if not pending:
        _release(store, ctx, draft.id, as_draft, when, actor)
    post_id = "post_" + secrets.token_hex(8)
    now = iso()
    media = [
        {
            "id": f"med_{asset.id}",
            "content_type": asset.mime or ("video/mp4" if asset.kind == "video" else "image/jpeg"),
            "source_url": payload.media_urls()[0] if payload.media else None,
            "path": asset.path,
        }
    ]
    with store.atomic():  # the post and its key's stored bytes (what the quota reads) change together
        _insert_post(
            store,
            {
                "id": post_id,
                "key_id": key["id"],
                "draft_id": draft.id,
                "body": body,
                "profile_id": profile["id"],
                "draft": int(as_draft),
                "review_forced": int(as_draft and not payload.post.draft),
                "scheduled_at": iso(when) if when else None,
                "params": json.dumps(
                    {**pin.model_dump(exclude_none=True, exclude={"cover_file"}), "title": title}
                    | ({"cover_file": Path(cover_file).name} if cover_file else {})
                ),
                "media": json.dumps(media),
                "fingerprint": fp,
                "media_bytes": asset.bytes,
                "open": 1,
                "notified": "",
                "created_at": now,
                "updated_at": now,
                "media_state": "pending" if pending else None,
            },
        )
    return get_row(store, post_id)


_POST_COLUMNS = [
    "id",
    "key_id",
    "draft_id",
    "body",
    "profile_id",
    "draft",
    "review_forced",
    "scheduled_at",
    "params",
    "media",
    "fingerprint",
    "media_bytes",
    "open",
    "notified",
    "created_at",
    "updated_at",
    "media_state",
]
_INSERT_POST = f"insert into api_posts ({', '.join(_POST_COLUMNS)}) values ({', '.join('?' for _ in _POST_COLUMNS)})"


def _insert_post(store: Store, row: dict) -> None:
    """One post row (a plain prepared insert), and its media counted against its key's quota."""
    store.db.execute(_INSERT_POST, [row[column] for column in _POST_COLUMNS])
    store.db.execute(
        "update api_keys set media_bytes = media_bytes + ? where id = ?", [row["media_bytes"], row["key_id"]]
    )


def _release(store: Store, ctx: ApiContext, draft_id: int, as_draft: bool, when: datetime | None, actor: Actor) -> None:
    """The draft, its media accepted, goes on: to Review, or approved and queued (or scheduled)."""
    if as_draft:
        submit_for_review(store, draft_id, actor=actor)
        publish_on_approval(store, draft_id, when, actor=actor)  # what approving it will do, said in Review
        return
    approve_as_posted(store, draft_id, actor=actor, note="posted through the HTTP API by a posts:publish key")
    if when is not None:
        schedule(store, ctx.settings, draft_id, when, tz="UTC", actor=actor)
    else:
        queue_draft(store, _Named(ctx.publisher_name), draft_id, ctx.settings, actor=actor)  # type: ignore[arg-type]


def pending_media(store: Store) -> list[str]:
    """The posts whose media is still to be checked (oldest first): what a restarted API checks again."""
    rows = store.db.execute(
        "select id from api_posts where media_state = 'pending' and deleted_at is null order by created_at"
    ).fetchall()
    return [row[0] for row in rows]


def finish_media(store: Store, ctx: ApiContext, post_id: str, actor_for: Callable[[str], Actor]) -> str:
    """The part of a post that needs its media's bytes, after the 201: decode the pixels and make the tile
    (`media.finish_check`); then the post goes on as it asked (Review, or approved and queued/scheduled) and is
    `processed`, or it stops as `media_processing_failed` with the reason. Returns the new media state.
    `actor_for(key_id)`: who the post acts as (its key's owner, as when it was sent)."""
    row = store.db.execute(
        "select key_id, draft_id, draft, scheduled_at from api_posts "
        "where id = ? and media_state = 'pending' and deleted_at is null",
        [post_id],
    ).fetchone()
    if row is None:
        return "gone"  # deleted meanwhile, or finished by another pass
    key_id, draft_id, as_draft, scheduled_at = row
    asset = store.get_media(store.get_draft(draft_id).media_id or 0)
    state = store.media_check_state(asset.id)
    problem: tuple[str, str] | None = None
    if state == "checking":
        report = finish_check(store, ctx.settings.data_dir, asset)
        if not report.ok:
            problem = (report.errors[0].message, report.errors[0].fix)
    elif state == "failed":
        problem = ("The image is damaged or cut short and can't be read.", "Export or download it again.")
    if problem is None:
        try:
            when = datetime.fromisoformat(scheduled_at) if scheduled_at else None
            with WRITES, store.atomic():
                _release(store, ctx, draft_id, bool(as_draft), when, actor_for(key_id))
                _set_media_state(store, post_id, "processed")
            return "processed"
        except StudioError as exc:  # e.g. the key's owner lost the right meanwhile, or a guardrail now blocks
            problem = (exc.message, exc.fix)
    with WRITES, store.atomic():
        store.db.execute(
            "update api_posts set media_state = 'failed', error_code = ?, error_message = ?, error_fix = ?, "
            "updated_at = ? where id = ?",
            [MEDIA_FAILED, problem[0], problem[1], iso(), post_id],
        )
    return "failed"


def _set_media_state(store: Store, post_id: str, state: str) -> None:
    store.db.execute("update api_posts set media_state = ?, updated_at = ? where id = ?", [state, iso(), post_id])


class _Named:
    """What `queue_draft` needs of a publisher: the backend's name (the processor runs the job)."""

    def __init__(self, name: str) -> None:
        self.name = name


# --- reading ---------------------------------------------------------------------------
# What a post row carries of its draft (d_*) and of the draft's latest publish job (j_*).
_JOB_FIELDS = (
    "id",
    "status",
    "pin_id",
    "pin_url",
    "error_code",
    "error_message",
    "error_fix",
    "updated_at",
    "http_status",
    "pinterest_code",
    "retryable",
    "finished_at",
)


def _rows(store: Store, where: str = "", params: list | None = None) -> list[dict]:
    """API posts matching `where` (on `api_posts p`), newest first, with their draft's and latest job's state."""
    cursor = store.db.execute(
        "select p.* from api_posts p" + (f" where {where}" if where else "") + " order by p.created_at desc",
        params or [],
    )
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    draft_ids = [r["draft_id"] for r in rows if r["draft_id"] is not None]
    # a job cancelled before it started (the approval was withdrawn) is as if it never was: back to Review
    drafts, latest_jobs = store.drafts_by_id(draft_ids), jobs.latest_for_drafts(store, draft_ids, skip_cancelled=True)
    for row in rows:
        draft, job = drafts.get(row["draft_id"]), latest_jobs.get(row["draft_id"], {})
        row["d_status"] = draft.status.value if draft else None
        row["d_scheduled_at"] = draft.scheduled_at if draft else None
        row["d_account"] = draft.account if draft else None
        row.update({f"j_{field}": job.get(field) for field in _JOB_FIELDS})
    return rows


def visible_to(actor: Actor, key_id: str) -> str | None:
    """The key whose posts (and webhooks) `actor` may see: its own, or None for every key's (an `admin` key,
    or a person in the studio)."""
    return None if people.sees_everything(actor) else key_id


def get_row(store: Store, post_id: str, *, key_id: str | None = None) -> dict:
    """A post by id; with `key_id`, only that key's (another key's post is "not found", never "forbidden":
    ids don't leak)."""
    where, params = "p.id = ? and p.deleted_at is null", [post_id]
    if key_id is not None:
        where, params = where + " and p.key_id = ?", [post_id, key_id]
    rows = _rows(store, where, params)
    if not rows:
        raise NotFoundError(f"There is no post {post_id[:40]}.", fix="List posts with GET /api/posts.")
    return rows[0]


def statuses(row: dict) -> tuple[str, str, str | None, str | None]:
    """(post status, platform status, permalink, error) from the draft and its latest job."""
    job, draft = row.get("j_status"), row.get("d_status")
    if row.get("media_state") == "pending":  # answered; its media's pixels are being checked
        return "pending", "pending", None, None
    if row.get("error_code") == MEDIA_FAILED:
        return MEDIA_FAILED, "failed", None, row.get("error_message")
    if row.get("error_code"):
        return "processed", "failed", None, row.get("error_message")
    if job:
        if job == "queued":
            return "pending", "pending", None, None
        if job in ("uploading_media", "processing_media", "creating_pin"):
            return "processing", "processing", None, None
        if job == "published":
            return "processed", "published", row.get("j_pin_url"), None
        if job == "needs_attention":
            return "processing", "processing", None, row.get("j_error_message")
        if job == "failed":
            if draft == DraftStatus.APPROVED.value:  # waiting (e.g. reconnect the account) or retried later
                return "pending", "pending", None, row.get("j_error_message")
            if will_retry(row):  # the processor retries it after a pause
                return "pending", "pending", None, row.get("j_error_message")
            code = row.get("j_error_code") or ""
            media = code.startswith(MEDIA_CODES)
            return ("media_processing_failed" if media else "processed"), "failed", None, row.get("j_error_message")
    if draft in (DraftStatus.DRAFT.value, DraftStatus.IN_REVIEW.value, DraftStatus.REJECTED.value):
        return "draft", "pending", None, None
    if draft == DraftStatus.APPROVED.value and row.get("d_scheduled_at"):
        return "scheduled", "pending", None, None
    if draft == DraftStatus.PUBLISHED.value:
        return "processed", "published", None, None
    if draft == DraftStatus.FAILED.value:
        return "processed", "failed", None, None
    return "pending", "pending", None, None


def will_retry(row: dict) -> bool:
    """A failed job the API's processor will try again by itself (a 429, 5xx or network error)."""
    return (
        row.get("j_status") == "failed"
        and bool(row.get("j_retryable"))
        and row.get("d_status") == DraftStatus.FAILED.value
        and (row.get("auto_retries") or 0) < AUTO_RETRIES
    )


def post_view(row: dict, public_base_url: str | None = None, names: dict[str, str] | None = None) -> dict:
    """The post as the SDK's `Post` model reads it."""
    status, platform_status, permalink, error = statuses(row)
    media = []
    for m in json.loads(row["media"] or "[]"):
        url = f"{public_base_url.rstrip('/')}/media/{Path(m['path']).name}" if public_base_url else None
        media_status = {"pending": "pending", "failed": "failed"}.get(row.get("media_state") or "", "processed")
        media.append(
            {
                "id": m["id"],
                "status": "failed" if status == MEDIA_FAILED else media_status,
                "error_message": row.get("error_message") if row.get("media_state") == "failed" else None,
                "content_type": m["content_type"],
                "source_url": m.get("source_url"),
                "url": url,
            }
        )
    details = None
    waiting = platform_status == "pending" and row.get("j_status") == "failed"  # shown while it waits, too
    if (platform_status == "failed" or waiting) and row.get("j_error_code"):
        details = {
            "platform_error_code": str(row.get("j_pinterest_code") or row.get("j_http_status") or "") or None,
            "platform_error_message": row.get("j_error_message"),
            "postproxy_note": " ".join(x for x in (row.get("j_error_code"), row.get("j_error_fix")) if x) or None,
        }
    if row.get("error_code") == MEDIA_FAILED:
        details = {
            "platform_error_code": None,
            "platform_error_message": row.get("error_message"),
            "postproxy_note": " ".join(x for x in (MEDIA_FAILED, row.get("error_fix")) if x),
        }
    scheduled = row.get("d_scheduled_at") or row.get("scheduled_at")
    return {
        "id": row["id"],
        "body": row["body"] or "",
        "status": status,
        "scheduled_at": scheduled,
        "created_at": row["created_at"],
        "media": media,
        "platforms": [
            {
                "platform": "pinterest",
                "profile_id": row["profile_id"],
                "profile_name": (names or {}).get(row["profile_id"]) or row.get("d_account") or "Pinterest",
                "status": platform_status,
                "permalink": permalink,
                "params": json.loads(row["params"] or "{}"),
                "error": error,
                "error_details": details,
                "attempted_at": row.get("j_updated_at") if row.get("j_id") else None,
            }
        ],
        "thread": [],
        "draft": status == "draft" if row["draft"] else False,
        "source": "postproxy",
        "studio": {
            # True when the post waits for a person in Review; `review_reason` says why when `draft` was false
            "review_required": bool(row["draft"]),
            "review_reason": REVIEW_FORCED if row.get("review_forced") else None,
            "draft_id": row["draft_id"],
            "review_status": row.get("d_status") or "",
            "job_id": row.get("j_id"),
            "job_status": row.get("j_status"),
            "pin_id": row.get("j_pin_id"),
        },
    }


# `statuses(row)[0]` in SQL, over `api_posts p`, its draft `d` and its latest job `j` (tests/api check the two
# agree): the listing filters and counts by it in the database instead of reading every post.
_JOB_STATUS_SQL = f"""case
    when j.status = 'queued' then 'pending'
    when j.status in ('uploading_media', 'processing_media', 'creating_pin', 'needs_attention') then 'processing'
    when j.status = 'published' then 'processed'
    when j.status = 'failed' then case
        when d.status = 'approved' then 'pending'
        when coalesce(j.retryable, 0) != 0 and d.status = 'failed' and coalesce(p.auto_retries, 0) < {AUTO_RETRIES}
            then 'pending'
        when {" or ".join(f"coalesce(j.error_code, '') like '{code}%'" for code in MEDIA_CODES)}
            then '{MEDIA_FAILED}'
        else 'processed' end
    end"""
_DRAFT_STATUS_SQL = """case
    when d.status in ('draft', 'in_review', 'rejected') then 'draft'
    when d.status = 'approved' and coalesce(d.scheduled_at, '') != '' then 'scheduled'
    when d.status in ('published', 'failed') then 'processed'
    else 'pending' end"""
STATUS_SQL = f"""case
    when p.media_state = 'pending' then 'pending'
    when p.error_code = '{MEDIA_FAILED}' then '{MEDIA_FAILED}'
    when coalesce(p.error_code, '') != '' then 'processed'
    else coalesce({_JOB_STATUS_SQL}, {_DRAFT_STATUS_SQL}) end"""
# a post, its draft (core's) and its draft's newest job (publishing's): each owner names its own table
_LISTED_JOINS = f"{draft_join('d', 'p.draft_id')} {jobs.latest_job_join('j', 'p.draft_id', skip_cancelled=True)}"


def list_page(
    store: Store,
    *,
    page: int,
    per_page: int,
    status: str | None = None,
    scheduled_after: datetime | None = None,
    key_id: str | None = None,
) -> tuple[list[dict], int]:
    """One page of the posts not deleted, newest first, and how many match; with `key_id`, only that key's.
    Filtered, counted and paged in SQL over the status and time stored on each post (partial indexes over the
    live posts), whatever the studio's size."""
    where, params = ["p.deleted_at is null"], []
    if key_id is not None:
        where.append("p.key_id = ?")
        params.append(key_id)
    if status:  # kept on each post by triggers at every change of its draft, jobs and media (api/tables.py)
        where.append("p.listed_status = ?")
        params.append(status)
    if scheduled_after is not None:  # the draft's time, else the time the post asked for (as `post_view` shows)
        where.append("p.listed_scheduled_at > ?")
        params.append(iso(_when(scheduled_after)))
    clause = " and ".join(where)
    # Without statistics SQLite guesses which index serves a "scheduled after" filter: count through its index,
    # and page through the newest-first one unless the matches are so few that sorting them is cheaper.
    scheduled_index = f"indexed by api_posts_live_{'key_' if key_id is not None else ''}scheduled"
    hint = scheduled_index if scheduled_after is not None else ""
    total = store.db.execute(f"select count(*) from api_posts p {hint} where {clause}", params).fetchone()[0]
    if scheduled_after is not None and total:
        base = " and ".join(w for w in where if "listed_" not in w)
        live = store.db.execute(f"select count(*) from api_posts p where {base}", params[: base.count("?")]).fetchone()
        if (page + 1) * per_page * live[0] <= total * total:  # rows read newest first ≤ rows to sort
            hint, clause = "", clause.replace("p.listed_scheduled_at >", "+p.listed_scheduled_at >")
    ids = [
        row[0]
        for row in store.db.execute(
            f"select p.id from api_posts p {hint} where {clause} order by p.created_at desc limit ? offset ?",
            [*params, per_page, page * per_page],
        ).fetchall()
    ]
    if not ids:
        return [], total
    rows = _rows(store, "p.id in (select value from json_each(?))", [json.dumps(ids)])
    return rows, total


def sql_status(store: Store, post_id: str) -> str | None:
    """A post's status as the listing's SQL computes it (the tests hold it to `statuses`)."""
    row = store.db.execute(
        f"select ({STATUS_SQL}) from api_posts p {_LISTED_JOINS} where p.id = ?", [post_id]
    ).fetchone()
    return row[0] if row else None


def listing_drift(store: Store) -> list[dict]:
    """Posts whose stored listing status or time (`listed_status`, `listed_scheduled_at`, kept by triggers)
    differ from what `statuses` and `post_view` compute from their draft and jobs now: none, always (the tests
    check it after every change they make)."""
    drift = []
    for row in _rows(store):
        status, scheduled = statuses(row)[0], row.get("d_scheduled_at") or row.get("scheduled_at")
        stored = (row.get("listed_status"), row.get("listed_scheduled_at"))
        if stored != (status, scheduled) and stored != (status, scheduled or None):
            drift.append({"id": row["id"], "stored": stored, "computed": (status, scheduled)})
    return drift


def delete_post(store: Store, post_id: str, *, actor: Actor, key_id: str | None = None) -> None:
    """Withdraw a post not yet published: it leaves the schedule and the review queue (rejected, with a note).
    With `key_id`, only that key's post (another's is "not found")."""
    people.require(actor, Permission.EDIT)
    row = get_row(store, post_id, key_id=key_id)
    _s, platform_status, _p, _e = statuses(row)
    if platform_status in ("published", "processing") or row.get("j_status") == "queued":
        raise ConflictApiError(
            "This post is published or being published, so it can't be deleted here.",
            fix="Delete the pin on Pinterest if it must go.",
            code="already_publishing",
        )
    from studio.scheduling import unschedule

    draft_id = row["draft_id"]
    note = f"withdrawn through the HTTP API ({post_id})"
    try:
        if store.get_draft(draft_id).scheduled_at:
            unschedule(store, draft_id, actor=actor)
        draft = store.get_draft(draft_id)
        path = {
            DraftStatus.DRAFT: [DraftStatus.IN_REVIEW, DraftStatus.REJECTED],
            DraftStatus.IN_REVIEW: [DraftStatus.REJECTED],
            DraftStatus.APPROVED: [DraftStatus.IN_REVIEW, DraftStatus.REJECTED],
            DraftStatus.FAILED: [DraftStatus.DRAFT, DraftStatus.IN_REVIEW, DraftStatus.REJECTED],
        }.get(draft.status, [])
        for step in path:
            store.set_status(draft_id, step, actor=actor, note=note if step is DraftStatus.REJECTED else "")
    except NotFoundError:
        pass  # the draft was removed in the studio: only the post goes
    with store.atomic():
        store.db.execute(
            "update api_posts set deleted_at = ?, open = 0, updated_at = ? where id = ?", [iso(), iso(), post_id]
        )
        store.db.execute(
            "update api_keys set media_bytes = max(0, media_bytes - ?) where id = ?",
            [row.get("media_bytes") or 0, row["key_id"]],
        )


# Pins a person let out of the studio: only their media is served (never an upload waiting in review, or refused).
SERVED_STATUSES = (DraftStatus.APPROVED.value, DraftStatus.PUBLISHED.value)


def media_file(store: Store, data_dir: Path, name: str) -> Path | None:
    """A stored media file by its content-hash name (what STUDIO_PUBLIC_BASE_URL serves): the media of an
    approved or published pin, else None."""
    if not re.fullmatch(r"[0-9a-f]{64}\.[a-z0-9]{2,5}", name):
        return None
    asset = store.media_by_sha(name.split(".")[0])
    if asset is None or Path(asset.path).name != name or not store.media_shown_by(asset.id, SERVED_STATUSES):
        return None
    path = Path(data_dir) / asset.path
    return path if path.is_file() else None


__all__ = ["ApiContext", "ConflictApiError", "MediaError", "Upload", "create_post", "delete_post", "post_view"]
