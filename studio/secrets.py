"""Secrets at rest: Fernet encryption with a key from STUDIO_SECRET_KEY or a 0600 key file."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from studio.config import Settings, mask_secret
from studio.errors import SecretsError

KEY_FILE = "secret.key"  # in the data dir; created on first run when STUDIO_SECRET_KEY is unset
# A passphrase (not a Fernet key) is stretched with PBKDF2; the salt is fixed because there is
# one key per install and nowhere safer to keep a salt than beside the data it protects.
_KDF_SALT = b"pinstudio-secret-key-v1"
_KDF_ROUNDS = 200_000


class Vault:
    """Encrypts and decrypts short secrets (tokens, API keys) for storage."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:  # never show the key
        return "Vault(<key hidden>)"

    def encrypt(self, plaintext: str) -> str:
        """The secret as Fernet ciphertext text (safe to store)."""
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        """The secret back; a wrong key is an error that names the fix."""
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            raise SecretsError(
                "Saved credentials can't be read with the current secret key.",
                fix="Set STUDIO_SECRET_KEY back to the value used when they were saved (or restore "
                "secret.key in the data folder), or reconnect the accounts.",
            ) from None


def hint(secret: str | None) -> str:
    """What may be shown of a secret: its last 4 characters at most."""
    return mask_secret(secret)


@lru_cache(maxsize=8)
def _derive(passphrase: str) -> bytes:
    raw = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), _KDF_SALT, _KDF_ROUNDS)
    return base64.urlsafe_b64encode(raw)


def _as_fernet_key(value: str) -> bytes:
    """A valid Fernet key is used as is; anything else is treated as a passphrase."""
    try:
        if len(base64.urlsafe_b64decode(value.encode())) == 32:
            return value.encode()
    except ValueError:
        pass
    return _derive(value)


def key_file_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def load_or_create_key_file(data_dir: Path) -> bytes:
    """The key in the data dir, created with 0600 permissions on first use."""
    path = key_file_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once must not write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exists:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o600)  # someone loosened it; nobody else needs to read it
        key = path.read_bytes().strip()
        if not key:
            raise SecretsError(
                "The secret key file is empty.",
                fix=f"Delete {path} (saved credentials will need reconnecting) or set STUDIO_SECRET_KEY.",
            ) from exists
        return key
    key = Fernet.generate_key()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def install_key(settings: Settings) -> bytes:
    """This install's secret key: STUDIO_SECRET_KEY if set, else the key file. Other keys are derived
    from it (sign-in sessions: `studio.people.session_key`), so changing it also signs everyone out."""
    if settings.secret_key and settings.secret_key.get_secret_value():
        return _as_fernet_key(settings.secret_key.get_secret_value())
    return load_or_create_key_file(settings.data_dir)


def vault_for(settings: Settings) -> Vault:
    """The vault for this install: STUDIO_SECRET_KEY if set, else the key file."""
    return Vault(install_key(settings))
