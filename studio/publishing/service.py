"""The publish service: turns an approved draft into a publish job and runs it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from studio import people
from studio.config import Settings
from studio.drafts import cover_image, cover_offset, require_current_approval
from studio.errors import ValidationError
from studio.models import Draft, DraftStatus, iso, utcnow
from studio.people import Actor, AuditAction, Permission
from studio.publishing import jobs
from studio.publishing.base import Publisher, Publishers
from studio.publishing.guardrails import audit_override, require_clear
from studio.publishing.payload import (
    VIDEO_URL_SUFFIXES,
    CarouselItem,
    PinterestOptions,
    Platforms,
    Post,
    PublishRequest,
    is_url,
    plan_media,
)
from studio.storage import Store


def request_for_draft(store: Store, draft: Draft, data_dir: Path) -> tuple[PublishRequest, str | None]:
    """The unified publish request for a draft, and the local media's format."""
    if draft.media_id is None:
        raise ValidationError(
            "This draft has no image or video.", fix="Attach media on the Compose page.", code="media_required"
        )
    asset = store.get_media(draft.media_id)
    board_id = draft.board if draft.board.isdigit() else None
    cover_url, cover_file = cover_image(store, draft.id, asset.id) if asset.kind == "video" else (None, None)
    request = PublishRequest(
        post=Post(body=draft.description),
        media=[str(Path(data_dir) / asset.path)],
        platforms=Platforms(
            pinterest=PinterestOptions(
                title=draft.title,
                board_id=board_id,
                board_name=None if board_id else (draft.board or None),
                board_section=draft.board_section or None,
                destination_link=draft.link or None,
                alt_text=draft.alt_text or None,
                cover_url=cover_url,
                cover_file=cover_file,
                thumb_offset=None
                if cover_url or cover_file or asset.kind != "video"
                else cover_offset(store, draft.id, asset.id),
            )
        ),
    )
    if asset.kind == "video":
        request = _with_cover_design(store, draft, asset.id, request, data_dir)
    return _as_carousel(store, draft, request, data_dir), asset.format


def _with_cover_design(store: Store, draft: Draft, video_id: int, request: PublishRequest, data_dir: Path):
    """A design chosen as the video's cover (studio.design) is sent as `cover_file`, replacing the frame time."""
    from studio.design import cover_design

    design = cover_design(store, draft.id, video_id)
    if not design:
        return request
    path = str(Path(data_dir) / store.get_media(design["media_id"]).path)
    pin = request.pin.model_copy(update={"cover_file": path, "thumb_offset": None, "cover_url": None})
    return request.model_copy(update={"platforms": Platforms(pinterest=pin)})


def _as_carousel(store: Store, draft: Draft, request: PublishRequest, data_dir: Path) -> PublishRequest:
    """A draft with carousel items (studio.design owns that table) publishes them all, in order."""
    from studio.design import carousel_items

    items = carousel_items(store, draft.id)
    if len(items) < 2:
        return request
    pin = request.pin.model_copy(
        update={
            "carousel": True,
            "items": [
                CarouselItem(
                    title=i["title"] or None,
                    description=i["description"] or None,
                    link=i["link"] or None,
                    alt_text=i["alt_text"] or None,
                )
                for i in items
            ],
        }
    )
    media = [str(Path(data_dir) / store.get_media(i["media_id"]).path) for i in items]
    return request.model_copy(update={"media": media, "platforms": Platforms(pinterest=pin)})


def publish_draft(
    store: Store,
    publisher: Publisher,
    draft_id: int,
    settings: Settings,
    *,
    actor: Actor,
    override: bool = False,
    watch: Callable[[dict], None] | None = None,
) -> dict:
    """Publish an approved draft now, if it clears the guardrails now (or a reviewer overrides them). Returns
    the job row; the draft ends published or failed. A job a killed process left half-way is resumed (never a
    second job that could post twice). A person publishing a pin before its scheduled time is audited."""
    people.require(actor, Permission.PUBLISH)
    interrupted = [j for j in jobs.resumable(store) if j["draft_id"] == draft_id]
    if interrupted:
        job_id = interrupted[0]["id"]
    else:
        job_id = queue_draft(store, publisher, draft_id, settings, actor=actor, override=override)
        _audit_if_early(store, draft_id, actor)
    return jobs.run_job(store, publisher, job_id, actor=actor, watch=watch)


def _audit_if_early(store: Store, draft_id: int, actor: Actor) -> None:
    draft = store.get_draft(draft_id)
    if actor.kind != "worker" and draft.scheduled_at and draft.scheduled_at > iso():
        people.audit(store, actor, AuditAction.PUBLISHED_EARLY, f"draft:{draft_id}", scheduled_at=draft.scheduled_at)


def publisher_for_job(publishers: Publishers, store: Store, job: dict) -> Publisher:
    """The backend a job started on, publishing as its draft's account (a retry or resume
    must use the same account's token, not the default one)."""
    return publishers(job["backend"], jobs.account_of(store, job) or None)


DUE_SLACK = timedelta(minutes=1)  # a pin scheduled this close to now is "due" (published at its time)


def queue_draft(
    store: Store, publisher: Publisher, draft_id: int, settings: Settings, *, actor: Actor, override: bool = False
) -> int:
    """Check an approved draft, and that it may go out now (the guardrails), and create its queued job (nothing
    is sent; the job runs later). A reviewer's `override` lets a refused pin through; it is audited and noted
    in the pin's history, with the job, in one transaction."""
    people.require(actor, Permission.PUBLISH)
    draft = store.get_draft(draft_id)
    require_current_approval(store, draft, "published")
    active = [j for j in jobs.for_draft(store, draft_id) if j["status"] in jobs.ACTIVE + ("needs_attention",)]
    if active:  # a second job could publish the same pin twice
        raise ValidationError(
            f"This pin already has publish job #{active[0]['id']} ({active[0]['status']}).",
            fix="Wait for it, or resolve it on the Publish page.",
            code="already_queued",
        )
    request, media_format = request_for_draft(store, draft, settings.data_dir)
    plan = plan_media(request, media_format)  # an invalid request is refused before a job exists
    with store.atomic():  # checked and queued together: two clicks can't both pass the spacing
        now = utcnow()
        # A pin due now (its scheduled time came) was weighed against the other scheduled pins when it was
        # scheduled; now it is checked against what already went out. One published early counts them all.
        due = bool(draft.scheduled_at) and datetime.fromisoformat(draft.scheduled_at or "") <= now + DUE_SLACK
        overridden, _warnings = require_clear(
            store,
            settings,
            draft,
            now,
            actor=actor,
            override=override,
            gone_only=due,
            fix="Schedule it for later (Add to queue finds the next free time), or override the guardrails "
            "(a reviewer's choice; it is logged).",
        )
        job_id = jobs.create_job(
            store,
            request,
            publisher.name,
            draft_id=draft_id,
            media_format=plan.format,
            warnings=plan.warnings,
            actor=actor,
        )
        if overridden:
            audit_override(store, actor, draft_id, overridden, now)
            store.add_event(draft_id, actor, "guardrails_overridden", {"at": iso(now), "override": overridden})
    return job_id


def resolve_media(
    store: Store, request: PublishRequest, data_dir: Path, http: httpx.Client | None = None
) -> PublishRequest:
    """`asset:ID` (or a bare number) media entries → the stored file's path; a video link is
    downloaded first (Pinterest takes videos only as uploads)."""
    resolved = []
    for entry in request.media:
        if is_url(entry) and urlparse(entry).path.lower().endswith(VIDEO_URL_SUFFIXES):
            from studio.media import default_client, fetch_url

            resolved.append(str(fetch_url(entry, data_dir, http=http or default_client())))
        elif (asset_id := _asset_ref(entry)) is not None:
            resolved.append(str(Path(data_dir) / store.get_media(asset_id).path))
        else:
            resolved.append(entry)
    return request.model_copy(update={"media": resolved})


def publish_request(
    store: Store,
    publisher: Publisher,
    request: PublishRequest,
    settings: Settings,
    *,
    actor: Actor,
    account: str = "",
    override: bool = False,
) -> dict:
    """Publish a unified-API payload (`pinstudio publish PAYLOAD.json`) as a pin like every other: validated,
    weighed against the guardrails (as a pin of `account`, the one it goes out as), recorded as a pin approved
    as sent (its history names who sent it; the calendar shows it; the guardrails count it against the next
    pins), then queued and run. A reviewer's `override` lets a refused pin through, audited. Whatever is
    refused raises before anything is written."""
    people.require(actor, Permission.PUBLISH)
    media_id = _stored_media_id(store, request.media[0] if request.media else "")
    request = resolve_media(store, request, settings.data_dir)
    plan = plan_media(request)
    pin = request.pin
    fields: dict[str, Any] = {
        "title": pin.title or "",
        "description": request.post.body or "",
        "alt_text": pin.alt_text or "",
        "link": pin.destination_link or "",
        "board": pin.board_name or pin.board_id or "",
        "board_section": pin.board_section or "",
        "account": account,
        "media_id": media_id,
    }
    now = utcnow()
    probe = Draft(id=0, status=DraftStatus.APPROVED, **fields)
    with store.atomic():  # weighed, recorded and queued together: nothing is written for a refused pin
        overridden, _warnings = require_clear(store, settings, probe, now, actor=actor, override=override)
        draft = store.create_draft(actor=actor, **fields)
        store.set_status(draft.id, DraftStatus.IN_REVIEW, actor=actor)
        note = "published from a payload file, as sent (no review)"
        store.set_status(draft.id, DraftStatus.APPROVED, actor=actor, note=note)
        job_id = jobs.create_job(
            store,
            request,
            publisher.name,
            draft_id=draft.id,
            media_format=plan.format,
            warnings=plan.warnings,
            actor=actor,
        )
        if overridden:
            audit_override(store, actor, draft.id, overridden, now)
            store.add_event(draft.id, actor, "guardrails_overridden", {"at": iso(now), "override": overridden})
    return jobs.run_job(store, publisher, job_id, actor=actor)


def _asset_ref(entry: str) -> int | None:
    """The stored media a payload entry names (`asset:ID`, or a bare number that isn't a file), else None."""
    ref = entry.removeprefix("asset:")
    return int(ref) if ref.isdigit() and (entry.startswith("asset:") or not Path(entry).exists()) else None


def _stored_media_id(store: Store, entry: str) -> int | None:
    """The studio's media a payload's first entry is (`asset:ID`, or a local file whose bytes are stored), so
    the repeat rule knows the image; None for a web link or a file the studio hasn't seen."""
    if (asset_id := _asset_ref(entry)) is not None:
        return asset_id
    if is_url(entry) or not Path(entry).is_file():
        return None
    from studio.media import file_sha256

    found = store.media_by_sha(file_sha256(Path(entry)))
    return found.id if found else None
