"""Calendar: week and month boards of what is scheduled and what went out (published pins with their link and
first metrics), in your time zone. Drag a scheduled pin to another day to move it, or pick a day and a posting
slot in the form (the keyboard path); add approved pins to the queue from here."""

from datetime import UTC, date, datetime, time

import streamlit as st

from pages_support import calendar_board
from pages_support.ui import action, can, current_actor, error_text, errors_shown, flash, settings, show_flash, store
from studio.analytics import calendar_with_results
from studio.errors import StudioError
from studio.people import Permission
from studio.preferences import env_locked, save_preferences
from studio.scheduling import add_to_queue, calendar_days, move_pin, shift, slot_times, wall_clock, zone
from studio.scheduling import week_start as scheduling_week_start
from studio.text import escape_markdown

ss = st.session_state
cfg = settings()
db = store(cfg)
tz = cfg.timezone
week_start = scheduling_week_start(cfg, st.context.locale)
st.title("📅 Calendar")
today = datetime.now(UTC).astimezone(zone(tz)).date()


def move_dropped() -> None:
    """A pin dragged to another day moves there at its time, through the same rules as the form; a refused drop
    says why, and the board (redrawn under a new key) shows the pin where it still is."""
    drop = calendar_board.take_drop()
    if drop is None:
        return
    pin_id, day, at = drop
    try:
        _, warnings = move_pin(db, cfg, pin_id, day, at, tz=tz, actor=current_actor())
    except StudioError as exc:
        ss["cal_drop_error"] = f"#{pin_id} stays where it was: " + error_text(exc.message, exc.fix)
        return
    for w in warnings:
        st.toast(escape_markdown(w.message), icon="⚠️")
    flash(f"#{pin_id} moved to {day:%a %d %b} {at:%H:%M} ({tz}).", "📅")


move_dropped()
show_flash()
if message := ss.pop("cal_drop_error", None):
    st.error(message)

# --- view, period and time zone ------------------------------------------------------------
c1, c2, c3, c4, c5 = st.columns([2, 1, 1, 1, 3], vertical_alignment="bottom")
view = c1.segmented_control("View", ["week", "month"], default="week", key="cal_view", format_func=str.title) or "week"
anchor: date = ss.get("cal_anchor", today)
if c2.button("◀", key="cal_prev", help="Previous", width="stretch"):
    anchor = ss["cal_anchor"] = shift(view, anchor, -1)
if c3.button("Today", key="cal_today", width="stretch"):
    anchor = ss["cal_anchor"] = today
if c4.button("▶", key="cal_next", help="Next", width="stretch"):
    anchor = ss["cal_anchor"] = shift(view, anchor, 1)


def save_zone() -> None:
    own = store(cfg)  # a callback: its own connection
    try:
        with errors_shown():
            save_preferences(cfg, {"timezone": ss["cal_tz"]}, actor=current_actor(), store=own)
            flash(f"Times are now shown in {ss['cal_tz']}.", "🌍")
    finally:
        own.close()


locked = env_locked().get("timezone")
zones = sorted(
    {
        tz,
        "UTC",
        "Europe/London",
        "Europe/Paris",
        "Europe/Berlin",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "Asia/Tokyo",
        "Australia/Sydney",
    }
)
c5.selectbox(
    "Your time zone",
    zones,
    index=zones.index(tz),
    key="cal_tz",
    on_change=action(save_zone),
    disabled=bool(locked),
    help=f"Set by {locked} in the environment." if locked else "Saved for the studio (Settings has every zone).",
)

days = calendar_days(view, anchor, week_start)
grid = calendar_with_results(db, days, tz)
heading = f"Week of {days[0]:%d %B %Y}" if view == "week" else f"{anchor:%B %Y}"
st.subheader(heading)
may_move = can(Permission.RESCHEDULE)
st.caption(
    f"Times in {tz}; weeks start on {week_start.title()} (STUDIO_WEEK_START). "
    "🗓️ scheduled · 📌 published · 🧪 dry run · ❌ failed. "
    + ("Drag a scheduled pin to another day to move it (same time), or use the form below." if may_move else "")
)

# --- the board -----------------------------------------------------------------------------
calendar_board.board(db, cfg, grid, view, anchor, week_start=week_start, may_move=may_move)
went_out = [e for entries in grid.values() for e in entries if e.state in ("published", "dry_run")]
planned = sum(e.state == "scheduled" for entries in grid.values() for e in entries)
with st.expander(f"Went out this {view}: {len(went_out)} pin(s) · {planned} scheduled", expanded=False):
    if not went_out:
        st.caption("Nothing published in this period yet.")
    for entry in went_out[:200]:
        line = f"`{entry.at:%a %d %b %H:%M}` {escape_markdown(entry.title[:80])}"
        line += f" · {escape_markdown(entry.board)}" if entry.board else ""
        line += f" · [open on Pinterest]({entry.pin_url})" if entry.pin_url.startswith("https://") else ""
        line += " · dry run, nothing posted" if entry.state == "dry_run" else ""
        if words := calendar_board.metrics_text(entry.metrics):
            line += f" · {words}"
        st.markdown(line)

# --- move a pin / add to the queue -------------------------------------------------------
# Both act in callbacks, before the page is drawn, so they can point the pickers at the pin's new day: a
# widget's value can only be set before the widget is drawn (setting it after a rerun left the day picker
# on its old day, and "Move here" then refused a time in the past; see issue #16).


def show_where(draft_id: int, when: datetime) -> None:
    """Show the week of the pin's (new) day, and offer that pin and day in the move picker."""
    ss.update(cal_anchor=when.date(), cal_pin=draft_id, cal_day=when.date())


def _picked_time() -> time:
    """The form's time: the slot picked, or the time typed for "another time…"."""
    choice = ss.get("cal_slot")
    return ss.get("cal_time", time(12, 0)) if choice in (None, "other") else time.fromisoformat(choice)


def move_here(pin_id: int) -> None:
    day, at = ss["cal_day"], _picked_time()
    own = store()
    try:
        draft, warnings = move_pin(own, cfg, pin_id, day, at, tz=tz, actor=current_actor())
    except StudioError as exc:
        ss["cal_error"] = error_text(exc.message, exc.fix)
        return
    finally:
        own.close()
    for w in warnings:
        st.toast(escape_markdown(w.message), icon="⚠️")
    flash(f"#{pin_id} moved to {day:%a %d %b} {at:%H:%M} ({tz}).", "📅")
    show_where(pin_id, datetime.fromisoformat(draft.scheduled_at or "").astimezone(zone(tz)))


def queue_pin(draft_id: int) -> None:
    own = store()
    try:
        draft, _ = add_to_queue(own, cfg, draft_id, actor=current_actor())
    except StudioError as exc:
        ss["cal_queue_error"] = error_text(exc.message, exc.fix)
        return
    finally:
        own.close()
    when = datetime.fromisoformat(draft.scheduled_at or "").astimezone(zone(tz))
    flash(f"#{draft_id} queued for {when:%a %d %b %H:%M} ({tz}).", "🗓️")
    show_where(draft_id, when)  # show where it went, and offer that day to move it


approved = db.list_drafts(["approved"], limit=500)
left, right = st.columns(2, gap="large")
with left, st.container(border=True):
    st.markdown("**Move a pin**")
    if not approved:
        st.caption("No approved pins. Approve pins on the Review page first.")
    else:
        labels = {
            d.id: f"#{d.id} {d.title[:40]}"
            + (
                f" · {datetime.fromisoformat(d.scheduled_at).astimezone(zone(tz)):%a %d %b %H:%M}"
                if d.scheduled_at
                else " · not scheduled"
            )
            for d in approved
        }
        if ss.get("cal_pin") not in labels:
            ss.pop("cal_pin", None)
        pin_id = st.selectbox("Pin", list(labels), format_func=labels.get, key="cal_pin")
        pin = next(d for d in approved if d.id == pin_id)
        if "cal_day" not in ss:
            ss["cal_day"] = max(today, anchor) if view == "week" else today
        day = st.date_input("Day", key="cal_day")
        options = slot_times(db, pin.board, day, tz)
        slots = [t.strftime("%H:%M") for t in options]
        if ss.get("cal_slot") not in (*slots, "other"):  # another day's slot: offer this day's first
            ss.pop("cal_slot", None)
        choice = st.radio(
            "Slot",
            [*slots, "other"],
            format_func=lambda v: "another time…" if v == "other" else v,
            horizontal=True,
            key="cal_slot",
        )
        if choice == "other":
            st.time_input("Time", value=time(12, 0), key="cal_time")
        with errors_shown():  # said before the click, as on Schedule: a skipped hour refused, a doubled one explained
            if note := wall_clock(day, _picked_time(), tz).note:
                st.info(escape_markdown(note), icon="🕐")
        if not options:
            st.caption("No posting slot on that day for this board: pick a time, or add slots on the Schedule page.")
        st.button(
            "Move here",
            key="cal_move",
            type="primary",
            on_click=action(move_here),
            args=(pin_id,),
            disabled=not can(Permission.RESCHEDULE),
        )
        if message := ss.pop("cal_error", None):
            st.error(message)
with right, st.container(border=True):
    st.markdown("**Add to queue**")
    if message := ss.pop("cal_queue_error", None):
        st.error(message)
    waiting = [d for d in approved if not d.scheduled_at]
    may_queue = can(Permission.SCHEDULE)
    if not waiting:
        st.caption("Every approved pin is scheduled.")
    for d in waiting[:20]:
        a, b = st.columns([3, 1])
        a.text(f"#{d.id} {d.title[:50]} → {d.board or '(no board)'}")
        b.button(
            "Add to queue",
            key=f"cal_queue_{d.id}",
            help="The next free posting slot of its board",
            on_click=action(queue_pin),
            args=(d.id,),
            disabled=not may_queue,
        )
db.close()
