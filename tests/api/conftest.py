"""Fixtures for the HTTP API tests: settings that let the API fetch from loopback, and a running API."""

from __future__ import annotations

import pytest

from studio.preferences import load_settings
from tests.support.api import Api, start_api


@pytest.fixture
def api_settings(data_dir, monkeypatch):
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    return load_settings()


@pytest.fixture
def api(api_settings):
    """The API with the dry-run publisher."""
    server, key, app = start_api(api_settings)
    try:
        yield Api(server, key, app)
    finally:
        server.stop()
