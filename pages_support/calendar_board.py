"""The calendar's board: FullCalendar (the `streamlit-calendar` component) showing what is scheduled and what
went out, where a scheduled pin is dragged to another day. The component only reports the drop; the page moves
the pin through `studio.scheduling.move_pin` (guardrails and permissions), and every drop redraws the board
under a new key, so a refused drop snaps back to where the pin really is."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime, time
from pathlib import Path

import streamlit as st
from streamlit_calendar import calendar

from pages_support.review_card import tile_image
from studio.config import Settings
from studio.scheduling import CalendarPin, View, WeekStart, fullcalendar_first_day
from studio.storage import Store

ss = st.session_state
ICONS = {"scheduled": "🗓️", "published": "📌", "dry_run": "🧪", "failed": "❌"}
COLOURS = {"scheduled": "#1f6feb", "published": "#1a7f37", "dry_run": "#8250df", "failed": "#cf222e"}
THUMB = (40, 60)  # px, 2:3 like the pin
# Inside the component's iframe: a pin's thumbnail before its time and title, titles that wrap, and a hand
# on what can be dragged.
BOARD_CSS = """
.fc .pin-ev .fc-event-main-frame {display: grid; grid-template-columns: 40px minmax(0, 1fr); column-gap: 5px;
  align-items: start;}
.fc .pin-ev .fc-event-main-frame::before {content: ""; grid-row: 1 / span 2; width: 40px; height: 60px;
  border-radius: 6px; background: rgba(255, 255, 255, 0.35) center / cover no-repeat;
  background-image: var(--thumb, none);}
.fc .pin-ev .fc-event-time {grid-column: 2; font-size: 0.75rem; font-weight: 600; overflow: visible;}
.fc .pin-ev .fc-event-title-container {grid-column: 2;}
.fc .pin-ev .fc-event-title {white-space: normal; font-size: 0.78rem; line-height: 1.15;}
.fc .pin-ev.fc-event-draggable {cursor: grab;}
.fc .fc-daygrid-day-frame {min-height: 5.5rem;}
.fc .fc-dayGridMonth-view .pin-ev .fc-event-main-frame {grid-template-columns: 20px minmax(0, 1fr);}
.fc .fc-dayGridMonth-view .pin-ev .fc-event-main-frame::before {width: 20px; height: 30px;}
.fc .fc-dayGridMonth-view .pin-ev .fc-event-title {display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden;}
.fc .fc-day-today {background: rgba(230, 0, 35, 0.06) !important;}
"""
_MINI: dict[str, str] = {}  # tile path → data URI of its small copy (tiles are content-addressed)


def mini_thumb(path: Path) -> str:
    """A 40×60 JPEG data URI of a grid tile (1–2 KB: a month of pins stays light)."""
    key = str(path)
    if (known := _MINI.get(key)) is not None:
        return known
    from PIL import Image

    with Image.open(path) as img:
        small = img.convert("RGB")
        small.thumbnail(THUMB)
        out = io.BytesIO()
        small.save(out, "JPEG", quality=70)
    if len(_MINI) > 5_000:
        _MINI.clear()
    _MINI[key] = uri = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    return uri


def metrics_text(metrics: dict[str, int]) -> str:
    """First metrics in a few words: "1.2k views · 34 saves · 5 clicks"."""
    if not metrics:
        return ""

    def short(n: int) -> str:
        return f"{n / 1000:.1f}k" if n >= 1000 else str(n)

    parts = [f"{short(metrics.get('impression', 0))} views", f"{short(metrics.get('save', 0))} saves"]
    if metrics.get("outbound_click"):
        parts.append(f"{short(metrics['outbound_click'])} clicks")
    return " · ".join(parts)


def events(db: Store, cfg: Settings, grid: dict[date, list[CalendarPin]], *, may_move: bool) -> tuple[list, str]:
    """The board's events (wall times of the user's zone, shown as they are) and the CSS carrying thumbnails."""
    items, css = [], []
    for entries in grid.values():
        for entry in entries:
            cls = f"pin-{entry.key}"
            image = tile_image(db, cfg, entry.draft) if entry.draft else None
            if image:
                css.append(f'.fc .{cls} {{--thumb: url("{mini_thumb(image)}");}}')
            elif entry.thumbnail.startswith("https://"):
                css.append(f'.fc .{cls} {{--thumb: url("{entry.thumbnail.replace(chr(34), "%22")}");}}')
            words = metrics_text(entry.metrics)
            items.append(
                {
                    "id": entry.key,
                    "title": f"{ICONS[entry.state]} {entry.title[:60]}" + (f" · {words}" if words else ""),
                    "start": entry.at.replace(tzinfo=None).isoformat(timespec="minutes"),
                    "allDay": False,
                    "editable": may_move and entry.movable,
                    "classNames": ["pin-ev", cls, f"pin-{entry.state}"],
                    "backgroundColor": COLOURS[entry.state],
                    "borderColor": COLOURS[entry.state],
                    "extendedProps": {"draft": entry.draft.id if entry.draft else None, "state": entry.state},
                }
            )
    return items, "\n".join(css)


def take_drop() -> tuple[int, date, time] | None:
    """The pin dropped on the board since the last run (its draft, new day and time in the user's zone), once:
    the board is then redrawn under a new key."""
    key = ss.get("cal_board_key")
    value = (ss.get(key) if key else None) or {}
    if value.get("callback") != "eventChange":
        return None
    ss["cal_board_rev"] = ss.get("cal_board_rev", 0) + 1  # the next board is a new one, drawn from the store
    event = (value.get("eventChange") or {}).get("event") or {}
    draft_id = (event.get("extendedProps") or {}).get("draft")
    start = str(event.get("start") or "")
    if not isinstance(draft_id, int) or not start:
        return None
    # The board runs in UTC with the user's wall times in it: the instant it reports *is* the wall time.
    at = datetime.fromisoformat(start.replace("Z", "+00:00")).replace(tzinfo=None)
    return draft_id, at.date(), at.time().replace(second=0, microsecond=0)


def board(
    db: Store,
    cfg: Settings,
    grid: dict[date, list[CalendarPin]],
    view: View,
    anchor: date,
    *,
    week_start: WeekStart,
    may_move: bool,
) -> None:
    """Draw the board for the period (whole weeks from `week_start`, the page's). Its key names the period and
    counts the drops: FullCalendar reads its initial date and events once, so another period, or the store's
    truth after a drop, is a new board."""
    items, thumbs = events(db, cfg, grid, may_move=may_move)
    options = {
        "initialView": "dayGridWeek" if view == "week" else "dayGridMonth",
        "initialDate": anchor.isoformat(),
        "firstDay": fullcalendar_first_day(week_start),
        "headerToolbar": False,  # the page's own controls pick the period
        "timeZone": "UTC",  # the events carry wall times of the user's zone: shown as they are
        "editable": may_move,
        "eventDurationEditable": False,
        "eventDisplay": "block",
        "displayEventEnd": False,
        "eventTimeFormat": {"hour": "2-digit", "minute": "2-digit", "hour12": False},
        "dayMaxEvents": False if view == "week" else 4,
        "fixedWeekCount": False,
        "height": "auto",
        "dayHeaderFormat": {"weekday": "short", "day": "numeric"} if view == "week" else {"weekday": "short"},
    }
    key = ss["cal_board_key"] = f"cal_board_{view}_{anchor.isoformat()}_{ss.get('cal_board_rev', 0)}"
    with st.container(key="cal_board"):
        calendar(
            events=items,
            options=options,
            custom_css=BOARD_CSS + thumbs,
            callbacks=["eventChange"],
            key=key,
        )
