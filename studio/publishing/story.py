"""Publish jobs told as a story for people: what was published where and when, in words; dry runs said so.

The History and Home pages read this; the raw requests stay available from `jobs.requests_sent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studio.errors import NotFoundError
from studio.publishing import jobs
from studio.publishing.dry_run import DRY_RUN_PREFIX
from studio.storage import Store

DRY_RUN_BACKEND = "dry-run"

# What each step of a job means, as a sentence fragment (jobs.STEPS plus the endings).
STEP_WORDS = {
    "queued": "queued",
    "uploading_media": "uploaded the video",
    "processing_media": "Pinterest processed the video",
    "creating_pin": "created the pin",
    "published": "published",
    "failed": "failed",
    "needs_attention": "stopped: the outcome needs a check",
}
HEADLINES = {
    "published": ("📌", "Published on Pinterest"),
    "dry_run": ("🧪", "Dry run — nothing was posted"),
    "failed": ("❌", "Failed"),
    "needs_attention": ("⚠️", "Needs a check"),
}


@dataclass
class JobStory:
    """One publish job as a person reads it."""

    job_id: int
    draft_id: int | None
    icon: str
    headline: str
    title: str
    board: str
    media_id: int | None
    when: str  # local time, with its zone
    steps: str  # the steps in words, in order
    dry_run: bool
    pin_url: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)


def is_dry_run(job: dict) -> bool:
    """A job that recorded its requests instead of sending them."""
    return job.get("backend") == DRY_RUN_BACKEND or str(job.get("pin_id") or "").startswith(DRY_RUN_PREFIX)


def dry_run_draft_ids(store: Store) -> set[int]:
    """Drafts marked published only by a dry run (no real publish job succeeded for them)."""
    rows = store.db.execute(
        """
        SELECT draft_id FROM publish_jobs WHERE status = 'published' AND draft_id IS NOT NULL
        GROUP BY draft_id HAVING SUM(backend != ?) = 0
        """,
        [DRY_RUN_BACKEND],
    ).fetchall()
    return {r[0] for r in rows}


def published_counts(store: Store, counts: dict[str, int]) -> dict[str, int]:
    """Draft counts per status with dry runs apart: `published` counts real pins only, `dry_run` the rest."""
    dry = len(dry_run_draft_ids(store) & {d.id for d in store.list_drafts(["published"], limit=1_000_000)})
    return {**counts, "published": max(0, counts.get("published", 0) - dry), "dry_run": dry}


def local_when(utc_iso: str | None, tz: str) -> str:
    """`Tue 2 Dec 2026, 09:14 (Europe/Paris)` from a stored UTC timestamp."""
    if not utc_iso:
        return ""
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone, tz = ZoneInfo("UTC"), "UTC"
    moment = datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone(zone)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} ({tz or 'UTC'})"


def _steps_in_words(store: Store, job: dict, dry: bool) -> str:
    names = list(dict.fromkeys(s["step"] for s in jobs.steps(store, job["id"])))
    words = [STEP_WORDS.get(n, n.replace("_", " ")) for n in names]
    if dry:
        words = [
            "recorded the requests it would send (dry run)" if w in ("created the pin", "published") else w
            for w in words
        ]
        words = list(dict.fromkeys(words))
    if not words:
        return ""
    sentence = " → ".join(words)
    return sentence[0].upper() + sentence[1:] + "."


def story(store: Store, job: dict, tz: str = "UTC") -> JobStory:
    """The story of one job (a row from `jobs.list_jobs`)."""
    pin = ((job.get("payload") or {}).get("platforms") or {}).get("pinterest") or {}
    draft = None
    if job.get("draft_id"):
        try:
            draft = store.get_draft(job["draft_id"])
        except NotFoundError:  # deleted since: the payload still says what was sent
            draft = None
    dry = is_dry_run(job)
    key = "dry_run" if dry and job["status"] == "published" else job["status"]
    icon, headline = HEADLINES.get(key, ("⏳", "In progress"))
    http = jobs.requests_sent(store, job["id"])
    notes = []
    if len(http) > 1 and not dry:
        notes.append(f"{len(http)} requests to Pinterest (retries included).")
    if job.get("resolved_by"):
        notes.append(f"Marked resolved by {job['resolved_by']}.")
    notes += list(job.get("warnings") or [])
    pin_url = str(job.get("pin_url") or "")
    error = " ".join(p for p in (job.get("error_message"), job.get("error_fix")) if p)
    return JobStory(
        job_id=job["id"],
        draft_id=job.get("draft_id"),
        icon=icon,
        headline=headline,
        title=(draft.title if draft else "") or pin.get("title") or "(untitled pin)",
        board=(draft.board if draft else "") or pin.get("board_name") or pin.get("board_id") or "",
        media_id=draft.media_id if draft else None,
        when=local_when(job.get("finished_at") or job.get("updated_at") or job.get("created_at"), tz),
        steps=_steps_in_words(store, job, dry),
        dry_run=dry,
        pin_url=pin_url if pin_url.startswith(("http://", "https://")) else "",
        error=error if job["status"] in ("failed", "needs_attention") else "",
        notes=notes,
    )
