"""Experiments judged on real results: each promoted variant's published pin, compared once it has data."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio import analytics
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.analytics import published_variants, seed_known
from tests.support.analytics import recent_days as days

ROOT = Path(__file__).resolve().parents[2]


def test_not_enough_data_then_a_winner(store, make_image):
    settings = load_settings()
    exp_id, (plain, bold) = published_variants(store, settings, make_image)
    assert analytics.experiment_results(store, exp_id)["verdict"] == "not enough data yet"  # not published yet
    seed_known(store, [{"pin_id": "71", "draft_id": plain, "daily": (20, 0, 1)},
                       {"pin_id": "72", "draft_id": bold, "daily": (20, 0, 2)}], days(2))  # fmt: skip
    thin = analytics.experiment_results(store, exp_id)
    assert thin["verdict"] == "not enough data yet" and "100 impressions" in thin["detail"]
    seed_known(store, [{"pin_id": "71", "draft_id": plain, "daily": (500, 0, 10)},
                       {"pin_id": "72", "draft_id": bold, "daily": (500, 0, 25)}], days(10))  # fmt: skip
    clear = analytics.experiment_results(store, exp_id)
    assert clear["verdict"] == "Bold wins"
    assert {a["label"]: a["impression"] for a in clear["arms"]} == {"Plain": 5000, "Bold": 5000}


def test_experiments_page_shows_real_results(settings, make_image):
    store = open_store(settings.db_path)
    exp_id, (plain, bold) = published_variants(store, settings, make_image)
    seed_known(store, [{"pin_id": "71", "draft_id": plain, "daily": (500, 0, 10)},
                       {"pin_id": "72", "draft_id": bold, "daily": (500, 0, 11)}], days(3))  # fmt: skip
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "experiments.py"), default_timeout=30)
    at.session_state["experiment_id"] = exp_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Real results: no clear winner yet" in m.value for m in at.markdown)
