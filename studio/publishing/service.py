"""The publish service: turns an approved draft into a publish job and runs it."""

from __future__ import annotations

from pathlib import Path

from studio.errors import PublishError, StudioError, ValidationError
from studio.models import Draft, DraftStatus
from studio.publishing.base import Publisher
from studio.publishing.payload import PinterestOptions, Platforms, Post, PublishRequest
from studio.storage import Store
from studio.workflow import approval_is_current


def request_for_draft(store: Store, draft: Draft, data_dir: Path) -> tuple[PublishRequest, str | None]:
    """The unified publish request for a draft, and the local media's format."""
    if draft.media_id is None:
        raise ValidationError("This draft has no image or video.", fix="Attach media on the Compose page.",
                              code="media_required")
    asset = store.get_media(draft.media_id)
    board_id = draft.board if draft.board.isdigit() else None
    request = PublishRequest(
        post=Post(body=draft.description),
        media=[str(Path(data_dir) / asset.path)],
        platforms=Platforms(pinterest=PinterestOptions(
            title=draft.title, board_id=board_id, board_name=None if board_id else (draft.board or None),
            board_section=draft.board_section or None, destination_link=draft.link or None,
            alt_text=draft.alt_text or None)),
    )
    return request, asset.format


def publish_draft(store: Store, publisher: Publisher, draft_id: int, data_dir: Path, *, actor: str = "") -> dict:
    """Publish an approved draft now. Returns the job row; the draft ends published or failed."""
    draft = store.get_draft(draft_id)
    if draft.status is not DraftStatus.APPROVED:
        raise ValidationError(f"Only approved pins can be published; this one is '{draft.status.value}'.",
                              fix="Send it through review first.", code="not_approved")
    if not approval_is_current(store, draft):
        raise ValidationError("The pin changed after it was approved.", fix="Ask a reviewer to approve it again.",
                              code="approval_void")
    request, media_format = request_for_draft(store, draft, data_dir)
    request.validate_basics()  # an invalid request is refused before a job exists: nothing sent
    job_id = store.create_job(draft_id, publisher.name, request.model_dump(), status="queued")
    try:
        outcome = publisher.publish(request, media_format=media_format)
    except StudioError as exc:
        with store.db.atomic():
            store.update_job(job_id, status="failed", error_code=exc.code, error_message=str(exc),
                             attempts=1)
            store.set_status(draft_id, DraftStatus.FAILED, actor=actor, note=str(exc))
        return store.get_job(job_id)
    except Exception as exc:  # an unexpected bug must not lose the job's status
        with store.db.atomic():
            store.update_job(job_id, status="failed", error_code="internal_error",
                             error_message=f"Unexpected error: {type(exc).__name__}", attempts=1)
            store.set_status(draft_id, DraftStatus.FAILED, actor=actor, note="unexpected error")
        raise PublishError("Publishing hit an unexpected error; the draft is kept as failed.",
                           fix="Try again; if it repeats, report it with the job id.") from exc
    with store.db.atomic():
        store.update_job(job_id, status="published", pin_id=outcome.pin_id, pin_url=outcome.pin_url,
                         request=outcome.requests, response=outcome.response, attempts=1)
        store.set_status(draft_id, DraftStatus.PUBLISHED, actor=actor,
                         note=("dry run: " if outcome.dry_run else "") + outcome.pin_id)
    return store.get_job(job_id)
