"""The Pinterest API v5 client everyone uses: requests, auth and token refresh, OAuth, retries and the
shared write limiter, paging, board-name resolution, and its own error family.

May import: studio core (config, models, errors). Never accounts or publishing: they depend on it.
"""

from studio.pinterest import oauth
from studio.pinterest.boards import BoardDirectory, paged
from studio.pinterest.client import NOT_SENT, NullRecorder, PinterestAPI, Recorder, redact
from studio.pinterest.errors import (
    AuthExpired,
    OAuthError,
    OutcomeUnknown,
    TransientError,
    pinterest_error,
    processing_failed,
)
from studio.pinterest.oauth import OAuthApp, TokenSet, refresh_form
from studio.pinterest.retry import RequestPacer, RetryPolicy, parse_retry_after, shared_pacer
from studio.pinterest.tokens import RECONNECT, SettingsTokenSource, StaticTokenSource, TokenSource

__all__ = [
    "NOT_SENT",
    "RECONNECT",
    "AuthExpired",
    "BoardDirectory",
    "NullRecorder",
    "OAuthApp",
    "OAuthError",
    "OutcomeUnknown",
    "PinterestAPI",
    "Recorder",
    "RequestPacer",
    "RetryPolicy",
    "SettingsTokenSource",
    "StaticTokenSource",
    "TokenSet",
    "TokenSource",
    "TransientError",
    "oauth",
    "paged",
    "parse_retry_after",
    "pinterest_error",
    "processing_failed",
    "redact",
    "refresh_form",
    "shared_pacer",
]
