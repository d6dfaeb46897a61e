"""OAuth `state` values the studio handed out: single use, short-lived, bound to the browser session that
started the sign-in (RFC 6749 §10.12). Only hashes are stored (table `oauth_states`, owned here)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from studio.models import iso
from studio.pinterest import oauth
from studio.storage import Store


def _digest(state: str) -> str:
    # Only a hash is stored: a leaked DB can't be used to forge a callback.
    return hashlib.sha256(state.encode()).hexdigest()


def authorize_url(
    store: Store, app: oauth.OAuthApp, *, authorize_base: str, ttl_s: float = 600.0, session: str | None = None
) -> str:
    """Pinterest's authorize URL with a fresh random state, remembered for `ttl_s` seconds and bound to
    the browser `session` that asked for it (RFC 6749 §10.12: only a hash of it is kept)."""
    now = datetime.now(UTC)
    state = secrets.token_urlsafe(32)
    with store.db.atomic():
        store.db.execute("delete from oauth_states where expires_at < ?", [iso(now)])  # keep the table tiny
        store.db.table("oauth_states").insert(
            {
                "state_hash": _digest(state),
                "created_at": iso(now),
                "expires_at": iso(now + timedelta(seconds=ttl_s)),
                "redirect_uri": app.redirect_uri,
                "session_hash": _digest(session) if session else None,
            }
        )
    return oauth.authorize_url(app, state, authorize_base=authorize_base)


def consume_state(store: Store, state: str | None, session: str | None = None) -> str:
    """Accept a returned `state` once, in the browser session that started it; unknown, reused, expired
    or foreign ones are refused. Returns the redirect URI."""
    refused = oauth.OAuthError(
        "This sign-in link doesn't match one the studio started, so it was refused.",
        fix="Press “Connect Pinterest” again and finish signing in on Pinterest within a few minutes.",
        code="state_mismatch",
    )
    if not state:
        raise refused
    now = iso()
    with store.db.atomic():
        row = store.db.execute(
            "select used_at, expires_at, redirect_uri, session_hash from oauth_states where state_hash = ?",
            [_digest(state)],
        ).fetchone()
        if row is None:
            raise refused
        used_at, expires_at, redirect_uri, session_hash = row
        if used_at:
            raise oauth.OAuthError(
                "This sign-in link was already used.", fix="Press “Connect Pinterest” again.", code="state_reused"
            )
        # Mark used even when expired: a state is never accepted twice.
        store.db.execute("update oauth_states set used_at = ? where state_hash = ?", [now, _digest(state)])
    # A callback carried to another browser (login CSRF: someone else's account slipped into ours)
    if session_hash != (_digest(session) if session else None):
        raise oauth.OAuthError(
            "This sign-in was started in another browser, so it was refused.",
            fix="Press “Connect Pinterest” on this page and finish signing in in this same browser.",
            code="state_session_mismatch",
        )
    if expires_at < now:
        raise oauth.OAuthError(
            "This sign-in link expired.",
            fix="Press “Connect Pinterest” again and finish signing in on Pinterest within a few minutes.",
            code="state_expired",
        )
    return redirect_uri
