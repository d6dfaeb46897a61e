"""One Pinterest v5 call, done right: bearer token, refresh-once on 401, rate limit, retries,
and a record of every attempt (HTTP status, Pinterest code, x-pinterest-rid)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from studio.errors import PinterestError
from studio.models import iso
from studio.pinterest.errors import AuthExpired, OutcomeUnknown, TransientError, pinterest_error
from studio.pinterest.retry import RequestPacer, RetryPolicy, parse_retry_after
from studio.pinterest.tokens import RECONNECT, TokenSource

# Sent but no answer: the server may have acted on it (docs/pinterest.md §7: don't blindly re-POST).
UNKNOWN_OUTCOME = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# Never reached the server: always safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Recorder(Protocol):
    def attempt(self, record: dict) -> None: ...


class NullRecorder:
    def attempt(self, record: dict) -> None:
        pass


def redact(body: Any) -> Any:
    """The body as recorded: base64 payloads shortened (they can be megabytes)."""
    if isinstance(body, dict):
        return {
            k: (f"<{len(v)} base64 chars>" if k in ("data", "cover_image_data") and isinstance(v, str) else redact(v))
            for k, v in body.items()
        }
    return body


class PinterestAPI:
    """JSON calls to `base` with retries; `recorder` receives one dict per HTTP attempt."""

    def __init__(
        self,
        http: httpx.Client,
        tokens: TokenSource,
        base: str,
        *,
        timeout: float,
        retry: RetryPolicy | None = None,
        limiter: RequestPacer | None = None,
        recorder: Recorder | None = None,
        unknown_grace_s: float = 5.0,
    ) -> None:
        self.http, self.tokens, self.base = http, tokens, base.rstrip("/")
        # After an unanswered write, wait at least this long before looking for its result:
        # a slow request may still be in flight and land after our first look.
        self.unknown_grace_s = unknown_grace_s
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RequestPacer(0)
        self.recorder: Recorder = recorder or NullRecorder()

    def call(
        self,
        method: str,
        path: str,
        *,
        step: str,
        json: dict | None = None,
        params: dict | None = None,
        write: bool = False,
        reconcile: Callable[[], dict | None] | None = None,
        unknown_at_start: bool = False,
    ) -> dict:
        """Send with retries. A non-idempotent write passes `reconcile`: after an unknown outcome
        (or from the start when `unknown_at_start`) it runs before any resend and its hit wins."""
        refreshed = False
        pending_unknown = unknown_at_start
        last: PinterestError | None = None
        attempt = 0
        while attempt < self.retry.max_attempts:
            attempt += 1
            if pending_unknown and reconcile is not None:
                try:
                    found = reconcile()
                except PinterestError as exc:
                    if not exc.retryable:
                        raise
                    last = exc  # couldn't look: never resend blind, wait and look again
                    self.retry.sleep(self.retry.delay(attempt, getattr(exc, "retry_after", None)))
                    continue
                if found is not None:
                    return found
                pending_unknown = False
            try:
                return self._send(method, path, step=step, json=json, params=params, write=write)
            except AuthExpired:
                if refreshed:
                    raise PinterestError(
                        "Pinterest still refuses the renewed connection.", fix=RECONNECT, code="reconnect_required"
                    ) from None
                self.tokens.refresh()  # raises "reconnect your account" when it can't
                refreshed = True
                attempt -= 1  # the repeat after a refresh is the same attempt
                continue
            except TransientError as exc:
                last = exc
                delay = self.retry.delay(attempt, exc.retry_after)
                if exc.outcome_unknown and reconcile is not None:
                    pending_unknown = True
                    delay = max(delay, self.unknown_grace_s)
                if attempt < self.retry.max_attempts or pending_unknown:
                    self.retry.sleep(delay)
        if pending_unknown and reconcile is not None:
            try:  # one last look: a definite "not there" turns the unknown into a plain failure
                found = reconcile()
                if found is not None:
                    return found
                pending_unknown = False
            except PinterestError as exc:
                if not exc.retryable:
                    raise
        if pending_unknown:
            raise OutcomeUnknown(
                "We sent the pin to Pinterest but never got an answer, and couldn't confirm whether it was created.",
                fix="Check the board on Pinterest: if the pin is there, press “Mark resolved”; if not, retry.",
            )
        assert last is not None
        raise PinterestError(
            f"{last.message} We tried {attempt} times and gave up.",
            fix="Try again later; nothing was published.",
            code=last.code,
            retryable=True,
        )

    def _send(self, method: str, path: str, *, step: str, json: dict | None, params: dict | None, write: bool) -> dict:
        url = f"{self.base}{path}"
        record: dict = {
            "step": step,
            "method": method,
            "url": url,
            "params": params or None,
            "body": redact(json),
            "started_at": iso(),
        }
        if write:
            self.limiter.acquire()
        started = time.monotonic()
        try:
            response = self.http.request(
                method,
                url,
                json=json,
                params=params,
                timeout=self.timeout,
                headers={"Authorization": f"Bearer {self.tokens.access_token()}"},
            )
        except NOT_SENT as exc:
            self._finish(record, started, outcome="not_sent", message=type(exc).__name__)
            raise TransientError(
                "Pinterest could not be reached.", fix="It will be retried automatically.", code="network_error"
            ) from None
        except UNKNOWN_OUTCOME as exc:
            self._finish(record, started, outcome="unknown", message=type(exc).__name__)
            raise TransientError(
                "Pinterest did not answer in time.",
                fix="It will be retried automatically.",
                code="timeout",
                outcome_unknown=write,
            ) from None
        except httpx.HTTPError as exc:
            self._finish(record, started, outcome="error", message=type(exc).__name__)
            raise TransientError(
                "The connection to Pinterest failed.",
                fix="It will be retried automatically.",
                code="network_error",
                outcome_unknown=write,
            ) from None
        finally:
            if write:  # answered or not, the server has counted it by now
                self.limiter.done()
        body = _json(response)
        rid = response.headers.get("x-pinterest-rid")
        record.update(http_status=response.status_code, request_id=rid)
        if response.is_success:
            self._finish(record, started, outcome="ok")
            return body if isinstance(body, dict) else {"items": body}
        record["pinterest_code"] = body.get("code") if isinstance(body, dict) else None
        error = pinterest_error(
            response.status_code, body, retry_after=parse_retry_after(response.headers.get("retry-after"))
        )
        if isinstance(error, TransientError) and response.status_code >= 500 and write:
            error.outcome_unknown = True  # a 5xx on a write may still have been applied
        self._finish(record, started, outcome="error", message=error.message, code=error.code)
        raise error

    def _finish(self, record: dict, started: float, **fields: Any) -> None:
        record.update(fields, finished_at=iso(), elapsed_ms=round((time.monotonic() - started) * 1000))
        self.recorder.attempt(record)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json() if response.content else {}
    except ValueError:
        return {"message": response.text[:200]}
