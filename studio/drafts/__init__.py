"""Drafts: the pin's life cycle (save, submit, approve bound to the exact content, reject, reopen), review
(comments, requested changes, history, bulk actions, the dashboard) and a video draft's cover.

Every action takes the `studio.people.Actor` doing it and checks its role first; approving checks four eyes.

May import: studio core, studio.people, studio.media. Never drafting (the LLM), publishing or scheduling at import time.
"""

from studio.drafts.autosave import autosave, autosaved, discard_autosave
from studio.drafts.covers import (
    cover_image,
    cover_offset,
    get_cover,
    key_frame_second,
    migrations,
    set_cover,
    set_cover_frame,
)
from studio.drafts.lengths import LIMITS, count_label, over_limit, shorten, too_long_reasons
from studio.drafts.lifecycle import (
    approval_is_current,
    approve,
    approve_as_posted,
    change_cover,
    content_authors,
    reject,
    reopen,
    require_current_approval,
    save_draft,
    split_keywords,
    submit_for_review,
    validate_fields,
    withdraw_approval,
)
from studio.drafts.lint import SHORTENERS, keyword_list, lint, passed
from studio.drafts.review import (
    ATTENTION_STATUSES,
    attention_filter,
    changes_requested,
    comment,
    dashboard,
    describe,
    request_changes,
    statuses_allowing,
    thread,
    timeline,
    waiting_on,
)
from studio.drafts.voice import BrandVoice, find_avoided, split_words, without_avoided

__all__ = [
    "ATTENTION_STATUSES",
    "LIMITS",
    "SHORTENERS",
    "BrandVoice",
    "approval_is_current",
    "approve",
    "approve_as_posted",
    "attention_filter",
    "autosave",
    "autosaved",
    "change_cover",
    "changes_requested",
    "comment",
    "content_authors",
    "count_label",
    "cover_image",
    "cover_offset",
    "dashboard",
    "describe",
    "discard_autosave",
    "find_avoided",
    "get_cover",
    "key_frame_second",
    "keyword_list",
    "lint",
    "migrations",
    "over_limit",
    "passed",
    "reject",
    "reopen",
    "request_changes",
    "require_current_approval",
    "save_draft",
    "set_cover",
    "set_cover_frame",
    "shorten",
    "split_keywords",
    "split_words",
    "statuses_allowing",
    "submit_for_review",
    "thread",
    "timeline",
    "too_long_reasons",
    "validate_fields",
    "waiting_on",
    "withdraw_approval",
    "without_avoided",
]
