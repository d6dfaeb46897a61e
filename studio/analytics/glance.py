"""Analytics read at a glance: people's names and units for the metrics (Outbound CTR 2.1 %), the one line of
what changed, the trend's points with the days Pinterest is still counting set apart, and CSV exports that keep
the machine column names but that no spreadsheet can run as formulas."""

from __future__ import annotations

import csv
import io
from datetime import date

from studio.analytics import report
from studio.analytics.report import percent
from studio.storage import Store
from studio.text import neutralise

METRIC_LABELS = {
    "impression": "Impressions",
    "save": "Saves",
    "pin_click": "Pin clicks",
    "outbound_click": "Outbound clicks",
    "outbound_ctr": "Outbound CTR",
    "save_rate": "Save rate",
    "pins": "Pins",
}
RATES = ("outbound_ctr", "save_rate")
PERCENT_COLUMNS = tuple(METRIC_LABELS[r] for r in RATES)  # shown as 2.1 (a table's number format adds the %)
BREAKDOWN_LABELS = {
    "board": "Board",
    "keyword": "Keyword",
    "weekday_hour": "Weekday × hour",
    "kind": "Media kind",
    "title_length": "Title length",
}
FINAL, COUNTING = "Final", "Still being counted"
TREND_STATUSES = (FINAL, COUNTING)


def label(metric: str) -> str:
    """What a person calls a metric (`outbound_click` → Outbound clicks)."""
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def shown(metric: str, value: float) -> str:
    """A metric's value with its unit: counts with thousands separators, rates in percent."""
    return percent(value) if metric in RATES else f"{round(value):,}"


def readable(groups: list[dict], by: str) -> list[dict]:
    """Breakdown rows for a table on screen: people's column names, rates in percent (2.1 for 2.1 %)."""
    out = []
    for group in groups:
        row: dict = {BREAKDOWN_LABELS.get(by, by): group["group"]}
        for key in ("pins", "impression", "save", "pin_click", "outbound_click"):
            row[label(key)] = group[key]
        for key in RATES:
            row[label(key)] = round(group[key] * 100, 2)
        out.append(row)
    return out


def trend_points(days: list[dict], metric: str) -> list[dict]:
    """The trend's points, `status` Final or Still being counted (`partial`: Pinterest has not finished that
    day). The last final day is repeated as the first point of the counted part, so the dashed line starts
    where the solid one ends."""
    points: list[dict] = []
    for day in days:
        partial = bool(day.get("partial"))
        point = {"day": day["day"], "value": day[metric], "status": COUNTING if partial else FINAL, "partial": partial}
        if partial and points and points[-1]["status"] == FINAL:
            points.append({**points[-1], "status": COUNTING})
        points.append(point)
    return points


def _change(current: float, previous: float) -> str:
    if not previous:
        return "new" if current else "no change"
    return f"{(current - previous) / previous * 100:+.0f} %"


def what_changed(store: Store, rows: list[dict], *, account: str | None = None, today: date | None = None) -> str:
    """One line: the last 7 days against the 7 before, then the period's best pin and best board."""
    parts = []
    weeks = report.compare_periods(store, 7, today=today, account=account)
    if weeks["has_data"]:
        cur, prev = weeks["current"], weeks["previous"]
        parts.append(
            f"Last 7 days: {cur['impression']:,} impressions ({_change(cur['impression'], prev['impression'])} "
            f"on the 7 days before), {cur['outbound_click']:,} outbound clicks "
            f"({_change(cur['outbound_click'], prev['outbound_click'])})"
        )
    bests = []
    best = report.top_pins(rows, by="outbound_click", limit=1)
    if best and best[0]["outbound_click"]:
        pin = best[0]
        bests.append(f"best pin: “{pin['title'] or pin['pin_id']}” ({pin['outbound_click']:,} outbound clicks)")
    boards = [g for g in report.breakdown(rows, "board") if g["impression"]]
    if boards:
        bests.append(f"best board: {boards[0]['group']} ({percent(boards[0]['outbound_ctr'])} outbound CTR)")
    if bests:
        parts.append("In this period, " + "; ".join(bests))
    return ". ".join(parts) + "." if parts else ""


def csv_text(items: list[dict]) -> str:
    """A table as CSV with its machine column names; a cell a spreadsheet would run as a formula is neutralised
    (the rule every CSV of the studio follows, bulk exports included)."""
    if not items:
        return ""
    columns = list(items[0])
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for item in items:
        writer.writerow([neutralise("" if item.get(c) is None else str(item.get(c))) for c in columns])
    return out.getvalue()
