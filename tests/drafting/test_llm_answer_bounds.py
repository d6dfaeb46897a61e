"""LLM answers are bounded: `max_tokens` is sent (a setting), the answer is capped, and parsing it is
linear, so a long or hostile answer can't freeze a worker."""

from __future__ import annotations

import time

import pytest

from studio.drafting import get_drafter
from studio.drafting.base import DraftInput
from studio.errors import DraftingError
from studio.preferences import load_settings

REQUEST = DraftInput(topic="Autumn soup", keywords=["autumn soup recipe"])


def drafter_for(server, monkeypatch, **env):
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("STUDIO_LLM_MODEL", "fake-text-model")
    monkeypatch.setenv("STUDIO_LLM_RETRIES", "0")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return get_drafter(load_settings())


def test_max_tokens_from_the_setting_is_sent(server, monkeypatch):
    out = drafter_for(server, monkeypatch, STUDIO_LLM_MAX_TOKENS="300").draft(REQUEST)
    assert out.title and server.requests[0]["max_tokens"] == 300


def test_a_long_answer_of_open_objects_fails_fast_and_clearly(server, monkeypatch):
    server.mode = "raw"
    server.raw_content = '{"a":1,' * 12_000  # 84 KB; trying every "{" took seconds (quadratic)
    drafter = drafter_for(server, monkeypatch)
    started = time.perf_counter()
    with pytest.raises(DraftingError) as err:
        drafter.draft(REQUEST)
    assert err.value.code == "unparseable_answer" and time.perf_counter() - started < 1.0


def test_a_deeply_nested_answer_is_an_error_not_a_crash(server, monkeypatch):
    server.mode = "raw"
    server.raw_content = '{"a":[' * 5_000
    with pytest.raises(DraftingError) as err:
        drafter_for(server, monkeypatch).draft(REQUEST)
    assert err.value.code == "unparseable_answer"


def test_json_after_prose_with_braces_is_still_found(server, monkeypatch):
    server.mode = "raw"
    server.raw_content = (
        'Sure {friend}! {"title": "Soup", "description": "Warm soup.", "alt_text": "A bowl.", "keywords": []}'
    )
    assert drafter_for(server, monkeypatch).draft(REQUEST).title == "Soup"
