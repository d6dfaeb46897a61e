"""API keys: made once (shown once), stored as a SHA-256 hash, checked in constant time, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from studio.errors import NotFoundError, ValidationError
from studio.models import iso
from studio.storage import Store

KEY_PREFIX = "psk_"  # "pinstudio key": recognisable in a leaked-secret scan


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(store: Store, name: str) -> dict:
    """A new key: {"id", "name", "key"}. The key is returned only here."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(
            "An API key needs a name of 1 to 80 characters.",
            fix="Name it after what will use it, e.g. --name cms.",
            code="invalid_name",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = "key_" + secrets.token_hex(6)
    store.db.table("api_keys").insert(
        {"id": key_id, "name": name, "prefix": key[:8], "key_hash": _hash(key), "created_at": iso()}
    )
    return {"id": key_id, "name": name, "key": key}


def list_keys(store: Store, *, include_revoked: bool = True) -> list[dict]:
    """Keys without their secret: id, name, prefix, created, last used, revoked."""
    rows = store.db.table("api_keys").rows_where(order_by="created_at")
    keys = [{k: r[k] for k in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")} for r in rows]
    return [k for k in keys if include_revoked or not k["revoked_at"]]


def active_key_count(store: Store) -> int:
    return store.db.execute("select count(*) from api_keys where revoked_at is null").fetchone()[0]


def revoke_key(store: Store, key_id: str) -> dict:
    rows = list(store.db.table("api_keys").rows_where("id = ?", [key_id]))
    if not rows:
        raise NotFoundError(f"There is no API key {key_id}.", fix="See the ids with `pinstudio api-keys list`.")
    if not rows[0]["revoked_at"]:
        store.db.table("api_keys").update(key_id, {"revoked_at": iso()})
    return {k: v for k, v in {**rows[0], "revoked_at": rows[0]["revoked_at"] or iso()}.items() if k != "key_hash"}


def verify_key(store: Store, presented: str) -> dict | None:
    """The live key row a presented key matches, or None. The lookup is by hash (an index, so the
    time doesn't depend on how close a guess is) and the final comparison is constant-time."""
    if not presented or len(presented) > 200:
        return None
    digest = _hash(presented)
    rows = list(store.db.table("api_keys").rows_where("key_hash = ? and revoked_at is null", [digest], limit=1))
    if not rows or not hmac.compare_digest(rows[0]["key_hash"], digest):
        return None
    return rows[0]


def touch(store: Store, key_id: str) -> None:
    store.db.execute("update api_keys set last_used_at = ? where id = ?", [iso(), key_id])
    store.db.conn.commit()
