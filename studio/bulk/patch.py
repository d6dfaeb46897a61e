"""Fix published pins in bulk: `PATCH /v5/pins/{id}` with new alt text, title, description or link.

Runs as a batch action ("patch") so it has progress, cancel, per-item results and resume; PATCH is
idempotent, so an item resent after a crash does no harm.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from studio import people
from studio.bulk.csv_format import COLUMN_FOR_FIELD
from studio.bulk.importer import TEXT_LIMITS
from studio.config import Settings
from studio.errors import ValidationError
from studio.models import Draft, DraftStatus
from studio.people import Actor, Permission
from studio.pinterest import PinterestAPI, RequestPacer, RetryPolicy, TokenSource
from studio.publishing import DRY_RUN_PREFIX, jobs
from studio.storage import Store

PATCHABLE = ("title", "description", "link", "alt_text")  # PinUpdate fields of the OpenAPI description that we edit


def published_pin_id(store: Store, draft_id: int) -> str | None:
    """The Pinterest id of a draft's published pin (dry runs have none)."""
    for job in jobs.for_draft(store, draft_id):
        pin_id = job.get("pin_id") or ""
        if job["status"] == "published" and pin_id and not pin_id.startswith(DRY_RUN_PREFIX):
            return pin_id
    return None


def missing_alt_text(store: Store, limit: int = 1000) -> list[Draft]:
    """Published pins without alt text (the usual reason to fix pins in bulk)."""
    return store.published_without_alt_text(limit)


def pin_changes(pins: list[Draft], edited_rows: list[dict]) -> dict[int, dict[str, str]]:
    """What a person changed in the fix table (rows keyed "Id" and by CSV column name): per draft id, only
    the patchable fields whose value differs from the draft's."""
    by_id = {d.id: d for d in pins}
    changes: dict[int, dict[str, str]] = {}
    for row in edited_rows:
        draft = by_id[row["Id"]]
        changed = {
            field: row[COLUMN_FOR_FIELD[field]] or ""
            for field in PATCHABLE
            if (row[COLUMN_FOR_FIELD[field]] or "") != getattr(draft, field)
        }
        if changed:
            changes[draft.id] = changed
    return changes


def clean_fields(fields: dict) -> dict[str, str]:
    """Only the fields a pin update may carry, checked like a draft's."""
    clean = {k: str(v).strip() for k, v in fields.items() if k in PATCHABLE and v is not None}
    for name, value in clean.items():
        if len(value) > TEXT_LIMITS[name]:
            raise ValidationError(
                f"The {name.replace('_', ' ')} is {len(value)} characters; Pinterest allows {TEXT_LIMITS[name]}.",
                fix=f"Shorten it by {len(value) - TEXT_LIMITS[name]}.",
                code="text_too_long",
            )
    if clean.get("link") and not clean["link"].startswith("https://"):
        raise ValidationError(
            "The link must start with https://.", fix="Paste the full https:// address.", code="link_not_https"
        )
    if "title" in clean and not clean["title"]:
        raise ValidationError("The title can't be emptied.", fix="Write a title.", code="title_required")
    return clean


class PinUpdater:
    """Sends pin updates through the publishing module's PinterestAPI (retries, rate limit, refresh)."""

    def __init__(self, api: PinterestAPI) -> None:
        self.api = api

    def update(self, store: Store, draft_id: int, fields: dict, *, actor: Actor) -> str:
        """Update one published pin on Pinterest, then its draft (so the studio shows what is live)."""
        people.require(actor, Permission.PUBLISH)
        changes = clean_fields(fields)
        if not changes:
            raise ValidationError("Nothing to update.", fix="Change at least one field.", code="no_changes")
        draft = store.get_draft(draft_id)
        if draft.status is not DraftStatus.PUBLISHED:
            raise ValidationError(
                f"#{draft_id} isn't published ('{draft.status.value}').",
                fix="Edit the draft itself instead.",
                code="not_published",
            )
        pin_id = published_pin_id(store, draft_id)
        if not pin_id:
            raise ValidationError(
                "This pin has no Pinterest id (it was published in dry-run mode or outside the studio).",
                fix="Edit it on Pinterest directly.",
                code="no_pin_id",
            )
        self.api.call("PATCH", f"/pins/{pin_id}", step="update_pin", json=changes, write=True)
        store.update_draft(
            draft_id,
            changes,
            expected_version=draft.version,
            actor=actor,
            action="pin_updated",
            detail={"pin_id": pin_id, **changes},
        )
        return f"updated {', '.join(k.replace('_', ' ') for k in changes)} on pin {pin_id}"


class AccountPinUpdater:
    """Updates each pin as the account that published it (its draft's), like publishing does:
    with several connected accounts, another account's token would be refused by Pinterest."""

    def __init__(self, settings: Settings, http: httpx.Client, tokens_for: Callable[[str | None], TokenSource]) -> None:
        self.settings, self.http, self.tokens_for = settings, http, tokens_for
        self._by_account: dict[str, PinUpdater] = {}

    def update(self, store: Store, draft_id: int, fields: dict, *, actor: Actor) -> str:
        account = store.get_draft(draft_id).account or ""
        if account not in self._by_account:
            tokens = self.tokens_for(account or None)
            self._by_account[account] = updater_for(self.settings, self.http, tokens)
        return self._by_account[account].update(store, draft_id, fields, actor=actor)


def updater_for(settings: Settings, http: httpx.Client, tokens: TokenSource) -> PinUpdater:
    """The updater for one Pinterest account's tokens."""
    api = PinterestAPI(
        http,
        tokens,
        settings.pinterest_api_base,
        timeout=settings.http_timeout_s,
        retry=RetryPolicy.from_settings(settings),
        limiter=RequestPacer(settings.pinterest_write_rate),
    )
    return PinUpdater(api)
