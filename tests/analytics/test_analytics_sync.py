"""Sync against the fake Pinterest (spec-validated): backfill, top-up, history kept past 90 days, resume."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studio.analytics import sync_all
from studio.analytics.sync import sync_account
from studio.analytics.tables import counts, pins_of
from studio.services import Services
from tests.fakes.pinterest import FakePinterest
from tests.support.analytics import Clock, fake_settings

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def fake():
    with FakePinterest(boards=2) as server:
        server.analytics_today = START.date()
        board = server.boards[0]["id"]
        for i in range(3):  # created on Pinterest, long before: the backfill reaches back 90 days
            server.add_pin(board, title=f"Old pin {i}", created_at=START - timedelta(days=400))
        server.add_pin(server.boards[1]["id"], title="A video", created_at=START - timedelta(days=10), video=True)
        yield server
        assert server.spec_violations == []


def sync(store, settings, **options) -> list[dict]:
    """Sync every account through the API the composition root hands in."""
    return sync_all(store, settings, api_for=Services(settings).analytics_api, **options)


def daily_rows(store) -> list[tuple]:
    return store.db.execute("select pin_id, day, impression, outbound_click from analytics_pin_daily").fetchall()


def test_backfill_then_topup_keeps_days_pinterest_forgot(fake, store):
    clock = Clock(START)
    settings = fake_settings(fake)
    [first] = sync(store, settings, clock=clock)
    # 3 old pins × 90 days + the video's 10 days + 90 account days; list, 2 bulk calls (images, videos),
    # account analytics, top pins.
    assert first == {"account": "default", "pins": 4, "days": 90, "requests": 5, "rows_written": 3 * 90 + 10 + 90}
    assert {p["source"] for p in pins_of(store)} == {"imported"}
    assert {p["kind"] for p in pins_of(store)} == {"image", "video"}
    video_call = [c for c in fake.calls("GET", "/pins/analytics") if "VIDEO_MRC_VIEW" in c["query"]["metric_types"]]
    assert len(video_call) == 1
    before = set(daily_rows(store))
    earliest = min(r[1] for r in before)
    assert earliest == str(START.date() - timedelta(days=90))

    again = sync(store, settings, clock=clock)[0]  # same day: nothing missing, nothing changes
    assert again["rows_written"] == 0 and again["days"] == 0

    clock.advance(100)
    fake.analytics_today = clock().date()
    fake.requests.clear()
    later = sync(store, settings, clock=clock)[0]
    # Only the missing days were asked for: every pin's window starts 90 days back (Pinterest forgot the rest).
    starts = {c["query"]["start_date"][0] for c in fake.calls("GET", "/pins/analytics")}
    assert starts == {str(clock().date() - timedelta(days=90))}
    assert later["rows_written"] == 4 * 90 + 90
    after = set(daily_rows(store))
    assert before <= after  # the first days are still stored, unchanged
    assert min(r[1] for r in after) == earliest
    assert counts(store)["daily_rows"] == 3 * 90 + 10 + 4 * 90


def test_topup_next_day_asks_for_one_day(fake, store):
    clock = Clock(START)
    settings = fake_settings(fake)
    sync(store, settings, clock=clock)
    clock.advance(1)
    fake.analytics_today = clock().date()
    fake.requests.clear()
    result = sync(store, settings, clock=clock)[0]
    assert result["days"] == 1 and result["rows_written"] == 4 + 1  # 4 pins × 1 day + the account's day
    for call in fake.calls("GET", "/pins/analytics"):
        assert call["query"]["start_date"] == call["query"]["end_date"] == [str(START.date())]


class PowerCut(Exception):
    pass


class CrashingAPI:
    """The real client, but the process 'dies' when the n-th request is about to go out."""

    def __init__(self, api, crash_at: int) -> None:
        self.api, self.crash_at, self.sent = api, crash_at, 0

    def call(self, *args, **kwargs):
        self.sent += 1
        if self.sent == self.crash_at:
            raise PowerCut()
        return self.api.call(*args, **kwargs)


def test_crash_mid_sync_resumes_without_duplicates(fake, store):
    for i in range(150):  # 150 more image pins from 5 days ago → two bulk batches of their own
        fake.add_pin(fake.boards[0]["id"], title=f"Bulk {i}", created_at=START - timedelta(days=5))
    clock = Clock(START)
    settings = fake_settings(fake)
    # Requests: list, old images, video, new batch 1, new batch 2 ← the crash.
    with pytest.raises(PowerCut):
        sync_account(store, CrashingAPI(_api(settings), 5), "default", settings=settings, clock=clock)
    partial = len(daily_rows(store))
    assert partial == 3 * 90 + 10 + 100 * 5  # whole batches stored, nothing half-way
    fake.requests.clear()
    result = sync_account(store, _api(settings), "default", settings=settings, clock=clock)
    asked = [c["query"]["pin_ids"] for c in fake.calls("GET", "/pins/analytics")]
    assert [len(ids) for ids in asked] == [50]  # only the batch that never came back
    rows = daily_rows(store)
    assert len(rows) == len({(r[0], r[1]) for r in rows})  # no duplicate pin-day
    assert len(rows) == 3 * 90 + 10 + 150 * 5
    assert result["rows_written"] == len(rows) - partial + 90  # + the account's days


def test_budget_stops_and_next_sync_carries_on(fake, store):
    clock = Clock(START)
    settings = fake_settings(fake, STUDIO_ANALYTICS_MAX_REQUESTS=2)  # list + one bulk call
    first = sync(store, settings, clock=clock)[0]
    assert first["requests"] == 2 and "budget" in first["note"]
    second = sync(store, fake_settings(fake), clock=clock)[0]
    assert second["rows_written"] > 0
    assert counts(store)["daily_rows"] == 3 * 90 + 10


def test_per_pin_fallback_when_bulk_is_not_open(fake, store):
    fake.bulk_analytics = False
    clock = Clock(START)
    result = sync(store, fake_settings(fake), clock=clock)[0]
    assert result["rows_written"] == 3 * 90 + 10 + 90
    assert len(fake.calls("GET", "/pins/analytics")) == 1  # asked once, then per pin
    per_pin = [c for c in fake.requests if c["path"].endswith("/analytics") and c["path"].startswith("/pins/")]
    assert len(per_pin) == 1 + 4


def test_rate_limit_retry_after_is_honoured(fake, store):
    slept: list[float] = []
    settings = fake_settings(fake)
    api = _api(settings)
    api.retry.sleep = slept.append
    fake.fail("GET", "/pins/analytics", status=429, times=1, headers={"Retry-After": "3"})
    result = sync_all(store, settings, clock=Clock(START), api_for=lambda name: api)[0]
    assert 3.0 in slept
    assert result["rows_written"] == 3 * 90 + 10 + 90


def test_sandbox_says_so_without_calling(store, monkeypatch):
    settings = fake_settings_sandbox()
    [result] = sync(store, settings, clock=Clock(START))
    assert result["requests"] == 0 and "sandbox" in result["note"]


def fake_settings_sandbox():
    from studio.preferences import load_settings

    return load_settings(PINTEREST_API_BASE="https://api-sandbox.pinterest.com/v5", PINTEREST_ACCESS_TOKEN="t")


def _api(settings):
    return Services(settings).analytics_api(None)
