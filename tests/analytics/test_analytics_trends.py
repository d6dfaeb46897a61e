"""Trends keyword ideas: spec-valid request, cached a day, offered on Compose with one-click adding."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from studio import analytics
from studio.errors import ValidationError
from studio.services import Services
from tests.fakes.pinterest import FakePinterest
from tests.support.analytics import Clock, fake_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake():
    with FakePinterest(boards=1) as server:
        yield server
        assert server.spec_violations == []


def test_ideas_are_filtered_by_topic_and_cached_for_a_day(fake, store):
    settings = fake_settings(fake)
    clock = Clock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    with httpx.Client() as http:
        api = Services(settings, http=http).analytics_api(None)
        first = analytics.keyword_ideas(store, api, topic="Summer salad for 4", clock=clock)
        assert [k["keyword"] for k in first["keywords"]] == ["summer salad recipes", "salad dressing", "pasta salad"]
        assert fake.calls("GET", "/trends/keywords/US/top/growing")[0]["query"]["include_keywords"] == [
            "summer",
            "salad",
        ]
        clock.advance(0)
        again = analytics.keyword_ideas(store, api, topic="summer SALAD", clock=clock)
        assert again["cached"] and len(fake.calls("GET", "/trends")) == 1
        clock.advance(1)
        analytics.keyword_ideas(store, api, topic="summer salad", clock=clock)
        assert len(fake.calls("GET", "/trends")) == 2
        with pytest.raises(ValidationError):
            analytics.keyword_ideas(store, api, topic="x", region="Mars")


def test_compose_offers_trend_ideas_and_adds_one(fake, monkeypatch):
    monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", fake.access_token)
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=30).run()
    at.text_input(key="topic").input("camera").run()
    at.button(key="trend_fetch").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="trend_kw_0").click().run()
    assert at.text_input(key="keywords").value == "camera tips"
