"""The Postproxy backend: the same unified request, sent to a hosted posting API with an Idempotency-Key."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from studio.errors import PublishError, ValidationError
from studio.pinterest import RetryPolicy, parse_retry_after
from studio.publishing.base import AccountReady, BackendDeps, NullProgress, Progress, PublishOutcome, register_publisher
from studio.publishing.payload import PublishRequest, is_url

# Postproxy post/platform statuses → ours. Anything else is still in progress.
PUBLISHED = {"processed", "published", "success", "succeeded", "done"}
FAILED = {"failed", "error", "rejected"}


class PostproxyPublisher:
    """POST {base}/posts; the key is kept in the job checkpoint so a retry or resume never posts twice."""

    name = "postproxy"
    account_ready: AccountReady | None = None  # Postproxy's accounts are its own business

    def __init__(
        self,
        http: httpx.Client,
        api_key: str,
        *,
        api_base: str,
        timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        poll_timeout_s: float = 120.0,
        poll_base_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http, self.api_key, self.api_base = http, api_key, api_base.rstrip("/")
        self.timeout_s, self.retry = timeout_s, retry or RetryPolicy()
        self.poll_timeout_s, self.poll_base_s, self.clock = poll_timeout_s, poll_base_s, clock

    def publish(
        self, request: PublishRequest, *, media_format: str | None = None, progress: Progress | None = None
    ) -> PublishOutcome:
        progress = progress or NullProgress()
        request.validate_basics()
        if request.pin.carousel:
            raise ValidationError(
                "Postproxy's posting API has no carousel pin: it would post only one image, or refuse.",
                fix="Publish carousels with the pinterest backend (STUDIO_PUBLISHER=pinterest or --backend pinterest).",
                code="carousel_unsupported",
            )
        if request.pin.cover_file:
            raise ValidationError(
                "Postproxy takes a video cover as a public link here, not as an uploaded file.",
                fix="Give cover_url (an https:// link to the image), or publish with the pinterest backend.",
                code="cover_file_unsupported",
            )
        if not all(is_url(m) for m in request.media):
            raise ValidationError(
                "Postproxy takes media as public links, not local files.",
                fix="Use an https:// link to the image, or publish with the pinterest backend.",
                code="media_url_required",
            )
        if not self.api_key:
            raise PublishError(
                "No Postproxy API key is set.",
                fix="Save one under Postproxy on the Accounts page (or set POSTPROXY_API_KEY).",
                code="not_connected",
            )
        key = progress.checkpoint.get("idempotency_key") or str(uuid.uuid4())
        progress.step("creating_pin", idempotency_key=key)
        body = request.model_dump(mode="json", exclude_none=True)
        post = self._send("POST", "/posts", progress, json=body, key=key)
        deadline = self.clock() + self.poll_timeout_s
        delay = self.poll_base_s
        while (status := _status(post)) not in PUBLISHED | FAILED:
            if self.clock() + delay > deadline:
                raise PublishError(
                    "Postproxy is still publishing the pin.",
                    fix="Retry later to check again.",
                    code="postproxy_pending",
                    retryable=True,
                )
            self.retry.sleep(delay)
            delay = min(delay * 2, 10.0)
            post = self._send("GET", f"/posts/{post['id']}", progress)
        if status in FAILED:
            raise PublishError(
                f"Postproxy could not publish the pin: {_error(post)}",
                fix="Fix the problem Postproxy names, then retry.",
                code="postproxy_failed",
            )
        platform = _pinterest(post)
        pin_id = str(platform.get("platform_post_id") or platform.get("id") or post["id"])
        url = platform.get("url") or platform.get("platform_post_url") or f"https://www.pinterest.com/pin/{pin_id}/"
        return PublishOutcome(
            pin_id=pin_id,
            pin_url=url,
            response=post,
            requests=[
                {"method": "POST", "url": f"{self.api_base}/posts", "headers": {"Idempotency-Key": key}, "json": body}
            ],
        )

    def _send(
        self, method: str, path: str, progress: Progress, *, json: dict | None = None, key: str | None = None
    ) -> dict:
        """One call with retries; a write repeats with the same Idempotency-Key, so it is safe."""
        headers = {"Authorization": f"Bearer {self.api_key}"}
        if key:
            headers["Idempotency-Key"] = key
        for attempt in range(1, self.retry.max_attempts + 1):
            record = {"step": "postproxy", "method": method, "url": f"{self.api_base}{path}", "body": json}
            retry_after = None
            try:
                response = self.http.request(
                    method, f"{self.api_base}{path}", json=json, headers=headers, timeout=self.timeout_s
                )
            except httpx.HTTPError as exc:
                progress.attempt({**record, "outcome": "error", "message": type(exc).__name__})
            else:
                progress.attempt(
                    {**record, "http_status": response.status_code, "outcome": "ok" if response.is_success else "error"}
                )
                if response.is_success:
                    return response.json()
                if response.status_code == 401:
                    raise PublishError(
                        "Postproxy refused the API key.", fix="Check POSTPROXY_API_KEY.", code="postproxy_auth"
                    )
                if response.status_code != 429 and response.status_code < 500:
                    raise PublishError(
                        f"Postproxy refused the request: {_error(_json(response))} (HTTP {response.status_code}).",
                        fix="Fix what it names, then retry.",
                        code="postproxy_rejected",
                    )
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            if attempt < self.retry.max_attempts:
                self.retry.sleep(self.retry.delay(attempt, retry_after))
        raise PublishError(
            "Postproxy kept failing.",
            fix="Try again later; the same request key is reused, so nothing is posted twice.",
            code="postproxy_unavailable",
            retryable=True,
        )


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {"message": response.text[:200]}
    return data if isinstance(data, dict) else {}


def _pinterest(post: dict) -> dict:
    for item in post.get("platforms") or []:
        if isinstance(item, dict) and item.get("platform") in ("pinterest", None):
            return item
    return {}


def _status(post: dict) -> str:
    platform = _pinterest(post)
    return str(platform.get("status") or post.get("status") or "").lower()


def _error(post: dict) -> str:
    platform = _pinterest(post)
    return str(platform.get("error") or post.get("error") or post.get("message") or "no reason given")


@register_publisher("postproxy")
def _postproxy(deps: BackendDeps) -> PostproxyPublisher:
    """POSTPROXY_API_KEY, else the key verified and saved on the Accounts page (both found by the caller)."""
    settings = deps.settings
    return PostproxyPublisher(
        deps.http,
        deps.postproxy_key,
        api_base=settings.postproxy_api_base,
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy.from_settings(settings),
    )
