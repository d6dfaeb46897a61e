"""Publishing: one call publishes a pin through a backend chosen by `STUDIO_PUBLISHER` (pinterest, postproxy,
dry-run); every publish is a job in SQLite that retries safely and never posts twice.

It owns the guardrails ("may this pin go out at time T", `check_pin`/`require_clear`): every path to Pinterest
asks them, publishing now (`queue_draft`, `publish_draft`) here, scheduling and approval in studio.scheduling.

May import: studio core, studio.people, studio.pinterest, studio.media, studio.drafts. Not studio.accounts: what it
needs to know about an account (tokens, "reconnect needed") the composition root hands in through BackendDeps.
"""

from studio.publishing import jobs
from studio.publishing.base import (
    AccountReady,
    BackendDeps,
    NullProgress,
    Progress,
    Publisher,
    Publishers,
    PublishOutcome,
    effective_backend,
    get_publisher,
    register_publisher,
)
from studio.publishing.dry_run import DRY_RUN_PREFIX
from studio.publishing.guardrails import (
    TIME_GUARDRAILS,
    Guardrail,
    Outgoing,
    audit_override,
    check_pin,
    is_shortened,
    outgoing,
    repeat_clears_at,
    require_clear,
    scheduled_with_override,
    spacing_clears_at,
    time_rules,
)
from studio.publishing.jobs import migrations
from studio.publishing.payload import (
    CarouselItem,
    PinterestOptions,
    Platforms,
    Post,
    PublishRequest,
    plan_media,
)
from studio.publishing.service import publish_draft, publish_request, publisher_for_job, queue_draft
from studio.publishing.story import JobStory, dry_run_draft_ids, is_dry_run, local_when, published_counts, story

__all__ = [
    "DRY_RUN_PREFIX",
    "TIME_GUARDRAILS",
    "AccountReady",
    "BackendDeps",
    "CarouselItem",
    "Guardrail",
    "JobStory",
    "NullProgress",
    "Outgoing",
    "PinterestOptions",
    "Platforms",
    "Post",
    "Progress",
    "PublishOutcome",
    "PublishRequest",
    "Publisher",
    "Publishers",
    "audit_override",
    "check_pin",
    "dry_run_draft_ids",
    "effective_backend",
    "get_publisher",
    "is_dry_run",
    "is_shortened",
    "jobs",
    "local_when",
    "migrations",
    "outgoing",
    "plan_media",
    "publish_draft",
    "publish_request",
    "published_counts",
    "publisher_for_job",
    "queue_draft",
    "register_publisher",
    "repeat_clears_at",
    "require_clear",
    "scheduled_with_override",
    "spacing_clears_at",
    "story",
    "time_rules",
]
