"""Studio users: accounts with an email, a name, a role and an argon2id password hash.

Changes to the team need the `manage_users` permission (owners; the CLI operator is one) and are audited.
The last active owner can't be demoted or disabled: somebody must always be able to manage the team.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import timedelta

from studio.errors import NotFoundError, ValidationError
from studio.models import iso, utcnow
from studio.people import passwords, tables
from studio.people.actors import Actor
from studio.people.audit import AuditAction, audit
from studio.people.errors import LastOwnerError, SignInError
from studio.people.roles import Permission, Role, require
from studio.storage import Store

MAX_EMAIL = 254  # RFC 5321's limit on a forward path
MAX_NAME = 100
# One @, something before it, a dotted domain after it, no spaces: what a person can mistype, not RFC 5322.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
SEEN_EVERY_S = 60  # last_seen_at is written at most once a minute per user


@dataclass(frozen=True)
class User:
    """A studio account as the rest of the studio sees it (the password hash never leaves tables.py)."""

    id: int
    email: str
    name: str
    role: Role
    created_at: str
    last_seen_at: str | None
    disabled: bool
    must_change_password: bool  # signed in with a one-time password: ask for a new one first
    session_epoch: int

    def to_dict(self) -> dict:
        """The account as `--json` and the Team page show it."""
        shown = asdict(self)
        shown.pop("session_epoch")
        shown["role"] = self.role.value
        return shown


def user_from_row(row: dict) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        disabled=bool(row["disabled"]),
        must_change_password=bool(row["must_change_password"]),
        session_epoch=int(row["session_epoch"] or 0),
    )


# --- input ------------------------------------------------------------------------------
def normalise_email(email: str) -> str:
    """The address as stored and looked up: trimmed and lower-cased; refused when it can't be an email."""
    cleaned = (email or "").strip().lower()
    if len(cleaned) > MAX_EMAIL or not _EMAIL.match(cleaned) or _has_controls(cleaned):
        raise ValidationError(
            f"“{(email or '').strip()[:80]}” is not an email address.",
            fix="Write it as name@example.com.",
            code="invalid_email",
        )
    return cleaned


def check_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned or len(cleaned) > MAX_NAME or _has_controls(cleaned):
        raise ValidationError(
            "A person's name must be 1 to 100 characters of ordinary text.",
            fix="Write the name as the team knows them, e.g. Maria Lopez.",
            code="invalid_name",
        )
    return cleaned


def parse_role(role: Role | str) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise ValidationError(
            f"“{str(role)[:40]}” is not a role.",
            fix="Use one of: " + ", ".join(r.value for r in Role) + ".",
            code="invalid_role",
        ) from None


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


# --- reading ----------------------------------------------------------------------------
def list_users(store: Store, *, include_disabled: bool = True) -> list[User]:
    """Everyone with an account: active people first, by name."""
    return [user_from_row(row) for row in tables.user_rows(store, include_disabled=include_disabled)]


def get_user(store: Store, user_id: int) -> User:
    row = tables.user_row(store, user_id)
    if row is None:
        raise NotFoundError(f"There is no user #{user_id}.", fix="Pick someone from the Team page.")
    return user_from_row(row)


def user_by_email(store: Store, email: str) -> User | None:
    """The account with this email (any case), or None."""
    cleaned = (email or "").strip().lower()
    row = tables.user_row_by_email(store, cleaned) if cleaned else None
    return user_from_row(row) if row else None


def active_owner_count(store: Store) -> int:
    return tables.count_active(store, [Role.OWNER.value])


# --- changing the team ------------------------------------------------------------------
def add_user(store: Store, email: str, name: str, role: Role | str, *, actor: Actor) -> tuple[User, str]:
    """Create an account; returns it and its one-time password (shown once, changed at first sign-in)."""
    require(actor, Permission.MANAGE_USERS)
    email, name, role = normalise_email(email), check_name(name), parse_role(role)
    if role is not Role.OWNER and active_owner_count(store) == 0:
        raise ValidationError(
            "The first person on the team must be an owner, so that someone can manage the team.",
            fix="Add yourself first with the owner role, then the others.",
            code="owner_first",
        )
    password = passwords.one_time_password()
    row = {
        "email": email,
        "name": name,
        "role": role.value,
        "password_hash": passwords.hash_password(password),
        "created_at": iso(),
        "disabled": 0,
        "must_change_password": 1,
        "session_epoch": 0,
    }
    try:
        user_id = tables.insert_user(store, row)
    except tables.EmailTaken:
        raise ValidationError(
            f"There is already an account for {email}.",
            fix="Change that account's role instead, or use another email.",
            code="email_taken",
        ) from None
    audit(store, actor, AuditAction.USER_ADDED, email, role=role.value)
    return get_user(store, user_id), password


def set_role(store: Store, user_id: int, role: Role | str, *, actor: Actor) -> User:
    """Give someone another role; it applies from their next click (roles are read on every request)."""
    require(actor, Permission.MANAGE_USERS)
    role = parse_role(role)
    user = get_user(store, user_id)
    if user.role is role:
        return user
    if not tables.update_user(store, user.id, {"role": role.value}, keep_an_owner=role is not Role.OWNER):
        raise _last_owner(user, "demoted")
    audit(store, actor, AuditAction.ROLE_CHANGED, user.email, **{"from": user.role.value, "to": role.value})
    return get_user(store, user.id)


def disable_user(store: Store, user_id: int, *, actor: Actor) -> User:
    """Lock an account: it can't sign in, its sessions end at once, its history stays."""
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, user_id)
    if user.disabled:
        return user
    if not tables.update_user(store, user.id, {"disabled": 1}, keep_an_owner=True):
        raise _last_owner(user, "disabled")
    tables.bump_session_epoch(store, user.id)
    audit(store, actor, AuditAction.USER_DISABLED, user.email)
    return get_user(store, user.id)


def enable_user(store: Store, user_id: int, *, actor: Actor) -> User:
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, user_id)
    if not user.disabled:
        return user
    tables.update_user(store, user.id, {"disabled": 0})
    audit(store, actor, AuditAction.USER_ENABLED, user.email)
    return get_user(store, user.id)


def reset_password(store: Store, user_id: int, *, actor: Actor) -> str:
    """A new one-time password for someone (shown once); their sessions end and the old password stops working."""
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, user_id)
    password = passwords.one_time_password()
    extra = {"password_hash": passwords.hash_password(password), "must_change_password": 1}
    tables.bump_session_epoch(store, user.id, extra)
    audit(store, actor, AuditAction.PASSWORD_RESET, user.email)
    return password


def change_password(store: Store, user_id: int, current: str, new: str) -> User:
    """A person sets their own password (knowing the current one). Every session of theirs ends, this one
    included: issue a new session for the returned user."""
    user = get_user(store, user_id)
    actor = Actor.for_user(user)  # a disabled account changes nothing
    if not passwords.verify_password(tables.password_hash(store, user.id), current):
        raise SignInError(
            "Your current password is not right.",
            fix="Type it again, or ask an owner to reset it on the Team page.",
            code="wrong_password",
        )
    passwords.check_new_password(new, email=user.email)
    new_hash = passwords.hash_password(new)
    tables.bump_session_epoch(store, user.id, {"password_hash": new_hash, "must_change_password": 0})
    audit(store, actor, AuditAction.PASSWORD_CHANGED, user.email)
    return get_user(store, user.id)


def end_sessions(store: Store, user_id: int, *, actor: Actor) -> None:
    """Sign someone out everywhere (themselves, or anyone for an owner)."""
    if actor.user_id != user_id:
        require(actor, Permission.MANAGE_USERS)
    user = get_user(store, user_id)
    tables.bump_session_epoch(store, user.id)
    audit(store, actor, AuditAction.SIGNED_OUT_EVERYWHERE, user.email)


def _last_owner(user: User, what: str) -> LastOwnerError:
    return LastOwnerError(
        f"{user.name} is the only active owner and can't be {what}: nobody could manage the team.",
        fix="Make someone else an owner first.",
    )


# --- signing in -------------------------------------------------------------------------
_REFUSED = "That email and password don't match an account here."
_REFUSED_FIX = "Check both and try again, or ask an owner to reset your password on the Team page."


def authenticate(store: Store, email: str, password: str, *, client: str = "") -> User:
    """The active user with this email and password, or SignInError.

    An unknown email, a wrong password and a disabled account with a wrong password get the same message
    and take the same time (an unknown email is checked against a dummy hash). Only the right password of a
    disabled account is told that the account is disabled. Both outcomes are audited (`client`: who tried,
    e.g. the address the lockout counts). The lockout itself is the caller's (studio.accounts' limiter)."""
    cleaned = (email or "").strip().lower()[:MAX_EMAIL]
    row = tables.user_row_by_email(store, cleaned) if cleaned else None
    stored_hash = tables.password_hash(store, row["id"]) if row else None
    matched = passwords.verify_password(stored_hash, password or "")
    if row is None or not matched:
        reason = "unknown_email" if row is None else "wrong_password"
        audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason=reason, client=client)
        raise SignInError(_REFUSED, fix=_REFUSED_FIX)
    user = user_from_row(row)
    if user.disabled:
        audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason="disabled", client=client)
        raise SignInError(
            "This account is disabled.", fix="Ask an owner to enable it on the Team page.", code="account_disabled"
        )
    if stored_hash and passwords.needs_rehash(stored_hash):
        tables.update_user(store, user.id, {"password_hash": passwords.hash_password(password)})
    touch_seen(store, user.id)
    audit(store, Actor.for_user(user), AuditAction.SIGN_IN, user.email, client=client)
    return get_user(store, user.id)


def touch_seen(store: Store, user_id: int) -> None:
    """Note that the user was here now (written at most once a minute)."""
    now = utcnow()
    tables.touch_seen(store, user_id, iso(now), iso(now - timedelta(seconds=SEEN_EVERY_S)))
