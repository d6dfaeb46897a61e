"""Questions a marketer asks of the stored metrics: totals over time, top pins, breakdowns, best slots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from studio.analytics import tables
from studio.errors import ValidationError
from studio.people import Actor
from studio.scheduling import add_slot, posting_slots
from studio.storage import Store

BREAKDOWNS = ("board", "keyword", "weekday_hour", "kind", "title_length")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TITLE_BUCKETS = ((0, 20, "≤20"), (21, 40, "21–40"), (41, 60, "41–60"), (61, 80, "61–80"), (81, 10_000, ">80"))
SORTS = ("outbound_click", "impression", "save", "pin_click", "outbound_ctr")


def ctr(clicks: float, impressions: float) -> float:
    return clicks / impressions if impressions else 0.0


def percent(rate: float) -> str:
    """A rate as people read it: 0.0209 → 2.1 %."""
    return f"{rate * 100:.1f} %"


def period(since: date | str | None, until: date | str | None = None, *, today: date | None = None) -> tuple[str, str]:
    """[since, until] as ISO days; default: the last 90 days up to yesterday."""
    today = today or datetime.now(UTC).date()
    until_day = date.fromisoformat(str(until)) if until else today - timedelta(days=1)
    try:
        since_day = date.fromisoformat(str(since)) if since else until_day - timedelta(days=89)
    except ValueError:
        raise ValidationError(
            f"“{since}” is not a date.", fix="Use YYYY-MM-DD, e.g. 2026-01-31.", code="bad_date"
        ) from None
    return str(since_day), str(until_day)


def _with_rates(row: dict) -> dict:
    row["outbound_ctr"] = ctr(row["outbound_click"], row["impression"])
    row["save_rate"] = ctr(row["save"], row["impression"])
    return row


def final_only(rows: list[dict]) -> list[dict]:
    """Pin rows without the days Pinterest has not finished counting (they may still change): what slot
    suggestions and experiments judge on."""
    out = []
    for row in rows:
        if not row.get("pending_days"):
            out.append(row)
            continue
        done = {c: row[c] - row[f"pending_{c}"] for c in [*tables.CUMULATIVE, "days"]}
        out.append(_with_rates({**row, **done, **{f"pending_{c}": 0 for c in done}}))
    return out


def totals_by_day(store: Store, since: str, until: str, account: str | None = None) -> list[dict]:
    """One row per day: impressions, saves, clicks and outbound CTR (account table, else pin sums); `partial`
    when Pinterest has not finished counting the day."""
    rows = tables.daily_sums(store, since, until, account)
    for r in rows:
        for k in ("impression", "save", "outbound_click", "pin_click"):
            r[k] = r[k] or 0
        _with_rates(r)
    return rows


def compare_periods(store: Store, days: int = 7, *, today: date | None = None, account: str | None = None) -> dict:
    """The last `days` full days against the `days` before them (Home)."""
    today = today or datetime.now(UTC).date()
    end = today - timedelta(days=1)
    rows = totals_by_day(store, str(end - timedelta(days=2 * days - 1)), str(end), account)
    cut = str(end - timedelta(days=days - 1))
    out: dict = {}
    for name, part in (
        ("current", [r for r in rows if r["day"] >= cut]),
        ("previous", [r for r in rows if r["day"] < cut]),
    ):
        sums = {k: sum(r[k] for r in part) for k in ("impression", "save", "outbound_click", "pin_click")}
        out[name] = _with_rates(sums)
    out["days"] = days
    out["has_data"] = bool(rows)
    return out


def pin_table(store: Store, since: str, until: str, account: str | None = None) -> list[dict]:
    """Every pin with its totals in the period (the base of top pins and breakdowns)."""
    return [_with_rates(r) for r in tables.pin_totals(store, since, until, account)]


def top_pins(rows: list[dict], by: str = "outbound_click", limit: int = 12, min_impressions: int = 0) -> list[dict]:
    if by not in SORTS:
        raise ValidationError(f"Can't sort by “{by}”.", fix="Use one of: " + ", ".join(SORTS) + ".", code="bad_sort")
    pool = [r for r in rows if r["impression"] >= min_impressions and r["days"]]
    return sorted(pool, key=lambda r: (r[by], r["impression"], r["pin_id"]), reverse=True)[:limit]


def _local(created_at: str, tz: ZoneInfo) -> datetime | None:
    try:
        return datetime.fromisoformat(created_at).astimezone(tz)
    except (TypeError, ValueError):
        return None


def _keys(row: dict, by: str, tz: ZoneInfo) -> list:
    if by == "board":
        return [row["board_name"] or "(unknown board)"]
    if by == "kind":
        return [row["kind"] or "image"]
    if by == "keyword":
        words = [k.strip().lower() for k in (row["keywords"] or "").split(",") if k.strip()]
        return list(dict.fromkeys(words))  # a pin counts once per keyword
    if by == "title_length":
        n = len(row["title"] or "")
        return [next(label for lo, hi, label in TITLE_BUCKETS if lo <= n <= hi)]
    if by == "weekday_hour":
        when = _local(row["created_at"], tz)
        return [(when.weekday(), when.hour)] if when else []
    raise ValidationError(
        f"There is no breakdown by “{by}”.", fix="Use one of: " + ", ".join(BREAKDOWNS) + ".", code="bad_breakdown"
    )


def breakdown(rows: list[dict], by: str, *, tz: str = "UTC") -> list[dict]:
    """Totals and rates per group, most outbound clicks first; `pins` is the sample behind each group."""
    zone = ZoneInfo(tz)
    groups: dict = defaultdict(lambda: {"pins": 0, "impression": 0, "save": 0, "pin_click": 0, "outbound_click": 0})
    for row in rows:
        if not row["days"]:
            continue  # no metrics in the period: it would dilute every rate
        for key in _keys(row, by, zone):
            g = groups[key]
            g["pins"] += 1
            for k in ("impression", "save", "pin_click", "outbound_click"):
                g[k] += row[k]
    out = []
    for key, g in groups.items():
        item = {"group": key, **g}
        if by == "weekday_hour":
            item = {"group": f"{WEEKDAYS[key[0]]} {key[1]:02d}:00", "weekday": key[0], "hour": key[1], **g}
        out.append(_with_rates(item))
    return sorted(out, key=lambda r: (r["outbound_click"], r["impression"], str(r["group"])), reverse=True)


def suggest_slots(rows: list[dict], *, tz: str = "UTC", min_pins: int = 5, limit: int = 3) -> list[dict]:
    """The weekday × hour cells with the best outbound-click rate, only where at least `min_pins` pins back them
    (on final days only: a day Pinterest is still counting would pull its cell down)."""
    cells = [
        c for c in breakdown(final_only(rows), "weekday_hour", tz=tz) if c["pins"] >= min_pins and c["impression"] > 0
    ]
    cells.sort(key=lambda c: (c["outbound_ctr"], c["pins"]), reverse=True)
    return [
        {**c, "time": f"{c['hour']:02d}:00", "why": f"{percent(c['outbound_ctr'])} outbound CTR over {c['pins']} pins"}
        for c in cells[:limit]
    ]


def apply_slots(store: Store, board: str, suggestions: list[dict], tz: str, *, actor: Actor) -> int:
    """Add the suggested cells as weekly posting slots of `board` (existing ones are kept)."""
    if not board:
        raise ValidationError("Pick the board these slots are for.", fix="Choose a board, then apply.", code="no_board")
    before = len(posting_slots(store, board))
    for s in suggestions:
        add_slot(store, board, int(s["weekday"]), s["time"], tz, actor=actor)
    return len(posting_slots(store, board)) - before


def pin_cards(
    store: Store,
    *,
    draft_ids: Sequence[int] = (),
    pin_ids: Sequence[str] = (),
    days: int = 30,
    today: date | None = None,
) -> dict:
    """Sparkline series and totals per pin, keyed by draft id and pin id (History and Review cards)."""
    today = today or datetime.now(UTC).date()
    by_draft = tables.pins_for_drafts(store, list(draft_ids))
    wanted = list(dict.fromkeys([*by_draft.values(), *pin_ids]))
    series = tables.pin_daily(store, wanted, str(today - timedelta(days=days)))
    cards = {}
    for pin_id, rows in series.items():
        if not rows:
            continue
        sums = {k: sum(r[k] for r in rows) for k in ("impression", "save", "pin_click", "outbound_click")}
        cards[pin_id] = {"series": rows, "totals": _with_rates(sums), "days": days}
    out: dict = {p: c for p, c in cards.items()}
    for draft_id, pin_id in by_draft.items():
        if pin_id in cards:
            out[draft_id] = cards[pin_id]
    return out
