"""Review: the queue with filters, pin previews, approve / reject / request changes, bulk actions."""

from datetime import datetime, time, timedelta

import streamlit as st

from pages import _review_card as review_card
from pages._ui import errors_shown, flash, reviewer, settings, show_flash, store
from studio.bulk import bulk
from studio.drafts import approve, comment, reject, request_changes
from studio.models import DraftFilter, DraftStatus
from studio.scheduling import to_utc

PAGE_SIZE = 25
cfg = settings()
db = store()
st.title("🔎 Review")
show_flash()

with st.expander("Filters", expanded=False):
    c1, c2, c3 = st.columns(3)
    statuses = c1.multiselect("Status", [s.value for s in DraftStatus], default=["in_review"], key="f_status")
    board = c2.selectbox(
        "Board", [""] + db.distinct_values("board"), key="f_board", format_func=lambda b: b or "any board"
    )
    author = c3.selectbox(
        "Author", [""] + db.distinct_values("author"), key="f_author", format_func=lambda a: a or "anyone"
    )
    c4, c5, c6 = st.columns(3)
    account = c4.selectbox(
        "Account", [""] + db.distinct_values("account"), key="f_account", format_func=lambda a: a or "any account"
    )
    dates = c5.date_input("Updated between", value=(), key="f_dates")
    text = c6.text_input("Search title and description", key="f_text")
    lint_failing = st.checkbox("Only drafts failing a copy rule", key="f_lint")
    media_warn = st.checkbox("Only drafts with media warnings", key="f_media")

filters = DraftFilter(
    statuses=statuses,
    board=board,
    author=author,
    account=account,
    text=text,
    lint_failing=lint_failing,
    media_warnings=media_warn,
    updated_from=dates[0].isoformat() if len(dates) >= 1 else "",
    updated_to=dates[1].isoformat() if len(dates) == 2 else "",
)
page_no = st.session_state.get("review_page", 1)
drafts, total = db.query_drafts(filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
pages = max(1, -(-total // PAGE_SIZE))

if not total:
    st.info(
        "Nothing matches. Drafts submitted on the Compose page wait here for review; change the filters to see others."
    )
else:
    st.caption(f"{total} draft(s) · page {page_no} of {pages}")

selected = [d.id for d in drafts if st.session_state.get(f"sel_{d.id}")]
with st.container(border=True):
    st.markdown(f"**Bulk actions** on {len(selected)} selected")
    b1, b2, b3 = st.columns([1, 2, 1])
    action = b1.selectbox(
        "Action",
        ["approve", "reject", "schedule", "queue", "move"],
        key="bulk_action",
        format_func={
            "approve": "Approve",
            "reject": "Reject (needs a note)",
            "schedule": "Schedule at…",
            "queue": "Add to posting queue",
            "move": "Move to board…",
        }.get,
    )
    bulk_note = b2.text_input("Note / board", key="bulk_note", placeholder="note for reject, board for move")
    when = None
    if action == "schedule":
        d1, d2 = st.columns(2)
        day = d1.date_input("Day", value=datetime.now().date() + timedelta(days=1), key="bulk_day")
        at = d2.time_input("Time", value=time(9, 0), key="bulk_time")
        with errors_shown():
            when = to_utc(day, at, cfg.timezone)
    if b3.button("Apply", key="bulk_apply", disabled=not selected, width="stretch"):
        bar = st.progress(0.0, text="Working…")
        results = bulk(
            db,
            cfg,
            selected,
            action,
            actor=reviewer(),
            note=bulk_note,
            board=bulk_note,
            when=when,
            tz=cfg.timezone,
            progress=lambda n, t: bar.progress(n / t, text=f"{n}/{t}"),
        )
        failed = [r for r in results if not r.ok]
        for r in failed:
            st.error(f"#{r.draft_id}: {r.message}")
        st.toast(f"{len(results) - len(failed)} done, {len(failed)} failed")
        if not failed:
            for d in selected:
                st.session_state.pop(f"sel_{d}", None)
            flash(f"{action}: {len(results)} draft(s) done.")
            st.rerun()

for draft in drafts:
    with st.container(border=True):
        review_card.render(db, cfg, draft)
        note = st.text_input("Note", key=f"note_{draft.id}", placeholder="Required to reject or request changes")
        a, r, c, m = st.columns(4)
        if a.button(
            "✅ Approve",
            key=f"approve_{draft.id}",
            width="stretch",
            disabled=draft.status.value not in ("in_review", "draft"),
        ):
            with errors_shown():
                approve(db, draft.id, actor=reviewer(), note=note)
                flash(f"Approved #{draft.id}.")
                st.rerun()
        if r.button("❌ Reject", key=f"reject_{draft.id}", width="stretch", disabled=draft.status.value != "in_review"):
            with errors_shown():
                reject(db, draft.id, actor=reviewer(), note=note)
                flash(f"Rejected #{draft.id}.", "🔴")
                st.rerun()
        if c.button(
            "↩️ Request changes", key=f"changes_{draft.id}", width="stretch", disabled=draft.status.value != "in_review"
        ):
            with errors_shown():
                request_changes(db, draft.id, note, actor=reviewer())
                flash(f"Sent #{draft.id} back to its author.", "↩️")
                st.rerun()
        if m.button("💬 Comment", key=f"comment_{draft.id}", width="stretch"):
            with errors_shown():
                comment(db, draft.id, note, actor=reviewer())
                flash(f"Comment added to #{draft.id}.", "💬")
                st.rerun()

if pages > 1:
    p1, p2, p3 = st.columns([1, 2, 1])
    if p1.button("← Previous", key="page_prev", disabled=page_no <= 1):
        st.session_state["review_page"] = page_no - 1
        st.rerun()
    if p3.button("Next →", key="page_next", disabled=page_no >= pages):
        st.session_state["review_page"] = page_no + 1
        st.rerun()
