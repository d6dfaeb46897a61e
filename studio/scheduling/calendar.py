"""The calendar: week and month grids of what is scheduled and what went out, in the user's time zone, and
moving a pin to a day and a posting slot (or any time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from studio.config import Settings
from studio.models import Draft, DraftStatus, iso
from studio.people import Actor
from studio.publishing import Guardrail, is_dry_run, jobs
from studio.scheduling.schedule import board_slots, local_time, schedule, to_utc, zone
from studio.storage import Store

View = Literal["week", "month"]
WeekStart = Literal["monday", "sunday", "saturday"]
# Python's weekday numbers (Monday 0) of the day each setting starts weeks on.
FIRST_WEEKDAY: dict[str, int] = {"monday": 0, "sunday": 6, "saturday": 5}
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# CLDR's first day of the week by region (weekData `firstDay`), where it isn't Monday: what a browser's own date
# picker goes by for its language (Streamlit's picker follows the browser, and can't be told otherwise).
_SUNDAY = (
    "AG AS BD BR BS BT BW BZ CA CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO MT MX MZ NI NP PA PE PH "
    "PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW"
)
_SATURDAY = "AE AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY"
_SUNDAY_REGIONS, _SATURDAY_REGIONS = frozenset(_SUNDAY.split()), frozenset(_SATURDAY.split())
# A language without a region stands for its most likely one (CLDR likely subtags), where that changes the answer.
_LIKELY_REGION = {
    "en": "US",
    "pt": "BR",
    "ar": "EG",
    "he": "IL",
    "iw": "IL",
    "ja": "JP",
    "ko": "KR",
    "hi": "IN",
    "th": "TH",
    "fa": "IR",
    "bn": "BD",
    "id": "ID",
    "zh": "CN",
}
_FW: dict[str, WeekStart] = {"mon": "monday", "sun": "sunday", "sat": "saturday"}


def locale_week_start(locale: str | None) -> WeekStart | None:
    """The day weeks start on for a browser language tag (`en-US` Sunday, `en-GB` Monday, `ar-EG` Saturday,
    `de-DE-u-fw-sun` as its `fw` extension says); None when there is no tag to go by."""
    parts = [p for p in (locale or "").replace("_", "-").split("-") if p]
    if not parts or not parts[0].isalpha():
        return None
    lowered = [p.lower() for p in parts]
    if "fw" in lowered[:-1] and (asked := _FW.get(lowered[lowered.index("fw") + 1])):
        return asked
    subtags = parts[1 : lowered.index("u")] if "u" in lowered else parts[1:]
    regions = [p.upper() for p in subtags if len(p) == 2 and p.isalpha()]  # `en-US`, `zh-Hant-TW`
    region = regions[0] if regions else _LIKELY_REGION.get(lowered[0])
    if region in _SUNDAY_REGIONS:
        return "sunday"
    if region in _SATURDAY_REGIONS:
        return "saturday"
    return "monday"


def week_start(settings: Settings, locale: str | None = None) -> WeekStart:
    """The first day of the week of every grid, board and heading: `STUDIO_WEEK_START` when set; for `auto`,
    the browser's language (`locale`: what the date pickers already follow, so the studio has one week start),
    else Sunday where the time zone is in the Americas (the US, Canada, Mexico and Brazil), Monday elsewhere."""
    if settings.week_start != "auto":
        return settings.week_start
    return locale_week_start(locale) or ("sunday" if settings.timezone.startswith("America/") else "monday")


def week_start_of(day: date, week_start: WeekStart = "monday") -> date:
    """The first day of the week `day` is in, weeks starting on `week_start`."""
    return day - timedelta(days=(day.weekday() - FIRST_WEEKDAY[week_start]) % 7)


def weekday_names(week_start: WeekStart = "monday") -> list[str]:
    """The grid's column headings, from the first day of the week."""
    first = FIRST_WEEKDAY[week_start]
    return [DAY_NAMES[(first + i) % 7] for i in range(7)]


def fullcalendar_first_day(week_start: WeekStart = "monday") -> int:
    """FullCalendar's `firstDay` (Sunday 0) for the setting."""
    return (FIRST_WEEKDAY[week_start] + 1) % 7


def calendar_days(view: View, anchor: date, week_start: WeekStart = "monday") -> list[date]:
    """The days a grid shows, whole weeks from `week_start`: the anchor's week, or the weeks covering its month."""
    if view == "week":
        start = week_start_of(anchor, week_start)
        return [start + timedelta(days=i) for i in range(7)]
    first = anchor.replace(day=1)
    start = week_start_of(first, week_start)
    next_month = (first + timedelta(days=32)).replace(day=1)
    end = week_start_of(next_month - timedelta(days=1), week_start) + timedelta(days=7)
    return [start + timedelta(days=i) for i in range((end - start).days)]


def shift(view: View, anchor: date, steps: int) -> date:
    """The anchor of the previous (-1) or next (+1) week or month."""
    if view == "week":
        return anchor + timedelta(weeks=steps)
    month = anchor.month - 1 + steps
    return date(anchor.year + month // 12, month % 12 + 1, 1)


@dataclass
class CalendarPin:
    """One pin on the calendar: scheduled (it can be moved), or gone out (published, or a dry run of it), or
    failed. A pin synced from Pinterest that the studio didn't publish has no draft."""

    at: datetime  # in the user's zone
    state: Literal["scheduled", "published", "dry_run", "failed"]
    title: str
    board: str = ""
    draft: Draft | None = None
    pin_id: str = ""
    pin_url: str = ""
    thumbnail: str = ""  # an image URL (pins synced from Pinterest); a draft's image is its media
    metrics: dict[str, int] = field(default_factory=dict)  # first metrics, once synced (impression, save, …)

    @property
    def key(self) -> str:
        """A stable id on the calendar (`draft-12`, or `pin-987` for a pin without a draft)."""
        return f"draft-{self.draft.id}" if self.draft else f"pin-{self.pin_id}"

    @property
    def movable(self) -> bool:
        """Only what is still to go out can be moved; what went out stays where it happened."""
        return self.state == "scheduled"


def calendar_pins(store: Store, days: list[date], tz: str) -> dict[date, list[CalendarPin]]:
    """Everything on each day, in the user's zone and time order: pins scheduled (or failed) there, and pins
    published there, with or without a schedule (when their publish job finished; a dry run says so)."""
    grid: dict[date, list[CalendarPin]] = {d: [] for d in days}
    if not days:
        return grid
    start = datetime.combine(days[0], time(0), tzinfo=zone(tz))
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone(tz))
    shown: set[int] = set()

    def place(entry: CalendarPin) -> None:
        if entry.at.date() in grid:
            grid[entry.at.date()].append(entry)

    went_out = jobs.published_between(store, iso(start), iso(end))
    drafts = store.drafts_by_id({j["draft_id"] for j in went_out if j["draft_id"]})
    for job in went_out:  # a pin published twice (a retry that found it) shows once, at its last publish
        draft = drafts.get(job["draft_id"])
        if draft is None or draft.id in shown or draft.status is not DraftStatus.PUBLISHED:
            continue
        shown.add(draft.id)
        place(
            CalendarPin(
                at=local_time(job["published_at"], tz),
                state="dry_run" if is_dry_run(job) else "published",
                title=draft.title,
                board=draft.board,
                draft=draft,
                pin_id="" if is_dry_run(job) else str(job["pin_id"] or ""),
                pin_url="" if is_dry_run(job) else str(job["pin_url"] or ""),
            )
        )
    scheduled = [d for d in store.scheduled_between(iso(start), iso(end)) if d.id not in shown]
    # Published on a schedule but no job in this window: it went out another day (shown there), or it was
    # marked published without a job (an import): then its scheduled time is all there is.
    with_job = jobs.published_job_of(store, [d.id for d in scheduled if d.status is DraftStatus.PUBLISHED])
    for draft in scheduled:
        if draft.status is DraftStatus.PUBLISHED and draft.id in with_job:
            continue
        state = {DraftStatus.PUBLISHED: "published", DraftStatus.FAILED: "failed"}.get(draft.status, "scheduled")
        place(
            CalendarPin(
                at=local_time(draft.scheduled_at or "", tz),
                state=state,  # type: ignore[arg-type]
                title=draft.title,
                board=draft.board,
                draft=draft,
            )
        )
    for entries in grid.values():
        entries.sort(key=lambda e: e.at)
    return grid


def pins_by_day(store: Store, days: list[date], tz: str) -> dict[date, list[Draft]]:
    """Scheduled (and published or failed) pins on each day, in the user's zone, in time order."""
    grid: dict[date, list[Draft]] = {d: [] for d in days}
    if not days:
        return grid
    start = datetime.combine(days[0], time(0), tzinfo=zone(tz))
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone(tz))
    for draft in store.scheduled_between(iso(start), iso(end)):
        day = local_time(draft.scheduled_at or "", tz).date()
        if day in grid:
            grid[day].append(draft)
    return grid


def slot_times(store: Store, board: str, day: date, tz: str) -> list[time]:
    """The posting slots of a board (its own, else the shared set) on a day, as times in the user's zone."""
    slots, _ = board_slots(store, board)
    times = []
    for slot in slots:
        slot_tz = slot["tz"] or "UTC"
        hh, mm = (int(x) for x in slot["time"].split(":"))
        # The slot's weekday is in its own zone; find the local dates around `day` that match it.
        for offset in (-1, 0, 1):
            slot_day = day + timedelta(days=offset)
            if slot_day.weekday() != slot["weekday"]:
                continue
            try:
                at = to_utc(slot_day, time(hh, mm), slot_tz).astimezone(zone(tz))
            except Exception:
                continue
            if at.date() == day:
                times.append(at.time().replace(tzinfo=None))
    return sorted(set(times))


def move_pin(
    store: Store,
    settings: Settings,
    draft_id: int,
    day: date,
    at: time,
    *,
    tz: str,
    actor: Actor,
    override: bool = False,
) -> tuple[Draft, list[Guardrail]]:
    """Schedule (or move) an approved pin to a day and time in the user's zone, with the guardrails."""
    return schedule(store, settings, draft_id, to_utc(day, at, tz), tz=tz, actor=actor, override=override)
