"""Drafts grounded in what worked: the best titles and keywords of the board reach the LLM and the log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from studio.drafting import CallLog, service_for
from studio.drafting.offline import OfflineDrafter
from studio.preferences import load_settings
from tests.support.analytics import seed_known

BEST = "Crunchy Summer Salad in 10 Minutes"
PINS = [
    {"pin_id": "1", "board": "Recipes", "title": BEST, "keywords": "summer salad, quick lunch", "daily": (300, 9, 30)},
    {"pin_id": "2", "board": "Recipes", "title": "Soup", "keywords": "soup", "daily": (300, 1, 2)},
    {"pin_id": "3", "board": "Travel", "title": "Lisbon guide", "keywords": "lisbon", "daily": (300, 9, 90)},
]


def days(n: int = 5) -> list[str]:
    today = datetime.now(UTC).date()
    return [str(today - timedelta(days=d)) for d in range(1, n + 1)]


def test_grounding_reaches_the_llm_prompt_and_the_log(openai_server, store):
    seed_known(store, PINS, days())
    service = service_for(store, load_settings())
    result = service.draft(media_id=None, topic="A fresh pasta idea", board="Recipes")
    sent = json.dumps(openai_server.requests[-1]["messages"])
    assert BEST in sent and "summer salad" in sent
    assert "Lisbon guide" not in sent  # another board's pin is no example here
    logged = json.dumps(CallLog(store).get(result.call_id)["prompt"])
    assert BEST in logged


def test_no_grounding_without_data_or_when_switched_off(openai_server, store, monkeypatch):
    service_for(store, load_settings()).draft(media_id=None, topic="Pasta", board="Recipes")
    assert "performed best" not in json.dumps(openai_server.requests[-1]["messages"])
    seed_known(store, PINS, days())
    monkeypatch.setenv("STUDIO_ANALYTICS_GROUNDING", "false")
    service_for(store, load_settings()).draft(media_id=None, topic="Pasta again", board="Recipes")
    assert "performed best" not in json.dumps(openai_server.requests[-1]["messages"])


def test_offline_drafter_uses_the_top_keywords(store):
    seed_known(store, PINS, days())
    service = service_for(store, load_settings(), drafter=OfflineDrafter())
    result = service.draft(media_id=None, topic="", board="Recipes")
    assert result.output.keywords[0] == "summer salad"
    assert "summer salad" in result.output.title.lower()
    logged = CallLog(store).get(result.call_id)["prompt"]
    assert logged[0]["role"] == "grounding" and logged[0]["content"]["titles"][0] == BEST
