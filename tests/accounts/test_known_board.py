"""With boards synced, an unknown board is refused at edit and approve, naming the nearest boards (issue 25)."""

from __future__ import annotations

import json

import pytest

from studio.bulk import bulk
from studio.drafts import save_draft, submit_for_review
from studio.media import ingest_image
from tests.support.cli import pinstudio
from tests.support.people import editor, reviewer
from tests.support.seeded import sync_fake_boards


@pytest.fixture
def pin(pinterest, settings, store, data_dir, make_image):
    """A draft in review on the synced board 'Recipes' (the fake account's boards synced)."""
    sync_fake_boards(pinterest)
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    fields = {"title": "Squash soup", "link": "https://example.com/soup", "board": "Recipes", "media_id": asset.id}
    draft = save_draft(store, None, fields, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    return draft.id


def test_edit_refuses_an_unknown_board_and_names_the_nearest(capsys, store, pin):
    result = pinstudio(capsys, "drafts", "edit", str(pin), "--board", "Recipse", "--json")
    assert result.returncode == 2, result
    (row,) = json.loads(result.stdout)
    assert row["code"] == "unknown_board"
    assert "no board 'Recipse'" in row["message"] and "Did you mean 'Recipes'?" in row["message"]
    assert store.get_draft(pin).board == "Recipes"
    human = pinstudio(capsys, "drafts", "edit", str(pin), "--board", "No Such Board")
    assert human.returncode == 2 and "no board 'No Such Board'" in human.stderr


def test_edit_accepts_a_synced_board_by_name_in_any_case(capsys, store, pin):
    result = pinstudio(capsys, "drafts", "edit", str(pin), "--board", "soups", "--json")
    assert result.returncode == 0, result
    assert store.get_draft(pin).board == "soups"


def test_approve_refuses_a_draft_whose_board_is_unknown(capsys, store, pin):
    draft = store.get_draft(pin)
    store.update_draft(pin, {"board": "Recipies"}, expected_version=draft.version, actor=editor())  # set before sync
    result = pinstudio(capsys, "drafts", "approve", str(pin), "--json")
    assert result.returncode == 2, result
    (row,) = json.loads(result.stdout)
    assert row["code"] == "unknown_board" and "Did you mean 'Recipes'?" in row["message"]
    assert store.get_draft(pin).status == "in_review"


def test_before_any_sync_a_board_is_taken_on_trust(capsys, store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    draft = save_draft(store, None, {"title": "Soup", "board": "Recipes", "media_id": asset.id}, actor=editor())
    result = pinstudio(capsys, "drafts", "edit", str(draft.id), "--board", "Anything at all")
    assert result.returncode == 0, result


def test_bulk_move_and_approve_refuse_an_unknown_board_per_pin(store, settings, pin):
    moved = bulk(store, settings, [pin], "move", board="Recipse", actor=reviewer())
    assert not moved[0].ok and "Did you mean 'Recipes'?" in moved[0].message
    assert store.get_draft(pin).board == "Recipes"
    approved = bulk(store, settings, [pin], "approve", actor=reviewer())
    assert approved[0].ok and store.get_draft(pin).status == "approved"


def test_draft_refuses_an_unknown_board_before_drafting(capsys, store, pin, tmp_path, make_image):
    photo = tmp_path / "leek.jpg"
    photo.write_bytes(make_image())
    result = pinstudio(capsys, "draft", "--media", str(photo), "--board", "Soupz", "--json")
    assert result.returncode == 2 and "Did you mean 'Soups'?" in result.stderr, result
    assert [d.id for d in store.list_drafts()] == [pin]


def test_review_page_approve_refuses_an_unknown_board_and_keeps_the_pin_in_review(settings, store, pin):
    from streamlit.testing.v1 import AppTest

    from studio.models import DraftStatus
    from tests.support.env import ROOT

    save_draft(store, pin, {"board": "Recipse"}, actor=editor())  # a typo saved before the check existed
    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=30)
    at.session_state["rv_open"] = pin
    at.run()
    at.button(key="open_approve").click().run()
    assert not at.exception
    said = " ".join(str(e.value) for e in at.error)
    assert "no board 'Recipse'" in said and "Did you mean 'Recipes'?" in said, said
    assert store.get_draft(pin).status is DraftStatus.IN_REVIEW
