"""The review grid's bulk bar: the selection (one set of draft ids, the truth every box is drawn from), the
action on it, and what was refused. It sticks under the top edge while the user ticks pins further down."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from pages_support.ui import action, current_actor, error_text, errors_shown, flash, store
from studio.bulk import bulk, check_bulk_request
from studio.config import Settings
from studio.drafts import statuses_allowing
from studio.errors import StudioError
from studio.models import Draft
from studio.people import Permission, may
from studio.scheduling import approval_summary, plans_after_approval, wall_clock
from studio.text import escape_markdown

BULK_LABELS = {
    "approve": "Approve",
    "submit": "Submit for review",
    "reject": "Reject (one note for all)",
    "schedule": "Schedule at…",
    "queue": "Add to posting queue",
    "move": "Move to board…",
}
# Who is offered each action (studio/ checks the role again when it runs).
BULK_NEEDS = {
    "approve": Permission.APPROVE,
    "submit": Permission.SUBMIT,
    "reject": Permission.REJECT,
    "schedule": Permission.SCHEDULE,
    "queue": Permission.SCHEDULE,
    "move": Permission.EDIT,
}
# The bulk bar stays in sight while the user scrolls the grid ticking pins: the Action list is always where
# the pointer can reach it (below Streamlit's 3.75rem header), never scrolled away above the grid.
BULK_BAR_CSS = """
<style>
div:has(> .st-key-bulk_bar) {position: sticky; top: 3.75rem; z-index: 50;}
.st-key-bulk_bar {background-color: #ffffff;}
</style>
"""
ss = st.session_state


def set_selection(ids) -> None:
    """Replace the selection (every box is drawn from it on the grid's next run)."""
    ss["rv_sel"] = set(ids)
    if not ss["rv_sel"]:
        ss.pop("rv_bulk_error", None)


def select_all_matching(cfg: Settings) -> None:
    own = store(cfg)
    try:
        set_selection(own.draft_ids(ss["rv_filters"]))
    finally:
        own.close()


def apply_bulk(cfg: Settings) -> None:
    """The bulk action on the whole selection; what it needs is checked once, then the selection clears."""
    ss.pop("rv_bulk_error", None)
    ss.pop("rv_notice", None)
    chosen, text = ss.get("bulk_action", "approve"), ss.get("bulk_note", "")
    own = store(cfg)
    try:
        when = wall_clock(ss["bulk_day"], ss["bulk_time"], cfg.timezone).utc if chosen == "schedule" else None
        check_bulk_request(chosen, note=text, board=text, when=when)
        said = approval_said(own, cfg, ss["rv_sel"]) if chosen == "approve" else ""
        results = bulk(
            own,
            cfg,
            sorted(ss["rv_sel"]),
            chosen,
            actor=current_actor(),
            note=text,
            board=text,
            when=when,
            tz=cfg.timezone,
        )
    except StudioError as exc:  # said once, beside the action; nothing done, the selection kept
        ss["rv_bulk_error"] = error_text(exc.message, exc.fix)
        return
    finally:
        own.close()
    failed = [r for r in results if not r.ok]
    ss["rv_bulk_failed"] = [error_text(f"#{r.draft_id}: {r.message}") for r in failed]
    set_selection(())  # the action is done: nothing stays ticked
    ss["bulk_note"] = ""
    flash(
        f"{BULK_LABELS[chosen].split(' (')[0]}: {len(results) - len(failed)} done"
        + (f", {len(failed)} refused (below)." if failed else ".")
        + (f" {said}" if said else ""),
        "⚠️" if failed else "✅",
    )


def approval_said(db, cfg: Settings, selected: set[int]) -> str:
    """What approving the selection does (pins whose post asked to be published once approved), or ""."""
    drafts = db.drafts_by_id(sorted(selected))
    todo = [drafts[i] for i in sorted(drafts) if drafts[i].status in statuses_allowing("approve")]
    plans = plans_after_approval(db, cfg, todo)
    return approval_summary(plans) if any(p.action != "none" for p in plans) else ""


def bulk_bar(cfg: Settings, drafts: list[Draft], total: int, page_no: int, pages: int) -> None:
    """The selection's count and buttons, then the action row; refused drafts of the last action below it."""
    selected: set[int] = ss["rv_sel"]
    with st.container(border=True, key="bulk_bar"):
        row = st.container(horizontal=True, vertical_alignment="center")
        row.markdown(f"**{len(selected)} selected** · {total} pin(s) in this view · page {page_no} of {pages}")
        row.button(
            f"Select page ({len(drafts)})",
            key="sel_page",
            on_click=action(lambda ids=[d.id for d in drafts]: set_selection(selected | set(ids))),
        )
        row.button(f"Select all {total}", key="sel_all", on_click=action(select_all_matching), args=(cfg,))
        row.button("Select none", key="sel_none", on_click=action(set_selection), args=((),))
        _action_row(cfg, selected)
        if selected and (message := ss.get("rv_bulk_error")):
            st.error(message)
    for line in ss.pop("rv_bulk_failed", None) or []:
        st.error(line)


def _action_row(cfg: Settings, selected: set[int]) -> None:
    """The action, what it needs (a note, a board, a time) and Apply. The row is always there (disabled while
    nothing is ticked) and a refused action's reason stays beside it until the user changes the action or the
    note: ticking a box never moves the bar, so the Action list stays where the user left it (issue #16)."""
    actor = current_actor()
    offered = [name for name in BULK_LABELS if may(actor, BULK_NEEDS[name])]
    if not offered:
        st.caption(f"Bulk actions need an editor or a reviewer (you are {actor.role.value}).")
        return
    if ss.get("bulk_action") not in offered:  # the role changed since it was picked
        ss.pop("bulk_action", None)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    chosen = row.selectbox(
        "Action",
        offered,
        key="bulk_action",
        format_func=BULK_LABELS.get,
        disabled=not selected,
        width=240,
        on_change=action(ss.pop),
        args=("rv_bulk_error", None),
    )
    if chosen in ("reject", "move"):
        row.text_input(
            "Note for the authors" if chosen == "reject" else "Board",
            key="bulk_note",
            placeholder="Why, and what to change" if chosen == "reject" else "Board name",
            disabled=not selected,
            on_change=action(ss.pop),
            args=("rv_bulk_error", None),
        )
    elif chosen == "schedule":
        day = row.date_input("Day", value=datetime.now().date() + timedelta(days=1), key="bulk_day")
        at = row.time_input("Time", value=time(9, 0), key="bulk_time")
        with errors_shown():  # said here, before Apply, as on Schedule: a skipped hour refused, a doubled one explained
            if note := wall_clock(day, at, cfg.timezone).note:
                st.info(escape_markdown(note), icon="🕐")
    if chosen == "approve" and selected:
        own = store(cfg)
        try:
            said = approval_said(own, cfg, selected)
        finally:
            own.close()
        if said:
            st.caption(escape_markdown(said))
    row.button(
        f"Apply to {len(selected)}",
        key="bulk_apply",
        type="primary",
        on_click=action(apply_bulk),
        args=(cfg,),
        disabled=not selected,
    )
