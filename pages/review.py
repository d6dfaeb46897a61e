"""Review: a grid of pin cards (default view: what needs my attention), the open pin beside it with the
reviewer's actions and keyboard shortcuts, and bulk actions on a selection that is always the truth.

Two fragments, one inside the other, so each interaction redraws only what it changes (issue #16: under
0.5 s with 1,000 drafts, bench/bench_review_browser.py): a view, filter or search reruns `review()` (the
filters and the grid), and ticking, opening, approving or paging reruns `grid()` only. Rows are horizontal
containers, not columns: one block each instead of one per column, and every block costs on each rerun."""

from datetime import datetime, time, timedelta

import streamlit as st

from pages_support import review_card
from pages_support.ui import error_text, errors_shown, flash, reviewer, settings, store
from studio.bulk import bulk, check_bulk_request
from studio.drafts import approve, comment, reject, request_changes
from studio.errors import StudioError
from studio.models import DraftFilter
from studio.scheduling import add_to_queue, to_utc

PAGE_SIZE = 16  # cards per page (the grid wraps them: 3 to 5 a row)
VIEWS = {
    "attention": ("Needs my attention", ["in_review", "draft"]),
    "in_review": ("In review", ["in_review"]),
    "approved": ("Approved", ["approved"]),
    "rejected": ("Rejected", ["rejected"]),
    "all": ("Everything", []),
}
BULK_LABELS = {
    "approve": "Approve",
    "submit": "Submit for review",
    "reject": "Reject (one note for all)",
    "schedule": "Schedule at…",
    "queue": "Add to posting queue",
    "move": "Move to board…",
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
cfg = settings()
st.title("🔎 Review")
st.html(review_card.GRID_CSS + BULK_BAR_CSS)


@st.fragment
def review() -> None:
    """The view, the filters and the search, then the grid of what they match."""
    view = (
        st.segmented_control("Show", list(VIEWS), default="attention", key="r_view", format_func=lambda v: VIEWS[v][0])
        or "attention"
    )
    db = store(cfg)
    try:
        with st.expander("Filters", expanded=False):
            with st.container(horizontal=True):
                board = st.selectbox(
                    "Board", [""] + db.distinct_values("board"), key="f_board", format_func=lambda b: b or "any board"
                )
                author = st.selectbox(
                    "Author", [""] + db.distinct_values("author"), key="f_author", format_func=lambda a: a or "anyone"
                )
                account = st.selectbox(
                    "Account",
                    [""] + db.distinct_values("account"),
                    key="f_account",
                    format_func=lambda a: a or "any account",
                )
            with st.container(horizontal=True, vertical_alignment="bottom"):
                dates = st.date_input("Updated between", value=(), key="f_dates")
                lint_failing = st.checkbox("Only drafts failing a copy rule", key="f_lint")
                media_warn = st.checkbox("Only drafts with media warnings", key="f_media")
    finally:
        db.close()
    text = st.text_input(
        "Search", key="f_text", placeholder="Search titles and descriptions", label_visibility="collapsed"
    )
    filters = DraftFilter(
        statuses=VIEWS[view][1],
        board=board,
        author=author,
        account=account,
        text=text,
        lint_failing=lint_failing,
        media_warnings=media_warn,
        updated_from=dates[0].isoformat() if len(dates) >= 1 else "",
        updated_to=dates[1].isoformat() if len(dates) == 2 else "",
    )
    # --- the selection: one set of draft ids is the truth, and every card's box is drawn from it -------------
    signature = filters.model_dump_json()
    if ss.get("rv_sig") != signature:  # other filters: a new selection and the first page
        ss.update(rv_sig=signature, rv_sel=set(), review_page=1, rv_filters=filters)
        ss.pop("rv_notice", None)
    grid()


def on_grid_event(name: str) -> None:
    """A click in a card (see `review_card.GRID_EVENTS_JS`): boxes ticked or unticked, or a pin opened. The
    ids come from the browser, so only pins on the page shown count."""
    event = ss["grid_events"][name]
    shown = ss.get("rv_page_ids", ())
    if name == "toggle" and isinstance(event, list):
        for box in event:
            if isinstance(box, dict) and box.get("id") in shown:
                (ss["rv_sel"].add if box.get("on") else ss["rv_sel"].discard)(box["id"])
    elif name == "open" and event in shown:
        ss["rv_open"] = event


def set_selection(ids) -> None:
    """Replace the selection (every box is drawn from it on the grid's next run)."""
    ss["rv_sel"] = set(ids)
    if not ss["rv_sel"]:
        ss.pop("rv_bulk_error", None)


def select_all_matching() -> None:
    own = store(cfg)
    try:
        set_selection(own.draft_ids(ss["rv_filters"]))
    finally:
        own.close()


def apply_bulk() -> None:
    """The bulk action on the whole selection; what it needs is checked once, then the selection clears."""
    ss.pop("rv_bulk_error", None)
    ss.pop("rv_notice", None)
    action, text = ss.get("bulk_action", "approve"), ss.get("bulk_note", "")
    own = store(cfg)
    try:
        when = to_utc(ss["bulk_day"], ss["bulk_time"], cfg.timezone) if action == "schedule" else None
        check_bulk_request(action, note=text, board=text, when=when)
        results = bulk(
            own,
            cfg,
            sorted(ss["rv_sel"]),
            action,
            actor=reviewer(),
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
        f"{BULK_LABELS[action].split(' (')[0]}: {len(results) - len(failed)} done"
        + (f", {len(failed)} refused (below)." if failed else "."),
        "⚠️" if failed else "✅",
    )


def open_pin(draft_id: int) -> None:
    ss["rv_open"] = draft_id


def act_on_open(action: str, draft_id: int, next_id: int | None) -> None:
    """Approve / reject / request changes / comment / queue the open pin, then open the next one."""
    note = ss.get(f"note_{draft_id}", "")
    ss.pop("rv_notice", None)
    own = store(cfg)
    try:
        if action == "approve":
            approve(own, draft_id, actor=reviewer(), note=note)
            flash(f"Approved #{draft_id}.")
        elif action == "reject":
            reject(own, draft_id, actor=reviewer(), note=note)
            flash(f"Rejected #{draft_id}.", "🔴")
        elif action == "changes":
            request_changes(own, draft_id, note, actor=reviewer())
            flash(f"Sent #{draft_id} back to its author.", "↩️")
        elif action == "comment":
            comment(own, draft_id, note, actor=reviewer())
            flash(f"Comment added to #{draft_id}.", "💬")
            next_id = draft_id
        elif action == "queue":
            draft, _ = add_to_queue(own, cfg, draft_id, actor=reviewer())
            flash(f"#{draft_id} queued for {draft.scheduled_at[:16].replace('T', ' ')} UTC.", "🗓️")
        ss.pop(f"note_{draft_id}", None)
        ss["rv_open"] = next_id
        ss["rv_sel"].discard(draft_id)
    except StudioError as exc:
        ss["rv_notice"] = ("error", error_text(exc.message, exc.fix))
    finally:
        own.close()


@st.fragment
def grid() -> None:
    filters: DraftFilter = ss["rv_filters"]
    fdb = store(cfg)  # the fragment reruns on its own: its own connection
    # The last action's outcome stays until the next action: a tick, an open or a page doesn't make it vanish
    # and shift everything below it (the bulk bar would jump up under the user's pointer).
    if item := ss.pop("_flash", None):
        ss["rv_notice"] = ("success", *item)
    if notice := ss.get("rv_notice"):
        if notice[0] == "error":
            st.error(notice[1])
        else:
            st.success(notice[1], icon=notice[2])
    page_no = ss.get("review_page", 1)
    drafts, total = fdb.query_drafts(filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page_no > pages:  # an action emptied the last page
        ss["review_page"] = page_no = pages
        drafts, total = fdb.query_drafts(filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    selected: set[int] = ss["rv_sel"]

    # --- bulk bar (it sticks under the top edge while the user ticks pins further down) ------------
    with st.container(border=True, key="bulk_bar"):
        row = st.container(horizontal=True, vertical_alignment="center")
        row.markdown(f"**{len(selected)} selected** · {total} pin(s) in this view · page {page_no} of {pages}")
        row.button(
            f"Select page ({len(drafts)})",
            key="sel_page",
            on_click=lambda ids=[d.id for d in drafts]: set_selection(selected | set(ids)),
        )
        row.button(f"Select all {total}", key="sel_all", on_click=select_all_matching)
        row.button("Select none", key="sel_none", on_click=set_selection, args=((),))
        # The action row is always there (disabled while nothing is ticked) and a refused action's reason stays
        # beside it until the user changes the action or the note: ticking a box never moves the bar, so the
        # Action list stays where the user left it (it used to jump up out of sight, see issue #16).
        row = st.container(horizontal=True, vertical_alignment="bottom")
        action = row.selectbox(
            "Action",
            list(BULK_LABELS),
            key="bulk_action",
            format_func=BULK_LABELS.get,
            disabled=not selected,
            width=240,
            on_change=ss.pop,
            args=("rv_bulk_error", None),
        )
        if action in ("reject", "move"):
            row.text_input(
                "Note for the authors" if action == "reject" else "Board",
                key="bulk_note",
                placeholder="Why, and what to change" if action == "reject" else "Board name",
                disabled=not selected,
                on_change=ss.pop,
                args=("rv_bulk_error", None),
            )
        elif action == "schedule":
            day = row.date_input("Day", value=datetime.now().date() + timedelta(days=1), key="bulk_day")
            at = row.time_input("Time", value=time(9, 0), key="bulk_time")
            with errors_shown():
                to_utc(day, at, cfg.timezone)  # a time that doesn't exist is said here, before Apply
        row.button(
            f"Apply to {len(selected)}",
            key="bulk_apply",
            type="primary",
            on_click=apply_bulk,
            disabled=not selected,
        )
        if selected and (message := ss.get("rv_bulk_error")):
            st.error(message)
    for line in ss.pop("rv_bulk_failed", None) or []:
        st.error(line)

    if not total:
        st.info(
            "Nothing here. Drafts saved or submitted on the Compose page wait in *Needs my attention*; "
            "change the view or the filters to see others."
        )
        fdb.close()
        return

    ids = [d.id for d in drafts]
    ss["rv_page_ids"] = ids
    open_id = ss.get("rv_open")
    if open_id not in ids:
        open_id = ids[0]
    cards, side = st.columns([3, 1.3], gap="medium")
    with cards:
        st.html(review_card.open_card_css(open_id))
        with st.container(horizontal=True, wrap=True, gap="small"):  # one block for the cards, not rows of columns
            for draft in drafts:
                review_card.tile(fdb, cfg, draft, selected=draft.id in selected)
        pager = st.container(horizontal=True, horizontal_alignment="distribute")
        pager.button(
            "← Previous page",
            key="page_prev",
            disabled=page_no <= 1,
            on_click=lambda: ss.update(review_page=page_no - 1, rv_open=None),
        )
        with pager:  # invisible: it turns clicks in the cards into the grid's events
            review_card.grid_events(
                key="grid_events",
                on_toggle_change=lambda: on_grid_event("toggle"),
                on_open_change=lambda: on_grid_event("open"),
                width=1,
                height=0,
            )
        pager.button(
            "Next page →",
            key="page_next",
            disabled=page_no >= pages,
            on_click=lambda: ss.update(review_page=page_no + 1, rv_open=None),
        )
    with side:
        draft = next(d for d in drafts if d.id == open_id)
        at = ids.index(open_id)
        next_id = ids[at + 1] if at + 1 < len(ids) else None
        prev_id = ids[at - 1] if at else None
        with st.container(border=True):
            review_card.detail(fdb, cfg, draft)
            # The note and the actions are one form: typing a note doesn't rerun the page, and the action's
            # click sends the note with it (one run, not two). Enter in the note never acts (no accidental
            # approval); the buttons and their keys do.
            with st.form("open_actions", border=False, enter_to_submit=False):
                st.text_input("Note", key=f"note_{draft.id}", placeholder="Required to reject or request changes")
                s = draft.status.value
                row = st.container(horizontal=True)
                row.form_submit_button(
                    "✅ Approve",
                    key="open_approve",
                    shortcut="a",
                    help="Shortcut: A",
                    disabled=s not in ("in_review", "draft"),
                    on_click=act_on_open,
                    args=("approve", draft.id, next_id),
                    width="stretch",
                    type="primary",
                )
                row.form_submit_button(
                    "❌ Reject",
                    key="open_reject",
                    shortcut="x",
                    help="Shortcut: X (needs a note)",
                    disabled=s != "in_review",
                    on_click=act_on_open,
                    args=("reject", draft.id, next_id),
                    width="stretch",
                )
                row = st.container(horizontal=True)
                row.form_submit_button(
                    "↩️ Request changes",
                    key="open_changes",
                    disabled=s != "in_review",
                    on_click=act_on_open,
                    args=("changes", draft.id, next_id),
                    width="stretch",
                )
                row.form_submit_button(
                    "💬 Comment",
                    key="open_comment",
                    on_click=act_on_open,
                    args=("comment", draft.id, None),
                    width="stretch",
                )
                if s == "approved":
                    st.form_submit_button(
                        "🗓️ Add to queue" + (" (reschedule)" if draft.scheduled_at else ""),
                        key="open_queue",
                        help="The next free posting slot of its board (Calendar shows them).",
                        on_click=act_on_open,
                        args=("queue", draft.id, draft.id),
                        width="stretch",
                    )
            row = st.container(horizontal=True)
            row.button(
                "← Previous",
                key="open_prev",
                shortcut="k",
                help="Shortcut: K",
                disabled=prev_id is None,
                on_click=open_pin,
                args=(prev_id,),
                width="stretch",
            )
            row.button(
                "Next →",
                key="open_next",
                shortcut="j",
                help="Shortcut: J",
                disabled=next_id is None,
                on_click=open_pin,
                args=(next_id,),
                width="stretch",
            )
            st.caption("Keys: **A** approve · **X** reject · **J** next · **K** previous")
    fdb.close()


review()
