"""API key scopes: what a key may do on top of its owner's role (a scope narrows a key, never widens a role).

| scope           | lets the key                                                                    |
|-----------------|---------------------------------------------------------------------------------|
| `posts:draft`   | create posts; each one waits in Review for a person, whatever `draft` says       |
| `posts:publish` | create posts that skip Review (approved and queued or scheduled); owners mint it |
| `webhooks`      | manage webhooks (its own)                                                        |
| `admin`         | see and delete every key's posts and webhooks, not only its own                  |
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from studio.errors import ValidationError
from studio.people.errors import PermissionDenied

if TYPE_CHECKING:
    from studio.people.actors import Actor


class Scope(StrEnum):
    POSTS_DRAFT = "posts:draft"
    POSTS_PUBLISH = "posts:publish"
    WEBHOOKS = "webhooks"
    ADMIN = "admin"


SCOPE_LABELS: dict[Scope, str] = {
    Scope.POSTS_DRAFT: "create posts that wait in Review",
    Scope.POSTS_PUBLISH: "create posts that skip Review",
    Scope.WEBHOOKS: "manage webhooks",
    Scope.ADMIN: "see every key's posts and webhooks",
}
DEFAULT_SCOPES = (Scope.POSTS_DRAFT,)
# A scope that posts (either one) lets a key create posts and read its own.
POSTING = frozenset({Scope.POSTS_DRAFT, Scope.POSTS_PUBLISH})


def parse_scopes(names: Iterable[str] | None) -> tuple[Scope, ...]:
    """Scope names as given (`--scope`, repeated or space/comma separated) → scopes, in table order.
    None or nothing → the default (`posts:draft`); an unknown name is refused with the list."""
    given = [part for name in names or () for part in str(name).replace(",", " ").split()]
    if not given:
        return DEFAULT_SCOPES
    known = {scope.value for scope in Scope}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValidationError(
            f"There is no API key scope {', '.join(unknown)}.",
            fix="Use one or more of: " + ", ".join(scope.value for scope in Scope) + ".",
            code="invalid_scope",
        )
    return tuple(scope for scope in Scope if scope.value in given)


def has_scope(actor: Actor, *scopes: Scope | str) -> bool:
    """Whether the actor may act under one of `scopes`. Only API keys carry scopes: a person is limited by
    their role alone."""
    return actor.kind != "api" or any(str(scope) in actor.scopes for scope in scopes)


def require_scope(actor: Actor, *scopes: Scope | str) -> None:
    """Refuse (403) an API key that holds none of `scopes`."""
    if has_scope(actor, *scopes):
        return
    wanted = " or ".join(f"`{scope}`" for scope in scopes)
    raise PermissionDenied(
        f"This API key may not do that: it needs the {wanted} scope.",
        fix=f"Ask an owner for a key with that scope (`pinstudio api-keys create --scope {scopes[0]}`).",
    )


def sees_everything(actor: Actor) -> bool:
    """Whether the actor sees every key's posts and webhooks: a person in the studio, or a key with `admin`."""
    return actor.kind != "api" or Scope.ADMIN.value in actor.scopes
