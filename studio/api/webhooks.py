"""Webhooks: subscriptions, signed deliveries (`X-PostProxy-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`),
retries with backoff, and the delivery log. Deliveries run in their own thread: never in a publish's way."""

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

from studio.api.schemas import EVENTS
from studio.errors import NotFoundError, ValidationError
from studio.models import iso, utcnow
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


def _row(store: Store, webhook_id: str) -> dict:
    rows = list(store.db.table("api_webhooks").rows_where("id = ? and deleted_at is null", [webhook_id]))
    if not rows:
        raise NotFoundError(f"There is no webhook {webhook_id[:40]}.", fix="List them with GET /api/webhooks.")
    return rows[0]


def create(store: Store, vault: Vault, url: str, events: list[str], description: str | None, enabled: bool) -> dict:
    _check(url, events)
    secret = "whsec_" + secrets.token_urlsafe(24)
    now = iso()
    row = {
        "id": "wh_" + secrets.token_hex(6),
        "url": url,
        "events": json.dumps(events),
        "enabled": int(enabled),
        "description": description,
        "secret": vault.encrypt(secret),
        "created_at": now,
        "updated_at": now,
    }
    store.db.table("api_webhooks").insert(row)
    return _view(row, secret)  # the secret is shown this once


def list_all(store: Store) -> list[dict]:
    return [_view(r) for r in store.db.table("api_webhooks").rows_where("deleted_at is null", order_by="created_at")]


def get(store: Store, webhook_id: str) -> dict:
    return _view(_row(store, webhook_id))


def update(store: Store, webhook_id: str, changes: dict) -> dict:
    _row(store, webhook_id)
    _check(changes.get("url"), changes.get("events"))
    fields = {k: v for k, v in changes.items() if v is not None and k in ("url", "description")}
    if changes.get("events") is not None:
        fields["events"] = json.dumps(changes["events"])
    if changes.get("enabled") is not None:
        fields["enabled"] = int(changes["enabled"])
    store.db.table("api_webhooks").update(webhook_id, {**fields, "updated_at": iso()})
    return get(store, webhook_id)


def delete(store: Store, webhook_id: str) -> None:
    _row(store, webhook_id)
    store.db.table("api_webhooks").update(webhook_id, {"deleted_at": iso(), "enabled": 0})


def deliveries(store: Store, webhook_id: str) -> list[dict]:
    _row(store, webhook_id)
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


def enqueue(store: Store, event_type: str, data: dict) -> int:
    """One event to every enabled webhook subscribed to it; returns the deliveries queued."""
    event = {"id": "evt_" + secrets.token_hex(8), "type": event_type, "created_at": iso(), "data": data}
    payload = json.dumps(event, separators=(",", ":"), default=str)
    queued = 0
    for hook in store.db.table("api_webhooks").rows_where("deleted_at is null and enabled = 1"):
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
