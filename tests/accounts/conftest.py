"""Fixtures for the accounts tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from studio.people import passwords


@pytest.fixture
def quick_hashes(monkeypatch):
    """Studio users' argon2id hashes at test-sized cost (1 MiB, one pass) for tests that sign many people in."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
