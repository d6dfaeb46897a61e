"""Who acts in tests: a person with a role (no stored account: `studio.people` checks the role alone), the
command-line operator, or a member of a stored team (four eyes counts stored reviewers and owners)."""

from __future__ import annotations

from studio import people
from studio.people import Actor, Role
from studio.storage import Store


def person(name: str, role: Role | str = Role.OWNER) -> Actor:
    """Someone called `name` with `role`, recorded as `local:<name>` (no account is stored)."""
    ref = f"local:{name}"
    return Actor(None, name, Role(role), "local", ref, ref)


def owner(name: str = "olga") -> Actor:
    return person(name, Role.OWNER)


def reviewer(name: str = "rita") -> Actor:
    return person(name, Role.REVIEWER)


def editor(name: str = "ed") -> Actor:
    return person(name, Role.EDITOR)


def viewer(name: str = "vic") -> Actor:
    return person(name, Role.VIEWER)


def operator(os_user: str = "tester") -> Actor:
    """The command line's actor, as `pinstudio` run by `os_user` is."""
    return Actor.cli(os_user)


def member(store: Store, role: Role | str, name: str) -> Actor:
    """A stored account with `role` (added by the operator), acting as itself."""
    email = f"{name.lower().replace(' ', '.')}@example.com"
    user, _password = people.add_user(store, email, name, Role(role), actor=operator())
    return Actor.for_user(user)
