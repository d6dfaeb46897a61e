"""`/api/webhooks`: subscriptions to post events, and each one's delivery log. A key needs the `webhooks` scope
(and an owner's role to change them); it sees its own webhooks, an `admin` key every one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from studio.api import webhooks
from studio.api.posts import visible_to
from studio.api.routes.dependencies import ERRORS, Caller, Key, State
from studio.api.schemas import DeleteOut, DeliveryPage, WebhookIn, WebhookList, WebhookOut, WebhookPatch
from studio.people import Actor, Scope, require_scope

router = APIRouter(tags=["webhooks"], responses=ERRORS)


def _mine(actor: Actor, key: dict) -> str | None:
    """The key whose webhooks this caller may see (None: every key's), once its scope is checked."""
    require_scope(actor, Scope.WEBHOOKS)
    return visible_to(actor, key["id"])


@router.get("/api/webhooks", response_model=WebhookList)
def list_webhooks(key: Key, actor: Caller, state: State) -> dict:
    return {"data": webhooks.list_all(state.store(), _mine(actor, key))}


@router.post("/api/webhooks", response_model=WebhookOut, status_code=201)
def create_webhook(body: WebhookIn, key: Key, actor: Caller, state: State) -> dict:
    require_scope(actor, Scope.WEBHOOKS)
    enabled = True if body.enabled is None else body.enabled
    return webhooks.create(
        state.store(), state.vault, body.url, body.events, body.description, enabled, actor=actor, key_id=key["id"]
    )


@router.get("/api/webhooks/{webhook_id}", response_model=WebhookOut)
def get_webhook(webhook_id: str, key: Key, actor: Caller, state: State) -> dict:
    return webhooks.get(state.store(), webhook_id, _mine(actor, key))


@router.patch("/api/webhooks/{webhook_id}", response_model=WebhookOut)
def update_webhook(webhook_id: str, body: WebhookPatch, key: Key, actor: Caller, state: State) -> dict:
    changes = body.model_dump(exclude_unset=True)
    return webhooks.update(state.store(), webhook_id, changes, actor=actor, key_id=_mine(actor, key))


@router.delete("/api/webhooks/{webhook_id}", response_model=DeleteOut)
def delete_webhook(webhook_id: str, key: Key, actor: Caller, state: State) -> dict:
    webhooks.delete(state.store(), webhook_id, actor=actor, key_id=_mine(actor, key))
    return {"deleted": True}


@router.get("/api/webhooks/{webhook_id}/deliveries", response_model=DeliveryPage)
def list_deliveries(
    webhook_id: str,
    key: Key,
    actor: Caller,
    state: State,
    page: Annotated[int, Query(ge=0, le=100_000)] = 0,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict:
    rows = webhooks.deliveries(state.store(), webhook_id, _mine(actor, key))
    return {
        "data": rows[page * per_page : (page + 1) * per_page],
        "total": len(rows),
        "page": page,
        "per_page": per_page,
    }
