"""Roles and what each may do: the one table every permission check in the studio reads.

| role     | may                                                                                   |
|----------|---------------------------------------------------------------------------------------|
| viewer   | read everything but secrets                                                           |
| editor   | + compose, draft, design, edit, submit for review, comment, reply                     |
| reviewer | + approve, reject, request changes, schedule, publish, move on the calendar           |
| owner    | + users, settings, brand kit, accounts and tokens, API keys and scopes, webhooks, audit |
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from studio.people.errors import PermissionDenied

if TYPE_CHECKING:
    from studio.people.actors import Actor


class Role(StrEnum):
    """A person's role; each one may do everything the roles below it may (viewer < editor < reviewer < owner)."""

    VIEWER = "viewer"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    # Ordered by rank, not alphabetically as a str would be.
    def __lt__(self, other: object) -> bool:
        return self.rank < Role(other).rank if isinstance(other, str) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.rank <= Role(other).rank if isinstance(other, str) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.rank > Role(other).rank if isinstance(other, str) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.rank >= Role(other).rank if isinstance(other, str) else NotImplemented


_RANKS = {role: rank for rank, role in enumerate(Role)}


class Permission(StrEnum):
    """A named action a role may be granted; `LABELS` says it in words for refusals."""

    READ = "read"
    COMPOSE = "compose"
    DRAFT = "draft"
    DESIGN = "design"
    EDIT = "edit"
    SUBMIT = "submit"
    COMMENT = "comment"
    REPLY = "reply"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    SCHEDULE = "schedule"
    PUBLISH = "publish"
    RESCHEDULE = "reschedule"
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    BRAND_KIT = "brand_kit"
    ACCOUNTS = "accounts"
    API_KEYS = "api_keys"
    WEBHOOKS = "webhooks"
    READ_SECRETS = "read_secrets"
    AUDIT = "audit"


LABELS: dict[Permission, str] = {
    Permission.READ: "read pins, drafts, the calendar and reports",
    Permission.COMPOSE: "compose pins",
    Permission.DRAFT: "draft pin copy",
    Permission.DESIGN: "design pins",
    Permission.EDIT: "edit drafts",
    Permission.SUBMIT: "submit drafts for review",
    Permission.COMMENT: "comment on pins",
    Permission.REPLY: "reply to comments",
    Permission.APPROVE: "approve pins",
    Permission.REJECT: "reject pins",
    Permission.REQUEST_CHANGES: "send pins back with requested changes",
    Permission.SCHEDULE: "schedule pins",
    Permission.PUBLISH: "publish pins",
    Permission.RESCHEDULE: "move pins on the calendar",
    Permission.MANAGE_USERS: "manage the team (users and roles)",
    Permission.SETTINGS: "change settings",
    Permission.BRAND_KIT: "change the brand kit",
    Permission.ACCOUNTS: "connect Pinterest accounts and manage their tokens",
    Permission.API_KEYS: "manage API keys and their scopes",
    Permission.WEBHOOKS: "manage webhooks",
    Permission.READ_SECRETS: "see secrets",
    Permission.AUDIT: "read the audit log",
}

# What each role adds to the one below it (the table in the module docstring).
_ADDED: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.EDITOR: frozenset(
        {
            Permission.COMPOSE,
            Permission.DRAFT,
            Permission.DESIGN,
            Permission.EDIT,
            Permission.SUBMIT,
            Permission.COMMENT,
            Permission.REPLY,
        }
    ),
    Role.REVIEWER: frozenset(
        {
            Permission.APPROVE,
            Permission.REJECT,
            Permission.REQUEST_CHANGES,
            Permission.SCHEDULE,
            Permission.PUBLISH,
            Permission.RESCHEDULE,
        }
    ),
    Role.OWNER: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.SETTINGS,
            Permission.BRAND_KIT,
            Permission.ACCOUNTS,
            Permission.API_KEYS,
            Permission.WEBHOOKS,
            Permission.READ_SECRETS,
            Permission.AUDIT,
        }
    ),
}


def _grants() -> dict[Role, frozenset[Permission]]:
    granted: frozenset[Permission] = frozenset()
    table = {}
    for role in Role:
        granted |= _ADDED[role]
        table[role] = granted
    return table


GRANTS: dict[Role, frozenset[Permission]] = _grants()


def minimum_role(permission: Permission | str) -> Role:
    """The lowest role that may do `permission`."""
    permission = Permission(permission)
    return next(role for role in Role if permission in _ADDED[role])


def may(actor: Actor, permission: Permission | str) -> bool:
    """Whether the actor's role allows `permission` (an unknown permission name is a programming error)."""
    # A StrEnum member hashes as its text, so "approve" is found as Permission.APPROVE without converting.
    if permission in GRANTS[actor.role]:
        return True
    Permission(permission)  # ValueError for a name that is no permission
    return False


def require(actor: Actor, permission: Permission | str) -> None:
    """Return quietly when the actor may do `permission`; raise PermissionDenied naming the fix otherwise."""
    if permission in GRANTS[actor.role]:
        return
    permission = Permission(permission)  # ValueError for a name that is no permission
    needed = minimum_role(permission)
    if actor.kind == "api":
        fix = f"Use an API key of someone who is a {needed.value} (a key acts with its owner's role)."
    else:
        fix = f"Ask an owner to make you {_article(needed)} {needed.value} on the Team page."
    raise PermissionDenied(
        f"{actor.name} is {_article(actor.role)} {actor.role.value}, and {actor.role.value}s may not "
        f"{LABELS[permission]}.",
        fix=fix,
    )


def _article(role: Role) -> str:
    return "an" if role.value[0] in "aeiou" else "a"
