"""Sign-in sessions: a signed token (for a cookie) naming the user, their session epoch and an expiry.

`s1.<user id>.<epoch>.<expires, unix s>.<HMAC-SHA256, base64url>`: nothing secret inside, nothing a client
can change without the key. The key is derived from the install's secret key (`session_key`), so only this
studio's processes can mint one. A token stops working when it expires, when the user is disabled, and when
their session epoch moves on (password changed or reset, "sign out everywhere"). Signing out of one
browser is forgetting its token. The role is not in the token: it is read on every request, so a role
change applies from the next click without signing anyone out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from studio.people import tables
from studio.people.users import User, user_from_row
from studio.storage import Store

VERSION = "s1"
DEFAULT_TTL_S = 7 * 24 * 3600  # a working week and a weekend: then sign in again
_MAX_TOKEN = 200  # a real token is ~80 characters; anything longer is not worth hashing
_PURPOSE = b"pinstudio/people/session/v1"


@dataclass(frozen=True)
class Session:
    user_id: int
    epoch: int
    expires_at: int  # unix seconds


def session_key(install_key: bytes) -> bytes:
    """The key that signs sessions, derived from the install's key (`studio.secrets.install_key(settings)`)."""
    return hmac.new(install_key, _PURPOSE, hashlib.sha256).digest()


def _mac(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_session(user: User, key: bytes, ttl_s: float = DEFAULT_TTL_S, *, now: float | None = None) -> str:
    """A token for `user`, valid `ttl_s` seconds (and while their session epoch stays the same)."""
    expires = int((time.time() if now is None else now) + ttl_s)
    payload = f"{VERSION}.{int(user.id)}.{int(user.session_epoch)}.{expires}"
    return f"{payload}.{_mac(key, payload)}"


def read_session(token: str | None, key: bytes, *, now: float | None = None) -> Session | None:
    """The session a token carries if its signature is right and it hasn't expired; None otherwise.

    This checks the token alone: `session_user` also checks that the account is active and the epoch current."""
    if not token or len(token) > _MAX_TOKEN:
        return None
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != VERSION:
        return None
    payload, mac = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(_mac(key, payload).encode("ascii"), mac.encode("ascii", "replace")):
        return None
    try:
        user_id, epoch, expires = (int(part) for part in parts[1:4])
    except ValueError:
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return Session(user_id, epoch, expires)


def session_user(store: Store, token: str | None, key: bytes, *, now: float | None = None) -> User | None:
    """The signed-in user of a request: a valid token, an active account, the current epoch; else None."""
    session = read_session(token, key, now=now)
    if session is None:
        return None
    row = tables.user_row(store, session.user_id)
    if row is None or row["disabled"] or int(row["session_epoch"] or 0) != session.epoch:
        return None
    return user_from_row(row)
