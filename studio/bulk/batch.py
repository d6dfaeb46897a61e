"""Batch operations on a selection of drafts: re-draft a field, fix media, approve, schedule into
slots, publish now, update published pins. Progress, cancel, per-item results, resumable.

Every item's outcome is written the moment it is known, so a batch cut short (cancel, crash, a
closed browser tab) resumes with exactly the items that never finished. An item caught mid-way by
a crash is run again; every action is idempotent (it checks whether its work is already done).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from studio import people
from studio.bulk import tables
from studio.config import Settings
from studio.drafting import DraftingService
from studio.errors import StudioError, ValidationError
from studio.leases import holder_gone, owner_name
from studio.models import DraftStatus, utcnow
from studio.people import Actor, Permission
from studio.publishing import Publisher, Publishers
from studio.storage import Store

ACTIONS = {
    "redraft": "Re-draft a field",
    "fix_media": "Apply media fixes",
    "approve": "Approve",
    "schedule": "Schedule into posting slots",
    "publish": "Publish now",
    "patch": "Update published pins",
}
REDRAFT_FIELDS = ("title", "description", "alt_text")
NEEDS = {  # what starting (or resuming) each action takes
    "redraft": Permission.EDIT,
    "fix_media": Permission.EDIT,
    "approve": Permission.APPROVE,
    "schedule": Permission.SCHEDULE,
    "publish": Permission.PUBLISH,
    "patch": Permission.PUBLISH,
}
RESUMABLE = ("cancelled", "interrupted")
STALE_AFTER_S = 600  # a "running" batch whose owner stopped writing for this long has died

Progress = Callable[[int, int, dict], None]


class Context:
    """What the actions need, built lazily so an approve batch never builds a publisher."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        params: dict,
        actor: Actor,
        *,
        publishers: Publishers | None = None,
        drafting: Callable[[Store], DraftingService] | None = None,
        pins=None,
    ) -> None:
        self.store, self.settings, self.params, self.actor = store, settings, params, actor
        self._make_publisher, self._make_drafting, self.pins = publishers, drafting, pins
        self._publishers: dict[tuple[str | None, str], Publisher] = {}
        self._drafting: DraftingService | None = None

    def publisher_for(self, account: str, backend: str | None = None) -> Publisher:
        """The publisher posting as `account` (the draft's; "" = the default), as the Publish page
        does: one connected account's token can't post to another's boards."""
        if self._make_publisher is None:
            raise ValidationError("This batch was started without a publisher.", code="no_publisher")
        if (backend, account) not in self._publishers:
            self._publishers[backend, account] = self._make_publisher(backend, account or None)
        return self._publishers[backend, account]

    @property
    def drafting(self) -> DraftingService:
        if self._drafting is None:
            if self._make_drafting is None:
                raise ValidationError("This batch was started without a drafter.", code="no_drafter")
            self._drafting = self._make_drafting(self.store)
        return self._drafting


def start_batch(
    store: Store,
    action: str,
    draft_ids: list[int],
    *,
    params: dict | None = None,
    actor: Actor,
    payloads: dict[int, dict] | None = None,
) -> int:
    """Record a batch and its items (nothing runs yet); returns its id."""
    params = dict(params or {})
    if action not in ACTIONS:
        raise ValidationError(
            f"There is no batch action '{action}'.", fix="Use one of: " + ", ".join(ACTIONS) + ".", code="bad_action"
        )
    people.require(actor, NEEDS[action])
    if params.get("override_guardrails"):  # publishing past the guardrails is a reviewer's choice (audited per pin)
        people.require(actor, Permission.APPROVE)
    if not draft_ids:
        raise ValidationError("No drafts selected.", fix="Tick the drafts to work on.", code="empty_selection")
    if action == "redraft" and params.get("field") not in REDRAFT_FIELDS:
        raise ValidationError(
            "Pick the field to re-draft.", fix="Choose title, description or alt text.", code="field_required"
        )
    if action == "patch" and not (payloads or params.get("fields")):
        raise ValidationError("Nothing to update.", fix="Change at least one field of the pins.", code="no_changes")
    return tables.create_batch(store, action, params, draft_ids, actor.name, payloads)


def run_batch(
    store: Store,
    settings: Settings,
    batch_id: int,
    *,
    actor: Actor,
    cancel: threading.Event | None = None,
    on_progress: Progress | None = None,
    publishers: Publishers | None = None,
    publisher: Publisher | None = None,
    drafting: Callable[[Store], DraftingService] | DraftingService | None = None,
    pins=None,
) -> dict:
    """Run (or resume) a batch until every item is done or it is cancelled; returns the batch.

    The caller hands in what the action needs: `publishers` (studio.services.Services.publisher) or one
    `publisher` for every draft, a drafting service (or a function making one for a store), the pin
    updater for `patch`. `actor` is who runs (or resumes) it: each item is done as them."""

    batch = tables.get_batch(store, batch_id)
    if batch["status"] == "done":
        return batch
    people.require(actor, NEEDS[batch["action"]])
    if publisher is not None:
        publishers = lambda backend, account: publisher  # noqa: E731  (one publisher for every draft)
    if isinstance(drafting, DraftingService):
        service = drafting
        drafting = lambda _store: service  # noqa: E731
    ctx = Context(store, settings, batch["params"], actor, publishers=publishers, drafting=drafting, pins=pins)
    cancel = cancel or threading.Event()
    _claim(store, batch_id, owner_name())
    todo = tables.open_items(store, batch_id)
    done, total = batch["done"], batch["total"]
    try:
        for item, outcome in _outcomes(ctx, batch["action"], todo, lambda: _stopped(store, batch_id, cancel)):
            status, message = outcome
            tables.set_item(store, batch_id, item["draft_id"], status, message)
            done += 1
            if on_progress:
                on_progress(done, total, {"draft_id": item["draft_id"], "status": status, "message": message})
        final = "cancelled" if _stopped(store, batch_id, cancel) and tables.open_items(store, batch_id) else "done"
        tables.set_batch(store, batch_id, status=final, owner=None)
    except BaseException:
        # Streamlit stops a script by raising inside it; a crash here has the same effect.
        tables.set_batch(store, batch_id, status="interrupted", owner=None)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(batch_id)
    return tables.get_batch(store, batch_id)


# Batches running in this process (two browser tabs share one Streamlit process, and one pid).
_RUNNING: set[int] = set()
_RUNNING_LOCK = threading.Lock()


def running_here(batch_id: int) -> bool:
    """Whether a run of this batch is still going in this process (e.g. finishing its current
    item after the page that started it was stopped)."""
    with _RUNNING_LOCK:
        return batch_id in _RUNNING


def _claim(store: Store, batch_id: int, owner: str) -> None:
    """Take the batch for this run, or refuse if a live run elsewhere holds it."""

    busy = ValidationError(
        f"Batch #{batch_id} is already running (in another window or process).",
        fix="Wait for it to finish, or stop it there; then resume it here.",
        code="batch_running",
    )
    with _RUNNING_LOCK:
        if batch_id in _RUNNING:
            raise busy
        _RUNNING.add(batch_id)
    try:
        with store.atomic():  # BEGIN IMMEDIATE: two processes can't both see it free
            current = tables.get_batch(store, batch_id)
            held = current["status"] in ("running", "cancelling") and current["owner"] != owner
            if held and not holder_gone(current["owner"], current["updated_at"], STALE_AFTER_S, utcnow()):
                raise busy
            tables.set_batch(store, batch_id, status="running", owner=owner)
    except BaseException:
        with _RUNNING_LOCK:
            _RUNNING.discard(batch_id)
        raise


def _stopped(store: Store, batch_id: int, cancel: threading.Event) -> bool:
    if cancel.is_set():
        return True
    return tables.batch_status(store, batch_id) == "cancelling"


def wait_until_stopped(batch_id: int, timeout_s: float = 60.0) -> bool:
    """After a Stop, wait for this process's run of the batch to finish its current item (it carries on
    in the background while the page reruns); True once it stopped, False at the timeout."""
    deadline = time.monotonic() + timeout_s
    while running_here(batch_id):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def request_cancel(store: Store, batch_id: int) -> None:
    """Ask a batch running elsewhere (another tab, the CLI) to stop after its current item."""
    tables.request_cancel(store, batch_id)


def resumable(store: Store) -> list[dict]:
    """Batches cut short: cancelled, interrupted, or 'running' with a dead or silent owner."""

    found = []
    now = utcnow()
    for b in tables.list_batches(store, ("cancelled", "interrupted", "running", "cancelling", "pending"), limit=50):
        if b["status"] in ("running", "cancelling", "pending"):
            silent = (now - datetime.fromisoformat(b["updated_at"])).total_seconds() > STALE_AFTER_S
            if b["owner"] and not holder_gone(b["owner"], b["updated_at"], STALE_AFTER_S, now):
                continue
            if b["status"] == "pending" and not silent:
                continue
        if tables.open_items(store, b["id"]):
            found.append(b)
    return found


def results(store: Store, batch_id: int) -> list[dict]:
    """Per-item results: draft id, status (pending/ok/failed), message."""
    return [
        {"draft_id": i["draft_id"], "status": i["status"], "message": i["message"]}
        for i in tables.items(store, batch_id)
    ]


# --- the actions ------------------------------------------------------------------------
def _outcomes(ctx: Context, action: str, todo: list[dict], stopped: Callable[[], bool]):
    """(item, (status, message)) as each item finishes; stops before an item when `stopped()`."""
    if action == "redraft":
        yield from _redraft(ctx, todo, stopped)
        return
    handler = HANDLERS[action]
    for item in todo:
        if stopped():
            return
        tables.set_item(ctx.store, item["batch_id"], item["draft_id"], "running")
        yield item, _guard(lambda: handler(ctx, item["draft_id"], item["payload"]))  # noqa: B023  (called at once)


def _guard(work: Callable[[], str]) -> tuple[str, str]:
    """Run `work` now (so loop variables it closes over are current) and report ok or the failure."""
    try:
        return "ok", work()
    except StudioError as exc:
        return "failed", str(exc)


def _approve(ctx: Context, draft_id: int, _payload: dict) -> str:
    from studio.accounts import require_known_board
    from studio.drafts import approval_is_current, approve

    draft = ctx.store.get_draft(draft_id)
    if draft.status is DraftStatus.APPROVED and approval_is_current(ctx.store, draft):
        return "already approved"
    require_known_board(ctx.store, draft.board, draft.account)
    approve(
        ctx.store,
        draft_id,
        actor=ctx.actor,
        note=ctx.params.get("note", ""),
        second_approver=ctx.settings.require_second_approver,
    )
    return "approved"


def _schedule(ctx: Context, draft_id: int, _payload: dict) -> str:
    from studio.scheduling import add_to_queue, schedule

    draft = ctx.store.get_draft(draft_id)
    if draft.scheduled_at and draft.status is DraftStatus.APPROVED:
        return f"already scheduled for {draft.scheduled_at[:16]} UTC"
    wanted = tables.pin_fact(ctx.store, draft_id).get("publish_date") if ctx.params.get("use_requested", True) else ""
    if wanted and datetime.fromisoformat(wanted + "+00:00") > utcnow():
        updated, _warnings = schedule(
            ctx.store, ctx.settings, draft_id, datetime.fromisoformat(wanted + "+00:00"), tz="UTC", actor=ctx.actor
        )
        return f"scheduled for {(updated.scheduled_at or '')[:16]} UTC (the CSV's publish date)"
    updated, _warnings = add_to_queue(ctx.store, ctx.settings, draft_id, actor=ctx.actor)
    return f"scheduled for {(updated.scheduled_at or '')[:16]} UTC (next free slot)"


def _publish(ctx: Context, draft_id: int, _payload: dict) -> str:
    from studio.publishing import jobs, publish_draft, publisher_for_job

    draft = ctx.store.get_draft(draft_id)
    if draft.status is DraftStatus.PUBLISHED:
        return "already published"
    active = [j for j in jobs.for_draft(ctx.store, draft_id) if j["status"] in jobs.ACTIVE]
    if active:  # a crash left this pin's job mid-way: finish that job (on its backend), never start a second one
        publisher = publisher_for_job(
            lambda backend, account: ctx.publisher_for(account or "", backend), ctx.store, active[0]
        )
        job = jobs.run_job(ctx.store, publisher, active[0]["id"], actor=ctx.actor)
    else:
        job = publish_draft(
            ctx.store,
            ctx.publisher_for(draft.account),
            draft_id,
            ctx.settings,
            actor=ctx.actor,
            override=bool(ctx.params.get("override_guardrails")),
        )
    if job["status"] != "published":
        raise StudioError(
            job.get("error_message") or f"The publish ended '{job['status']}'.",
            fix=job.get("error_fix") or "See the Publish page.",
            code="publish_failed",
        )
    return f"published: {job.get('pin_url') or job.get('pin_id')}"


def _fix_media(ctx: Context, draft_id: int, _payload: dict) -> str:
    from studio.drafts import save_draft
    from studio.media import FIX_LABELS, apply_fix, available_fixes, check_path, media_path

    draft = ctx.store.get_draft(draft_id)
    if draft.media_id is None:
        raise ValidationError("This draft has no media.", fix="Attach an image or video first.", code="media_required")
    asset = ctx.store.get_media(draft.media_id)
    actions = [a for a in available_fixes(check_path(media_path(ctx.settings.data_dir, asset))) if a != "cover_frame"]
    wanted = ctx.params.get("fix") or ""
    if wanted and wanted not in actions:
        return f"nothing to fix with {FIX_LABELS.get(wanted, wanted)}"
    order = ["transcode", "trim", "convert_jpeg", "fit_size", "pad_2x3"]  # conversions first, as fix_to_pinterest
    action = wanted or next((a for a in order if a in actions), actions[0] if actions else "")
    if not action:
        return "nothing to fix"
    fixed = apply_fix(ctx.store, ctx.settings.data_dir, asset, action)
    save_draft(ctx.store, draft_id, {"media_id": fixed.id}, actor=ctx.actor)
    ctx.store.add_event(draft_id, ctx.actor, "media_fixed", {"fix": action, "from": asset.id, "to": fixed.id})
    return f"fixed: {FIX_LABELS.get(action, action)}"


def _patch(ctx: Context, draft_id: int, payload: dict) -> str:
    if ctx.pins is None:
        raise ValidationError(
            "Updating published pins needs a Pinterest connection.",
            fix="Connect Pinterest on the Settings page.",
            code="not_connected",
        )
    fields = payload or ctx.params.get("fields") or {}
    return ctx.pins.update(ctx.store, draft_id, fields, actor=ctx.actor)


HANDLERS: dict[str, Callable[[Context, int, dict], str]] = {
    "approve": _approve,
    "schedule": _schedule,
    "publish": _publish,
    "fix_media": _fix_media,
    "patch": _patch,
}


def _redraft(ctx: Context, todo: list[dict], stopped: Callable[[], bool]):
    """Model calls for a chunk run concurrently; results are saved one by one in this thread."""
    from studio.drafts import save_draft

    field = ctx.params["field"]
    service = ctx.drafting
    size = max(1, ctx.settings.llm_concurrency)
    with ThreadPoolExecutor(max_workers=size, thread_name_prefix="redraft") as pool:
        for start in range(0, len(todo), size):
            if stopped():
                return
            chunk = todo[start : start + size]
            calls: list[tuple[dict, Any, Any, Any]] = []
            for item in chunk:
                try:
                    d = ctx.store.get_draft(item["draft_id"])
                    if d.status is DraftStatus.PUBLISHED:
                        raise ValidationError(
                            "This pin is already published.",
                            fix="Use “Update published pins” instead.",
                            code="already_published",
                        )
                    request = service.build_input(
                        media_id=d.media_id,
                        topic=d.topic,
                        keywords=d.keywords,
                        link=d.link,
                        board=d.board,
                        field=field,
                        fresh=True,
                        current={"title": d.title, "description": d.description, "alt_text": d.alt_text},
                    )
                    tables.set_item(ctx.store, item["batch_id"], item["draft_id"], "running")
                    calls.append((item, d, request, pool.submit(service.call, request)))
                except StudioError as exc:
                    calls.append((item, None, None, exc))
            for item, d, request, future in calls:
                if isinstance(future, StudioError):
                    yield item, ("failed", str(future))
                    continue
                yield item, _guard(lambda: _save_redraft(ctx, service, d, request, future, field, save_draft))  # noqa: B023


def _save_redraft(ctx: Context, service: Any, d, request, future, field: str, save_draft) -> str:
    key = service.key(request)
    try:
        output = future.result()
    except StudioError as exc:
        service.record(key, request, error=exc, media_id=d.media_id, draft_id=d.id)
        raise
    result = service.record(key, request, output=output, media_id=d.media_id, draft_id=d.id)
    value = getattr(result.output, field)
    save_draft(ctx.store, d.id, {field: value}, actor=ctx.actor)
    message = f"new {field.replace('_', ' ')}: {value[:60]}"
    return message + _slide_alt_texts(ctx, service, d.id)


def _slide_alt_texts(ctx: Context, service: Any, draft_id: int) -> str:
    """A carousel's slides without alt text get theirs drafted too (typed ones are kept)."""
    from studio.bulk.slides import draft_carousel_alt_texts, summary

    try:
        results = draft_carousel_alt_texts(ctx.store, service, draft_id, fresh=True, actor=ctx.actor)
    except StudioError as exc:
        return f"; slide alt text failed: {exc}"
    return f"; {summary(results)}" if results else ""
