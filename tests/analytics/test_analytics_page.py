"""The Analytics page under AppTest: empty, with data, applying suggested slots, the sandbox notice; the one-line
widgets on Home, History and Review cards."""

from __future__ import annotations

from pathlib import Path

from studio.publishing import jobs
from studio.scheduling import posting_slots
from studio.services import open_store
from tests.support.analytics import page, recent_days, seed_known

ROOT = Path(__file__).resolve().parents[2]


def seed(settings, n_pins: int = 6) -> None:
    store = open_store(settings.db_path)
    pins = [
        {"pin_id": str(100 + i), "board": "Recipes" if i % 2 else "Travel", "title": f"Pin number {i}",
         "keywords": "salad, summer" if i % 2 else "lisbon", "daily": (100 + i, 3, 2 + i),
         "created_at": "2026-01-05T09:00:00+00:00", "draft_id": None}
        for i in range(n_pins)
    ]  # fmt: skip
    seed_known(store, pins, recent_days(14))
    store.close()


def test_empty_page_says_how_to_start(settings):
    at = page("analytics.py").run()
    assert not at.exception
    assert any("No metrics yet" in i.value for i in at.info)


def test_page_with_data_shows_totals_top_pins_breakdowns_and_slots(settings, monkeypatch):
    monkeypatch.setenv("STUDIO_ANALYTICS_MIN_SLOT_PINS", "5")
    seed(settings)
    at = page("analytics.py").run()
    assert not at.exception, [e.value for e in at.exception]
    values = {m.label: m.value for m in at.metric}
    assert values["Impressions"] == f"{sum(100 + i for i in range(6)) * 14:,}"
    assert values["Outbound clicks"] == f"{sum(2 + i for i in range(6)) * 14:,}"
    shown = " ".join(c.value for c in at.caption)
    assert "Recipes" in shown and "imported" in shown
    assert len(at.dataframe) == 5  # one table per breakdown
    assert any("over 6 pins" in m.value for m in at.markdown)  # the slot says how many pins back it
    at.selectbox(key="an_slot_board").set_value("Travel").run()
    at.button(key="an_apply_slots").click().run()
    assert "1 posting slot(s) added to Travel" in at.success[0].value
    store = open_store(settings.db_path)
    assert [(s["weekday"], s["time"]) for s in posting_slots(store, "Travel")] == [(0, "09:00")]
    store.close()


def test_sandbox_notice_and_no_sync(settings, monkeypatch):
    monkeypatch.setenv("PINTEREST_API_BASE", "https://api-sandbox.pinterest.com/v5")
    at = page("analytics.py").run()
    assert any("sandbox" in i.value for i in at.info)
    assert at.button(key="an_sync").disabled


def test_home_shows_week_against_week(settings):
    seed(settings, n_pins=2)
    at = page("dashboard.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Outbound CTR" in labels and "Impressions" in labels


def test_history_card_shows_the_pins_sparkline(settings):
    seed(settings, n_pins=1)  # pin "100"
    store = open_store(settings.db_path)
    job_id = jobs.insert_job(store, None, "pinterest", {}, status="published")
    jobs.update_job(store, job_id, pin_id="100", pin_url="https://www.pinterest.com/pin/100/")
    store.close()
    at = page("history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    line = next(c.value for c in at.caption if "📈" in c.value)
    assert f"{100 * 14:,} impressions" in line and f"`{'█' * 14}`" in line  # 14 equal days


def test_page_draws_the_trend_and_one_chart_per_breakdown(settings):
    seed(settings)
    at = page("analytics.py").run()
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1 + 5  # the trend, then board, keyword, weekday × hour heatmap, kind, title length
    assert len(at.get("download_button")) == 2 + 5  # daily totals, all pins, each breakdown
