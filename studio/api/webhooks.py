"""Webhooks: subscriptions, signed deliveries (`X-PostProxy-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`),
retries with backoff, and the delivery log. Deliveries run on a small pool of their own (`Deliveries`): never in a
publish's way, nor in another webhook's.

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
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlparse

import httpx

from studio import people
from studio.api.schemas import EVENTS
from studio.errors import NotFoundError, ValidationError
from studio.models import iso, utcnow
from studio.netguard import Watchdog
from studio.people import Actor, AuditAction, Permission
from studio.secrets import Vault
from studio.storage import Store

log = logging.getLogger("pinstudio.api.webhooks")
SIGNATURE_HEADER = "X-PostProxy-Signature"
MAX_ATTEMPTS = 6  # then the delivery is given up (and stays in the log as failed)
BACKOFF_S = (1, 5, 30, 120, 600)  # before attempts 2, 3, 4… (and before the webhook's next delivery)
DELIVERY_WORKERS = 4  # receivers answered at once: one that hangs holds one of them, until its deadline
DELIVERY_DEADLINE_S = 15.0  # a whole delivery (connect, send, the answer's headers), whatever the receiver does


def sign(secret: str, body: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def _is_web_address(url: str) -> bool:
    try:
        parts = urlparse(url)
    except ValueError:  # "http://[::1" and other addresses urllib can't even split
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check(url: str | None, events: list[str] | None) -> None:
    if url is not None and not _is_web_address(url):
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


def _due(store: Store, skip: set[str]) -> list[dict]:
    """The oldest due delivery of each webhook not in `skip` (one per webhook: a hook's events go in order)."""
    busy = ",".join("?" * len(skip))
    return [
        {k: v for k, v in row.items() if k != "first_due"}
        for row in store.db.query(
            "select *, min(next_attempt_at) as first_due from api_deliveries where done = 0 and next_attempt_at <= ?"
            + (f" and webhook_id not in ({busy})" if skip else "")
            + " group by webhook_id order by first_due limit 50",
            [iso(), *skip],
        )
    ]


def _record(store: Store, delivery: dict, status: int | None, error: str | None) -> float:
    """One attempt written to the log; returns the seconds before the webhook's next delivery (0 after a success)."""
    attempt = (delivery["attempt_number"] or 0) + 1
    ok = error is None
    wait = BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)]
    store.db.table("api_deliveries").update(
        delivery["id"],
        {
            "attempt_number": attempt,
            "response_status": status,
            "success": int(ok),
            "done": int(ok or attempt >= MAX_ATTEMPTS),
            "error": error,
            "attempted_at": iso(),
            "next_attempt_at": iso(utcnow() + timedelta(seconds=wait)),
        },
    )
    log.info("webhook %s %s attempt %d: %s", delivery["webhook_id"], delivery["event_type"], attempt, error or "ok")
    return 0.0 if ok else wait


def send(
    http: httpx.Client, url: str, payload: str, signature: str, deadline_s: float
) -> tuple[int | None, str | None]:
    """POST one signed event; returns (status, error). Only the status line and headers of the answer are
    read (never its body: a receiver's gzip bomb stays unread), and the whole exchange ends by `deadline_s`:
    a watchdog cuts the connection of a receiver that drips its answer (netguard.Watchdog)."""
    deadline = time.monotonic() + deadline_s
    request = http.build_request(
        "POST",
        url,
        content=payload.encode(),
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature,
            "Accept-Encoding": "identity",
            "Connection": "close",  # a fresh connection the watchdog sees, never one kept from before
        },
    )
    request.extensions["timeout"] = httpx.Timeout(deadline_s).as_dict()
    try:
        with Watchdog(deadline) as watchdog:
            request.extensions["trace"] = watchdog.trace
            response = http.send(request, stream=True)
            response.close()
    except httpx.HTTPError as exc:
        return None, "deadline" if time.monotonic() >= deadline else type(exc).__name__
    ok = 200 <= response.status_code < 300
    return response.status_code, None if ok else f"HTTP {response.status_code}"


class Deliveries:
    """Webhook deliveries on a small pool of threads, so one slow receiver never holds up another's events.

    A webhook has at most one delivery in flight (its events arrive in order); one that failed waits out its
    backoff before its next delivery. `pass_once` runs in one thread, the only one that touches the store:
    it writes down what finished, then hands the due deliveries to the pool."""

    def __init__(
        self, vault: Vault, http: httpx.Client, *, workers: int = DELIVERY_WORKERS, deadline_s: float | None = None
    ) -> None:
        self.vault, self.http = vault, http
        self.deadline_s = deadline_s or DELIVERY_DEADLINE_S
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="api-webhook")
        self.in_flight: dict[str, tuple[dict, Future]] = {}  # webhook id → (delivery, its send)
        self.paused_until: dict[str, float] = {}  # webhook id → time.monotonic() of its next delivery

    def pass_once(self, store: Store) -> int:
        """Write down finished deliveries, start the due ones; returns how many were started."""
        now = time.monotonic()
        for hook_id, (delivery, sent) in list(self.in_flight.items()):
            if sent.done():
                del self.in_flight[hook_id]
                status, error = sent.result()
                self.paused_until[hook_id] = now + _record(store, delivery, status, error)
        waiting = {hook_id for hook_id, until in self.paused_until.items() if until > now}
        started = 0
        for delivery in _due(store, set(self.in_flight) | waiting):
            hook = list(store.db.table("api_webhooks").rows_where("id = ?", [delivery["webhook_id"]]))
            if not hook or hook[0]["deleted_at"] or not hook[0]["enabled"]:
                store.db.table("api_deliveries").update(
                    delivery["id"], {"done": 1, "error": "webhook disabled or deleted"}
                )
                continue
            signature = sign(self.vault.decrypt(hook[0]["secret"]), delivery["payload"])
            sent = self.pool.submit(send, self.http, hook[0]["url"], delivery["payload"], signature, self.deadline_s)
            self.in_flight[delivery["webhook_id"]] = (delivery, sent)
            started += 1
        return started

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
