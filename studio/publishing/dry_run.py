"""The dry-run publisher: records the exact Pinterest v5 requests it would send."""

from __future__ import annotations

import hashlib
import json

from studio.publishing.base import (
    AccountReady,
    BackendDeps,
    NullProgress,
    Progress,
    PublishOutcome,
    register_publisher,
)
from studio.publishing.payload import (
    PublishRequest,
    carousel_source,
    image_source,
    pin_create_body,
    plan_media,
    video_source,
)

DRY_RUN_PREFIX = "dryrun-"


class DryRunPublisher:
    """Sends nothing. Every request it would have sent is kept in `sent` and returned."""

    name = "dry-run"
    account_ready: AccountReady | None = None  # publishes as no account

    def __init__(self, api_base: str = "https://api.pinterest.com/v5") -> None:
        self.api_base = api_base.rstrip("/")
        self.sent: list[dict] = []

    def publish(
        self, request: PublishRequest, *, media_format: str | None = None, progress: Progress | None = None
    ) -> PublishOutcome:
        progress = progress or NullProgress()
        plan = plan_media(request, media_format)
        pin = request.pin
        board_id = pin.board_id or f"(board named {pin.board_name!r})"
        calls: list[dict] = []
        if plan.kind == "video":
            # The video flow's steps, as the pinterest backend would send them.
            media_id = "0"
            progress.step("uploading_media")
            calls.append(
                {
                    "step": "register_media",
                    "method": "POST",
                    "url": f"{self.api_base}/media",
                    "json": {"media_type": "video"},
                }
            )
            calls.append(
                {
                    "step": "upload_media",
                    "method": "POST",
                    "url": "(upload_url from /media)",
                    "form": ["<upload_parameters>", "file"],
                    "file": plan.source,
                }
            )
            progress.step("processing_media")
            calls.append({"step": "poll_media", "method": "GET", "url": f"{self.api_base}/media/{media_id}"})
            source = video_source(media_id, pin.cover_url, pin.thumb_offset, pin.cover_file)
        elif plan.kind == "carousel":
            source = carousel_source(request, plan)
        else:
            source = image_source(plan.source, plan.format or media_format)
        body = pin_create_body(request, board_id, source)
        progress.step("creating_pin")
        calls.append({"step": "create_pin", "method": "POST", "url": f"{self.api_base}/pins", "json": body})
        self.sent.extend(calls)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        pin_id = f"{DRY_RUN_PREFIX}{digest}"
        return PublishOutcome(
            pin_id=pin_id,
            pin_url=f"(dry run — nothing was posted) {pin_id}",
            dry_run=True,
            requests=calls,
            response={"id": pin_id, "dry_run": True},
        )


@register_publisher("dry-run")
def _dry_run(deps: BackendDeps) -> DryRunPublisher:
    return DryRunPublisher(deps.settings.pinterest_api_base)
