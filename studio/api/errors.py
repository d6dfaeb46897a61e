"""The HTTP API's own errors (under `studio.errors.StudioError`): refusals only the API makes, each with the
status it answers and the headers it sends. Every other StudioError is answered with its own `http_status`."""

from __future__ import annotations

from studio.errors import StudioError


class ApiError(StudioError):
    """A refusal of the API itself; `headers` go out with the response, `details` join its body."""

    code = "error"

    def __init__(self, message: str, *, fix: str = "", code: str | None = None) -> None:
        super().__init__(message, fix=fix, code=code)
        self.headers: dict[str, str] = {}
        self.details: dict[str, str] = {}


class Unauthorized(ApiError):
    """No API key, or one the studio doesn't know (or revoked)."""

    code = "unauthorized"
    http_status = 401

    def __init__(self, message: str = "Missing or wrong API key.") -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": "Bearer"}


class RateLimited(ApiError):
    """Too many requests for this key: the client waits `Retry-After` seconds."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after_s: int, fix: str = "", code: str | None = None) -> None:
        super().__init__(message, fix=fix, code=code)
        self.headers = {"Retry-After": str(retry_after_s)}


class ConflictApiError(ApiError):
    """A duplicate post (`duplicate_post_id` names the first one), or an Idempotency-Key still in flight."""

    code = "conflict"
    http_status = 409

    def __init__(self, message: str, *, fix: str = "", code: str | None = None, duplicate_of: str = "") -> None:
        super().__init__(message, fix=fix, code=code)
        self.duplicate_of = duplicate_of
        if duplicate_of:
            self.details = {"duplicate_post_id": duplicate_of}


class PayloadTooLarge(ApiError):
    """A request body over the API's cap, or media that would take a key past its storage quota."""

    code = "body_too_large"
    http_status = 413
