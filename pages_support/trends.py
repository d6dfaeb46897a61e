"""Compose: Pinterest Trends keyword ideas for the topic (cached a day; a click adds one to the keywords)."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import action, errors_shown, services
from studio import analytics
from studio.config import Settings
from studio.storage import Store


@action
def _add_keyword(word: str) -> None:
    state = st.session_state
    current = [k.strip() for k in (state.get("keywords") or "").split(",") if k.strip()]
    if word.lower() not in (k.lower() for k in current):
        state["keywords"] = ", ".join([*current, word])


def trend_ideas(db: Store, cfg: Settings) -> None:
    """An expander with trending keywords for the topic: shown from the cache, fetched on request."""
    topic = st.session_state.get("topic", "")
    with st.expander("💡 Trending keyword ideas (Pinterest Trends)"):
        c1, c2 = st.columns([1, 1])
        trend_type = c1.selectbox("Trend", analytics.TREND_TYPES, key="trend_type")
        ask = c2.button("Get ideas for this topic", key="trend_fetch")
        ideas = None
        with errors_shown():
            names = analytics.account_names(db, cfg)
            region = cfg.trends_region
            if ask:
                if not names:
                    st.caption("Connect a Pinterest account on the Accounts page to see trends.")
                    return
                api = services().analytics_api(st.session_state.get("account") or names[0])
                ideas = analytics.keyword_ideas(db, api, topic=topic, region=region, trend_type=trend_type)
            else:
                ideas = analytics.keyword_ideas(
                    db, None, topic=topic, region=region, trend_type=trend_type, cached_only=True
                )
        if not ideas:
            st.caption(
                f"Trending searches in {cfg.trends_region} (STUDIO_TRENDS_REGION), filtered by your topic's words."
            )
            return
        if not ideas["keywords"]:
            st.caption("No trending keyword matches this topic's words right now.")
            return
        st.caption(
            f"{len(ideas['keywords'])} ideas · fetched {ideas['fetched_at'][:16].replace('T', ' ')} UTC · click to add"
        )
        cols = st.columns(3)
        for i, idea in enumerate(ideas["keywords"]):
            growth = idea.get("pct_growth_mom")
            cols[i % 3].button(
                idea["keyword"] + (f" ↑{growth}%" if growth else ""),
                key=f"trend_kw_{i}",
                on_click=_add_keyword,
                args=(idea["keyword"],),
            )
