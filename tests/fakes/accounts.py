"""Fixtures for the accounts tests: the shared fake Pinterest server wired into the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.pinterest import FakePinterest


@pytest.fixture
def pinterest(monkeypatch):
    """A running FakePinterest (260 boards) that settings point at, with its app id and secret set."""
    with FakePinterest() as fake:
        monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
        monkeypatch.setenv("PINTEREST_APP_ID", fake.app_id)
        monkeypatch.setenv("PINTEREST_APP_SECRET", fake.app_secret)
        monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_BASE", "0.01")  # retries in tests are near-instant
        monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_CAP", "0.02")
        yield fake
        assert fake.spec_violations == []


def db_bytes(path: Path) -> bytes:
    """Everything SQLite wrote for this database: the file, its WAL and shared memory."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
