"""Schedule: when approved pins go out, the worker's pulse, and weekly posting slots."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from pages_support.ui import (
    can,
    current_actor,
    errors_shown,
    flash,
    may_or_say,
    settings,
    show_error,
    show_flash,
    store,
)
from studio.errors import StudioError
from studio.models import iso
from studio.people import Permission
from studio.scheduling import (
    add_slot,
    add_to_queue,
    delete_slot,
    local_time,
    posting_slots,
    schedule,
    unschedule,
    wall_clock,
    worker_status,
)
from studio.text import escape_markdown

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
cfg = settings()
db = store()
tz = cfg.timezone
st.title("🗓️ Schedule")
show_flash()

status = worker_status(db)
if status["alive"]:
    nxt = local_time(status["next_run"], tz).strftime("%H:%M:%S") if status["next_run"] else "soon"
    st.success(f"Worker is running — next pass at {nxt} ({tz}).", icon="🟢")
else:
    seen = f"last seen {status['last_seen'][:16].replace('T', ' ')} UTC" if status["last_seen"] else "never seen"
    st.warning(
        f"No worker is running ({seen}). Scheduled pins wait until one runs: `make run` starts one, "
        "or run `pinstudio worker` (or `pinstudio worker --once` from cron).",
        icon="🟠",
    )

# --- schedule an approved pin ----------------------------------------------------------------
approved = [d for d in db.list_drafts(["approved"], limit=500)]
with st.container(border=True):
    st.subheader("Schedule a pin")
    if not approved:
        st.info("No approved pins. Approve drafts on the Review page, then schedule them here.")
    elif may_or_say(Permission.SCHEDULE):
        labels = {
            d.id: f"#{d.id} {d.title[:50]} → {d.board or '(no board)'}"
            + (f" · now {local_time(d.scheduled_at, tz):%a %d %b %H:%M}" if d.scheduled_at else "")
            for d in approved
        }
        draft_id = st.selectbox("Pin", list(labels), format_func=labels.get, key="sched_draft")
        now_local = datetime.now(UTC).astimezone(local_time(iso(), tz).tzinfo)
        c1, c2 = st.columns(2)
        day = c1.date_input("Day", value=now_local.date(), key="sched_day")
        at = c2.time_input(
            "Time",
            value=(now_local + timedelta(minutes=1)).time().replace(second=0, microsecond=0),
            key="sched_time",
            step=60,
        )
        try:  # said before the click, as the CLI says it: a skipped hour refused, a doubled one explained
            picked = wall_clock(day, at, tz)
            if picked.note:
                st.info(escape_markdown(picked.note), icon="🕐")
        except StudioError as exc:
            show_error(exc)
        override = st.checkbox("Override guardrails (logged)", key="sched_override")
        st.caption(f"Times are in {tz} (change it on the Calendar or in Settings); stored in UTC.")
        b1, b2, b3 = st.columns(3)
        if b1.button("Schedule", key="sched_go", type="primary", width="stretch"):
            with errors_shown():
                draft, warnings = schedule(
                    db, cfg, draft_id, wall_clock(day, at, tz).utc, tz=tz, actor=current_actor(), override=override
                )
                for w in warnings:
                    st.toast(escape_markdown(w.message), icon="⚠️")
                flash(f"#{draft_id} scheduled for {local_time(draft.scheduled_at, tz):%a %d %b %H:%M} ({tz}).", "🗓️")
                st.rerun()
        if b2.button(
            "Add to posting queue",
            key="sched_queue",
            width="stretch",
            help="The next free weekly slot of its board, with a few minutes of jitter.",
        ):
            with errors_shown():
                draft, _ = add_to_queue(db, cfg, draft_id, actor=current_actor())
                flash(f"#{draft_id} queued for {local_time(draft.scheduled_at, tz):%a %d %b %H:%M}.", "🗓️")
                st.rerun()
        if b3.button("Unschedule", key="sched_remove", width="stretch"):
            with errors_shown():
                unschedule(db, draft_id, actor=current_actor())
                flash(f"#{draft_id} is no longer scheduled.", "🗑️")
                st.rerun()

# --- the coming days -------------------------------------------------------------------------
st.subheader("Coming up")
start = datetime.now(UTC).astimezone(local_time(iso(), tz).tzinfo).replace(hour=0, minute=0, second=0, microsecond=0)
days = st.segmented_control("Show", [7, 14, 28], default=7, key="sched_days", format_func=lambda n: f"{n} days") or 7
upcoming = db.scheduled_between(iso(start), iso(start + timedelta(days=days)))
if not upcoming:
    st.caption("Nothing scheduled in this period.")
by_day: dict[str, list] = {}
for d in upcoming:
    by_day.setdefault(local_time(d.scheduled_at, tz).strftime("%A %d %B"), []).append(d)
for label, items in by_day.items():
    st.markdown(f"**{label}**")
    for d in items:
        icon = {"published": "📌", "failed": "❌"}.get(d.status.value, "⏰")
        st.markdown(
            f"{icon} `{local_time(d.scheduled_at, tz):%H:%M}` #{d.id} {d.title} → *{d.board or '—'}* ({d.status.value})"
        )

# --- posting slots ---------------------------------------------------------------------------
slots = posting_slots(db)
with st.expander("Weekly posting slots", expanded=not slots):
    st.caption(
        "One shared set of slots for every board; give a board slots of its own to override the shared set. "
        "“Add to queue” (here, on Review and on the Calendar) takes the next free slot."
    )
    for s in slots:
        c1, c2 = st.columns([4, 1])
        owner = escape_markdown(s["board"]) if s["board"] else "**shared** (every board)"
        c1.markdown(f"{owner} · {WEEKDAYS[s['weekday']]} {s['time']} ({s['tz']})")
        if c2.button("Remove", key=f"slot_rm_{s['id']}", disabled=not can(Permission.SCHEDULE)):
            with errors_shown():
                delete_slot(db, s["id"], actor=current_actor())
                st.rerun()
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    board = c1.text_input("Board (empty: shared by every board)", key="slot_board")
    weekdays = c2.multiselect("Days", list(range(7)), format_func=WEEKDAYS.__getitem__, key="slot_days")
    slot_time = c3.time_input("At", value=time(9, 0), key="slot_time", step=900)
    if c4.button("Add slots", key="slot_add", disabled=not can(Permission.SCHEDULE)):
        if not weekdays:
            st.error("Pick at least one day.")
        else:
            with errors_shown():
                for wd in weekdays:
                    add_slot(db, board.strip(), wd, slot_time.strftime("%H:%M"), tz, actor=current_actor())
                st.rerun()
