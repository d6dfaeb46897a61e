"""`/api/webhooks`: subscriptions to post events, and each one's delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from studio.api import webhooks
from studio.api.routes.dependencies import ERRORS, Key, State
from studio.api.schemas import DeleteOut, DeliveryPage, WebhookIn, WebhookList, WebhookOut, WebhookPatch

router = APIRouter(tags=["webhooks"], responses=ERRORS)


@router.get("/api/webhooks", response_model=WebhookList)
def list_webhooks(key: Key, state: State) -> dict:
    return {"data": webhooks.list_all(state.store())}


@router.post("/api/webhooks", response_model=WebhookOut, status_code=201)
def create_webhook(body: WebhookIn, key: Key, state: State) -> dict:
    enabled = True if body.enabled is None else body.enabled
    return webhooks.create(state.store(), state.vault, body.url, body.events, body.description, enabled)


@router.get("/api/webhooks/{webhook_id}", response_model=WebhookOut)
def get_webhook(webhook_id: str, key: Key, state: State) -> dict:
    return webhooks.get(state.store(), webhook_id)


@router.patch("/api/webhooks/{webhook_id}", response_model=WebhookOut)
def update_webhook(webhook_id: str, body: WebhookPatch, key: Key, state: State) -> dict:
    return webhooks.update(state.store(), webhook_id, body.model_dump(exclude_unset=True))


@router.delete("/api/webhooks/{webhook_id}", response_model=DeleteOut)
def delete_webhook(webhook_id: str, key: Key, state: State) -> dict:
    webhooks.delete(state.store(), webhook_id)
    return {"deleted": True}


@router.get("/api/webhooks/{webhook_id}/deliveries", response_model=DeliveryPage)
def list_deliveries(
    webhook_id: str,
    key: Key,
    state: State,
    page: Annotated[int, Query(ge=0, le=100_000)] = 0,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict:
    rows = webhooks.deliveries(state.store(), webhook_id)
    return {
        "data": rows[page * per_page : (page + 1) * per_page],
        "total": len(rows),
        "page": page,
        "per_page": per_page,
    }
