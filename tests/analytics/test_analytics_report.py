"""Known data in, known answers out: top pins, breakdowns, slot suggestions, week against week, experiments."""

from __future__ import annotations

from datetime import date

import pytest

from studio import analytics
from studio.errors import ValidationError
from studio.scheduling import posting_slots
from tests.support.analytics import seed_known
from tests.support.people import reviewer

DAYS = ["2026-02-01", "2026-02-02"]
# created_at is UTC; Mondays: 2026-01-05, Tuesday 2026-01-06.
PINS = [
    {"pin_id": "1", "board": "Recipes", "title": "Short", "keywords": "salad, lunch", "daily": (100, 5, 10),
     "created_at": "2026-01-05T09:00:00+00:00"},
    {"pin_id": "2", "board": "Recipes", "title": "A much longer title about pasta salad", "keywords": "salad",
     "daily": (200, 2, 4), "created_at": "2026-01-05T09:30:00+00:00"},
    {"pin_id": "3", "board": "Travel", "title": "Lisbon in three days, an honest walking guide for 2026",
     "keywords": "lisbon", "daily": (50, 1, 5), "created_at": "2026-01-06T18:00:00+00:00", "kind": "video"},
    {"pin_id": "4", "board": "Travel", "title": "Porto", "keywords": "", "daily": (10, 0, 0),
     "created_at": "2026-01-06T18:10:00+00:00"},
]  # fmt: skip


@pytest.fixture
def rows(store):
    seed_known(store, PINS, DAYS)
    return analytics.pin_table(store, "2026-02-01", "2026-02-28")


def test_top_pins_by_outbound_clicks_and_ctr(rows):
    assert [r["pin_id"] for r in analytics.top_pins(rows)] == ["1", "3", "2", "4"]  # 20, 10, 8, 0 clicks
    # 10 % each: the tie goes to the pin with more impressions behind it.
    assert [r["pin_id"] for r in analytics.top_pins(rows, by="outbound_ctr", limit=2)] == ["1", "3"]
    assert analytics.top_pins(rows)[0]["outbound_click"] == 20
    with pytest.raises(ValidationError):
        analytics.top_pins(rows, by="likes")


def test_breakdowns_give_the_known_sums(rows):
    by_board = {g["group"]: g for g in analytics.breakdown(rows, "board")}
    assert by_board["Recipes"]["impression"] == 600 and by_board["Recipes"]["outbound_click"] == 28
    assert by_board["Recipes"]["pins"] == 2 and by_board["Travel"]["outbound_click"] == 10
    by_keyword = {g["group"]: g for g in analytics.breakdown(rows, "keyword")}
    assert by_keyword["salad"]["pins"] == 2 and by_keyword["salad"]["outbound_click"] == 28
    assert by_keyword["lunch"]["outbound_click"] == 20 and "" not in by_keyword
    by_kind = {g["group"]: g["pins"] for g in analytics.breakdown(rows, "kind")}
    assert by_kind == {"image": 3, "video": 1}
    by_len = {g["group"]: g["pins"] for g in analytics.breakdown(rows, "title_length")}
    assert by_len == {"≤20": 2, "21–40": 1, "41–60": 1}
    cells = {g["group"]: g for g in analytics.breakdown(rows, "weekday_hour")}
    assert cells["Mon 09:00"]["pins"] == 2 and cells["Tue 18:00"]["pins"] == 2
    # The user's zone moves the cells: 09:00 UTC is 10:00 in Paris in winter.
    paris = {g["group"] for g in analytics.breakdown(rows, "weekday_hour", tz="Europe/Paris")}
    assert paris == {"Mon 10:00", "Tue 19:00"}


def test_slot_suggestions_need_enough_pins_and_say_how_many(rows, store):
    assert analytics.suggest_slots(rows, min_pins=3) == []  # no cell has 3 pins: say nothing
    best = analytics.suggest_slots(rows, min_pins=2)
    # Mon 09:00: 28 / 600 = 4.7 %; Tue 18:00: 10 / 120 = 8.3 % → Tuesday first.
    assert [(s["weekday"], s["time"], s["pins"]) for s in best] == [(1, "18:00", 2), (0, "09:00", 2)]
    assert "over 2 pins" in best[0]["why"]
    assert analytics.apply_slots(store, "Travel", best[:1], "UTC", actor=reviewer()) == 1
    assert [(s["weekday"], s["time"]) for s in posting_slots(store, "Travel")] == [(1, "18:00")]
    assert analytics.apply_slots(store, "Travel", best[:1], "UTC", actor=reviewer()) == 0  # applying twice adds nothing


def test_week_against_week_and_pin_cards(store):
    days = [f"2026-02-{d:02d}" for d in range(1, 15)]
    seed_known(store, [{"pin_id": "9", "daily": (10, 1, 2), "draft_id": 7}], days)
    store.db.execute("update analytics_pin_daily set impression = 30 where day >= '2026-02-08'")
    store.db.conn.commit()
    weeks = analytics.compare_periods(store, today=date(2026, 2, 15))
    assert weeks["current"]["impression"] == 210 and weeks["previous"]["impression"] == 70
    cards = analytics.pin_cards(store, draft_ids=[7], today=date(2026, 2, 15), days=7)
    assert cards[7]["totals"]["impression"] == 30 * 7 and len(cards[7]["series"]) == 7
    assert cards[7] is cards["9"]


def test_bayesian_comparison_is_honest():
    thin = analytics.compare_variants([{"label": "A", "impression": 40, "outbound_click": 4},
                                       {"label": "B", "impression": 30, "outbound_click": 1}])  # fmt: skip
    assert thin["verdict"] == "not enough data yet"
    clear = analytics.compare_variants([{"label": "A", "impression": 5000, "outbound_click": 250},
                                        {"label": "B", "impression": 5000, "outbound_click": 150}])  # fmt: skip
    assert clear["verdict"] == "A wins" and clear["arms"][0]["p_best"] > 0.99
    close = analytics.compare_variants([{"label": "A", "impression": 500, "outbound_click": 26},
                                        {"label": "B", "impression": 500, "outbound_click": 25}])  # fmt: skip
    assert close["verdict"] == "no clear winner yet"
    lo, hi = close["arms"][0]["ci90"]
    assert lo < 26 / 500 < hi


def test_grounding_picks_the_best_titles_of_the_board(store):
    seed_known(store, PINS, DAYS)
    got = analytics.grounding(store, "recipes", today=date(2026, 2, 10))
    assert got["titles"][0] == "Short"  # 10 % outbound CTR beats 2 %
    assert got["keywords"][0] == "salad"
    assert analytics.grounding(store, "Unknown board", today=date(2026, 2, 10)) == {}


def test_period_totals_stay_right_when_days_arrive_out_of_order(store):
    seed_known(store, [{"pin_id": "5", "daily": (10, 1, 1)}], ["2026-02-03", "2026-02-04"])
    seed_known(store, [{"pin_id": "5", "daily": (100, 1, 1)}], ["2026-02-01"])  # an older day, late
    seed_known(store, [{"pin_id": "5", "daily": (7, 1, 1)}], ["2026-02-03"])  # a day restated
    [all_days] = analytics.pin_table(store, "2026-01-01", "2026-02-28")
    assert (all_days["impression"], all_days["days"]) == (100 + 7 + 10, 3)
    [middle] = analytics.pin_table(store, "2026-02-02", "2026-02-03")
    assert (middle["impression"], middle["days"]) == (7, 1)
    [none] = analytics.pin_table(store, "2026-03-01", "2026-03-31")
    assert (none["impression"], none["days"]) == (0, 0)
