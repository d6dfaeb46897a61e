"""One error family. Every message is safe to show a marketer and names the fix.

Every error the studio raises on purpose is a `StudioError` (message, fix, a stable `code` that the CLI's
`--json` and the HTTP API return). Pages show it with st.error, the CLI prints it and exits 1 or 2, and the
HTTP API answers it with the class's `http_status` (422 unless the class says otherwise). The tree, with the
file each class lives in (this one unless named; every family is re-exported from its package's face):

    StudioError                                                                          422
    ├── ValidationError       input refused before any work (exit code 2 in the CLI)
    │   ├── CsvFormatError        a CSV file that cannot be read as a table          (bulk/errors.py)
    │   ├── GuardrailError        the pin would break a guardrail (code: daily_cap, min_spacing, repeat_pin…)
    │   └── LastOwnerError        the change would leave the team without an owner    (people/errors.py) 409
    ├── NotFoundError         no such draft, job, account, media, post…                   404
    ├── TransitionError       a draft status change its current status does not allow
    ├── ConflictError         someone else saved the draft since it was opened
    ├── MediaError            a file or link that can't be read, fetched, checked or fixed
    ├── DraftingError         the LLM could not be reached or answered nonsense
    ├── SecretsError          the key that encrypts tokens at rest is missing or wrong
    ├── PermissionDenied      the actor's role does not allow it, or four eyes           (people/errors.py) 403
    ├── SignInError           email and password don't match an active account          (people/errors.py) 401
    ├── AccessError           the studio's password gate: wrong password, locked out    (accounts/errors.py)
    ├── AccountError          a connected account: not connected, reconnect needed      (accounts/errors.py)
    ├── AnalyticsError        metrics could not be synced or read                        (analytics/errors.py)
    │   └── BadAnswer             one answer not in the documented shape: nothing stored  (analytics/errors.py)
    ├── PinterestError        what Pinterest's API answered, or that it could not be reached
    │   ├── TransientError        retrying later can help: 429, 5xx, network (carries Retry-After)
    │   ├── AuthExpired           the token was refused: refresh it once, then ask to reconnect
    │   ├── OutcomeUnknown        a write whose answer was lost: look before writing again
    │   └── OAuthError            the OAuth dance failed (state, code exchange, refresh)
    │                                                              (the four: pinterest/errors.py)
    ├── PublishError          a publish failed (studio.publishing backends and jobs)
    └── ApiError              the HTTP API's own refusals, with the headers they send   (api/errors.py)
        ├── Unauthorized          no API key, or a wrong one                                  401
        ├── RateLimited           too many requests for this key (carries Retry-After)        429
        ├── ConflictApiError      a duplicate post, or an Idempotency-Key still in flight     409
        └── PayloadTooLarge       a body over the cap, or media past the key's storage quota  413

`retryable` (on PinterestError and PublishError) says whether trying again later can help.
"""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the studio shows to a user."""

    code = "studio_error"
    retryable = False  # whether trying the same thing again later can help
    http_status = 422  # what the HTTP API answers: a request the studio understood but refuses

    def __init__(self, message: str, *, fix: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "fix": self.fix}


class ValidationError(StudioError):
    """Input the studio refuses before doing any work."""

    code = "invalid"


class GuardrailError(ValidationError):
    """A pin would break a guardrail at that time (studio.publishing.guardrails); `code` is the first one's and
    `guardrails` lists every one broken. A reviewer may override it; the override is audited."""

    code = "guardrail"

    def __init__(self, message: str, *, fix: str = "", code: str | None = None, guardrails: list[str] | None = None):
        super().__init__(message, fix=fix, code=code)
        self.guardrails = list(guardrails or ([code] if code else []))


class NotFoundError(StudioError):
    code = "not_found"
    http_status = 404


class TransitionError(StudioError):
    """A draft was asked to move to a status its current status does not allow."""

    code = "illegal_transition"


class ConflictError(StudioError):
    """Someone else saved this draft since it was opened."""

    code = "edit_conflict"


class MediaError(StudioError):
    code = "media_error"


class DraftingError(StudioError):
    code = "drafting_failed"


class SecretsError(StudioError):
    """Saved secrets can't be read or written with the studio's secret key."""

    code = "secrets_unreadable"


class PinterestError(StudioError):
    """Pinterest's API refused a request or could not be reached; `retryable` says whether a retry can help."""

    code = "pinterest_error"

    def __init__(self, message: str, *, fix: str = "", code: str | None = None, retryable: bool = False) -> None:
        super().__init__(message, fix=fix, code=code)
        self.retryable = retryable


class PublishError(StudioError):
    """A publish failed; `retryable` says whether trying again later can help."""

    code = "publish_failed"

    def __init__(self, message: str, *, fix: str = "", code: str | None = None, retryable: bool = False) -> None:
        super().__init__(message, fix=fix, code=code)
        self.retryable = retryable
