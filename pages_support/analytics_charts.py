"""The Analytics page's charts as plain Vega-Lite specs (what Altair would send, without its ~300 ms of schema
validation per chart): the trend with unfinished days dashed and shaded, the weekday × hour heatmap with all
24 hours, and the breakdown bars. Every field shown carries a person's name and unit."""

from __future__ import annotations

from datetime import date, timedelta

from studio import analytics


def _tooltip(by_label: str) -> list[dict]:
    return [
        {"field": "group", "type": "nominal", "title": by_label},
        {"field": "pins", "type": "quantitative", "title": "Pins"},
        {"field": "impression", "type": "quantitative", "title": "Impressions", "format": ",.0f"},
        {"field": "outbound_click", "type": "quantitative", "title": "Outbound clicks", "format": ",.0f"},
        {"field": "outbound_ctr", "type": "quantitative", "title": "Outbound CTR", "format": ".1%"},
    ]


def trend(days: list[dict], metric: str) -> dict:
    """The daily trend of `metric`; days Pinterest is still counting are dashed and shaded."""
    points = analytics.trend_points(days, metric)
    for point in points:
        point["day_end"] = str(date.fromisoformat(point["day"]) + timedelta(days=1))
    rate = metric in ("outbound_ctr", "save_rate")
    name = analytics.label(metric)
    value_format = ".1%" if rate else ",.0f"
    shade = [p for p in points if p["partial"]]
    line = {
        "data": {"values": points},
        "mark": {"type": "line", "point": len(days) < 40},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "value", "type": "quantitative", "title": name, "axis": {"format": value_format}},
            "strokeDash": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(analytics.TREND_STATUSES), "range": [[1, 0], [5, 4]]},
                "legend": {"orient": "bottom"} if shade else None,
            },
            "tooltip": [
                {"field": "day", "type": "temporal", "title": "Day"},
                {"field": "value", "type": "quantitative", "title": name, "format": value_format},
                {"field": "status", "type": "nominal", "title": "Numbers"},
            ],
        },
    }
    band = {
        "data": {"values": shade},
        "mark": {"type": "rect", "color": "#9aa0a6", "opacity": 0.18},
        "encoding": {"x": {"field": "day", "type": "temporal"}, "x2": {"field": "day_end"}},
    }
    return {"layer": [band, line] if shade else [line], "height": 220}


def heatmap(groups: list[dict], timezone: str) -> dict:
    """Outbound CTR by weekday and hour of posting: every weekday and all 24 hours, with labels that fit."""
    hours = [f"{h:02d}" for h in range(24)]
    values = [{**g, "day": analytics.WEEKDAYS[g["weekday"]], "hour_label": hours[g["hour"]]} for g in groups]
    return {
        "data": {"values": values},
        "mark": "rect",
        "encoding": {
            "x": {
                "field": "hour_label",
                "type": "ordinal",
                "title": f"Hour of posting ({timezone})",
                "scale": {"domain": hours},
                "axis": {"labelAngle": 0, "labelOverlap": False},
            },
            "y": {"field": "day", "type": "ordinal", "scale": {"domain": list(analytics.WEEKDAYS)}, "title": None},
            "color": {
                "field": "outbound_ctr",
                "type": "quantitative",
                "title": "Outbound CTR",
                "legend": {"format": ".1%"},
            },
            "tooltip": _tooltip("Posted"),
        },
        "height": 220,
    }


def bars(groups: list[dict], by: str) -> dict:
    """Outbound CTR per group (the 20 with most outbound clicks)."""
    shown = groups[:20]
    return {
        "data": {"values": shown},
        "mark": "bar",
        "encoding": {
            "x": {"field": "outbound_ctr", "type": "quantitative", "title": "Outbound CTR", "axis": {"format": ".1%"}},
            "y": {"field": "group", "type": "nominal", "sort": "-x", "title": None},
            "tooltip": _tooltip(analytics.BREAKDOWN_LABELS[by]),
        },
        "height": min(40 + 22 * len(shown), 480),
    }
