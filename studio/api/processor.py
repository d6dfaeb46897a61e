"""The API server's background work, in threads of its own (never inside a request, never blocking a publish):

- approved API drafts are queued (or scheduled at the time their post asked for),
- queued jobs of API posts run through `studio.publishing.jobs` (the same jobs, limiter and backends as pages),
- finished posts are announced to webhooks, and webhook deliveries are sent with retries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

import httpx

from studio.api import posts as P
from studio.api import webhooks as W
from studio.config import Settings
from studio.errors import StudioError
from studio.models import utcnow
from studio.publishing import Publisher, jobs, publisher_for_job, queue_draft
from studio.scheduling import schedule
from studio.secrets import Vault
from studio.services import Services
from studio.storage import Store

log = logging.getLogger("pinstudio.api")


def advance_approved(store: Store, settings: Settings, backend: str) -> int:
    """API drafts a person approved in the studio: publish now, or schedule them at the time asked."""
    rows = P._rows(
        store,
        "p.open = 1 and p.draft = 1 and d.status = 'approved' and j.id is null "
        "and d.scheduled_at is null and p.error_code is null",
    )
    moved = 0
    for row in rows:
        actor = "api (approved draft)"
        wanted = row.get("scheduled_at")
        try:
            if wanted and datetime.fromisoformat(wanted) > utcnow():
                schedule(store, settings, row["draft_id"], datetime.fromisoformat(wanted), tz="UTC", actor=actor)
            else:
                queue_draft(store, P._Named(backend), row["draft_id"], settings.data_dir)  # type: ignore[arg-type]
            moved += 1
        except StudioError as exc:  # e.g. a guardrail, or the job was queued from the Publish page meanwhile
            if exc.code == "already_queued":
                continue
            store.db.execute(
                "update api_posts set error_code = ?, error_message = ? where id = ?",
                [exc.code, exc.message, row["id"]],
            )
            store.db.conn.commit()
    return moved


def run_queued(store: Store, publisher_for: Callable[[dict], Publisher]) -> int:
    """Run the queued jobs of API posts (the Publish page's own jobs are left to it)."""
    ids = [
        r[0]
        for r in store.db.execute(
            "select j.id from publish_jobs j join api_posts p on p.draft_id = j.draft_id "
            "where j.status = 'queued' and p.open = 1 order by j.id limit 50"
        ).fetchall()
    ]
    for job_id in ids:
        job = jobs.get_job(store, job_id)
        try:
            jobs.run_job(store, publisher_for(job), job_id, actor="api")
        except StudioError as exc:  # the job is kept as failed; the post shows it
            log.warning("job #%s: %s", job_id, exc)
    return len(ids)


def announce(store: Store) -> int:
    """Tell webhooks about posts whose platform status changed to a final (or waiting) state."""
    told = 0
    names = {p["id"]: p["name"] for p in P.profiles(store)}
    for row in P._rows(store, "p.open = 1"):
        status, platform_status, _permalink, error = P.statuses(row)
        waiting = row.get("j_status") == "failed" and platform_status == "pending"
        key = "failed_waiting_for_retry" if waiting else platform_status
        if key == row["notified"] or key not in ("published", "failed", "failed_waiting_for_retry"):
            continue
        view = P.post_view(row, names=names)
        platform = {
            "id": f"{row['id']}-pinterest",
            "post_id": row["id"],
            "platform": "pinterest",
            "profile_id": row["profile_id"],
            "profile_name": view["platforms"][0]["profile_name"],
            "status": "failed" if waiting else platform_status,
            "error": error,
            "error_details": view["platforms"][0]["error_details"],
            "platform_id": row.get("j_pin_id"),
        }
        W.enqueue(store, f"platform_post.{key}", platform)
        final = not waiting
        if final:
            W.enqueue(
                store,
                "post.processed",
                {
                    "id": row["id"],
                    "body": view["body"],
                    "status": status,
                    "scheduled_at": view["scheduled_at"],
                    "created_at": view["created_at"],
                    "platforms": [{"id": platform["id"], "platform": "pinterest", "name": platform["profile_name"]}],
                },
            )
        store.db.execute(
            "update api_posts set notified = ?, open = ? where id = ?", [key, 0 if final else 1, row["id"]]
        )
        store.db.conn.commit()
        told += 1
    return told


class Processor:
    """Two daemon threads: posts (advance, run, announce) and webhook deliveries."""

    def __init__(
        self,
        settings: Settings,
        vault: Vault,
        *,
        services: Services | None = None,
        publisher: Publisher | None = None,
        webhook_http: httpx.Client | None = None,
        interval_s: float = 0.5,
    ) -> None:
        self.settings, self.vault, self.publisher = settings, vault, publisher
        self.services = services or Services.from_settings(settings)
        self.http = webhook_http or httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False)
        self.interval_s = interval_s
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    @property
    def backend(self) -> str:
        if self.publisher is not None:
            return self.publisher.name
        return self.services.backend()

    def publisher_for(self, store: Store) -> Callable[[dict], Publisher]:
        if self.publisher is not None:
            return lambda job: self.publisher  # type: ignore[return-value]
        built: dict = {}

        def for_job(job: dict) -> Publisher:
            account = jobs.account_of(store, job)
            if (job["backend"], account) not in built:
                built[(job["backend"], account)] = publisher_for_job(self.services.publisher, store, job)
            return built[(job["backend"], account)]

        return for_job

    def pass_once(self, store: Store) -> None:
        advance_approved(store, self.settings, self.backend)
        run_queued(store, self.publisher_for(store))
        announce(store)

    def _posts_loop(self) -> None:
        store = Store.open(self.settings.db_path)
        try:
            while not self.stop_event.is_set():
                try:
                    self.pass_once(store)
                except Exception:  # a bad row must not stop the API's publishing
                    log.exception("API processor pass failed")
                self.wake.wait(self.interval_s)
                self.wake.clear()
        finally:
            store.close()

    def _deliveries_loop(self) -> None:
        store = Store.open(self.settings.db_path)
        try:
            while not self.stop_event.is_set():
                try:
                    W.deliver_due(store, self.vault, self.http)
                except Exception:
                    log.exception("webhook delivery pass failed")
                self.stop_event.wait(self.interval_s)
        finally:
            store.close()

    def start(self) -> Processor:
        for target, name in ((self._posts_loop, "api-posts"), (self._deliveries_loop, "api-webhooks")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout=10)
