"""Accounts at scale: board sync of big accounts against the fake Pinterest server (spec-validated,
loopback), token reads through AccountTokenSource, and Fernet encrypt/decrypt of a token.

Run: .venv/bin/python bench/bench_accounts.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from studio import accounts  # noqa: E402
from studio.accounts import boards as board_sync  # noqa: E402
from studio.pinterest.oauth import TokenSet  # noqa: E402
from studio.preferences import load_settings  # noqa: E402
from studio.secrets import vault_for  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.fakes.pinterest import FakePinterest  # noqa: E402


def sync(boards: int, sections_each: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakePinterest(boards=boards) as fake:
        os.environ.update(
            STUDIO_DATA_DIR=tmp,
            STUDIO_ENV_FILE="",
            PINTEREST_API_BASE=fake.base,
            PINTEREST_APP_ID=fake.app_id,
            PINTEREST_APP_SECRET=fake.app_secret,
        )
        for board in fake.boards:
            for i in range(sections_each):
                fake.add_section(board["id"], f"Section {i}")
        cfg = load_settings()
        store = open_store(cfg.db_path)
        vault = vault_for(cfg)
        with httpx.Client(timeout=10) as http:
            accounts.connect(
                store, vault, http, cfg, TokenSet(access_token=fake.access_token, refresh_token=fake.refresh_token)
            )
            api = accounts.account_api(cfg, http, vault, "studio_test", open_store=lambda: open_store(cfg.db_path))
            started = time.perf_counter()
            result = board_sync.sync_boards(store, api, "studio_test")
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            listed = board_sync.list_boards(store, "studio_test")
            list_ms = (time.perf_counter() - started) * 1000
            tokens = accounts.AccountTokenSource(lambda: open_store(cfg.db_path), vault, http, cfg, "studio_test")
            samples = []
            for _ in range(200):
                t = time.perf_counter()
                tokens.access_token()
                samples.append((time.perf_counter() - t) * 1000)
        store.close()
        print(
            f"sync {boards} boards × {sections_each} sections: {elapsed:.2f} s, {len(fake.requests)} requests "
            f"({result['sections']} sections); list_boards {len(listed)} rows in {list_ms:.1f} ms; "
            f"access_token() median {statistics.median(samples):.3f} ms, max {max(samples):.1f} ms"
        )


def crypto() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(STUDIO_DATA_DIR=tmp, STUDIO_ENV_FILE="")
        vault = vault_for(load_settings())
        token = "pina_" + "x" * 120
        n = 5000
        t = time.perf_counter()
        sealed = [vault.encrypt(token) for _ in range(n)]
        enc = (time.perf_counter() - t) / n * 1e6
        t = time.perf_counter()
        for s in sealed:
            vault.decrypt(s)
        dec = (time.perf_counter() - t) / n * 1e6
        os.environ["STUDIO_SECRET_KEY"] = "a passphrase, not a Fernet key"
        t = time.perf_counter()
        vault_for(load_settings())
        kdf = (time.perf_counter() - t) * 1000
        del os.environ["STUDIO_SECRET_KEY"]
        print(
            f"Fernet: encrypt {enc:.1f} µs, decrypt {dec:.1f} µs per token; passphrase key derivation "
            f"(PBKDF2, once per process) {kdf:.0f} ms"
        )


if __name__ == "__main__":
    sync(260, 0)
    sync(260, 3)
    sync(1000, 1)
    crypto()
