"""Analytics you read at a glance (issue 26), under AppTest: people's labels and units instead of field names, a
one-line "what changed", a heatmap with all 24 hours, unfinished days drawn apart; CSV exports formula-safe."""

from __future__ import annotations

import csv
import io
import json
import re

from studio import analytics
from studio.services import open_store
from tests.support.analytics import page, recent_days, seed_known

MACHINE_NAMES = re.compile(r"\b(impression|outbound_click|outbound_ctr|pin_click|save_rate)\b")


def seed(settings, *, not_final: int = 0) -> None:
    """Six pins on two boards over the last 14 days; the `not_final` most recent days still being counted."""
    store = open_store(settings.db_path)
    days = recent_days(14)
    pins = [
        {"pin_id": str(100 + i), "board": "Recipes" if i % 2 else "Travel", "title": f"Pin number {i}",
         "daily": (1000, 3, 20 + i), "not_final": days[:not_final]}
        for i in range(6)
    ]  # fmt: skip
    seed_known(store, pins, days)
    store.close()


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def visible_text(at) -> str:
    parts = [m.label + " " + m.value for m in at.metric]
    parts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    parts += [o for box in at.selectbox for o in box.options]
    parts += [str(col) for frame in at.dataframe for col in frame.value.columns]
    return "\n".join(parts)


def test_labels_and_units_not_field_names(settings):
    seed(settings)
    at = page("analytics.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = visible_text(at)
    assert not MACHINE_NAMES.search(text), MACHINE_NAMES.findall(text)
    assert at.selectbox(key="an_sort").options == [
        "Outbound clicks", "Impressions", "Saves", "Pin clicks", "Outbound CTR"
    ]  # fmt: skip
    assert {m.label: m.value for m in at.metric}["Outbound CTR"] == "2.2 %"  # 1,890 / 84,000
    by_board = at.dataframe[0].value
    assert list(by_board.columns)[:2] == ["Board", "Pins"] and "Outbound CTR" in by_board.columns
    assert by_board.loc[by_board["Board"] == "Travel", "Outbound CTR"].item() == 2.2  # percent units, not 0.022
    assert any("2.5 % outbound CTR" in c.value for c in at.caption)  # a top pin's card: 25 / 1,000


def test_one_line_says_what_changed(settings):
    seed(settings)
    at = page("analytics.py").run()
    line = at.markdown[0].value  # the first line of text under the title
    assert line.startswith("**What changed.**")
    plain = line.replace("\\", "")
    assert "Last 7 days: 42,000 impressions (+0 % on the 7 days before)" in plain
    assert "best pin: “Pin number 5” (350 outbound clicks)" in plain
    assert "best board: Recipes (2.3 % outbound CTR)" in plain


def test_heatmap_has_every_hour_and_weekday_with_readable_labels(settings):
    seed(settings)
    at = page("analytics.py").run()
    heatmap = next(s for s in specs(at) if s.get("mark") == "rect")
    x = heatmap["encoding"]["x"]
    assert x["scale"]["domain"] == [f"{h:02d}" for h in range(24)]
    assert x["axis"]["labelAngle"] == 0 and x["title"].startswith("Hour of posting")
    assert heatmap["encoding"]["y"]["scale"]["domain"] == list(analytics.WEEKDAYS)
    assert {t["title"] for t in heatmap["encoding"]["tooltip"]} >= {"Impressions", "Outbound CTR"}


def test_days_pinterest_is_still_counting_are_drawn_apart(settings):
    seed(settings, not_final=2)
    at = page("analytics.py").run()
    trend = specs(at)[0]
    band, line = trend["layer"]
    assert band["mark"]["type"] == "rect" and len(band["data"]["values"]) == 2  # the two unfinished days shaded
    dashed = [p["day"] for p in line["data"]["values"] if p["status"] == "Still being counted"]
    assert dashed == sorted(recent_days(3))  # joined to the last final day, then the two counted days
    assert line["encoding"]["strokeDash"]["field"] == "status"
    assert any("2 day(s) Pinterest is still counting" in c.value for c in at.caption)

    seed(settings)  # Pinterest finished them
    at = page("analytics.py").run()
    assert len(specs(at)[0]["layer"]) == 1


def test_csv_keeps_machine_names_and_is_formula_safe(store):
    seed_known(
        store,
        [{"pin_id": "1", "title": "=HYPERLINK(\"https://evil.example\",\"Win\")", "board": "@Recipes",
          "daily": (100, 1, 2)}],
        ["2026-02-01"],
    )  # fmt: skip
    rows = analytics.pin_table(store, "2026-02-01", "2026-02-28")
    parsed = list(csv.DictReader(io.StringIO(analytics.csv_text(rows))))
    assert {"pin_id", "title", "impression", "outbound_ctr"} <= set(parsed[0])
    assert parsed[0]["title"].startswith("'=HYPERLINK") and parsed[0]["board_name"] == "'@Recipes"
    assert parsed[0]["impression"] == "100" and parsed[0]["outbound_ctr"] == "0.02"  # numbers stay numbers
