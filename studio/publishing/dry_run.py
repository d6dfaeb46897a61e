"""The dry-run publisher: records the exact Pinterest v5 requests it would send."""

from __future__ import annotations

import hashlib
import json

from studio.config import Settings
from studio.publishing.base import PublishOutcome, register_publisher
from studio.publishing.payload import PublishRequest, image_source, pin_create_body

DRY_RUN_PREFIX = "dryrun-"


class DryRunPublisher:
    """Sends nothing. Every request it would have sent is kept in `sent` and returned."""

    name = "dry-run"

    def __init__(self, api_base: str = "https://api.pinterest.com/v5") -> None:
        self.api_base = api_base.rstrip("/")
        self.sent: list[dict] = []

    def publish(self, request: PublishRequest, *, media_format: str | None = None) -> PublishOutcome:
        request.validate_basics()
        pin = request.pin
        board_id = pin.board_id or f"(board named {pin.board_name!r})"
        body = pin_create_body(request, board_id, image_source(request.media[0], media_format))
        call = {"method": "POST", "url": f"{self.api_base}/pins", "json": body}
        self.sent.append(call)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        pin_id = f"{DRY_RUN_PREFIX}{digest}"
        return PublishOutcome(pin_id=pin_id, pin_url=f"(dry run — nothing was posted) {pin_id}",
                              dry_run=True, requests=[call], response={"id": pin_id, "dry_run": True})


@register_publisher("dry-run")
def _dry_run(settings: Settings) -> DryRunPublisher:
    return DryRunPublisher(settings.pinterest_api_base)
