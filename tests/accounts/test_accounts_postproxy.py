"""Postproxy keys: one per workspace, verified with GET /profiles before they are saved (encrypted)."""

from __future__ import annotations

import httpx
import pytest

from studio import accounts
from studio.errors import StudioError
from studio.secrets import vault_for
from tests.support.people import owner

KEY = "pp_live_KEY_planted_9876543210QRST"


def db_bytes(path) -> bytes:
    """Everything SQLite wrote: the database file and its WAL."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def postproxy(seen: list[httpx.Request]) -> httpx.Client:
    """Postproxy's /profiles: 200 for our key, 401 for any other."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return httpx.Response(401, json={"error": "Unauthorized"})
        return httpx.Response(
            200,
            json={
                "data": [
                    {"id": "prof1", "name": "My Pins", "platform": "pinterest", "status": "active"},
                    {"id": "prof2", "name": "@brand", "platform": "instagram", "status": "active"},
                ]
            },
        )

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_a_verified_key_is_saved_encrypted_per_workspace(store, settings):
    seen: list[httpx.Request] = []
    vault = vault_for(settings)
    saved = accounts.save_postproxy_key(store, vault, postproxy(seen), settings, "Brand A", KEY, actor=owner())
    assert saved == {"workspace": "Brand A", "hint": "••••QRST", "detail": "2 profile(s), 1 Pinterest"}
    assert seen[0].url.path.endswith("/profiles") and seen[0].method == "GET"
    assert accounts.postproxy_keys(store)[0]["workspace"] == "Brand A"
    assert accounts.postproxy_key(store, vault, "Brand A") == KEY
    assert accounts.postproxy_key(store, vault, "Brand B") is None
    stored = db_bytes(settings.db_path)
    assert b"Brand A" in stored  # the row is on disk...
    assert KEY.encode() not in stored  # ...but the key is not


def test_a_refused_key_is_not_saved(store, settings):
    with pytest.raises(StudioError) as info:
        accounts.save_postproxy_key(
            store, vault_for(settings), postproxy([]), settings, "default", "pp_wrong_key", actor=owner()
        )
    assert info.value.code == "postproxy_key_refused"
    assert accounts.postproxy_keys(store) == []


def test_unreachable_postproxy_is_a_clear_error(store, settings):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(StudioError) as info:
        accounts.save_postproxy_key(
            store,
            vault_for(settings),
            httpx.Client(transport=httpx.MockTransport(down)),
            settings,
            "default",
            KEY,
            actor=owner(),
        )
    assert info.value.code == "postproxy_unreachable" and KEY not in str(info.value)


def test_a_saved_key_is_what_the_postproxy_publisher_uses(store, settings, monkeypatch):
    from studio.preferences import load_settings
    from studio.services import Services

    monkeypatch.setenv("STUDIO_PUBLISHER", "auto")
    assert Services(load_settings()).publisher().name == "dry-run"
    accounts.save_postproxy_key(store, vault_for(settings), postproxy([]), settings, "", KEY, actor=owner())
    publisher = Services(load_settings()).publisher()  # auto: the saved key makes Postproxy the backend
    assert publisher.name == "postproxy" and publisher.api_key == KEY
    monkeypatch.setenv("POSTPROXY_API_KEY", "pp_from_env")
    assert Services(load_settings()).publisher("postproxy").api_key == "pp_from_env"  # the environment wins
