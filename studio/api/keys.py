"""API keys: made once (shown once), stored as a SHA-256 hash, checked in constant time, revocable. Each key
belongs to the person who made it (it acts with their role) and carries scopes (`studio.people.Scope`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable

from studio import people
from studio.errors import NotFoundError, ValidationError
from studio.models import iso
from studio.people import Actor, AuditAction, Permission
from studio.storage import Store

KEY_PREFIX = "psk_"  # "pinstudio key": recognisable in a leaked-secret scan


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(store: Store, name: str, *, actor: Actor, scopes: Iterable[str] | None = None) -> dict:
    """A new key owned by `actor` (owners only): {"id", "name", "key", "scopes"}. The key is returned only
    here. `scopes` default to `posts:draft` (every post waits in Review); minting one is audited."""
    people.require(actor, Permission.API_KEYS)
    chosen = [scope.value for scope in people.parse_scopes(scopes)]
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(
            "An API key needs a name of 1 to 80 characters.",
            fix="Name it after what will use it, e.g. --name cms.",
            code="invalid_name",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = "key_" + secrets.token_hex(6)
    row = {
        "id": key_id,
        "name": name,
        "prefix": key[:8],
        "key_hash": _hash(key),
        "created_at": iso(),
        "owner_ref": actor.person_ref,
        "owner_name": actor.name if actor.kind != "api" else "",
        "scopes": json.dumps(chosen),
    }
    with store.atomic():
        store.db.table("api_keys").insert(row)
        people.audit(store, actor, AuditAction.API_KEY_CREATED, key_id, key_id=key_id, name=name, scopes=chosen)
    return {"id": key_id, "name": name, "key": key, "scopes": chosen}


_SHOWN = ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "owner_ref")


def list_keys(store: Store, *, include_revoked: bool = True) -> list[dict]:
    """Keys without their secret: id, name, prefix, created, last used, revoked, owner and scopes."""
    rows = store.db.table("api_keys").rows_where(order_by="created_at")
    keys = [{**{k: r[k] for k in _SHOWN}, "scopes": scopes_of(r)} for r in rows]
    return [k for k in keys if include_revoked or not k["revoked_at"]]


def scopes_of(row: dict) -> list[str]:
    return json.loads(row.get("scopes") or "[]")


def active_key_count(store: Store) -> int:
    return store.db.execute("select count(*) from api_keys where revoked_at is null").fetchone()[0]


def revoke_key(store: Store, key_id: str, *, actor: Actor) -> dict:
    """Revoke a key (owners): it is refused (401) from its next request on. Audited."""
    people.require(actor, Permission.API_KEYS)
    rows = list(store.db.table("api_keys").rows_where("id = ?", [key_id]))
    if not rows:
        raise NotFoundError(f"There is no API key {key_id}.", fix="See the ids with `pinstudio api-keys list`.")
    row = rows[0]
    if not row["revoked_at"]:
        with store.atomic():
            store.db.table("api_keys").update(key_id, {"revoked_at": iso()})
            people.audit(
                store,
                actor,
                AuditAction.API_KEY_REVOKED,
                key_id,
                key_id=key_id,
                name=row["name"],
                scopes=scopes_of(row),
            )
    shown = {k: v for k, v in {**row, "revoked_at": row["revoked_at"] or iso()}.items() if k != "key_hash"}
    return {**shown, "scopes": scopes_of(row)}


def key_actor(store: Store, key_row: dict) -> Actor:
    """Who a key acts as: its owner (a studio user, or the operator who made it on the command line), narrowed
    to its scopes. A key whose owner is disabled or gone may not act (PermissionDenied, 403)."""
    owner_ref = key_row.get("owner_ref") or people.LOCAL_OWNER_REF
    kind, _, rest = owner_ref.partition(":")
    if kind == "user":
        try:
            user = people.get_user(store, int(rest))
        except (NotFoundError, ValueError):
            raise people.PermissionDenied(
                f"The API key {key_row['name']} belongs to an account that no longer exists.",
                fix="Ask an owner for a new key.",
            ) from None
        return Actor.for_api_key(key_row, user)
    owner = Actor.cli(rest) if kind == "cli" else Actor.local_owner(key_row.get("owner_name") or "")
    return Actor.for_api_key_of(key_row, owner)


def verify_key(store: Store, presented: str) -> dict | None:
    """The live key row a presented key matches, or None. The lookup is by hash (an index, so the
    time doesn't depend on how close a guess is) and the final comparison is constant-time."""
    if not presented or len(presented) > 200:
        return None
    digest = _hash(presented)
    rows = list(store.db.query("select * from api_keys where key_hash = ? and revoked_at is null limit 1", [digest]))
    if not rows or not hmac.compare_digest(rows[0]["key_hash"], digest):
        return None
    return rows[0]


def get_key(store: Store, key_id: str) -> dict | None:
    """A live key's row by id (None once revoked)."""
    cursor = store.db.execute("select * from api_keys where id = ? and revoked_at is null", [key_id])
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row)) if row else None


def touch(store: Store, key_id: str) -> None:
    store.db.execute("update api_keys set last_used_at = ? where id = ?", [iso(), key_id])
    store.db.conn.commit()
