"""A post whose account's token is refused is not lost: it waits, saying to reconnect the account, and the API
publishes it by itself (once) after the account is reconnected. Against the fake Pinterest v5 server."""

from __future__ import annotations

from contextlib import contextmanager

import httpx
import pytest
from postproxy import PlatformParams
from postproxy._types import PinterestParams

from studio import accounts
from studio.preferences import load_settings
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.api import Api, start_api, wait_for
from tests.support.people import owner


@pytest.fixture
def connected(pinterest, data_dir, monkeypatch):
    """Publishing for real (no PINTEREST_ACCESS_TOKEN) through the account connected on the fake."""
    monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("STUDIO_PUBLISHER", "auto")
    monkeypatch.setenv("PINTEREST_WRITE_RATE", "0")
    monkeypatch.setenv("STUDIO_PUBLISH_RECONCILE_GRACE", "0.05")  # the retry looks on the board without a 5 s wait
    cfg = load_settings()
    connect(cfg, pinterest.access_token, pinterest.refresh_token)
    return cfg


def connect(cfg, access: str, refresh: str) -> None:
    """What the Accounts page does with pasted (or OAuth) tokens."""
    store = open_store(cfg.db_path)
    try:
        with httpx.Client(timeout=5) as http:
            tokens = accounts.TokenSet(access_token=access, refresh_token=refresh)
            accounts.connect(store, vault_for(cfg), http, cfg, tokens, actor=owner())
    finally:
        store.close()


def needs_reconnect(cfg) -> bool:
    store = open_store(cfg.db_path)
    try:
        return accounts.get_account(store, "studio_test").needs_reconnect
    finally:
        store.close()


@contextmanager
def refused_post(pinterest, cfg, host):
    """The API running, and a post sent after the app was disconnected on Pinterest (its token refused)."""
    board = pinterest.add_board("Soups")
    pinterest.refresh_token = "pinr_revoked_elsewhere"
    pinterest.expire_token()
    server, key, app = start_api(cfg)
    api = Api(server, key, app)
    try:
        post = api.call(
            lambda c: c.posts.create(
                "Warm soup",
                ["pinterest"],
                media=[host.url("p0.jpg")],
                platforms=PlatformParams(pinterest=PinterestParams(title="Warm soup", board_id=board["id"])),
            )
        )
        yield api, post, board
    finally:
        server.stop()


def test_a_refused_token_makes_the_post_wait_and_reconnecting_publishes_it_once(pinterest, connected, host):
    with refused_post(pinterest, connected, host) as (api, post, board):
        waiting = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).platforms[0].error and p)
        assert waiting.status == "pending" and waiting.platforms[0].status == "pending"
        assert "needs to be reconnected" in waiting.platforms[0].error
        assert waiting.platforms[0].error_details.postproxy_note.startswith("reconnect_required")
        assert needs_reconnect(connected) and not pinterest.pins
        (profile,) = api.call(lambda c: c.profiles.list()).data
        assert profile.status == "expired"
        api.kick()
        assert api.call(lambda c: c.posts.get(post.id)).status == "pending"  # still waiting, not failed

        pinterest.access_token = "pina_after_reconnect"
        pinterest.valid_tokens.add(pinterest.access_token)
        connect(connected, pinterest.access_token, pinterest.refresh_token)  # a person reconnects
        api.kick()
        done = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).status == "processed" and p)
    assert done.platforms[0].status == "published" and done.platforms[0].error is None
    (pin,) = pinterest.pins.values()
    assert pin["id"] in done.platforms[0].permalink and pin["board_id"] == board["id"]
    assert pinterest.calls("POST", "/pins")[-1]["authorization"] == "Bearer pina_after_reconnect"
    order = [(r["method"], r["path"]) for r in pinterest.requests]
    looked = max(i for i, r in enumerate(order) if r == ("GET", f"/boards/{board['id']}/pins"))
    assert looked < max(i for i, r in enumerate(order) if r == ("POST", "/pins"))  # looked before creating
    assert not needs_reconnect(connected)


def test_a_waiting_post_whose_account_is_removed_fails_with_a_clear_error(pinterest, connected, host):
    with refused_post(pinterest, connected, host) as (api, post, _board):
        wait_for(lambda: api.call(lambda c: c.posts.get(post.id)).platforms[0].error)
        store = open_store(connected.db_path)
        try:
            accounts.remove_account(store, "studio_test", actor=owner())  # instead of reconnecting it
        finally:
            store.close()
        api.kick()
        done = wait_for(lambda: (p := api.call(lambda c: c.posts.get(post.id))).status == "processed" and p)
    assert done.platforms[0].status == "failed" and "studio_test" in done.platforms[0].error
    assert not pinterest.pins
