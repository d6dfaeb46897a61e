"""A studio team made for a test: accounts with known passwords, in the data dir a studio server will use."""

from __future__ import annotations

from pathlib import Path

from studio import people
from studio.services import open_store


def add_person(data_dir: Path, email: str, name: str, role: str, password: str = "") -> people.User:
    """An account as its owner would leave it after the first sign-in: their own password chosen (none
    given: still on its one-time password, which is returned in `must_change_password` state)."""
    store = open_store(Path(data_dir) / "studio.db")
    try:
        user, one_time = people.add_user(store, email, name, role, actor=people.Actor.cli("tests"))
        if password:
            user = people.change_password(store, user.id, one_time, password)
        return user
    finally:
        store.close()
