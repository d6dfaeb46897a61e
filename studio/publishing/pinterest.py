"""The direct Pinterest v5 backend: image or video, board by name or id, never a duplicate pin."""

from __future__ import annotations

import hashlib
import mimetypes
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from studio.config import Settings
from studio.errors import PublishError
from studio.models import iso
from studio.pinterest import (
    NOT_SENT,
    BoardDirectory,
    PinterestAPI,
    RequestPacer,
    RetryPolicy,
    SettingsTokenSource,
    TokenSource,
    processing_failed,
    redact,
    shared_pacer,
)
from studio.publishing.base import AccountReady, BackendDeps, NullProgress, Progress, PublishOutcome, register_publisher
from studio.publishing.payload import (
    MediaPlan,
    PublishRequest,
    carousel_source,
    image_source,
    pin_create_body,
    plan_media,
    video_source,
)

PIN_URL = "https://www.pinterest.com/pin/{id}/"  # the API returns no URL (docs/pinterest.md §2)
RECONCILE_PAGE = 50  # recent pins looked at when checking whether an unanswered create happened


class ProgressReader:
    """A file wrapper that reports bytes read, so an upload streams from disk with progress."""

    def __init__(self, fh, total: int, report: Callable[[int, int], None]) -> None:
        self._fh, self.total, self._report, self.sent = fh, total, report, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        self.sent += len(chunk)
        self._report(self.sent, self.total)
        return chunk

    def __iter__(self):  # httpx streams file parts by iterating in chunks
        while chunk := self.read(1024 * 1024):
            yield chunk

    def fileno(self) -> int:  # lets httpx learn the length without reading
        return self._fh.fileno()

    def seek(self, *args) -> int:
        return self._fh.seek(*args)

    def tell(self) -> int:
        return self._fh.tell()


class PinterestPublisher:
    """Publishes over an injected httpx.Client; every wait and limit comes from the constructor."""

    name = "pinterest"

    def __init__(
        self,
        http: httpx.Client,
        tokens: TokenSource,
        *,
        api_base: str,
        timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        limiter: RequestPacer | None = None,
        processing_timeout_s: float = 600.0,
        poll_base_s: float = 1.0,
        poll_cap_s: float = 10.0,
        board_ttl_s: float = 60.0,
        reconcile_skew_s: float = 300.0,
        reconcile_grace_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        account_ready: AccountReady | None = None,
    ) -> None:
        self.http, self.tokens, self.api_base = http, tokens, api_base.rstrip("/")
        self.account_ready = account_ready  # from the composition root: see Publisher.account_ready
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RequestPacer(0)
        self.processing_timeout_s, self.poll_base_s, self.poll_cap_s = processing_timeout_s, poll_base_s, poll_cap_s
        self.board_ttl_s, self.reconcile_skew_s, self.clock = board_ttl_s, reconcile_skew_s, clock
        self.reconcile_grace_s = reconcile_grace_s

    def _api(self, progress: Progress) -> PinterestAPI:
        return PinterestAPI(
            self.http,
            self.tokens,
            self.api_base,
            timeout=self.timeout_s,
            retry=self.retry,
            limiter=self.limiter,
            recorder=progress,
            unknown_grace_s=self.reconcile_grace_s,
        )

    def publish(
        self, request: PublishRequest, *, media_format: str | None = None, progress: Progress | None = None
    ) -> PublishOutcome:
        """Validate, resolve the board, upload (video), create the pin; resumable from `progress.checkpoint`."""
        progress = progress or NullProgress()
        plan = plan_media(request, media_format)  # refuses bad input before any network call
        api = self._api(progress)
        cp = progress.checkpoint
        pin = request.pin
        if not cp.get("board_id"):
            account = hashlib.sha256(self.tokens.access_token().encode()).hexdigest()[:12]
            boards = BoardDirectory(api, ttl_s=self.board_ttl_s, account_key=account)
            board_id = boards.board_id(pin.board_id, pin.board_name)
            progress.step("queued", board_id=board_id, section_id=boards.section_id(board_id, pin.board_section))
        board_id, section_id = cp["board_id"], cp.get("section_id")
        if plan.kind == "video":
            source = video_source(self._video(api, plan, progress), pin.cover_url, pin.thumb_offset, pin.cover_file)
        elif plan.kind == "carousel":
            source = carousel_source(request, plan)
        else:
            source = image_source(plan.source, plan.format)
        body = pin_create_body(request, board_id, source, section_id)
        resumed = bool(cp.get("create_started_at"))  # an earlier run may have created it already
        started = cp.get("create_started_at") or iso()
        if resumed:  # the killed run's request may still be in flight: let it land before looking
            age = (datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds()
            if 0 <= age < self.reconcile_grace_s:
                self.retry.sleep(self.reconcile_grace_s - age)
        progress.step("creating_pin", create_started_at=started)
        created = api.call(
            "POST",
            "/pins",
            step="create_pin",
            json=body,
            write=True,
            unknown_at_start=resumed,
            reconcile=lambda: self.find_pin(api, body, started),
        )
        pin_id = str(created["id"])
        return PublishOutcome(
            pin_id=pin_id,
            pin_url=PIN_URL.format(id=pin_id),
            requests=[{"method": "POST", "url": f"{self.api_base}/pins", "json": redact(body)}],
            response=redact(created),
        )

    # --- video -------------------------------------------------------------------------
    def _video(self, api: PinterestAPI, plan: MediaPlan, progress: Progress) -> str:
        """Register, upload and wait for the video; returns the processed media id."""
        cp = progress.checkpoint
        media_id = cp.get("media_id")
        if not (media_id and cp.get("uploaded")):  # an upload cut short restarts with a fresh URL
            progress.step("uploading_media")
            reg = api.call("POST", "/media", step="register_media", json={"media_type": "video"}, write=True)
            media_id = str(reg["media_id"])
            progress.step("uploading_media", media_id=media_id, uploaded=False)
            self.upload(reg["upload_url"], reg.get("upload_parameters") or {}, Path(plan.source), progress)
            progress.step("processing_media", media_id=media_id, uploaded=True)
        else:
            progress.step("processing_media")
        self.wait_until_processed(api, media_id, progress)
        return media_id

    def upload(self, url: str, fields: dict, path: Path, progress: Progress) -> None:
        """Multipart POST to the presigned URL: fields first, `file` last, streamed from disk, no bearer."""
        total = path.stat().st_size
        mime = mimetypes.guess_type(path.name)[0] or "video/mp4"
        for attempt in range(1, self.retry.max_attempts + 1):
            record = {
                "step": "upload_media",
                "method": "POST",
                "url": url.split("?")[0],
                "started_at": iso(),
                "body": {"fields": sorted(fields), "file": path.name, "bytes": total},
            }
            try:
                with path.open("rb") as fh:
                    reader = ProgressReader(fh, total, progress.upload_progress)
                    response = self.http.post(
                        url,
                        data=fields,
                        files={"file": (path.name, reader, mime)},  # type: ignore[dict-item]  # a streaming reader
                        timeout=httpx.Timeout(self.timeout_s, write=self.timeout_s),
                    )
            except httpx.HTTPError as exc:
                progress.attempt(
                    {
                        **record,
                        "outcome": "not_sent" if isinstance(exc, NOT_SENT) else "error",
                        "message": type(exc).__name__,
                        "finished_at": iso(),
                    }
                )
                self.retry.sleep(self.retry.delay(attempt))
                continue
            progress.attempt(
                {
                    **record,
                    "http_status": response.status_code,
                    "finished_at": iso(),
                    "outcome": "ok" if response.is_success else "error",
                }
            )
            if response.is_success:
                return
            if response.status_code < 500:
                raise PublishError(
                    f"The video upload was refused (HTTP {response.status_code}).",
                    fix="Retry the publish: it starts a fresh upload.",
                    code="upload_refused",
                    retryable=True,
                )
            self.retry.sleep(self.retry.delay(attempt))
        raise PublishError(
            "The video upload kept failing.",
            fix="Check the connection and retry.",
            code="upload_failed",
            retryable=True,
        )

    def wait_until_processed(self, api: PinterestAPI, media_id: str, progress: Progress) -> None:
        """Poll GET /media/{id} with capped backoff until `succeeded`, or give up after the timeout."""
        deadline = self.clock() + self.processing_timeout_s
        delay = self.poll_base_s
        while True:
            status = api.call("GET", f"/media/{media_id}", step="poll_media").get("status")
            if status == "succeeded":
                return
            if status == "failed":
                progress.step("processing_media", media_id=None, uploaded=False)  # a retry re-uploads
                raise processing_failed()
            if self.clock() + delay > deadline:
                minutes = self.processing_timeout_s / 60
                raise PublishError(
                    f"Pinterest was still processing the video after {minutes:.1f} min.",
                    fix="Retry later: the upload is kept and only the wait is repeated.",
                    code="media_processing_timeout",
                    retryable=True,
                )
            self.retry.sleep(delay)
            delay = min(self.poll_cap_s, delay * 2)

    # --- reconciliation ----------------------------------------------------------------
    def find_pin(self, api: PinterestAPI, body: dict, started_at: str) -> dict | None:
        """Our pin on the board if an unanswered create did happen: same copy and media kind,
        created after the attempt started (less clock skew)."""
        page = api.call(
            "GET", f"/boards/{body['board_id']}/pins", step="reconcile", params={"page_size": RECONCILE_PAGE}
        )
        since = datetime.fromisoformat(started_at) - timedelta(seconds=self.reconcile_skew_s)
        kind = _media_kind(body["media_source"]["source_type"])
        for item in page.get("items") or []:
            if any((item.get(k) or None) != (body.get(k) or None) for k in ("title", "description", "link")):
                continue
            if kind != _media_kind((item.get("media") or {}).get("media_type")):
                continue
            created = _parse_time(item.get("created_at"))
            if created is None or created >= since:
                return item
        return None


def _media_kind(value: str | None) -> str:
    """video / carousel / image, from a media_source type we sent or a media_type Pinterest returns."""
    if value in ("video_id", "video"):
        return "video"
    if value in ("multiple_image_urls", "multiple_image_base64", "multiple_images"):
        return "carousel"
    return "image"


def _parse_time(value: str | None) -> datetime | None:
    """Pinterest's created_at, which sometimes lacks a timezone (docs/pinterest.md §2): read it as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def build(settings: Settings, http: httpx.Client, tokens: TokenSource | None = None, **overrides) -> PinterestPublisher:
    """A publisher configured from settings (one place builds it) over the composition root's client."""
    tokens = tokens or SettingsTokenSource(settings, http)
    options: dict[str, Any] = dict(
        api_base=settings.pinterest_api_base,
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy.from_settings(settings),
        limiter=shared_pacer(settings.pinterest_write_rate, settings.pinterest_api_base),
        processing_timeout_s=settings.media_processing_timeout_s,
        poll_cap_s=settings.media_poll_cap_s,
        poll_base_s=min(1.0, settings.media_poll_cap_s),
        board_ttl_s=settings.board_cache_ttl_s,
        reconcile_grace_s=settings.publish_reconcile_grace_s,
    )
    options.update(overrides)
    return PinterestPublisher(http, tokens, **options)


@register_publisher("pinterest")
def _pinterest(deps: BackendDeps) -> PinterestPublisher:
    """Tokens come from the connected account (Accounts page), else PINTEREST_ACCESS_TOKEN."""
    return build(deps.settings, deps.http, tokens=deps.tokens, account_ready=deps.account_ready)
