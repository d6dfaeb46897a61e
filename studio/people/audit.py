"""The audit log: who signed in (or failed to), changed the team, settings, API keys or webhooks, published
early or overrode a guardrail. Owners read it; it never holds a secret (this module refuses one)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from studio.models import iso
from studio.people import tables
from studio.storage import Store
from studio.text import neutralise

if TYPE_CHECKING:
    from studio.people.actors import Actor

ANONYMOUS_REF = "anonymous"  # a failed sign-in: nobody is known yet


class AuditAction(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    ROLE_CHANGED = "role_changed"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    SETTING_CHANGED = "setting_changed"  # detail: key (the setting's name) only, never its value
    API_KEY_CREATED = "api_key_created"  # detail: key_id, name, scopes
    API_KEY_REVOKED = "api_key_revoked"  # detail: key_id, name, scopes
    WEBHOOK_CHANGED = "webhook_changed"
    PUBLISHED_EARLY = "published_early"
    GUARDRAIL_OVERRIDDEN = "guardrail_overridden"


# A detail field whose name says it holds a secret is refused, whatever its value.
_SECRET_WORDS = ("password", "secret", "token", "credential", "passphrase")
_SETTING_FIELDS = frozenset({"key"})


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor_ref: str
    actor_name: str
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)


def audit(store: Store, actor: Actor | None, action: AuditAction | str, target: str = "", **detail: Any) -> None:
    """Record one action. `actor` None is someone not signed in (a failed sign-in). A detail field that could
    hold a secret is a programming error (ValueError): log the setting's key, the key's id, never a value."""
    action = AuditAction(action)
    _refuse_secrets(action, detail)
    tables.insert_audit(
        store,
        {
            "at": iso(),
            "actor_ref": actor.ref if actor else ANONYMOUS_REF,
            "actor_name": actor.name if actor else "",
            "action": action.value,
            "target": str(target or "")[:300],
            "detail": detail,
        },
    )


def _refuse_secrets(action: AuditAction, detail: dict[str, Any]) -> None:
    for name, value in detail.items():
        if any(word in name.lower() for word in _SECRET_WORDS) or hasattr(value, "get_secret_value"):
            raise ValueError(f"audit detail {name!r} may hold a secret: record what changed, not the value")
    if action is AuditAction.SETTING_CHANGED and not set(detail) <= _SETTING_FIELDS:
        raise ValueError("setting_changed records the setting's key only, never its value")


def _filters(action: str | None, actor: Actor | str | None, since: Any, until: Any) -> dict[str, Any]:
    return {
        "action": AuditAction(action).value if action else None,
        "actor_ref": actor if isinstance(actor, str) or actor is None else actor.ref,
        "since": _when(since),
        "until": _when(until),
    }


def _when(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        return iso(value)
    return value or None


def audit_entries(
    store: Store,
    *,
    action: AuditAction | str | None = None,
    actor: Actor | str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries newest first. `actor` is an Actor or a ref (`user:12`); `since` is inclusive, `until`
    exclusive (datetimes, or ISO text compared as stored: UTC, e.g. `2026-05-01`)."""
    rows = tables.audit_rows(store, _filters(action, actor, since, until), max(0, limit), max(0, offset))
    return [AuditEntry(**row) for row in rows]


def audit_count(
    store: Store,
    *,
    action: AuditAction | str | None = None,
    actor: Actor | str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
) -> int:
    """How many entries the same filters match (for paging)."""
    return tables.audit_total(store, _filters(action, actor, since, until))


CSV_COLUMNS = ("at", "actor", "actor_ref", "action", "target", "detail")


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    """The entries as CSV (RFC 4180, CRLF); every cell a spreadsheet could run as a formula is neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        cells = (
            entry.at,
            entry.actor_name,
            entry.actor_ref,
            entry.action,
            entry.target,
            json.dumps(entry.detail, sort_keys=True, ensure_ascii=False) if entry.detail else "",
        )
        writer.writerow([neutralise(str(cell)) for cell in cells])
    return out.getvalue()
