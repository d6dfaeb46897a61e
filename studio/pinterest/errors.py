"""The Pinterest client's error family (under `studio.errors.PinterestError`), and Pinterest's error
answers → messages a marketer understands, with the fix and whether a retry can help."""

from __future__ import annotations

from studio.errors import PinterestError

# Pinterest error numbers (docs/pinterest.md §1, from the OpenAPI description's examples).
CODE_INVALID = 1
CODE_AUTH = 2
CODE_SCOPES = 3
CODE_NOT_AUTHORIZED = 7
CODE_RATE_LIMIT = (8, 30)
CODE_NOT_PERMITTED = 29
CODE_BOARD_NOT_FOUND = 40
CODE_PIN_NOT_FOUND = 50


class TransientError(PinterestError):
    """A failure that trying again later can fix (429, 5xx, network); carries Retry-After."""

    def __init__(
        self,
        message: str,
        *,
        fix: str = "",
        code: str | None = None,
        retry_after: float | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, fix=fix, code=code, retryable=True)
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown  # the request may have been applied


class AuthExpired(PinterestError):
    """401: the access token is expired or revoked; a refresh may fix it."""

    code = "token_invalid"


class OutcomeUnknown(PinterestError):
    """A write was sent, no answer came, and we could not find out whether it happened."""

    code = "outcome_unknown"


class OAuthError(PinterestError):
    """The OAuth dance failed; `retryable` says whether the same call can work later."""

    code = "oauth_failed"


def _text(body: dict) -> str:
    return f"{body.get('message') or ''} {body.get('message_detail') or ''}".strip()


def pinterest_error(
    status: int, body: dict | None, *, retry_after: float | None = None, what: str = "Pinterest"
) -> PinterestError:
    """The StudioError for one Pinterest error response (never 'Unknown error')."""
    body = body if isinstance(body, dict) else {}
    pcode = body.get("code")
    text = _text(body)
    lower = text.lower()
    shown = f"Pinterest said: “{text or 'no message'}” (code {pcode if pcode is not None else 'none'}, HTTP {status})."
    if status == 429 and "spam" in lower:
        return PinterestError(
            "Pinterest blocked this pin as possible spam, so it was not published.",
            fix="Don't retry it as is: change the link or copy, check the link's domain isn't blocked, "
            "and space out similar pins.",
            code="spam_blocked",
        )
    if status == 429 or pcode in CODE_RATE_LIMIT:
        return TransientError(
            "Pinterest is rate limiting us (too many requests).",
            fix="It will be retried automatically after a pause.",
            code="rate_limited",
            retry_after=retry_after,
        )
    if status >= 500:
        return TransientError(
            f"Pinterest had a temporary problem (HTTP {status}).",
            fix="It will be retried automatically.",
            code="pinterest_unavailable",
            retry_after=retry_after,
        )
    if status == 401 or pcode == CODE_AUTH:
        return AuthExpired(
            "Your Pinterest connection has expired or was revoked.",
            fix="Reconnect your Pinterest account on the Accounts page.",
        )
    if pcode == CODE_SCOPES:
        return PinterestError(
            "Your Pinterest connection lacks the permissions needed to post.",
            fix="Reconnect your Pinterest account and allow boards and pins access.",
            code="missing_scopes",
        )
    if pcode == CODE_NOT_PERMITTED and "trial" in lower:
        return PinterestError(
            "Your Pinterest app has Trial access, which can't create pins in production.",
            fix="Use the sandbox (PINTEREST_API_BASE=https://api-sandbox.pinterest.com/v5) "
            "or apply for Standard access.",
            code="trial_restricted",
        )
    if status == 403 or pcode in (CODE_NOT_AUTHORIZED, CODE_NOT_PERMITTED):
        return PinterestError(
            "Pinterest doesn't allow this account to post there. " + shown,
            fix="Check you own the board (group boards may refuse) and the app's access level.",
            code="not_permitted",
        )
    if pcode == CODE_BOARD_NOT_FOUND or (status == 404 and "board" in lower):
        return PinterestError(
            "The board was not found on your Pinterest account.",
            fix="Pick an existing board, or check you're connected to the right account.",
            code="board_not_found",
        )
    if "section" in lower and status in (400, 404):
        return PinterestError(
            "The board section was not found.", fix="Pick a section of that board.", code="section_not_found"
        )
    if status in (400, 422) and ("fetch" in lower or "download" in lower or "image url" in lower):
        return PinterestError(
            "Pinterest could not fetch the image from its URL.",
            fix="Use a public https:// link to the image file itself (not a web page), or upload the file.",
            code="image_fetch_failed",
        )
    if status == 409:
        return TransientError(
            "Pinterest was busy with this board.",
            fix="It will be retried automatically.",
            code="board_busy",
            retry_after=retry_after,
        )
    return PinterestError(
        f"{what} refused the request. {shown}",
        fix="Fix what Pinterest names above, then retry.",
        code=f"pinterest_{pcode or status}",
    )


def processing_failed(detail: str = "") -> PinterestError:
    """Video processing ended in `failed` at Pinterest."""
    return PinterestError(
        "Pinterest could not process the video" + (f" ({detail})" if detail else "") + ".",
        fix="Export it again as an H.264 .mp4 (4 s – 15 min) and publish again.",
        code="media_processing_failed",
    )
