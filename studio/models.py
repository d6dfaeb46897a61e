"""Pydantic models and enums of the studio's domain. No I/O here."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

from studio.errors import TransitionError


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None = None) -> str:
    """UTC timestamp as stored in SQLite: sortable ISO 8601 with offset."""
    return (dt or utcnow()).astimezone(UTC).isoformat(timespec="microseconds")


class Acting(Protocol):
    """Who acts, as storage records it (`studio.people.Actor` is one; storage knows no more of people):
    `ref` is stable and never a typed name (`user:12`, `cli:ana`), `name` is how history shows them,
    `person_ref` is the person who answers for it (an API key's owner)."""

    @property
    def ref(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def person_ref(self) -> str: ...


class DraftStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    FAILED = "failed"


# The life cycle of a pin. A rejected draft goes back to editing; a failed publish can be
# retried (approved) or edited (draft). Published is final.
TRANSITIONS: dict[DraftStatus, frozenset[DraftStatus]] = {
    DraftStatus.DRAFT: frozenset({DraftStatus.IN_REVIEW}),
    DraftStatus.IN_REVIEW: frozenset({DraftStatus.APPROVED, DraftStatus.REJECTED, DraftStatus.DRAFT}),
    DraftStatus.APPROVED: frozenset(
        {DraftStatus.PUBLISHED, DraftStatus.FAILED, DraftStatus.DRAFT, DraftStatus.IN_REVIEW}
    ),
    DraftStatus.REJECTED: frozenset({DraftStatus.DRAFT}),
    DraftStatus.FAILED: frozenset({DraftStatus.APPROVED, DraftStatus.DRAFT}),
    DraftStatus.PUBLISHED: frozenset(),
}


def check_transition(current: DraftStatus | str, target: DraftStatus | str) -> None:
    """Raise TransitionError unless a draft may move from `current` to `target`."""
    current, target = DraftStatus(current), DraftStatus(target)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing"
        raise TransitionError(
            f"A draft that is '{current.value}' cannot become '{target.value}'.",
            fix=f"From '{current.value}' it can become: {allowed}.",
        )


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    UNKNOWN = "unknown"


class MediaAsset(BaseModel):
    """A media file stored in the data dir by content hash."""

    id: int
    sha256: str
    kind: MediaKind
    path: str = Field(description="path relative to the data dir")
    original_name: str = ""
    mime: str = ""
    format: str = ""
    bytes: int = 0
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    source_id: int | None = Field(None, description="the asset this one was fixed from")
    fix: str | None = None
    created_at: str = ""


class Draft(BaseModel):
    """Pin copy and its target, as a reviewer sees and edits it."""

    id: int
    media_id: int | None = None
    title: str = ""
    description: str = ""
    alt_text: str = ""
    link: str = ""
    board: str = ""
    board_section: str = ""
    topic: str = ""
    keywords: str = ""
    status: DraftStatus = DraftStatus.DRAFT
    version: int = 1
    provider: str = ""
    model: str = ""
    approved_hash: str | None = None
    author: str = ""  # the display name of who created it (a typed name, for drafts from before accounts)
    author_ref: str | None = None  # the person who created it (`user:12`); None before accounts
    account: str = ""
    scheduled_at: str | None = None
    schedule_tz: str = ""
    lint_failures: int = 0
    media_warnings: int = 0
    created_at: str = ""
    updated_at: str = ""

    def content_hash(self, media_sha256: str = "") -> str:
        """Hash of everything an approval covers: copy, link, board and media."""
        payload = {
            "title": self.title,
            "description": self.description,
            "alt_text": self.alt_text,
            "link": self.link,
            "board": self.board,
            "board_section": self.board_section,
            "media": media_sha256 or str(self.media_id or ""),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


EDITABLE_FIELDS = (
    "title",
    "description",
    "alt_text",
    "link",
    "board",
    "board_section",
    "topic",
    "keywords",
    "media_id",
    "account",
)
# What an approval covers (see Draft.content_hash): changing any of these voids it.
APPROVED_FIELDS = ("title", "description", "alt_text", "link", "board", "board_section", "media_id")


class Event(BaseModel):
    """One line of a draft's append-only history."""

    id: int
    draft_id: int
    at: str
    actor: str  # the display name (or, before accounts, the name someone typed)
    action: str
    detail: dict = Field(default_factory=dict)
    actor_ref: str | None = None  # who did it (`user:12`, `cli:ana`, `api:key_1`); None before accounts
    person_ref: str | None = None  # the person who answers for it (an API key's owner)


class DraftFilter(BaseModel):
    """What the review queue can be narrowed to."""

    statuses: list[DraftStatus] = Field(default_factory=list)
    board: str = ""
    account: str = ""
    author: str = ""
    updated_from: str = ""  # ISO date (inclusive)
    updated_to: str = ""  # ISO date (inclusive)
    lint_failing: bool = False
    media_warnings: bool = False
    text: str = ""
