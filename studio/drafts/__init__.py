"""Drafts: the pin's life cycle (save, submit, approve bound to the exact content, reject, reopen), review
(comments, requested changes, history, bulk actions, the dashboard) and a video draft's cover.

May import: studio core, studio.media. Never drafting (the LLM), publishing or scheduling at import time.
"""

from studio.drafts.covers import cover_offset, get_cover, key_frame_second, set_cover
from studio.drafts.lifecycle import (
    approval_is_current,
    approve,
    change_cover,
    reject,
    reopen,
    require_current_approval,
    save_draft,
    split_keywords,
    submit_for_review,
    validate_fields,
)
from studio.drafts.review import (
    ATTENTION_STATUSES,
    BULK_ACTIONS,
    BulkResult,
    attention_filter,
    bulk,
    changes_requested,
    check_bulk_request,
    comment,
    dashboard,
    describe,
    request_changes,
    thread,
    timeline,
    waiting_on,
)

__all__ = [
    "ATTENTION_STATUSES",
    "BULK_ACTIONS",
    "BulkResult",
    "approval_is_current",
    "approve",
    "attention_filter",
    "bulk",
    "change_cover",
    "changes_requested",
    "check_bulk_request",
    "comment",
    "cover_offset",
    "dashboard",
    "describe",
    "get_cover",
    "key_frame_second",
    "reject",
    "reopen",
    "request_changes",
    "require_current_approval",
    "save_draft",
    "set_cover",
    "split_keywords",
    "submit_for_review",
    "thread",
    "timeline",
    "validate_fields",
    "waiting_on",
]
