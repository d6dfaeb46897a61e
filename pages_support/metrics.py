"""Metric widgets other pages drop in with one line: a pin's sparkline and totals, Home's week vs week."""

from __future__ import annotations

import streamlit as st

from studio import analytics
from studio.storage import Store

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """A text sparkline: cheap enough for every card of a long list."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, int(v / top * (len(BARS) - 1) + 0.5))] for v in values)


def pin_metrics(db: Store, *, draft_id: int | None = None, pin_id: str | None = None, days: int = 30) -> None:
    """Impressions sparkline and totals of one published pin (nothing when it has no metrics yet)."""
    cards = analytics.pin_cards(db, draft_ids=[draft_id] if draft_id else [], pin_ids=[pin_id] if pin_id else [])
    card = cards.get(draft_id) if draft_id else cards.get(pin_id)
    if not card:
        return
    t = card["totals"]
    st.caption(
        f"📈 `{sparkline([r['impression'] for r in card['series']])}` last {days} days: "
        f"{t['impression']:,} impressions · {t['save']:,} saves · {t['outbound_click']:,} outbound clicks "
        f"({t['outbound_ctr']:.1%} CTR)"
    )


def week_vs_week(db: Store) -> None:
    """Home: the last 7 days against the 7 before (shown once metrics exist)."""
    weeks = analytics.compare_periods(db, 7)
    if not weeks["has_data"]:
        return
    st.subheader("Last 7 days")
    cur, prev = weeks["current"], weeks["previous"]
    cols = st.columns(4)
    for col, (key, label) in zip(
        cols, [("impression", "Impressions"), ("save", "Saves"), ("outbound_click", "Outbound clicks")], strict=False
    ):
        col.metric(label, f"{cur[key]:,}", delta=f"{cur[key] - prev[key]:+,} vs the 7 days before")
    cols[3].metric(
        "Outbound CTR",
        analytics.percent(cur["outbound_ctr"]),
        delta=f"{(cur['outbound_ctr'] - prev['outbound_ctr']) * 100:+.2f} pts",
    )


def experiment_results(db: Store, experiment_id: int) -> None:
    """Experiments: variants published as separate pins, compared on real outbound clicks."""
    result = analytics.experiment_results(db, experiment_id)
    st.markdown(f"**Real results: {result['verdict']}.** {result['detail']}")
    rows = [
        {
            "variant": a["label"],
            "draft": a["draft_id"],
            "pin": a.get("pin_id") or "not published",
            "impressions": a["impression"],
            "outbound clicks": a["outbound_click"],
            "outbound CTR": f"{analytics.ctr(a['outbound_click'], a['impression']):.2%}",
            "P(best)": f"{a['p_best']:.0%}" if "p_best" in a else "—",
            "90% interval": f"{a['ci90'][0]:.2%} – {a['ci90'][1]:.2%}" if "ci90" in a else "—",
        }
        for a in result["arms"]
    ]
    if rows:
        st.dataframe(rows, hide_index=True)
