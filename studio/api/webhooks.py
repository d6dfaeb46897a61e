"""Webhooks: subscriptions, signed deliveries (`X-PostProxy-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`),
retries with backoff, and the delivery log. Deliveries run in their own thread: never in a publish's way.

A webhook belongs to the API key that made it: a key sees and changes its own (an `admin` key, every one),
and hears about its own posts (an `admin` key's webhooks, about every post). Webhooks made before keys owned
them (no key) are seen by every key with the `webhooks` scope and hear about every post, as they did."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlparse

import httpx

from studio import people
from studio.api.schemas import EVENTS
from studio.errors import NotFoundError, ValidationError
from studio.models import iso, utcnow
from studio.people import Actor, AuditAction, Permission
from studio.secrets import Vault
from studio.storage import Store

log = logging.getLogger("pinstudio.api.webhooks")
SIGNATURE_HEADER = "X-PostProxy-Signature"
MAX_ATTEMPTS = 6  # then the delivery is given up (and stays in the log as failed)
BACKOFF_S = (1, 5, 30, 120, 600)  # before attempts 2, 3, 4…


def sign(secret: str, body: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def _check(url: str | None, events: list[str] | None) -> None:
    if url is not None and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        raise ValidationError(
            "A webhook URL must be an http(s) address.", fix="Give the full https:// address.", code="invalid_url"
        )
    if events is not None:
        unknown = [e for e in events if e != "*" and e not in EVENTS]
        if unknown:
            raise ValidationError(
                f"Unknown event “{unknown[0][:60]}”.",
                fix="Use " + ", ".join(EVENTS) + ", or * for all.",
                code="unknown_event",
            )


def _view(row: dict, secret: str | None = None) -> dict:
    return {
        "id": row["id"],
        "url": row["url"],
        "events": json.loads(row["events"]),
        "enabled": bool(row["enabled"]),
        "description": row["description"],
        "secret": secret,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


# A webhook `key_id` may see: its own, or one from before webhooks had an owner.
_MINE = "(? is null or key_id is null or key_id = ?)"


def _row(store: Store, webhook_id: str, key_id: str | None = None) -> dict:
    """The webhook, if `key_id` may see it (None: any); another key's is "not found", so ids don't leak."""
    rows = list(
        store.db.table("api_webhooks").rows_where(
            f"id = ? and deleted_at is null and {_MINE}", [webhook_id, key_id, key_id]
        )
    )
    if not rows:
        raise NotFoundError(f"There is no webhook {webhook_id[:40]}.", fix="List them with GET /api/webhooks.")
    return rows[0]


def create(
    store: Store,
    vault: Vault,
    url: str,
    events: list[str],
    description: str | None,
    enabled: bool,
    *,
    actor: Actor,
    key_id: str | None,
) -> dict:
    """A webhook owned by the key `key_id` (None: made in the studio, every key's); owners only, audited."""
    people.require(actor, Permission.WEBHOOKS)
    _check(url, events)
    secret = "whsec_" + secrets.token_urlsafe(24)
    now = iso()
    webhook_id = "wh_" + secrets.token_hex(6)
    row = {
        "id": webhook_id,
        "url": url,
        "events": json.dumps(events),
        "enabled": int(enabled),
        "description": description,
        "secret": vault.encrypt(secret),
        "created_at": now,
        "updated_at": now,
        "key_id": key_id,
    }
    with store.atomic():
        store.db.table("api_webhooks").insert(row)
        people.audit(
            store, actor, AuditAction.WEBHOOK_CHANGED, webhook_id, change="created", host=urlparse(url).hostname
        )
    return _view(row, secret)  # the secret is shown this once


def list_all(store: Store, key_id: str | None = None) -> list[dict]:
    """The webhooks `key_id` may see (None: every one)."""
    rows = store.db.table("api_webhooks").rows_where(
        f"deleted_at is null and {_MINE}", [key_id, key_id], order_by="created_at"
    )
    return [_view(r) for r in rows]


def get(store: Store, webhook_id: str, key_id: str | None = None) -> dict:
    return _view(_row(store, webhook_id, key_id))


def update(store: Store, webhook_id: str, changes: dict, *, actor: Actor, key_id: str | None = None) -> dict:
    people.require(actor, Permission.WEBHOOKS)
    _row(store, webhook_id, key_id)
    _check(changes.get("url"), changes.get("events"))
    fields = {k: v for k, v in changes.items() if v is not None and k in ("url", "description")}
    if changes.get("events") is not None:
        fields["events"] = json.dumps(changes["events"])
    if changes.get("enabled") is not None:
        fields["enabled"] = int(changes["enabled"])
    with store.atomic():
        store.db.table("api_webhooks").update(webhook_id, {**fields, "updated_at": iso()})
        people.audit(store, actor, AuditAction.WEBHOOK_CHANGED, webhook_id, change="updated", fields=sorted(fields))
    return get(store, webhook_id)


def delete(store: Store, webhook_id: str, *, actor: Actor, key_id: str | None = None) -> None:
    people.require(actor, Permission.WEBHOOKS)
    _row(store, webhook_id, key_id)
    with store.atomic():
        store.db.table("api_webhooks").update(webhook_id, {"deleted_at": iso(), "enabled": 0})
        people.audit(store, actor, AuditAction.WEBHOOK_CHANGED, webhook_id, change="deleted")


def deliveries(store: Store, webhook_id: str, key_id: str | None = None) -> list[dict]:
    _row(store, webhook_id, key_id)
    rows = store.db.table("api_deliveries").rows_where("webhook_id = ?", [webhook_id], order_by="created_at desc")
    return [
        {
            "id": r["id"],
            "event_id": r["event_id"],
            "event_type": r["event_type"],
            "response_status": r["response_status"],
            "attempt_number": r["attempt_number"] or 0,
            "success": bool(r["success"]),
            "attempted_at": r["attempted_at"] or r["created_at"],
            "created_at": r["created_at"],
            "error": r["error"],
        }
        for r in rows
    ]


# The enabled webhooks that hear about a post of key `?`: its own, an admin key's, and those without a key.
_LISTENERS = (
    "select h.* from api_webhooks h left join api_keys k on k.id = h.key_id"
    " where h.deleted_at is null and h.enabled = 1 and (h.key_id is null or h.key_id = ?"
    " or exists (select 1 from json_each(coalesce(k.scopes, '[]')) where value = 'admin'))"
)


def enqueue(store: Store, event_type: str, data: dict, *, key_id: str | None) -> int:
    """One event about a post of key `key_id` to every enabled webhook that may hear of it and is subscribed;
    returns the deliveries queued."""
    event = {"id": "evt_" + secrets.token_hex(8), "type": event_type, "created_at": iso(), "data": data}
    payload = json.dumps(event, separators=(",", ":"), default=str)
    queued = 0
    for hook in store.db.query(_LISTENERS, [key_id]):
        events = json.loads(hook["events"])
        if "*" not in events and event_type not in events:
            continue
        store.db.table("api_deliveries").insert(
            {
                "id": "dlv_" + secrets.token_hex(8),
                "webhook_id": hook["id"],
                "event_id": event["id"],
                "event_type": event_type,
                "payload": payload,
                "attempt_number": 0,
                "success": 0,
                "done": 0,
                "next_attempt_at": iso(),
                "created_at": iso(),
            }
        )
        queued += 1
    return queued


def deliver_due(store: Store, vault: Vault, http: httpx.Client, *, limit: int = 20) -> int:
    """Send every due delivery once; failures are retried later with backoff. Returns how many were sent."""
    due = list(
        store.db.table("api_deliveries").rows_where(
            "done = 0 and next_attempt_at <= ?", [iso()], order_by="next_attempt_at", limit=limit
        )
    )
    for d in due:
        hook = list(store.db.table("api_webhooks").rows_where("id = ?", [d["webhook_id"]]))
        if not hook or hook[0]["deleted_at"] or not hook[0]["enabled"]:
            store.db.table("api_deliveries").update(d["id"], {"done": 1, "error": "webhook disabled or deleted"})
            continue
        attempt = (d["attempt_number"] or 0) + 1
        status, error = None, None
        try:
            signature = sign(vault.decrypt(hook[0]["secret"]), d["payload"])
            response = http.post(
                hook[0]["url"],
                content=d["payload"].encode(),
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
            )
            status = response.status_code
            ok = 200 <= status < 300
            error = None if ok else f"HTTP {status}"
        except httpx.HTTPError as exc:
            ok, error = False, type(exc).__name__
        done = ok or attempt >= MAX_ATTEMPTS
        wait = BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)]
        store.db.table("api_deliveries").update(
            d["id"],
            {
                "attempt_number": attempt,
                "response_status": status,
                "success": int(ok),
                "done": int(done),
                "error": error,
                "attempted_at": iso(),
                "next_attempt_at": iso(utcnow() + timedelta(seconds=wait)),
            },
        )
        log.info("webhook %s %s attempt %d: %s", d["webhook_id"], d["event_type"], attempt, "ok" if ok else error)
    return len(due)
