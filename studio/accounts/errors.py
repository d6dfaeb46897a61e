"""The accounts family of errors (under `studio.errors.StudioError`): the password gate and connected accounts."""

from __future__ import annotations

from studio.errors import StudioError


class AccessError(StudioError):
    """The studio's password gate refused: wrong password, locked out, or an unsafe address to serve on."""

    code = "access_denied"


class AccountError(StudioError):
    """A connected account can't be used: not connected, or it needs reconnecting."""

    code = "account_error"
