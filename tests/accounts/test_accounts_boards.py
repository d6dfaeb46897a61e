"""Boards and sections synced into SQLite (every page), deleted boards, creating boards and sections."""

from __future__ import annotations

import httpx
import pytest

from studio import accounts
from studio.accounts import boards
from studio.errors import StudioError
from studio.pinterest.oauth import TokenSet
from studio.preferences import load_settings
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.people import owner


@pytest.fixture
def connected(pinterest, store):
    """The fake's account connected, and an API client for it."""
    cfg = load_settings()
    vault = vault_for(cfg)
    with httpx.Client(timeout=5) as http:
        accounts.connect(
            store,
            vault,
            http,
            cfg,
            TokenSet(access_token=pinterest.access_token, refresh_token=pinterest.refresh_token),
            actor=owner(),
        )
        yield accounts.account_api(cfg, http, vault, "studio_test", open_store=lambda: open_store(cfg.db_path))


def test_sync_fetches_every_page_of_boards_and_their_sections(pinterest, store, connected):
    board = pinterest.board_named("Board 257")  # on the second page
    for name in ("Breakfast", "Dinner"):
        pinterest.add_section(board["id"], name)
    result = boards.sync_boards(store, connected, "studio_test")
    assert (result["boards"], result["sections"], result["deleted"]) == (260, 2, 0)
    pages = pinterest.calls("GET", "/boards")
    pages = [c for c in pages if "/sections" not in c["path"]]
    assert [c["query"].get("page_size") for c in pages] == [["250"], ["250"]]
    assert "bookmark" in pages[1]["query"]
    listed = boards.list_boards(store, "studio_test")
    assert len(listed) == 260 and len({b["id"] for b in listed}) == 260
    synced = next(b for b in listed if b["name"] == "Board 257")
    assert synced["id"] == board["id"] and [s["name"] for s in synced["sections"]] == ["Breakfast", "Dinner"]
    assert accounts.get_account(store, "studio_test").boards_synced_at == result["synced_at"]
    names = boards.board_names(store, "studio_test")
    assert len(names) == 260 and names[:2] == ["Board 000", "Board 001"]


def test_a_board_deleted_on_pinterest_shows_as_deleted(pinterest, store, connected):
    boards.sync_boards(store, connected, "studio_test")
    gone = pinterest.board_named("Board 010")
    pinterest.boards.remove(gone)
    result = boards.sync_boards(store, connected, "studio_test", sections=False)
    assert result["deleted"] == 1
    assert boards.board_state(store, "studio_test", "Board 010") == "deleted"
    assert boards.board_state(store, "studio_test", gone["id"]) == "deleted"
    assert boards.board_state(store, "studio_test", "board 011") == "ok"  # names match ignoring case
    assert boards.board_state(store, "studio_test", "Never heard of it") == "unknown"
    assert "Board 010" not in [b["name"] for b in boards.list_boards(store, "studio_test")]
    assert "Board 010" in [b["name"] for b in boards.list_boards(store, "studio_test", include_deleted=True)]


def test_create_board_and_section(pinterest, store, connected):
    boards.sync_boards(store, connected, "studio_test", sections=False)
    board = boards.create_board(
        store, connected, "studio_test", "Summer recipes", "Cold soups", "secret", actor=owner()
    )
    assert pinterest.calls("POST", "/boards")[0]["json"] == {
        "name": "Summer recipes",
        "privacy": "SECRET",
        "description": "Cold soups",
    }
    assert pinterest.board_named("Summer recipes")["id"] == board["id"]
    assert boards.board_state(store, "studio_test", "Summer recipes") == "ok"
    section = boards.create_section(store, connected, "studio_test", board["id"], "Gazpacho", actor=owner())
    assert pinterest.sections[board["id"]][0] == {"id": section["id"], "name": "Gazpacho"}
    listed = next(b for b in boards.list_boards(store, "studio_test") if b["id"] == board["id"])
    assert listed["sections"] == [{"id": section["id"], "name": "Gazpacho"}]


@pytest.mark.parametrize(
    "name, privacy, code",
    [("", "PUBLIC", "board_name_missing"), ("Board 001", "PUBLIC", "board_exists"), ("New", "FRIENDS", "bad_privacy")],
)
def test_bad_boards_are_refused_before_calling_pinterest(pinterest, store, connected, name, privacy, code):
    boards.sync_boards(store, connected, "studio_test", sections=False)
    with pytest.raises(StudioError) as info:
        boards.create_board(store, connected, "studio_test", name, "", privacy, actor=owner())
    assert info.value.code == code and pinterest.calls("POST", "/boards") == []


def test_section_names_are_checked(pinterest, store, connected):
    board = pinterest.boards[0]
    with pytest.raises(StudioError):
        boards.create_section(store, connected, "studio_test", board["id"], "x" * 181, actor=owner())
    assert pinterest.calls("POST", f"/boards/{board['id']}/sections") == []


def test_sync_of_an_unknown_account_is_refused(store):
    with pytest.raises(StudioError):
        boards.sync_boards(store, None, "nobody")


def test_an_account_whose_boards_are_all_gone(pinterest, store, connected):
    boards.sync_boards(store, connected, "studio_test", sections=False)
    pinterest.boards.clear()
    assert boards.sync_boards(store, connected, "studio_test")["deleted"] == 260
    assert boards.list_boards(store, "studio_test") == []
