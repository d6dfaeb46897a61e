"""Analytics: what worked. Totals over time, top pins, breakdowns, best posting slots; CSV everywhere.
Charts are Vega-Lite specs (the grammar Altair writes) rendered by Streamlit."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import streamlit as st

from pages_support import analytics_charts as charts
from pages_support.ui import (
    current_actor,
    error_text,
    errors_shown,
    flash,
    require_password,
    services,
    settings,
    show_flash,
    store,
)
from studio import analytics
from studio.accounts import list_accounts
from studio.text import escape_markdown

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
        results = analytics.sync_all(db, cfg, api_for=services().analytics_api, account=account)
        failed = [r for r in results if "error" in r]
        for r in failed:
            st.error(error_text(f"{r['account']}: {r['error']['message']}", r["error"]["fix"]))
        for r in results:
            if r.get("partial"):  # the other pins are stored; these are asked for again next time
                st.warning(
                    f"{r['account']}: {len(r['failed_pins'])} pin(s) could not be synced this time; the next sync "
                    "asks for them again.  \n"
                    + "  \n".join(escape_markdown(f"Pin {f['pin_id']}: {f['reason']}") for f in r["failed_pins"])
                )
        failed += [r for r in results if r.get("partial")]
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
    """Any table, downloadable as CSV (machine column names; formula-like cells neutralised). The CSV is written
    when the button is pressed, not on every run: 5,000 pins' rows cost a fifth of a second to format."""
    st.download_button(
        f"⬇️ {label} (CSV)",
        lambda: analytics.csv_text(items),
        file_name=name,
        mime="text/csv",
        key=f"csv_{name}",
    )


def chart(spec: dict) -> None:
    st.vega_lite_chart(spec=spec, width="stretch")


# --- what changed, totals and trend ----------------------------------------------------------
if summary := analytics.what_changed(db, rows, account=account):
    st.markdown(f"**What changed.** {escape_markdown(summary)}")
sums = {k: sum(d[k] for d in days) for k in ("impression", "save", "outbound_click", "pin_click")}
cols = st.columns(4)
for col, key in zip(cols, ("impression", "save", "outbound_click"), strict=False):
    col.metric(analytics.label(key), analytics.shown(key, sums[key]))
cols[3].metric("Outbound CTR", analytics.percent(analytics.ctr(sums["outbound_click"], sums["impression"])))
metric = (
    st.segmented_control(
        "Trend",
        ["impression", "save", "outbound_click", "outbound_ctr"],
        default="impression",
        format_func=analytics.label,
        key="an_metric",
    )
    or "impression"
)
if days:
    chart(charts.trend(days, metric))
    if counting := sum(1 for d in days if d.get("partial")):
        st.caption(
            f"Dashed and shaded: {counting} day(s) Pinterest is still counting; their numbers may still change, "
            "and they are left out of suggested slots and experiment results."
        )
csv_button("Daily totals", days, f"daily_{since}_{until}.csv")

# --- top pins ---------------------------------------------------------------------------------
st.subheader("Top pins")
sort = st.selectbox("Sort by", analytics.SORTS, key="an_sort", format_func=analytics.label)
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
            f"  \n{pin['impression']:,} impressions · {pin['save']:,} saves · {pin['outbound_click']:,} outbound "
            f"clicks · {analytics.percent(pin['outbound_ctr'])} outbound CTR"
        )
csv_button("All pins", rows, f"pins_{since}_{until}.csv")

# --- breakdowns -------------------------------------------------------------------------------
st.subheader("What works")
labels = analytics.BREAKDOWN_LABELS
percent_format = {c: st.column_config.NumberColumn(c, format="%.1f %%") for c in analytics.PERCENT_COLUMNS}
for tab, by in zip(st.tabs([labels[b] for b in analytics.BREAKDOWNS]), analytics.BREAKDOWNS, strict=True):
    with tab:
        groups = analytics.breakdown(rows, by, tz=cfg.timezone)
        if not groups:
            st.caption(
                "No pins with metrics in this period" + (" carry keywords from our drafts." if by == "keyword" else ".")
            )
            continue
        chart(charts.heatmap(groups, cfg.timezone) if by == "weekday_hour" else charts.bars(groups, by))
        st.dataframe(analytics.readable(groups, by), hide_index=True, width="stretch", column_config=percent_format)
        table = [{k: v for k, v in g.items() if k not in ("weekday", "hour")} for g in groups]
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
            added = analytics.apply_slots(db, board, suggestions, cfg.timezone, actor=current_actor())
            flash(f"{added} posting slot(s) added to {board}; see the Schedule page.")
            st.rerun()
