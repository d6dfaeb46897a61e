"""The draft life cycle as the pages and the CLI use it: create, edit, review, approve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio import constraints, people
from studio.drafts.covers import cover_image, cover_offset, key_frame_second, set_cover
from studio.errors import StudioError, ValidationError
from studio.models import APPROVED_FIELDS, EDITABLE_FIELDS, Draft, DraftStatus, Event
from studio.people import Actor, Permission
from studio.storage import Store

# What changes a pin's content (what an approval covers): who did any of it since the last approval
# is an author for four eyes.
CONTENT_ACTIONS = frozenset({"created", "cover_changed", "slide_alt_text_changed", "media_fixed"})


def split_keywords(text: str) -> list[str]:
    return [k.strip() for k in text.replace(";", ",").split(",") if k.strip()]


def validate_fields(fields: dict[str, Any]) -> None:
    """Refuse what can never be published: an empty title, over-long text, a non-web link."""
    title = (fields.get("title") or "").strip()
    if not title:
        raise ValidationError(
            "The title is empty.",
            fix="Write a title (up to 100 characters) or press Draft copy.",
            code="title_required",
        )
    limits = {
        "title": constraints.TITLE_MAX,
        "description": constraints.DESCRIPTION_MAX,
        "alt_text": constraints.ALT_TEXT_MAX,
        "link": constraints.LINK_MAX,
    }
    for name, limit in limits.items():
        value = fields.get(name) or ""
        if len(value) > limit:
            label = name.replace("_", " ")
            raise ValidationError(
                f"The {label} is {len(value)} characters; Pinterest allows {limit}.",
                fix=f"Shorten it by {len(value) - limit} characters.",
                code="text_too_long",
            )
    link = (fields.get("link") or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise ValidationError(
            "The destination link must be a web address starting with https://.",
            fix="Paste the full address, e.g. https://example.com/page.",
            code="invalid_link",
        )


def save_draft(
    store: Store, draft_id: int | None, fields: dict[str, Any], *, actor: Actor, expected_version: int | None = None
) -> Draft:
    """Create a draft or save edits to one; an edit to approved content sends it back to review."""
    people.require(actor, Permission.COMPOSE if draft_id is None else Permission.EDIT)
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if draft_id is None:
        validate_fields(clean)
        created = store.create_draft(actor=actor, **clean)
        refresh_marks(store, created)
        return created
    draft = store.get_draft(draft_id)
    version = draft.version if expected_version is None else expected_version
    validate_fields({**draft.model_dump(), **clean})
    changed = {k: v for k, v in clean.items() if k in EDITABLE_FIELDS and getattr(draft, k) != v}
    extra = {k: v for k, v in clean.items() if k not in EDITABLE_FIELDS}
    if not changed and not extra:
        if version != draft.version:
            store.update_draft(draft_id, {}, expected_version=version, actor=actor)  # raises conflict
        return draft
    if draft.status is DraftStatus.PUBLISHED:
        raise ValidationError(
            "This pin is already published; its draft can't change.",
            fix="Duplicate it as a new draft instead.",
            code="already_published",
        )
    with store.atomic():  # the edit and the approval it voids are one change: never an edited pin still approved
        updated = store.update_draft(draft_id, {**changed, **extra}, expected_version=version, actor=actor)
        voiding = sorted(k for k in changed if k in APPROVED_FIELDS)
        if voiding and updated.status in (DraftStatus.APPROVED, DraftStatus.FAILED):
            reason = "edited after approval: " + ", ".join(voiding)
            updated = store.set_status(
                draft_id,
                DraftStatus.IN_REVIEW if updated.status is DraftStatus.APPROVED else DraftStatus.DRAFT,
                actor=actor,
                note=reason,
                extra={"approved_hash": None},
            )
        if changed:
            refresh_marks(store, updated)
    return updated


def refresh_marks(store: Store, draft: Draft) -> None:
    """Keep the queue's lint-failure and media-warning counts in step with the content."""
    try:
        from studio.drafts.lint import lint

        failures = sum(not r["ok"] for r in lint(draft.model_dump(), store=store, draft_id=draft.id))
    except StudioError:
        failures = 0
    facts = store.media_facts(draft.media_id) if draft.media_id else {}
    warnings = len(facts.get("warnings") or []) + len(facts.get("errors") or [])
    store.set_draft_marks(draft.id, lint_failures=failures, media_warnings=warnings)


def submit_for_review(store: Store, draft_id: int, *, actor: Actor) -> Draft:
    people.require(actor, Permission.SUBMIT)
    draft = store.get_draft(draft_id)
    validate_fields(draft.model_dump())
    return store.set_status(draft_id, DraftStatus.IN_REVIEW, actor=actor)


def _media_sha(store: Store, draft: Draft) -> str:
    """The media as approved: its content hash, and for a video the cover second chosen."""
    if not draft.media_id:
        return ""
    sha = store.get_media(draft.media_id).sha256
    offset = cover_offset(store, draft.id, draft.media_id)
    cover_url, cover_file = cover_image(store, draft.id, draft.media_id)
    if cover_url or cover_file:  # a cover image replaces the frame time
        return f"{sha}@cover={cover_url or Path(cover_file or '').name}"
    return sha if offset is None else f"{sha}@cover={key_frame_second(offset)}"


def change_cover(
    store: Store, draft_id: int, media_id: int, offset_s: float, cover_media_id: int | None = None, *, actor: Actor
) -> Draft:
    """Choose a video's cover frame. A different cover on an approved pin voids the approval."""
    people.require(actor, Permission.EDIT)
    before = cover_offset(store, draft_id, media_id)
    set_cover(store, draft_id, media_id, offset_s, cover_media_id)
    draft = store.get_draft(draft_id)
    if before is not None and key_frame_second(before) == key_frame_second(offset_s):
        return draft
    store.add_event(draft_id, actor, "cover_changed", {"offset_s": key_frame_second(offset_s)})
    if draft.status in (DraftStatus.APPROVED, DraftStatus.FAILED) and draft.approved_hash:
        draft = store.set_status(
            draft_id,
            DraftStatus.IN_REVIEW if draft.status is DraftStatus.APPROVED else DraftStatus.DRAFT,
            actor=actor,
            note="edited after approval: cover",
            extra={"approved_hash": None},
        )
    return draft


def approve(store: Store, draft_id: int, *, actor: Actor, note: str = "", second_approver: bool | None = None) -> Draft:
    """Approve the exact content: the approval stores a hash that any later edit voids.

    Four eyes: when `people.second_approver_required` (pass `settings.require_second_approver`), someone
    who wrote the current content may not approve it. Checked and written in one transaction."""
    people.require(actor, Permission.APPROVE)
    with store.atomic():
        if people.second_approver_required(store, second_approver):
            people.check_four_eyes(actor, content_authors(store, draft_id))
        return _approve(store, draft_id, actor, note)


def approve_as_posted(store: Store, draft_id: int, *, actor: Actor, note: str) -> Draft:
    """A post from an API key holding `posts:publish`: approved as sent, with no second person. Only an
    owner can mint that scope, and the key acts with its owner's role (who must still be allowed to approve)."""
    people.require(actor, Permission.APPROVE)
    if actor.kind != "api":
        raise people.PermissionDenied(
            "Only an API key with the posts:publish scope skips review.", fix="Approve it in Review."
        )
    people.require_scope(actor, people.Scope.POSTS_PUBLISH)
    with store.atomic():
        return _approve(store, draft_id, actor, note)


def _approve(store: Store, draft_id: int, actor: Actor, note: str) -> Draft:
    draft = store.get_draft(draft_id)
    if draft.status is DraftStatus.DRAFT:
        validate_fields(draft.model_dump())
        draft = store.set_status(draft_id, DraftStatus.IN_REVIEW, actor=actor)
    return store.set_status(
        draft_id,
        DraftStatus.APPROVED,
        actor=actor,
        note=note,
        extra={"approved_hash": draft.content_hash(_media_sha(store, draft))},
    )


def content_authors(store: Store, draft_id: int) -> set[str | None]:
    """Who wrote the content as it is now: the people who changed it since it was last approved (None for
    an event from before accounts, which four eyes can't match)."""
    authors: set[str | None] = set()
    for event in store.events(draft_id):
        if event.action == "status:approved":
            authors.clear()
        elif _changes_content(event):
            authors.add(event.person_ref)
    return authors


def _changes_content(event: Event) -> bool:
    if event.action == "edited":
        return any(field in event.detail for field in APPROVED_FIELDS)
    return event.action in CONTENT_ACTIONS


def reject(store: Store, draft_id: int, *, actor: Actor, note: str = "") -> Draft:
    people.require(actor, Permission.REJECT)
    if not note.strip():
        raise ValidationError("A rejection needs a note.", fix="Tell the author what to change.", code="note_required")
    return store.set_status(draft_id, DraftStatus.REJECTED, actor=actor, note=note.strip())


def withdraw_approval(store: Store, draft_id: int, *, actor: Actor, note: str = "") -> Draft:
    """Take back an approved pin's approval: back to review, off the schedule, with the note in its history.
    (studio.scheduling.withdraw_approval also cancels its queued publish job: the Review page calls that.)"""
    people.require(actor, Permission.APPROVE)
    draft = store.get_draft(draft_id)
    if draft.status is DraftStatus.PUBLISHED:
        raise ValidationError(
            f"Pin #{draft_id} is already published; its approval can't be taken back.",
            fix="Change or delete it on Pinterest instead.",
            code="already_published",
        )
    if draft.status is not DraftStatus.APPROVED:
        raise ValidationError(
            f"Pin #{draft_id} is '{draft.status.value}', not approved: there is no approval to take back.",
            fix="Reject it or request changes instead.",
            code="not_approved",
        )
    said = "approval withdrawn" + (f" (was scheduled for {draft.scheduled_at})" if draft.scheduled_at else "")
    return store.set_status(
        draft_id,
        DraftStatus.IN_REVIEW,
        actor=actor,
        note=said + (f": {note.strip()}" if note.strip() else ""),
        extra={"approved_hash": None, "scheduled_at": None, "schedule_tz": ""},
    )


def reopen(store: Store, draft_id: int, *, actor: Actor) -> Draft:
    """Back to editing (from rejected, failed or in review)."""
    people.require(actor, Permission.EDIT)
    return store.set_status(draft_id, DraftStatus.DRAFT, actor=actor, extra={"approved_hash": None})


def require_current_approval(store: Store, draft: Draft, doing: str) -> None:
    """Refuse to publish or schedule a pin that isn't approved, or changed since it was."""
    if draft.status is not DraftStatus.APPROVED:
        raise ValidationError(
            f"Only approved pins can be {doing}; #{draft.id} is '{draft.status.value}'.",
            fix="Send it through review first.",
            code="not_approved",
        )
    if not approval_is_current(store, draft):
        raise ValidationError(
            "This pin changed after it was approved.", fix="Ask a reviewer to approve it again.", code="approval_void"
        )


def approval_is_current(store: Store, draft: Draft) -> bool:
    """True when the draft's content is exactly what was approved."""
    return bool(draft.approved_hash) and draft.approved_hash == draft.content_hash(_media_sha(store, draft))
