"""One error family. Every message is safe to show a marketer and names the fix."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the studio shows to a user."""

    code = "studio_error"

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


class NotFoundError(StudioError):
    code = "not_found"


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


class PublishError(StudioError):
    """A publish failed; `retryable` says whether trying again later can help."""

    code = "publish_failed"

    def __init__(self, message: str, *, fix: str = "", code: str | None = None, retryable: bool = False) -> None:
        super().__init__(message, fix=fix, code=code)
        self.retryable = retryable
