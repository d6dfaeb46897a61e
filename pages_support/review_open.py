"""The open pin beside the review grid: everything about it (`review_card.detail`), the reviewer's note and
actions with their keyboard shortcuts, and Previous / Next. Which actions a pin offers is `studio.drafts`'
rule (`statuses_allowing`), never decided here."""

from __future__ import annotations

import streamlit as st

from pages_support import review_card
from pages_support.ui import action, current_actor, error_text, flash, store
from studio.accounts import require_known_board
from studio.config import Settings
from studio.drafts import approve, comment, reject, request_changes, statuses_allowing
from studio.errors import StudioError
from studio.models import Draft
from studio.people import Actor, Permission, may
from studio.scheduling import add_to_queue, after_approval, withdraw_approval
from studio.storage import Store
from studio.text import escape_markdown

ss = st.session_state


def went_out(said: str) -> str:
    """What approving did, from what it said it would do ("Approving publishes it at 14:20 …")."""
    return said.replace("Approving publishes it", "It publishes").replace("Approving won't", "It won't")


def open_pin(draft_id: int) -> None:
    ss["rv_open"] = draft_id


def act_on_open(cfg: Settings, action: str, draft_id: int, next_id: int | None) -> None:
    """Approve / reject / request changes / comment / queue the open pin, then open the next one."""
    note = ss.get(f"note_{draft_id}", "")
    ss.pop("rv_notice", None)
    own = store(cfg)
    try:
        approved = own.get_draft(draft_id).status in statuses_allowing("withdraw")
        if action == "approve":
            pin = own.get_draft(draft_id)
            require_known_board(own, pin.board, pin.account)  # as CLI and bulk approve: refused before approving
            plan = after_approval(own, cfg, pin)
            approve(own, draft_id, actor=current_actor(), note=note, second_approver=cfg.require_second_approver)
            flash(f"Approved #{draft_id}." + ("" if plan.action == "none" else " " + went_out(plan.text)))
        elif action == "withdraw":
            withdraw_approval(own, draft_id, actor=current_actor(), note=note)
            flash(f"Approval of #{draft_id} withdrawn: it is back in review, off the schedule and the queue.", "↩️")
            next_id = draft_id
        elif action == "reject" and approved:
            withdraw_approval(own, draft_id, actor=current_actor(), note=note, then="reject")
            flash(f"Approval of #{draft_id} withdrawn, and the pin rejected.", "🔴")
        elif action == "reject":
            reject(own, draft_id, actor=current_actor(), note=note)
            flash(f"Rejected #{draft_id}.", "🔴")
        elif action == "changes" and approved:
            withdraw_approval(own, draft_id, actor=current_actor(), note=note, then="changes")
            flash(f"Approval of #{draft_id} withdrawn; sent back to its author.", "↩️")
        elif action == "changes":
            request_changes(own, draft_id, note, actor=current_actor())
            flash(f"Sent #{draft_id} back to its author.", "↩️")
        elif action == "comment":
            comment(own, draft_id, note, actor=current_actor())
            flash(f"Comment added to #{draft_id}.", "💬")
            next_id = draft_id
        elif action == "queue":
            draft, _ = add_to_queue(own, cfg, draft_id, actor=current_actor())
            flash(f"#{draft_id} queued for {draft.scheduled_at[:16].replace('T', ' ')} UTC.", "🗓️")
        ss.pop(f"note_{draft_id}", None)
        ss["rv_open"] = next_id
        ss["rv_sel"].discard(draft_id)
    except StudioError as exc:
        ss["rv_notice"] = ("error", error_text(exc.message, exc.fix))
    finally:
        own.close()


def open_pin_panel(db: Store, cfg: Settings, draft: Draft, ids: list[int]) -> None:
    """The open pin (one of `ids`, the pins on this page), its actions, and the way to its neighbours."""
    at = ids.index(draft.id)
    next_id = ids[at + 1] if at + 1 < len(ids) else None
    prev_id = ids[at - 1] if at else None
    with st.container(border=True):
        review_card.detail(db, cfg, draft)
        # The note and the actions are one form: typing a note doesn't rerun the page, and the action's click
        # sends the note with it (one run, not two). Enter in the note never acts (no accidental approval);
        # the buttons and their keys do.
        actor = current_actor()
        if may(actor, Permission.COMMENT):  # a viewer reads; the form would have nothing for them
            with st.form("open_actions", border=False, enter_to_submit=False):
                st.text_input("Note", key=f"note_{draft.id}", placeholder="Required to reject or request changes")
                _actions(db, cfg, draft, next_id, actor)
        row = st.container(horizontal=True)
        row.button(
            "← Previous",
            key="open_prev",
            shortcut="k",
            help="Shortcut: K",
            disabled=prev_id is None,
            on_click=action(open_pin),
            args=(prev_id,),
            width="stretch",
        )
        row.button(
            "Next →",
            key="open_next",
            shortcut="j",
            help="Shortcut: J",
            disabled=next_id is None,
            on_click=action(open_pin),
            args=(next_id,),
            width="stretch",
        )
        if may(actor, Permission.APPROVE):
            st.caption("Keys: **A** approve · **X** reject · **J** next · **K** previous")
        else:
            st.caption(f"Keys: **J** next · **K** previous · approving needs a reviewer (you are {actor.role.value})")


def _actions(db: Store, cfg: Settings, draft: Draft, next_id: int | None, actor: Actor) -> None:
    """The form's buttons: each shown only to a role that may use it (studio/ checks again), and enabled only
    in the statuses that allow its action."""
    status = draft.status
    if may(actor, Permission.APPROVE):
        _decisions(db, cfg, draft, next_id)
    row = st.container(horizontal=True)
    if may(actor, Permission.REQUEST_CHANGES):
        row.form_submit_button(
            "↩️ Request changes",
            key="open_changes",
            disabled=status not in statuses_allowing("changes") | statuses_allowing("withdraw"),
            on_click=action(act_on_open),
            args=(cfg, "changes", draft.id, next_id),
            width="stretch",
        )
    row.form_submit_button(
        "💬 Comment",
        key="open_comment",
        on_click=action(act_on_open),
        args=(cfg, "comment", draft.id, None),
        width="stretch",
    )
    if status in statuses_allowing("queue") and may(actor, Permission.SCHEDULE):
        st.form_submit_button(
            "🗓️ Add to queue" + (" (reschedule)" if draft.scheduled_at else ""),
            key="open_queue",
            help="The next free posting slot of its board (Calendar shows them).",
            on_click=action(act_on_open),
            args=(cfg, "queue", draft.id, draft.id),
            width="stretch",
        )


def _decisions(db: Store, cfg: Settings, draft: Draft, next_id: int | None) -> None:
    """What approving will do (said before the click), then approve and reject (a reviewer's), with their keys."""
    status = draft.status
    if status in statuses_allowing("approve"):
        plan = after_approval(db, cfg, draft)
        if plan.action == "blocked":
            st.warning(escape_markdown(plan.text), icon="🛑")
        elif plan.action != "none":
            st.info(escape_markdown(plan.text), icon="🗓️")
    row = st.container(horizontal=True)
    row.form_submit_button(
        "✅ Approve",
        key="open_approve",
        shortcut="a",
        help="Shortcut: A",
        disabled=status not in statuses_allowing("approve"),
        on_click=action(act_on_open),
        args=(cfg, "approve", draft.id, next_id),
        width="stretch",
        type="primary",
    )
    row.form_submit_button(
        "❌ Reject",
        key="open_reject",
        shortcut="x",
        help="Shortcut: X (needs a note)",
        disabled=status not in statuses_allowing("reject") | statuses_allowing("withdraw"),
        on_click=action(act_on_open),
        args=(cfg, "reject", draft.id, next_id),
        width="stretch",
    )
    if status in statuses_allowing("withdraw"):
        st.form_submit_button(
            "↩️ Withdraw approval",
            key="open_withdraw",
            help="Back to review: off the schedule, and a publish job that hasn't started is cancelled.",
            on_click=action(act_on_open),
            args=(cfg, "withdraw", draft.id, draft.id),
            width="stretch",
        )
