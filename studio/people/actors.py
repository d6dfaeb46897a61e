"""Who is acting: a signed-in user, the local operator on the command line, an API key, or the one person
using a studio on loopback without signing in. Every domain action takes one and records its `ref`."""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from studio.people.errors import PermissionDenied
from studio.people.roles import Role

if TYPE_CHECKING:
    from studio.people.users import User

ActorKind = Literal["user", "cli", "api", "local", "worker"]

LOCAL_OWNER_REF = "local:owner"
# What a ref may contain after its kind: letters, digits and a few separators (an OS user name is cleaned).
_REF_PART = re.compile(r"[^A-Za-z0-9._@-]+")


@dataclass(frozen=True)
class Actor:
    """Who does something, with the role their permissions come from.

    `ref` is what storage records (`user:12`, `cli:alice`, `api:key_abc`, `local:owner`): stable, never
    reused, never a typed name. `person_ref` is the person who answers for it: the same as `ref`, except
    for an API key, which acts for its owner (`user:12`) — four eyes compares people, not keys.
    `scopes` are an API key's scopes, carried as given (studio.api checks them)."""

    user_id: int | None
    name: str
    role: Role
    kind: ActorKind
    ref: str
    person_ref: str
    scopes: frozenset[str] = frozenset()

    @classmethod
    def local_owner(cls, name: str = "") -> Actor:
        """The one person using a studio on loopback with no sign-in: an owner. `name` is how history shows
        them (the reviewer name saved in Settings, as before accounts existed)."""
        return cls(None, name.strip() or "Local owner", Role.OWNER, "local", LOCAL_OWNER_REF, LOCAL_OWNER_REF)

    @classmethod
    def cli(cls, os_user: str | None = None) -> Actor:
        """The operator of this machine running `pinstudio`: owner rights, recorded as `cli:<os user>`."""
        who = _REF_PART.sub("_", (os_user if os_user is not None else _os_user()).strip()) or "operator"
        ref = f"cli:{who}"
        return cls(None, ref, Role.OWNER, "cli", ref, ref)

    @classmethod
    def worker(cls, name: str) -> Actor:
        """The scheduler worker publishing what a reviewer scheduled: reviewer rights (it may publish, never
        approve on its own: scheduling needs an approved pin), recorded as `worker:<name>`."""
        who = _REF_PART.sub("_", name.strip()) or "worker"
        return cls(None, f"worker {name.strip() or who}", Role.REVIEWER, "worker", f"worker:{who}", f"worker:{who}")

    @classmethod
    def for_user(cls, user: User) -> Actor:
        """A signed-in studio user, with the role they have now. A disabled account may not act at all."""
        if user.disabled:
            raise PermissionDenied(
                f"The account of {user.name} is disabled.", fix="Ask an owner to enable it on the Team page."
            )
        ref = f"user:{user.id}"
        return cls(user.id, user.name, user.role, "user", ref, ref)

    @classmethod
    def for_api_key(cls, key_row: Mapping[str, Any], owner_user: User) -> Actor:
        """An API key acting for the user who owns it: their role (scopes narrow it further, in studio.api)."""
        if owner_user.disabled:
            raise PermissionDenied(
                f"The API key {key_row.get('name') or key_row['id']} belongs to a disabled account.",
                fix="Ask an owner to enable the account, or use another key.",
            )
        return cls.for_api_key_of(key_row, cls.for_user(owner_user))

    @classmethod
    def for_api_key_of(cls, key_row: Mapping[str, Any], owner: Actor) -> Actor:
        """An API key acting for `owner`, whoever that is: a user (`for_user`), or the command-line operator or
        local owner who made it before accounts existed. The key's role is its owner's."""
        return cls(
            owner.user_id,
            f"{key_row.get('name') or key_row['id']} (API key of {owner.name})",
            owner.role,
            "api",
            f"api:{key_row['id']}",
            owner.person_ref,
            _scopes(key_row.get("scopes")),
        )

    def record(self) -> dict[str, str]:
        """The two columns an event or job stores about who did it: `actor_ref` and `actor_name`."""
        return {"actor_ref": self.ref, "actor_name": self.name}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers) and no USER/LOGNAME
        return "operator"


def _scopes(value: object) -> frozenset[str]:
    """Scopes as the api_keys table may hold them: a JSON list, a space/comma separated string, or a list."""
    if value is None or value == "":
        return frozenset()
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value.replace(",", " ").split()
        value = parsed if isinstance(parsed, list) else [parsed]
    if not isinstance(value, Iterable):
        return frozenset()
    return frozenset(str(scope).strip() for scope in value if str(scope).strip())


@dataclass(frozen=True)
class Attribution:
    """Who an event says did it, as history shows it. `verified` is False for names typed before accounts."""

    name: str
    ref: str | None
    kind: str  # user, cli, api, local, or typed (a name from before accounts)
    verified: bool

    @property
    def label(self) -> str:
        return self.name if self.verified else f"{self.name} (typed name, before accounts)"


def attribution(actor_name: str, actor_ref: str | None = None) -> Attribution:
    """How to show who did something: events recorded with an actor ref are verified; events from before
    accounts carry only the name someone typed, kept as it was and shown as such (nothing is rewritten)."""
    ref = (actor_ref or "").strip()
    if not ref or ":" not in ref:
        return Attribution(actor_name or "someone", None, "typed", False)
    kind = ref.split(":", 1)[0]
    return Attribution(actor_name or ref, ref, kind, True)
