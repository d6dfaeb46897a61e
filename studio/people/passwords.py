"""Password hashes (argon2id through argon2-cffi, its RFC 9106 low-memory profile) and one-time passwords."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from studio.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a megabyte "password" is only a way to burn CPU
_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (argon2-cffi's defaults: RFC 9106, low memory)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an account without a hash is checked against a dummy (same time spent)."""
    try:
        matched = _HASHER.verify(stored_hash or _dummy_hash(), password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False
    return matched and bool(stored_hash) and len(password) <= MAX_LENGTH


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash it at the next sign-in)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    """A hash nobody's password matches, verified when the email is unknown so both answers take as long."""
    return _HASHER.hash(secrets.token_urlsafe(32))


def one_time_password() -> str:
    """A random password to hand over once (about 96 bits); the person chooses their own at first sign-in."""
    return secrets.token_urlsafe(12)


def check_new_password(password: str, *, email: str = "") -> None:
    """Refuse a password that is too short, too long, or the account's own email."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            f"That password is {len(password)} characters long; it needs at least {MIN_LENGTH}.",
            fix="Choose a longer one: a few unrelated words make a good password.",
            code="weak_password",
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(
            f"That password is longer than {MAX_LENGTH} characters.", fix="Choose a shorter one.", code="weak_password"
        )
    if email and password.strip().lower() == email.strip().lower():
        raise ValidationError(
            "The password can't be your email address.", fix="Choose something else.", code="weak_password"
        )
