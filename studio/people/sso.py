"""Single sign-on: who a person vouched for by an OpenID Connect provider is in the studio.

The provider's word counts only for a verified email. That email must belong to a studio account, unless
STUDIO_SSO_AUTO_ROLE names a role: then a newcomer gets an account with that role (never owner: settings
refuse it). Every outcome is audited, like a password sign-in.
"""

from __future__ import annotations

import secrets

from studio.errors import ValidationError
from studio.models import iso
from studio.people import passwords, tables
from studio.people.actors import Actor
from studio.people.audit import AuditAction, audit
from studio.people.errors import SignInError
from studio.people.roles import Role
from studio.people.users import (
    MAX_EMAIL,
    User,
    active_owner_count,
    check_name,
    get_user,
    normalise_email,
    parse_role,
    touch_seen,
    user_from_row,
)
from studio.storage import Store

METHOD = "sso"


def sso_user(
    store: Store,
    email: str | None,
    email_verified: object,
    name: str | None,
    auto_role: Role | str | None,
    *,
    provider: str = "",
    client: str = "",
) -> User:
    """The active account a provider's user signs in as, or SignInError.

    `email_verified`: the provider's claim (True, or "true" as some providers send it); anything else is
    refused, since anyone can put any address on an account at some providers. `auto_role`: the role a
    newcomer gets (None: newcomers are refused). `provider` and `client` go to the audit log."""
    cleaned = (email or "").strip().lower()[:MAX_EMAIL]
    seen = {"method": METHOD, "provider": provider, "client": client}
    if not cleaned or not _is_true(email_verified):
        audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason="email_not_verified", **seen)
        raise SignInError(
            f"Your sign-in provider did not confirm the email {cleaned or '(none given)'}.",
            fix="Verify the address with your provider, or sign in with your studio email and password.",
            code="sso_email_unverified",
        )
    row = tables.user_row_by_email(store, cleaned)
    if row is None:
        if not auto_role:
            audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason="unknown_email", **seen)
            raise SignInError(
                f"There is no studio account for {cleaned}.",
                fix="Ask an owner to add you on the Team page with this email.",
                code="sso_unknown_email",
            )
        try:
            user = _create(store, cleaned, name, parse_role(auto_role), provider)
        except ValidationError:
            audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason="cannot_create", **seen)
            raise
    else:
        user = user_from_row(row)
    if user.disabled:
        audit(store, None, AuditAction.SIGN_IN_FAILED, cleaned, reason="disabled", **seen)
        raise SignInError(
            "This account is disabled.", fix="Ask an owner to enable it on the Team page.", code="account_disabled"
        )
    touch_seen(store, user.id)
    audit(store, Actor.for_user(user), AuditAction.SIGN_IN, user.email, **seen)
    return get_user(store, user.id)


def _create(store: Store, email: str, name: str | None, role: Role, provider: str) -> User:
    """A newcomer's account: no usable password (an owner can reset one), audited as added by sign-on."""
    email = normalise_email(email)
    if role is Role.OWNER or active_owner_count(store) == 0:
        # The first account is an owner made by a person (`pinstudio users add --role owner`), never by a
        # provider; and a provider never mints owners.
        raise ValidationError(
            "Single sign-on can't create this account: the studio needs an owner first, and never makes one itself.",
            fix="Ask an owner to add you on the Team page (or `pinstudio users add`).",
            code="sso_cannot_create",
        )
    try:
        shown_name = check_name(name or "")
    except ValidationError:
        shown_name = email.split("@", 1)[0]  # a provider may send no name (or an odd one): the mailbox will do
    row = {
        "email": email,
        "name": shown_name,
        "role": role.value,
        # A random password nobody is told: the account signs in through its provider only, until reset.
        "password_hash": passwords.hash_password(secrets.token_urlsafe(32)),
        "created_at": iso(),
        "disabled": 0,
        "must_change_password": 0,
        "session_epoch": 0,
    }
    try:
        user_id = tables.insert_user(store, row)
    except tables.EmailTaken:  # someone added the same address a moment ago: sign in as that account
        existing = tables.user_row_by_email(store, email)
        assert existing is not None
        return user_from_row(existing)
    user = get_user(store, user_id)
    audit(store, Actor.for_user(user), AuditAction.USER_ADDED, email, role=role.value, method=METHOD, provider=provider)
    return user


def _is_true(claim: object) -> bool:
    return claim is True or (isinstance(claim, str) and claim.strip().lower() == "true")
