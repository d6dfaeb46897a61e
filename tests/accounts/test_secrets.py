"""Secrets at rest: Fernet with STUDIO_SECRET_KEY or a generated 0600 key file."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from studio.preferences import load_settings
from studio.secrets import KEY_FILE, SecretsError, Vault, hint, vault_for

TOKEN = "pina_SECRET_test_token_0123456789abcdWXYZ"


def test_first_run_generates_a_private_key_file_and_reuses_it(data_dir):
    vault = vault_for(load_settings())
    key_file = data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    sealed = vault.encrypt(TOKEN)
    assert TOKEN not in sealed
    # A restart (a new vault from the same data dir) still reads what was saved.
    assert vault_for(load_settings()).decrypt(sealed) == TOKEN


def test_a_loosened_key_file_is_made_private_again(data_dir):
    vault_for(load_settings())
    (data_dir / KEY_FILE).chmod(0o644)
    vault_for(load_settings())
    assert stat.S_IMODE((data_dir / KEY_FILE).stat().st_mode) == 0o600


def test_secret_key_from_env_writes_no_key_file(data_dir, monkeypatch):
    monkeypatch.setenv("STUDIO_SECRET_KEY", Fernet.generate_key().decode())
    sealed = vault_for(load_settings()).encrypt(TOKEN)
    assert not (data_dir / KEY_FILE).exists()
    assert vault_for(load_settings()).decrypt(sealed) == TOKEN


def test_a_passphrase_works_as_secret_key(monkeypatch):
    monkeypatch.setenv("STUDIO_SECRET_KEY", "correct horse battery staple")
    sealed = vault_for(load_settings()).encrypt(TOKEN)
    assert vault_for(load_settings()).decrypt(sealed) == TOKEN


def test_wrong_key_is_a_clear_error_without_the_secret(monkeypatch):
    sealed = Vault(Fernet.generate_key()).encrypt(TOKEN)
    with pytest.raises(SecretsError) as info:
        Vault(Fernet.generate_key()).decrypt(sealed)
    assert "STUDIO_SECRET_KEY" in info.value.fix
    assert TOKEN not in str(info.value) and sealed not in str(info.value)


def test_hint_shows_at_most_the_last_four_characters():
    assert hint(TOKEN) == "••••WXYZ"
    assert hint("short") == "••••"
    assert repr(Vault(Fernet.generate_key())) == "Vault(<key hidden>)"
