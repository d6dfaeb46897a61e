"""Who must sign in, who is acting when nobody does, and four eyes (the author may not approve)."""

from __future__ import annotations

from collections.abc import Iterable

from studio.netguard import is_loopback
from studio.people import tables
from studio.people.actors import Actor
from studio.people.errors import PermissionDenied
from studio.people.roles import Role
from studio.people.users import list_users
from studio.storage import Store

APPROVER_ROLES = (Role.REVIEWER.value, Role.OWNER.value)


def sign_in_required(store: Store, host: str) -> bool:
    """False only for one person on loopback (no account, or a single active one): the studio as it always
    was. True once a second active account exists, or when the studio binds beyond loopback.

    True with no account at all means a reachable studio nobody has joined yet: the caller keeps the
    STUDIO_PASSWORD gate for it (as before accounts) until `pinstudio users add --role owner`."""
    return not is_loopback(host) or tables.count_active(store) > 1


def local_actor(store: Store, name: str = "") -> Actor:
    """Who acts when sign-in is not required: the single active account if it is an owner, else the local
    owner (`name`: the reviewer name saved in Settings, so history reads as it did before accounts)."""
    active = list_users(store, include_disabled=False)
    if len(active) == 1 and active[0].role is Role.OWNER:
        return Actor.for_user(active[0])
    return Actor.local_owner(name)


def second_approver_required(store: Store, setting: bool | None) -> bool:
    """Four eyes: forced by STUDIO_REQUIRE_SECOND_APPROVER when set; otherwise on once two or more active
    people may approve (reviewers and owners): with one, nobody else could ever approve their pins."""
    if setting is not None:
        return setting
    return tables.count_active(store, APPROVER_ROLES) >= 2


def check_four_eyes(actor: Actor, author_refs: str | Iterable[str | None] | None) -> None:
    """Refuse an approval by someone who wrote the content being approved.

    `author_refs`: who wrote the current content (one ref or several: everyone who edited it since it was
    last approved). Both the actor's `ref` and `person_ref` count, so approving your own API key's post is
    refused too. A ref-less author (a name typed before accounts) can't be matched: it never refuses.
    Call it only when `second_approver_required(...)` is True."""
    refs = {author_refs} if isinstance(author_refs, str) else set(author_refs or ())
    if refs & {actor.ref, actor.person_ref}:
        raise PermissionDenied(
            "You wrote the current version of this pin, so someone else has to approve it (four eyes).",
            fix="Ask another reviewer to approve it (STUDIO_REQUIRE_SECOND_APPROVER=false turns four eyes off).",
            code="four_eyes",
        )
