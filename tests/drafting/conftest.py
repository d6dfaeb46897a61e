"""Fixtures for the drafting tests (the settings-wired `openai_server` is in the root conftest)."""

from __future__ import annotations

import pytest

from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def server():
    """A running fake OpenAI-compatible server the settings know nothing of: the test points a client at it."""
    with FakeOpenAIServer() as srv:
        yield srv
