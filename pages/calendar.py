"""Calendar: week and month grids of scheduled pins (thumbnails) in your time zone; move a pin by picking a
day and a posting slot; add approved pins to the queue from here."""

from datetime import UTC, date, datetime, time

import streamlit as st

from pages._review_card import tile_image
from pages._ui import errors_shown, flash, reviewer, settings, show_flash, store
from studio.preferences import env_locked, save_preferences
from studio.scheduling import add_to_queue, calendar_days, move_pin, pins_by_day, shift, slot_times, zone
from studio.text import escape_markdown

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ss = st.session_state
cfg = settings()
db = store()
tz = cfg.timezone
st.title("📅 Calendar")
show_flash()
today = datetime.now(UTC).astimezone(zone(tz)).date()

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
    with errors_shown():
        save_preferences(cfg, {"timezone": ss["cal_tz"]})
        flash(f"Times are now shown in {ss['cal_tz']}.", "🌍")


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
    on_change=save_zone,
    disabled=bool(locked),
    help=f"Set by {locked} in the environment." if locked else "Saved for the studio (Settings has every zone).",
)

days = calendar_days(view, anchor)
grid = pins_by_day(db, days, tz)
heading = f"Week of {days[0]:%d %B %Y}" if view == "week" else f"{anchor:%B %Y}"
st.subheader(heading)
st.caption(f"Times in {tz}. 🗓️ scheduled · 📌 published · ❌ failed")

# --- the grid ------------------------------------------------------------------------------
thumb = 110 if view == "week" else 48
header = st.columns(7)
for col, name in zip(header, WEEKDAYS, strict=True):
    col.markdown(f"**{name}**")
for week in range(0, len(days), 7):
    cols = st.columns(7)
    for col, day in zip(cols, days[week : week + 7], strict=True):
        with col.container(border=True, key=f"cal_day_{day.isoformat()}"):
            muted = view == "month" and day.month != anchor.month
            label = f"**{day.day}**" if day != today else f"**:red[{day.day}]** today"
            st.markdown(label if not muted else f":gray[{day.day}]")
            for draft in grid[day]:
                icon = {"published": "📌", "failed": "❌"}.get(draft.status.value, "🗓️")
                at = datetime.fromisoformat(draft.scheduled_at or "").astimezone(zone(tz))
                image = tile_image(db, cfg, draft)
                if image:
                    st.image(str(image), width=thumb)
                st.caption(f"{icon} {at:%H:%M} · #{draft.id} {escape_markdown(draft.title[:30])}")

# --- move a pin / add to the queue -------------------------------------------------------
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
        pin_id = st.selectbox("Pin", list(labels), format_func=labels.get, key="cal_pin")
        pin = next(d for d in approved if d.id == pin_id)
        day = st.date_input("Day", value=max(today, anchor) if view == "week" else today, key="cal_day")
        options = slot_times(db, pin.board, day, tz)
        labels_t = {t.strftime("%H:%M"): t for t in options}
        choice = st.radio(
            "Slot",
            [*labels_t, "other"],
            format_func=lambda v: "another time…" if v == "other" else v,
            horizontal=True,
            key="cal_slot",
        )
        at = labels_t.get(choice) if choice != "other" else st.time_input("Time", value=time(12, 0), key="cal_time")
        if not options:
            st.caption("No posting slot on that day for this board: pick a time, or add slots on the Schedule page.")
        if st.button("Move here", key="cal_move", type="primary"):
            with errors_shown():
                draft, warnings = move_pin(db, cfg, pin_id, day, at, tz=tz, actor=reviewer())
                for w in warnings:
                    st.toast(w.message, icon="⚠️")
                flash(f"#{pin_id} moved to {day:%a %d %b} {at:%H:%M} ({tz}).", "📅")
                ss["cal_anchor"] = day
                st.rerun()
with right, st.container(border=True):
    st.markdown("**Add to queue**")
    waiting = [d for d in approved if not d.scheduled_at]
    if not waiting:
        st.caption("Every approved pin is scheduled.")
    for d in waiting[:20]:
        a, b = st.columns([3, 1])
        a.text(f"#{d.id} {d.title[:50]} → {d.board or '(no board)'}")
        if b.button("Add to queue", key=f"cal_queue_{d.id}", help="The next free posting slot of its board"):
            with errors_shown():
                draft, _ = add_to_queue(db, cfg, d.id, actor=reviewer())
                when = datetime.fromisoformat(draft.scheduled_at or "").astimezone(zone(tz))
                flash(f"#{d.id} queued for {when:%a %d %b %H:%M} ({tz}).", "🗓️")
                ss["cal_anchor"] = when.date()  # show where it went
                ss.pop("cal_day", None)  # and offer that day to move it
                st.rerun()
db.close()
