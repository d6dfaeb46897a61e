"""The refusals of studio.people: a role that doesn't allow an action, a failed sign-in, the last owner."""

from __future__ import annotations

from studio.errors import StudioError, ValidationError


class PermissionDenied(StudioError):
    """The actor's role does not allow this action (or four eyes: they wrote what they try to approve)."""

    code = "forbidden"
    http_status = 403


class SignInError(StudioError):
    """Email and password don't match an active account; the message never says which part was wrong."""

    code = "sign_in_failed"
    http_status = 401


class LastOwnerError(ValidationError):
    """Demoting or disabling the only active owner would leave nobody able to manage the team."""

    code = "last_owner"
    http_status = 409
