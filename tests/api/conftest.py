"""Fixtures for the HTTP API tests: settings that let the API fetch from loopback, and a running API."""

from __future__ import annotations

import pytest

from studio.preferences import load_settings
from tests.support.api import Api, listing_drift, start_api


@pytest.fixture
def api_settings(data_dir, monkeypatch):
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    # These tests post many pins a second, with one image: the spacing and repeat guardrails would refuse all
    # but the first. Their tests (tests/api/test_api_guardrails.py) turn them back on.
    monkeypatch.setenv("STUDIO_MIN_SPACING_MINUTES", "0")
    monkeypatch.setenv("STUDIO_REPEAT_DAYS", "0")
    return load_settings()


@pytest.fixture
def api(api_settings):
    """The API with the dry-run publisher."""
    server, key, app = start_api(api_settings)
    try:
        yield Api(server, key, app)
    finally:
        server.stop()
    # whatever the test did to its posts (drafts, jobs, media checks), each is listed by its true status
    assert listing_drift(api_settings) == []
