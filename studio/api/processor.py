"""The API server's background work, in threads of its own (never inside a request, never blocking a publish):

- approved API drafts are queued (or scheduled at the time their post asked for),
- queued jobs of API posts run through `studio.publishing.jobs` (the same jobs, limiter and backends as pages),
- finished posts are announced to webhooks, and webhook deliveries are sent with retries (`webhooks.Deliveries`),
- failed jobs are tried again when that can help: after a pause for a 429/5xx/network error
  (`platform_post.failed_waiting_for_retry` meanwhile), or once a person reconnected the account.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

import httpx

from studio.api import posts, webhooks
from studio.config import Settings
from studio.errors import StudioError
from studio.models import DraftStatus, utcnow
from studio.netguard import guarded_client
from studio.people import Actor
from studio.publishing import Publisher, jobs, publisher_for_job
from studio.scheduling import ApprovalRequest, publish_approved
from studio.secrets import Vault
from studio.services import Services
from studio.storage import Store

log = logging.getLogger("pinstudio.api")
# Who the processor acts as: it publishes what a person approved (or a posts:publish key sent), like the worker.
PROCESSOR = Actor.worker("api")
# Open posts that may have work left for a pass. A post waiting in Review (listed as draft) or on its
# schedule (scheduled) has none until a person or the worker moves it, and the triggers of `tables.m006`
# then list it anew. Indexed (`m007`): a pass after each create costs the same with 10 posts in Review as
# with 100,000.
WORKING = "p.open = 1 and p.listed_status in ('pending', 'processing', 'processed', 'media_processing_failed')"


def advance_approved(store: Store, settings: Settings, backend: str) -> int:
    """API drafts a person approved in the studio go through the same queue and guardrails as every pin
    (`scheduling.publish_approved`, what the Review page said approving would do): at the time their post asked
    for, else now if now clears every guardrail, else the next free time. Oldest first."""
    rows = [
        row
        for row in posts._rows(store, f"{WORKING} and p.draft = 1 and p.error_code is null")
        if row["d_status"] == DraftStatus.APPROVED.value and row["j_id"] is None and row["d_scheduled_at"] is None
    ]
    moved = 0
    for row in sorted(rows, key=lambda row: row["draft_id"]):
        wanted = row.get("scheduled_at")
        asked = ApprovalRequest(asked=datetime.fromisoformat(wanted) if wanted else None)
        try:
            publish_approved(
                store,
                settings,
                row["draft_id"],
                posts._Named(backend),  # type: ignore[arg-type]
                actor=PROCESSOR,
                request=asked,
            )
            moved += 1
        except StudioError as exc:  # e.g. a guardrail no time clears, or the job was queued from the Publish page
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
    open_drafts = [r[0] for r in store.db.execute(f"select draft_id from api_posts p where {WORKING}").fetchall()]
    ids = jobs.queued_for_drafts(store, open_drafts, limit=50)
    for job_id in ids:
        job = jobs.get_job(store, job_id)
        try:
            jobs.run_job(store, publisher_for(job), job_id, actor=PROCESSOR)
        except StudioError as exc:  # the job is kept as failed; the post shows it
            log.warning("job #%s: %s", job_id, exc)
    return len(ids)


def retry_waiting(store: Store, publisher_for: Callable[[dict], Publisher], *, now: datetime | None = None) -> int:
    """Run again the failed jobs of open API posts that wait: a retryable error (429, 5xx, network) after its
    pause, or a refused token once the account was reconnected. `retry_job` resumes from the job's checkpoint
    (an unanswered create is looked for on the board first), so a retry never makes a second pin."""
    from studio.accounts import ready

    now = now or utcnow()
    retried = 0
    # `+`: not the live-posts index for `deleted_at` (all 100,000 of them), the open-posts one (WORKING)
    open_posts = posts._rows(store, f"{WORKING} and +p.deleted_at is null and p.error_code is null")
    for row in [r for r in open_posts if r["j_status"] == "failed"]:
        done = row.get("auto_retries") or 0
        if row["j_error_code"] == "reconnect_required" and row["d_status"] == DraftStatus.APPROVED.value:
            # Scheduled ones are the worker's (it publishes them once the account is ready again).
            if row.get("d_scheduled_at") or not ready(store, row.get("d_account") or None):
                continue
            counted = False
        elif posts.will_retry(row):
            pause = posts.RETRY_BACKOFF_S[min(done, len(posts.RETRY_BACKOFF_S) - 1)]
            finished = datetime.fromisoformat(row["j_finished_at"]) if row.get("j_finished_at") else now
            if (now - finished).total_seconds() < pause:
                continue
            counted = True
        else:
            continue
        if counted:  # counted before it runs: a crash mid-retry can't make it retry forever
            store.db.execute("update api_posts set auto_retries = ? where id = ?", [done + 1, row["id"]])
            store.db.conn.commit()
        job = jobs.get_job(store, row["j_id"])
        try:
            jobs.retry_job(store, publisher_for(job), job["id"], actor=PROCESSOR)
        except StudioError as exc:  # refused before it ran (e.g. the account was removed): the post fails for good
            log.warning("retry of job #%s: %s", job["id"], exc)
            store.db.execute(
                "update api_posts set error_code = ?, error_message = ? where id = ?",
                [exc.code, exc.message, row["id"]],
            )
            store.db.conn.commit()
        retried += 1
    return retried


def announce(store: Store) -> int:
    """Tell webhooks about posts whose platform status changed to a final (or waiting) state."""
    told = 0
    names = {p["id"]: p["name"] for p in posts.profiles(store)}
    for row in posts._rows(store, WORKING):
        status, platform_status, _permalink, error = posts.statuses(row)
        waiting = row.get("j_status") == "failed" and platform_status == "pending"
        key = "failed_waiting_for_retry" if waiting else platform_status
        # each failed attempt that will be retried is announced once (its finish time tells them apart)
        mark = f"{key}@{row.get('j_finished_at') or ''}" if waiting else key
        if mark == row["notified"] or key not in ("published", "failed", "failed_waiting_for_retry"):
            continue
        view = posts.post_view(row, names=names)
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
        webhooks.enqueue(store, f"platform_post.{key}", platform, key_id=row["key_id"])
        final = not waiting
        if final:
            webhooks.enqueue(
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
                key_id=row["key_id"],
            )
        store.db.execute(
            "update api_posts set notified = ?, open = ? where id = ?", [mark, 0 if final else 1, row["id"]]
        )
        store.db.conn.commit()
        told += 1
    return told


class Processor:
    """Two daemon threads: posts (advance, run, announce) and webhook deliveries (sent on their own pool)."""

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
        # Webhook URLs are typed by API users: the same SSRF guard as media links (STUDIO_FETCH_ALLOW_PRIVATE).
        self.http = webhook_http or guarded_client(timeout=httpx.Timeout(10.0))
        self.deliveries = webhooks.Deliveries(vault, self.http)
        self.interval_s = interval_s
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self._built: dict = {}

    @property
    def backend(self) -> str:
        if self.publisher is not None:
            return self.publisher.name
        return self.services.backend()

    def publisher_for(self, store: Store) -> Callable[[dict], Publisher]:
        if self.publisher is not None:
            return lambda job: self.publisher  # type: ignore[return-value]
        built = self._built  # one backend (and its HTTP client) per backend and account, kept across passes

        def for_job(job: dict) -> Publisher:
            account = jobs.account_of(store, job)
            if (job["backend"], account) not in built:
                built[(job["backend"], account)] = publisher_for_job(self.services.publisher, store, job)
            return built[(job["backend"], account)]

        return for_job

    def pass_once(self, store: Store) -> None:
        advance_approved(store, self.settings, self.backend)
        publisher_for = self.publisher_for(store)
        run_queued(store, publisher_for)
        announce(store)  # before any retry: a waiting post is announced as such first
        retry_waiting(store, publisher_for)

    def _posts_loop(self) -> None:
        store = self.services.store()
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
        store = self.services.store()
        try:
            while not self.stop_event.is_set():
                try:
                    self.deliveries.pass_once(store)
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
        self.deliveries.close()
