"""Fixtures for studio.people: a team in a real SQLite file, and argon2id at test-sized cost.

The studio hashes with argon2-cffi's defaults (64 MiB, 3 passes: ~0.1–0.5 s each); these tests hash dozens
of passwords, so they use the same algorithm with 1 MiB and one pass. One test checks the real defaults."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from studio import people
from studio.people import passwords


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def operator() -> people.Actor:
    return people.Actor.cli("tester")


@pytest.fixture
def team(store, operator):
    """An owner, a reviewer, an editor and a viewer, with their one-time passwords."""
    made = {}
    for role, name in (
        ("owner", "Olga Owner"),
        ("reviewer", "Rita Reviewer"),
        ("editor", "Ed Editor"),
        ("viewer", "Vic Viewer"),
    ):
        user, password = people.add_user(store, f"{role}@example.com", name, role, actor=operator)
        made[role] = (user, password)
    return made
