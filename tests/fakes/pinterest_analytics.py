"""The analytics and trends endpoints of the fake Pinterest (installed onto tests/fakes/pinterest.py).

Like Pinterest, it refuses a start_date more than 90 days before its `analytics_today` and a range longer
than 90 days. Metric values are a deterministic function of (pin, day) unless a test sets `analytics_values`.
`analytics_not_final_days` = N marks the N days before today PROCESSING (Pinterest is still counting them);
`analytics_bad` = {pin_id: "truncated" | "strings"} answers that pin's metrics with a cut-off JSON body or with
numbers sent as strings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

LOOKBACK = 90
ROUTES = [
    ("GET", r"/v5/pins", "/pins"),
    ("GET", r"/v5/pins/analytics", "/pins/analytics"),
    ("GET", r"/v5/pins/(?P<pin>\d+)/analytics", "/pins/{pin_id}/analytics"),
    ("GET", r"/v5/user_account/analytics", "/user_account/analytics"),
    ("GET", r"/v5/user_account/analytics/top_pins", "/user_account/analytics/top_pins"),
    (
        "GET",
        r"/v5/trends/keywords/(?P<region>[^/]+)/top/(?P<trend_type>[^/]+)",
        "/trends/keywords/{region}/top/{trend_type}",
    ),
]
TREND_WORDS = [
    "summer salad recipes",
    "easy dinner ideas",
    "salad dressing",
    "camera tips",
    "photography ideas",
    "home office decor",
    "pasta salad",
]


def default_values(pin_id: str, day: date) -> dict:
    seed = int(pin_id) % 97
    impressions = 40 + seed + (day.toordinal() % 7) * 3
    return {
        "IMPRESSION": impressions,
        "SAVE": impressions // 20,
        "PIN_CLICK": impressions // 10,
        "OUTBOUND_CLICK": impressions // 25 + seed % 3,
    }


def _error(status: int, code: int, message: str) -> tuple[int, dict]:
    return status, {"code": code, "message": message}


def install(fake_cls, handler_cls, routes: list) -> None:
    """Add the routes, state defaults and handler methods."""
    routes.extend(ROUTES)
    fake_cls.analytics_today = None  # a date; None = the real UTC today
    fake_cls.analytics_values = staticmethod(default_values)
    fake_cls.bulk_analytics = True  # False: GET /pins/analytics answers 403 (beta not open to the app)
    fake_cls.analytics_not_final_days = 0
    fake_cls.analytics_bad = MappingProxyType({})  # a test assigns its own dict
    fake_cls.final_day = final_day
    fake_cls.add_pin = add_pin
    fake_cls.today = today
    for name, fn in HANDLERS.items():
        setattr(handler_cls, name, fn)


def today(fake) -> date:
    return fake.analytics_today or datetime.now(UTC).date()


def final_day(fake, day: date) -> bool:
    return day < fake.today() - timedelta(days=fake.analytics_not_final_days)


def add_pin(fake, board_id: str, *, title: str = "", created_at: datetime | None = None, video: bool = False, **extra):
    """A pin made outside the studio (on Pinterest itself)."""
    created = (created_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    media = (
        {"media_type": "video", "cover_image_url": "https://i.pinimg.com/cover.jpg", "duration": 12.0}
        if video
        else {
            "media_type": "image",
            "images": {"600x": {"width": 600, "height": 900, "url": "https://i.pinimg.com/x.jpg"}},
        }
    )
    pin = {
        "id": fake.new_id(),
        "created_at": created,
        "board_id": board_id,
        "board_section_id": None,
        "title": title,
        "description": extra.get("description", ""),
        "link": extra.get("link"),
        "alt_text": None,
        "board_owner": {"username": fake.username},
        "is_owner": True,
        "media": media,
        "creative_type": "VIDEO" if video else "REGULAR",
    }
    with fake.lock:
        fake.pins[pin["id"]] = pin
    return pin


def _status(fake, day: date) -> str:
    return "READY" if fake.final_day(day) else "PROCESSING"


def _public(pin: dict) -> dict:
    return {k: v for k, v in pin.items() if not k.startswith("_")}


def _dates(handler, q) -> tuple[date, date] | tuple[int, dict]:
    fake = handler.fake
    try:
        start = date.fromisoformat(q["start_date"][-1])
        end = date.fromisoformat(q["end_date"][-1])
    except (KeyError, ValueError):
        return _error(400, 1, "start_date and end_date must be YYYY-MM-DD.")
    if start < fake.today() - timedelta(days=LOOKBACK):
        return _error(400, 1, "start_date cannot be more than 90 days back from today.")
    if end < start or end > start + timedelta(days=LOOKBACK):
        return _error(400, 1, "end_date must be on or after start_date and at most 90 days after it.")
    return start, end


def _series(fake, pin: dict, start: date, end: date, metrics: list[str]) -> dict:
    created = datetime.fromisoformat(pin["created_at"][:19]).date()
    daily, summary = [], {}
    day = max(start, created)
    while day <= end:
        values = fake.analytics_values(pin["id"], day)
        picked = {m: values.get(m, 0) for m in metrics}
        for m, v in picked.items():
            summary[m] = summary.get(m, 0) + v
        status = _status(fake, day)
        daily.append({"date": str(day), "data_status": status, "metrics": picked})
        day += timedelta(days=1)
    return {"daily_metrics": daily, "summary_metrics": summary, "lifetime_metrics": {}}


def _pin_series(fake, pin: dict, start: date, end: date, metrics: list[str]) -> dict:
    """A pin's answer in the analytics endpoints, broken the way a test asked."""
    series = _series(fake, pin, start, end, metrics)
    if fake.analytics_bad.get(pin["id"]) == "strings":
        for item in series["daily_metrics"]:
            item["metrics"] = {m: str(v) for m, v in item["metrics"].items()}
    return series


def _pins_get(self, m, q, b):
    pins = [_public(p) for p in reversed(list(self.fake.pins.values()))]
    if q.get("pin_metrics", ["false"])[-1] == "true":
        end = self.fake.today() - timedelta(days=1)
        for pin in pins:
            s = _series(self.fake, pin, end - timedelta(days=89), end, ["IMPRESSION", "PIN_CLICK", "OUTBOUND_CLICK"])
            totals = s["summary_metrics"]
            shaped = {
                "impression": totals.get("IMPRESSION", 0),
                "pin_click": totals.get("PIN_CLICK", 0),
                "clickthrough": totals.get("OUTBOUND_CLICK", 0),
            }
            pin["pin_metrics"] = {"90d": shaped, "lifetime_metrics": {**shaped, "reaction": 0, "comment": 0}}
    return self._page(pins, q)


def _pins_pin_id_analytics_get(self, m, q, b):
    pin = self.fake.pins.get(m["pin"])
    if pin is None:
        return _error(404, 50, "Pin not found.")
    dates = _dates(self, q)
    if isinstance(dates[0], int):
        return dates
    if self.fake.analytics_bad.get(pin["id"]) == "truncated":  # the connection dropped mid-body
        return 200, b'{"all": {"daily_metrics": [{"date": "2026-0'
    return 200, {"all": _pin_series(self.fake, pin, *dates, q["metric_types"])}


def _pins_analytics_get(self, m, q, b):
    if not self.fake.bulk_analytics:
        return _error(403, 29, "You are not permitted to access that resource (beta).")
    dates = _dates(self, q)
    if isinstance(dates[0], int):
        return dates
    out = {}
    for pin_id in q["pin_ids"]:
        pin = self.fake.pins.get(pin_id)
        if pin is not None:
            out[pin_id] = {"all": _pin_series(self.fake, pin, *dates, q["metric_types"])}
    return 200, out


def _account_days(fake, start: date, end: date) -> dict[str, dict]:
    days: dict[str, dict] = {}
    for pin in fake.pins.values():
        for item in _series(fake, pin, start, end, ["IMPRESSION", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK"])[
            "daily_metrics"
        ]:
            acc = days.setdefault(item["date"], {"IMPRESSION": 0, "SAVE": 0, "PIN_CLICK": 0, "OUTBOUND_CLICK": 0})
            for k, v in item["metrics"].items():
                acc[k] += v
    for acc in days.values():
        acc["ENGAGEMENT"] = acc["SAVE"] + acc["PIN_CLICK"] + acc["OUTBOUND_CLICK"]
    return days


def _user_account_analytics_get(self, m, q, b):
    dates = _dates(self, q)
    if isinstance(dates[0], int):
        return dates
    days = _account_days(self.fake, *dates)
    daily = [
        {"date": d, "data_status": _status(self.fake, date.fromisoformat(d)), "metrics": v}
        for d, v in sorted(days.items())
    ]
    return 200, {"all": {"daily_metrics": daily, "summary_metrics": {}}}


def _user_account_analytics_top_pins_get(self, m, q, b):
    dates = _dates(self, q)
    if isinstance(dates[0], int):
        return dates
    sort_by = q["sort_by"][-1]
    rows = []
    for pin in self.fake.pins.values():
        s = _series(self.fake, pin, *dates, ["IMPRESSION", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK"])["summary_metrics"]
        s["ENGAGEMENT"] = s.get("SAVE", 0) + s.get("PIN_CLICK", 0) + s.get("OUTBOUND_CLICK", 0)
        rows.append({"pin_id": pin["id"], "metrics": s, "data_status": {}})
    rows.sort(key=lambda r: r["metrics"].get(sort_by, 0), reverse=True)
    size = int(q.get("num_of_pins", ["10"])[-1])
    return 200, {"pins": rows[:size], "sort_by": sort_by, "date_availability": {"is_realtime": False}}


def _trends_keywords_region_top_trend_type_get(self, m, q, b):
    if m["trend_type"] not in ("growing", "monthly", "yearly", "seasonal"):
        return _error(400, 1, "Invalid trend_type.")
    wanted = [w.lower() for w in q.get("include_keywords", [])]
    words = [w for w in TREND_WORDS if not wanted or any(x in w for x in wanted)]
    limit = int(q.get("limit", ["50"])[-1])
    trends = [
        {
            "keyword": w,
            "pct_growth_wow": 10 * (i + 1),
            "pct_growth_mom": 25 * (i + 1),
            "pct_growth_yoy": 100 - i,
            "time_series": {"2026-01-07": 40 + i, "2026-01-14": 60 + i},
        }
        for i, w in enumerate(words[:limit])
    ]
    return 200, {"trends": trends}


HANDLERS = {
    "_pins_get": _pins_get,
    "_pins_analytics_get": _pins_analytics_get,
    "_pins_pin_id_analytics_get": _pins_pin_id_analytics_get,
    "_user_account_analytics_get": _user_account_analytics_get,
    "_user_account_analytics_top_pins_get": _user_account_analytics_top_pins_get,
    "_trends_keywords_region_top_trend_type_get": _trends_keywords_region_top_trend_type_get,
}
