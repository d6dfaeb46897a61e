"""The analytics tables and every SQL statement that writes them.

Storage shape (why): one row per pin per day with one column per metric, `WITHOUT ROWID`, primary key
(pin_id, day). Every question we ask reads several metrics of the same pin-day together (outbound CTR =
OUTBOUND_CLICK / IMPRESSION), so a wide row answers it without a pivot, stores the key once instead of
once per metric (5,000 pins × 365 days is 1.8 M rows, not 11 M), and the clustered key makes a pin's
sparkline and "this pin from day D on" a contiguous range read. Video-only metrics are NULL on image pins
(a NULL costs one header byte).

Each row also carries running totals (`cum_*`: the pin's sums up to and including that day). A period's total
is then "running total at the last day ≤ until − running total at the last day < since": two key seeks per
pin whatever the period's length, so breakdowns over 5,000 pins stay fast with years stored. Sync appends at
the end of each pin's history, so keeping them costs only the new rows (`refresh_cumulative`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from studio.storage import Store

migrations = Migrations("pinstudio.analytics")

# Pinterest metric name → our column. Standard metrics exist for every pin; video ones only for videos.
PIN_METRICS = {"IMPRESSION": "impression", "SAVE": "save", "PIN_CLICK": "pin_click", "OUTBOUND_CLICK": "outbound_click"}
VIDEO_METRICS = {
    "VIDEO_MRC_VIEW": "video_mrc_view",
    "VIDEO_START": "video_start",
    "VIDEO_AVG_WATCH_TIME": "video_avg_watch_time",
    "QUARTILE_95_PERCENT_VIEW": "quartile_95_percent_view",
    "VIDEO_10S_VIEW": "video_10s_view",
    "VIDEO_V50_WATCH_TIME": "video_v50_watch_time",
}
ACCOUNT_METRICS = {
    "ENGAGEMENT": "engagement",
    "IMPRESSION": "impression",
    "OUTBOUND_CLICK": "outbound_click",
    "PIN_CLICK": "pin_click",
    "SAVE": "save",
}
DAILY_COLUMNS = [*PIN_METRICS.values(), *VIDEO_METRICS.values()]
CUMULATIVE = ["impression", "save", "pin_click", "outbound_click", "video_mrc_view"]  # + cum_days
PIN_COLUMNS = [
    "pin_id", "account", "board_id", "board_name", "title", "description", "link", "kind", "thumbnail",
    "created_at", "draft_id", "keywords", "source", "metrics_90d", "metrics_lifetime", "synced_through", "updated_at",
]  # fmt: skip


@migrations()
def m001_analytics(db: sqlite_utils.Database) -> None:
    db.table("analytics_pins").create(
        {
            "pin_id": str,
            "account": str,
            "board_id": str,
            "board_name": str,
            "title": str,
            "description": str,
            "link": str,
            "kind": str,  # image | video | carousel
            "thumbnail": str,
            "created_at": str,  # UTC ISO: the posting time for weekday × hour
            "draft_id": int,  # set when the studio published it; NULL for imported pins
            "keywords": str,  # the draft's keywords (comma-separated) at sync time
            "source": str,  # studio | imported
            "metrics_90d": str,  # JSON from GET /pins?pin_metrics=true
            "metrics_lifetime": str,
            "synced_through": str,  # last day whose daily metrics are stored as final
            "updated_at": str,
        },
        pk="pin_id",
    )
    db.table("analytics_pins").create_index(["account"])
    db.table("analytics_pins").create_index(["draft_id"])
    columns = ", ".join(f"{c} {'REAL' if c == 'video_avg_watch_time' else 'INTEGER'}" for c in DAILY_COLUMNS)
    cumulative = ", ".join(f"cum_{c} INTEGER" for c in [*CUMULATIVE, "days"])
    db.execute(
        f"create table analytics_pin_daily (pin_id TEXT NOT NULL, day TEXT NOT NULL, {columns}, {cumulative}, "
        "primary key (pin_id, day)) without rowid"
    )
    account_columns = ", ".join(f"{c} INTEGER" for c in ACCOUNT_METRICS.values())
    db.execute(
        f"create table analytics_account_daily (account TEXT NOT NULL, day TEXT NOT NULL, {account_columns}, "
        "primary key (account, day)) without rowid"
    )
    db.table("analytics_sync").create(
        {
            "account": str,
            "bulk_supported": int,  # NULL unknown, 1 yes, 0: GET /pins/analytics refused, go per pin
            "account_synced_through": str,
            "top_pins": str,  # JSON: Pinterest's own top pins of the last sync
            "started_at": str,
            "finished_at": str,
            "last_result": str,
            "last_error": str,
        },
        pk="account",
    )
    db.table("analytics_cache").create({"key": str, "fetched_at": str, "body": str}, pk="key")


@migrations()
def m002_user_and_data_status(db: sqlite_utils.Database) -> None:
    """Who each synced account is (its Pinterest user id: one user's metrics are kept and counted once, however
    it was connected), and each stored day's data_status (days Pinterest may still revise are shown as partial
    and kept out of slot and experiment maths). Rows stored before this have no status: taken as final."""
    db.table("analytics_sync").add_column("user_id", str)
    db.execute("alter table analytics_pin_daily add column data_status text")
    db.execute("alter table analytics_account_daily add column data_status text")
    # Not-final rows are few (the last days of each pin): a partial index finds them without a scan.
    db.execute(
        "create index analytics_pin_daily_not_final on analytics_pin_daily (pin_id, day) where data_status != 'READY'"
    )


@migrations()
def m003_pins_by_time(db: sqlite_utils.Database) -> None:
    """The calendar shows synced pins on the day they were posted: an index on created_at finds a week's."""
    db.table("analytics_pins").create_index(["created_at"], if_not_exists=True)


# --- writes ------------------------------------------------------------------------------------
def upsert_pins(store: Store, rows: Iterable[dict]) -> None:
    """Pin metadata; keeps `synced_through` (the sync's progress) when the row exists."""
    rows = list(rows)
    if not rows:
        return
    cols = [c for c in PIN_COLUMNS if c != "synced_through"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "pin_id")
    store.db.conn.executemany(
        f"insert into analytics_pins ({', '.join(cols)}) values ({', '.join('?' * len(cols))}) "
        f"on conflict(pin_id) do update set {updates}",
        [[row.get(c) for c in cols] for row in rows],
    )


def upsert_daily(store: Store, rows: Iterable[dict]) -> int:
    """Daily pin metrics (running totals kept up to date); returns how many rows were inserted or actually
    changed (so a repeat is 0)."""
    rows = list(rows)
    values = [*DAILY_COLUMNS, "data_status"]
    cols = ["pin_id", "day", *values]
    sets = ", ".join(f"{c} = excluded.{c}" for c in values)
    changed = " or ".join(f"{c} is not excluded.{c}" for c in values)
    cursor = store.db.conn.executemany(
        f"insert into analytics_pin_daily ({', '.join(cols)}) values ({', '.join('?' * len(cols))}) "
        f"on conflict(pin_id, day) do update set {sets} where {changed}",
        [[row.get(c) for c in cols] for row in rows],
    )
    written = max(cursor.rowcount, 0)
    if written:
        first: dict[str, str] = {}
        for r in rows:
            pin_id = str(r["pin_id"])
            first[pin_id] = min(first.get(pin_id, r["day"]), r["day"])
        refresh_cumulative(store, first)
    return written


def refresh_cumulative(store: Store, changed: dict[str, str]) -> None:
    """Recompute running totals from each pin's first changed day on (`{pin_id: day}`): one seek for the total
    before that day, then the rows after it (a top-up touches one row per pin)."""
    cols = [*CUMULATIVE, "days"]
    for pin_id, first in changed.items():
        before = store.db.execute(
            f"select {', '.join('cum_' + c for c in cols)} from analytics_pin_daily "
            "where pin_id = ? and day < ? order by day desc limit 1",
            [pin_id, first],
        ).fetchone()
        running = [v or 0 for v in before] if before else [0] * len(cols)
        updates = []
        for row in store.db.execute(
            f"select day, {', '.join(CUMULATIVE)} from analytics_pin_daily where pin_id = ? and day >= ? order by day",
            [pin_id, first],
        ).fetchall():
            running = [running[i] + (row[i + 1] or 0) for i in range(len(CUMULATIVE))] + [running[-1] + 1]
            updates.append([*running, pin_id, row[0]])
        store.db.conn.executemany(
            f"update analytics_pin_daily set {', '.join(f'cum_{c} = ?' for c in cols)} where pin_id = ? and day = ?",
            updates,
        )


def upsert_account_daily(store: Store, rows: Iterable[dict]) -> int:
    values = [*ACCOUNT_METRICS.values(), "data_status"]
    cols = ["account", "day", *values]
    sets = ", ".join(f"{c} = excluded.{c}" for c in values)
    changed = " or ".join(f"{c} is not excluded.{c}" for c in values)
    cursor = store.db.conn.executemany(
        f"insert into analytics_account_daily ({', '.join(cols)}) values ({', '.join('?' * len(cols))}) "
        f"on conflict(account, day) do update set {sets} where {changed}",
        [[row.get(c) for c in cols] for row in rows],
    )
    return max(cursor.rowcount, 0)


def set_synced_through(store: Store, pin_ids: list[str], day: str) -> None:
    store.db.conn.executemany(
        "update analytics_pins set synced_through = ? "
        "where pin_id = ? and (synced_through is null or synced_through < ?)",
        [(day, pin_id, day) for pin_id in pin_ids],
    )


def sync_state(store: Store, account: str) -> dict:
    row = store.db.execute("select * from analytics_sync where account = ?", [account]).fetchone()
    if row is None:
        return {"account": account}
    cols = [d[0] for d in store.db.execute("select * from analytics_sync limit 0").description]
    return dict(zip(cols, row, strict=True))


def save_sync_state(store: Store, account: str, **fields: object) -> None:
    store.db.table("analytics_sync").upsert({"account": account, **fields}, pk="account")


def last_sync_started(store: Store) -> str | None:
    """When the latest sync of any account began (None: never)."""
    return store.db.execute("select max(started_at) from analytics_sync").fetchone()[0]


def account_users(store: Store) -> dict[str, str | None]:
    """Each synced account's Pinterest user id (None: synced before ids were kept)."""
    rows = store.db.execute("select account, nullif(user_id, '') from analytics_sync").fetchall()
    return dict(rows)


def merge_account(store: Store, old: str, into: str) -> None:
    """`old` is the same Pinterest user as `into`: its days and pins become `into`'s (a day both have keeps
    `into`'s row) and `old` is forgotten, so the user's metrics are stored, and counted, once. `into`'s own
    progress is kept: its next sync asks again for the account days it has not confirmed itself."""
    cols = ", ".join(["day", *ACCOUNT_METRICS.values(), "data_status"])
    with store.atomic():
        store.db.execute(
            f"insert or ignore into analytics_account_daily (account, {cols}) "
            f"select ?, {cols} from analytics_account_daily where account = ?",
            [into, old],
        )
        store.db.execute("delete from analytics_account_daily where account = ?", [old])
        store.db.execute("update analytics_pins set account = ? where account = ?", [into, old])
        store.db.execute("delete from analytics_sync where account = ?", [old])


def cache_get(store: Store, key: str) -> tuple[str, Any] | None:
    row = store.db.execute("select fetched_at, body from analytics_cache where key = ?", [key]).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def cache_put(store: Store, key: str, fetched_at: str, body: object) -> None:
    store.db.table("analytics_cache").upsert({"key": key, "fetched_at": fetched_at, "body": json.dumps(body)}, pk="key")


# --- reads -------------------------------------------------------------------------------------
def pins_of(store: Store, account: str | None = None) -> list[dict]:
    where, params = ("where account = ?", [account]) if account else ("", [])
    cursor = store.db.execute(f"select * from analytics_pins {where} order by created_at", params)
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]


def pin_totals(store: Store, since: str, until: str, account: str | None = None) -> list[dict]:
    """Per pin: its metadata and the sums of its daily metrics in [since, until], from the running totals
    at both ends of the period (four key seeks per pin, however long the period); `pending_*`: how much of
    each sum comes from days Pinterest has not finished counting."""
    where, params = ("where p.account = ?", [account]) if account else ("", [])
    metrics = ", ".join(f"coalesce(h.cum_{c}, 0) - coalesce(l.cum_{c}, 0) as {c}" for c in [*CUMULATIVE, "days"])
    pending = ", ".join(f"coalesce(n.{c}, 0) as pending_{c}" for c in [*CUMULATIVE, "days"])
    pending_sums = ", ".join(f"sum({c}) as {c}" for c in CUMULATIVE)
    cursor = store.db.execute(
        "select p.pin_id, p.account, p.board_name, p.title, p.link, p.kind, p.thumbnail, p.created_at, "
        f"p.draft_id, p.keywords, p.source, {metrics}, {pending} "
        "from analytics_pins p "
        "left join analytics_pin_daily h on h.pin_id = p.pin_id and h.day = "
        "(select max(x.day) from analytics_pin_daily x where x.pin_id = p.pin_id and x.day <= ?) "
        "left join analytics_pin_daily l on l.pin_id = p.pin_id and l.day = "
        "(select max(y.day) from analytics_pin_daily y where y.pin_id = p.pin_id and y.day < ?) "
        # The part of those sums that Pinterest may still revise (read from the not-final partial index).
        f"left join (select pin_id, {pending_sums}, count(*) as days from analytics_pin_daily "
        "where data_status != 'READY' and day >= ? and day <= ? group by pin_id) n on n.pin_id = p.pin_id "
        f"{where}",
        [until, since, since, until, *params],
    )
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]


NOT_FINAL = "coalesce(data_status, 'READY') != 'READY'"  # rows stored before statuses were kept count as final


def _day_row(r: tuple) -> dict:
    return {
        "day": r[0],
        "impression": r[1],
        "save": r[2],
        "outbound_click": r[3],
        "pin_click": r[4],
        "partial": bool(r[5]),
    }


def daily_sums(store: Store, since: str, until: str, account: str | None = None) -> list[dict]:
    """Account totals per day from the account table; days it lacks come from summing pins. `partial`: Pinterest
    has not finished counting that day (its numbers may still change)."""
    params: list = [since, until]
    extra = ""
    if account:
        extra, params = " and account = ?", [*params, account]
    acc = store.db.execute(
        f"select day, sum(impression), sum(save), sum(outbound_click), sum(pin_click), max({NOT_FINAL}) "
        f"from analytics_account_daily where day >= ? and day <= ?{extra} group by day",
        params,
    ).fetchall()
    by_day = {r[0]: _day_row(r) for r in acc}
    span = (date.fromisoformat(until) - date.fromisoformat(since)).days + 1
    if len(by_day) >= span:
        return [by_day[d] for d in sorted(by_day)]  # the account table covers it: no need to sum pins
    pin_extra = " where p.account = ?" if account else ""
    # CROSS JOIN keeps analytics_pins as the outer loop: one key seek per pin instead of a full scan.
    for r in store.db.execute(
        "select d.day, sum(d.impression), sum(d.save), sum(d.outbound_click), sum(d.pin_click), "
        "max(coalesce(d.data_status, 'READY') != 'READY') "
        "from analytics_pins p cross join analytics_pin_daily d on d.pin_id = p.pin_id and d.day >= ? and d.day <= ?"
        f"{pin_extra} group by d.day",
        params,
    ).fetchall():
        by_day.setdefault(r[0], _day_row(r))
    return [by_day[d] for d in sorted(by_day)]


def pin_daily(store: Store, pin_ids: list[str], since: str) -> dict[str, list[dict]]:
    """Daily rows of a few pins from `since` (sparklines)."""
    out: dict[str, list[dict]] = {p: [] for p in pin_ids}
    if not pin_ids:
        return out
    cursor = store.db.execute(
        "select pin_id, day, impression, save, pin_click, outbound_click from analytics_pin_daily "
        f"where pin_id in ({', '.join('?' * len(pin_ids))}) and day >= ? order by pin_id, day",
        [*pin_ids, since],
    )
    for pin_id, day, imp, save, clicks, out_clicks in cursor.fetchall():
        out[pin_id].append(
            {
                "day": day,
                "impression": imp or 0,
                "save": save or 0,
                "pin_click": clicks or 0,
                "outbound_click": out_clicks or 0,
            }
        )
    return out


def pins_for_drafts(store: Store, draft_ids: list[int]) -> dict[int, str]:
    if not draft_ids:
        return {}
    rows = store.db.execute(
        f"select draft_id, pin_id from analytics_pins where draft_id in ({', '.join('?' * len(draft_ids))})",
        list(draft_ids),
    ).fetchall()
    return {int(d): p for d, p in rows}


def has_data(store: Store) -> bool:
    return store.db.execute("select exists(select 1 from analytics_pin_daily)").fetchone()[0] == 1


def counts(store: Store) -> dict:
    pins = store.db.execute("select count(*) from analytics_pins").fetchone()[0]
    rows, first, last = store.db.execute("select count(*), min(day), max(day) from analytics_pin_daily").fetchone()
    return {"pins": pins, "daily_rows": rows, "first_day": first, "last_day": last}


def pins_posted_between(store: Store, start_utc: str, end_utc: str) -> list[dict]:
    """Synced pins posted in a window (the calendar's "went out"), with the link Pinterest shows them at."""
    cursor = store.db.execute(
        "select pin_id, account, board_name, title, thumbnail, created_at, draft_id, source from analytics_pins"
        " where created_at >= ? and created_at < ? order by created_at",
        [start_utc, end_utc],
    )
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]


def first_metrics(store: Store, pin_ids: list[str]) -> dict[str, dict[str, int]]:
    """Each synced pin's totals so far (impressions, saves, pin clicks, outbound clicks): from its stored days'
    running totals, else Pinterest's lifetime figures of the last sync. Pins with neither are left out."""
    if not pin_ids:
        return {}
    names = ["impression", "save", "pin_click", "outbound_click"]
    rows = store.db.execute(
        "select p.pin_id, p.metrics_lifetime, "
        + ", ".join(f"d.cum_{n}" for n in names)
        + " from analytics_pins p left join analytics_pin_daily d on d.pin_id = p.pin_id and d.day ="
        " (select max(x.day) from analytics_pin_daily x where x.pin_id = p.pin_id)"
        " where p.pin_id in (select value from json_each(?))",
        [json.dumps(pin_ids)],
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for pin_id, lifetime, *sums in rows:
        if any(v is not None for v in sums):
            out[pin_id] = {n: int(v or 0) for n, v in zip(names, sums, strict=True)}
        elif lifetime:
            figures = json.loads(lifetime) or {}
            keys = {"impression": "IMPRESSION", "save": "SAVE", "pin_click": "PIN_CLICK"}
            keys["outbound_click"] = "OUTBOUND_CLICK"
            out[pin_id] = {n: int(figures.get(k) or 0) for n, k in keys.items()}
    return out
