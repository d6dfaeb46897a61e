"""The LLM call log (SQLite) and the cache keyed by the request's hash.

Every drafting call is logged: provider, model, prompt, response, tokens, latency, error. An
identical request is answered from the log instead of calling the model again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio.drafting.base import DraftInput, DraftOutput
from studio.models import iso
from studio.storage import Store, inserted_id

migrations = Migrations("pinstudio.drafting")


@migrations()
def m001_llm_calls(db: sqlite_utils.Database) -> None:
    db.table("llm_calls").create(
        {
            "id": int,
            "request_hash": str,
            "draft_id": int,
            "media_id": int,
            "provider": str,
            "model": str,
            "prompt": str,  # JSON: the messages sent (images elided)
            "response": str,  # the raw answer text
            "output": str,  # JSON: the DraftOutput we kept (absent on error)
            "prompt_tokens": int,
            "completion_tokens": int,
            "latency_ms": float,
            "error": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("llm_calls").create_index(["request_hash"])
    db.table("llm_calls").create_index(["draft_id"])


def request_hash(provider: str, model: str, fingerprint: dict, request: DraftInput) -> str:
    """The cache key: everything that changes the answer."""
    # An empty `grounding` (or `slides`) is left out so keys made before analytics (carousels) existed still hit.
    empty = {name for name in ("grounding", "slides") if not getattr(request, name)}
    dumped = request.model_dump(mode="json", exclude=empty)
    payload = {"provider": provider, "model": model, "config": fingerprint, "input": dumped}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class CallLog:
    """Typed access to `llm_calls`. Uses the store's connection: one per thread."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def record(
        self,
        *,
        key: str,
        provider: str,
        model: str,
        output: DraftOutput | None = None,
        error: str = "",
        prompt: list | None = None,
        media_id: int | None = None,
        draft_id: int | None = None,
        latency_ms: float = 0.0,
    ) -> int:
        """Log one call (success or failure); returns its id."""
        usage = output.usage if output else {}
        row = {
            "request_hash": key,
            "draft_id": draft_id,
            "media_id": media_id,
            "provider": provider,
            "model": model,
            "prompt": json.dumps(output.prompt if output else prompt or [], default=str),
            "response": output.response if output else "",
            "output": output.model_dump_json(exclude={"prompt", "response"}) if output else None,
            "prompt_tokens": usage.get("prompt_tokens", 0),
            "completion_tokens": usage.get("completion_tokens", 0),
            "latency_ms": output.latency_ms if output else latency_ms,
            "error": error or None,
            "created_at": iso(),
        }
        return inserted_id(self.db.table("llm_calls").insert(row))

    def cached(self, key: str) -> tuple[int, DraftOutput] | None:
        """The last successful answer to this exact request, if any."""
        row = self.db.execute(
            "select id, output from llm_calls where request_hash = ? and error is null and output is not null "
            "order by id desc limit 1",
            [key],
        ).fetchone()
        return (row[0], DraftOutput.model_validate_json(row[1])) if row else None

    def attach(self, call_ids: list[int], draft_id: int) -> None:
        """Link calls to the draft they produced (a draft is saved after it is drafted)."""
        ids = [int(i) for i in call_ids if i]
        if ids:
            with self.db.atomic():  # its own transaction, or part of the caller's (Compose's save)
                self.db.execute(
                    f"update llm_calls set draft_id = ? where draft_id is null and id in ({', '.join('?' * len(ids))})",
                    [draft_id, *ids],
                )

    def for_draft(self, draft_id: int) -> list[dict]:
        return [
            self._row(r) for r in self.db.table("llm_calls").rows_where("draft_id = ?", [draft_id], order_by="id desc")
        ]

    def get(self, call_id: int) -> dict:
        return self._row(self.db.table("llm_calls").get(call_id))

    def recent(self, limit: int = 50) -> list[dict]:
        return [self._row(r) for r in self.db.table("llm_calls").rows_where(order_by="id desc", limit=limit)]

    @staticmethod
    def _row(row: dict[str, Any]) -> dict:
        out = dict(row)
        out["prompt"] = json.loads(out["prompt"] or "[]")
        out["output"] = json.loads(out["output"]) if out.get("output") else None
        return out


@migrations()
def m002_experiments(db: sqlite_utils.Database) -> None:
    # Experiments live in the drafting domain's set: they are drafting runs compared side by side.
    db.table("experiments").create(
        {
            "id": int,
            "name": str,
            "media_id": int,
            "base": str,
            "variants": str,
            "promoted_draft_id": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db.table("experiment_runs").create(
        {
            "id": int,
            "experiment_id": int,
            "variant": int,
            "round": int,
            "output": str,
            "lint": str,
            "error": str,
            "call_id": int,
            "prompt_tokens": int,
            "completion_tokens": int,
            "latency_ms": float,
            "cached": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("experiment_id", "experiments", "id")],
    )
    db.table("experiment_runs").create_index(["experiment_id", "round"])
