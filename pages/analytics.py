"""Analytics: what worked. Totals over time, top pins, breakdowns, best posting slots; CSV everywhere.
Charts are Vega-Lite specs (the grammar Altair writes) rendered by Streamlit."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, datetime, timedelta

import streamlit as st

from pages_support.ui import error_text, errors_shown, flash, require_password, settings, show_flash, store
from studio import analytics
from studio.accounts import list_accounts

require_password()
cfg = settings()
db = store()
st.title("📈 Analytics")
show_flash()

if analytics.is_sandbox(cfg.pinterest_api_base):
    st.info(
        "You are connected to Pinterest's **sandbox**, which has no analytics: syncing is off. "
        "Metrics already stored are still shown. Point `PINTEREST_API_BASE` at the production API to sync."
    )

today = datetime.now(UTC).date()
accounts = [a.name for a in list_accounts(db)]
top = st.columns([2, 2, 1])
picked = top[0].date_input(
    "Period", value=(today - timedelta(days=90), today - timedelta(days=1)), max_value=today, key="an_period"
)
account = top[1].selectbox("Account", ["All accounts", *accounts], key="an_account")
account = None if account == "All accounts" else account
if top[2].button("Sync now", key="an_sync", disabled=analytics.is_sandbox(cfg.pinterest_api_base)):
    with errors_shown(), st.spinner("Fetching metrics from Pinterest…"):
        results = analytics.sync_all(db, cfg, account=account)
        failed = [r for r in results if "error" in r]
        for r in failed:
            st.error(error_text(f"{r['account']}: {r['error']['message']}", r["error"]["fix"]))
        if results and not failed:
            flash(", ".join(f"{r['account']}: {r['rows_written']} rows, {r['requests']} requests" for r in results))
            st.rerun()
        if not results:
            st.warning("No Pinterest account to sync: connect one on the Accounts page.")

if not analytics.has_data(db):
    st.info(
        "No metrics yet. Press **Sync now** (or run `pinstudio analytics sync`): the first sync fetches the last "
        "90 days of every pin of the account, the worker then adds each new day and keeps them all."
    )
    st.stop()

since, until = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (picked, picked)
since, until = analytics.period(since, until)
rows = analytics.pin_table(db, since, until, account)
days = analytics.totals_by_day(db, since, until, account)


def csv_button(label: str, items: list[dict], name: str) -> None:
    """Any table, downloadable as CSV."""
    buf = io.StringIO()
    if items:
        writer = csv.DictWriter(buf, fieldnames=list(items[0]), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(items)
    st.download_button(f"⬇️ {label} (CSV)", buf.getvalue(), file_name=name, mime="text/csv", key=f"csv_{name}")


TOOLTIP = [{"field": f, "type": t} for f, t in
           (("group", "nominal"), ("pins", "quantitative"), ("impression", "quantitative"),
            ("outbound_click", "quantitative"))]  # fmt: skip


def chart(values: list[dict], mark: str | dict, encoding: dict, *, height: int) -> None:
    """A Vega-Lite chart from a plain spec: what Altair would send, without its ~300 ms of schema validation
    per chart in Python (six charts would cost the page its render budget)."""
    spec = {"data": {"values": values}, "mark": mark, "encoding": encoding, "height": height}
    st.vega_lite_chart(spec=spec, width="stretch")


# --- totals and trend -------------------------------------------------------------------------
sums = {k: sum(d[k] for d in days) for k in ("impression", "save", "outbound_click", "pin_click")}
cols = st.columns(4)
cols[0].metric("Impressions", f"{sums['impression']:,}")
cols[1].metric("Saves", f"{sums['save']:,}")
cols[2].metric("Outbound clicks", f"{sums['outbound_click']:,}")
cols[3].metric("Outbound CTR", f"{analytics.ctr(sums['outbound_click'], sums['impression']):.2%}")
metric = (
    st.segmented_control(
        "Trend",
        ["impression", "save", "outbound_click", "outbound_ctr"],
        default="impression",
        format_func=lambda m: {
            "impression": "Impressions",
            "save": "Saves",
            "outbound_click": "Outbound clicks",
            "outbound_ctr": "Outbound CTR",
        }[m],
        key="an_metric",
    )
    or "impression"
)
if days:
    chart(
        days,
        {"type": "line", "point": len(days) < 40},
        {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": metric, "type": "quantitative", "title": None},
            "tooltip": [{"field": "day", "type": "temporal"}, {"field": metric, "type": "quantitative"}],
        },
        height=220,
    )
csv_button("Daily totals", days, f"daily_{since}_{until}.csv")

# --- top pins ---------------------------------------------------------------------------------
st.subheader("Top pins")
sort = st.selectbox("Sort by", analytics.SORTS, key="an_sort")
best = analytics.top_pins(rows, by=sort, limit=12, min_impressions=1 if sort == "outbound_ctr" else 0)
grid = st.columns(4)
for i, pin in enumerate(best):
    with grid[i % 4]:
        if pin["thumbnail"]:
            st.html(
                f"<img src='{html.escape(pin['thumbnail'])}' style='width:100%;max-width:236px;border-radius:12px'>"
            )
        st.html(f"<div style='font-weight:600'>{html.escape(pin['title'] or '(untitled)')}</div>")
        st.caption(
            f"{html.escape(pin['board_name'] or '—')} · {pin['kind']} · {'studio' if pin['draft_id'] else 'imported'}"
            f"  \n{pin['impression']:,} impr · {pin['save']:,} saves · {pin['outbound_click']:,} clicks · "
            f"{pin['outbound_ctr']:.2%}"
        )
csv_button("All pins", rows, f"pins_{since}_{until}.csv")

# --- breakdowns -------------------------------------------------------------------------------
st.subheader("What works")
labels = {"board": "Board", "keyword": "Keyword", "weekday_hour": "Weekday × hour", "kind": "Media kind",
          "title_length": "Title length"}  # fmt: skip
for tab, by in zip(st.tabs([labels[b] for b in analytics.BREAKDOWNS]), analytics.BREAKDOWNS, strict=True):
    with tab:
        groups = analytics.breakdown(rows, by, tz=cfg.timezone)
        if not groups:
            st.caption(
                "No pins with metrics in this period" + (" carry keywords from our drafts." if by == "keyword" else ".")
            )
            continue
        if by == "weekday_hour":
            chart(
                [{**g, "day": analytics.WEEKDAYS[g["weekday"]]} for g in groups],
                "rect",
                {
                    "x": {"field": "hour", "type": "ordinal", "title": f"Hour ({cfg.timezone})"},
                    "y": {"field": "day", "type": "ordinal", "sort": list(analytics.WEEKDAYS), "title": None},
                    "color": {"field": "outbound_ctr", "type": "quantitative", "title": "Outbound CTR"},
                    "tooltip": [*TOOLTIP, {"field": "outbound_ctr", "type": "quantitative", "format": ".2%"}],
                },
                height=220,
            )
        else:
            chart(
                groups[:20],
                "bar",
                {
                    "x": {"field": "outbound_ctr", "type": "quantitative", "title": "Outbound CTR",
                          "axis": {"format": "%"}},
                    "y": {"field": "group", "type": "nominal", "sort": "-x", "title": None},
                    "tooltip": TOOLTIP,
                },
                height=min(40 + 22 * len(groups[:20]), 480),
            )  # fmt: skip
        table = [{k: v for k, v in g.items() if k not in ("weekday", "hour")} for g in groups]
        st.dataframe(table, hide_index=True, width="stretch")
        csv_button(labels[by], table, f"by_{by}_{since}_{until}.csv")

# --- slots ------------------------------------------------------------------------------------
st.subheader("Suggested posting slots")
suggestions = analytics.suggest_slots(rows, tz=cfg.timezone, min_pins=cfg.analytics_min_slot_pins)
if not suggestions:
    st.caption(
        f"Not enough data yet: a weekday × hour needs at least {cfg.analytics_min_slot_pins} pins with metrics "
        "before we suggest it (STUDIO_ANALYTICS_MIN_SLOT_PINS)."
    )
else:
    for s in suggestions:
        st.markdown(f"- **{analytics.WEEKDAYS[s['weekday']]} {s['time']}** ({cfg.timezone}): {s['why']}")
    boards = sorted({r["board_name"] for r in rows if r["board_name"]})
    board = st.selectbox("Board", boards, key="an_slot_board")
    if st.button("Apply these slots", key="an_apply_slots"):
        with errors_shown():
            added = analytics.apply_slots(db, board, suggestions, cfg.timezone)
            flash(f"{added} posting slot(s) added to {board}; see the Schedule page.")
            st.rerun()
