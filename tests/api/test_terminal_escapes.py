"""A title sent through the API must not drive the terminal of whoever reviews with `pinstudio drafts`: control
characters are dropped as the API receives text, and the CLI prints none whatever the database holds."""

from __future__ import annotations

import json

import httpx

from studio.cli import main
from studio.drafts import save_draft
from studio.services import open_store
from tests.support.people import editor

SPOOF = "Nice\x1b[1A\x1b[2K\x1b[32mAPPROVED"


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_title_posted_with_escape_sequences_arrives_without_them(api, host, api_settings, capsys):
    answer = httpx.post(
        f"{api.url}/api/posts",
        headers={"Authorization": f"Bearer {api.key}"},
        json={
            "post": {"body": "Body\x07 text\x1b]0;owned\x07", "draft": True},
            "profiles": ["pinterest"],
            "media": [host.url("p0.jpg")],
            "platforms": {"pinterest": {"title": SPOOF, "board_id": "Dinner\x1b[31m", "alt_text": "A\x9b2Jbowl"}},
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    store = open_store(api_settings.db_path)
    try:
        draft = store.get_draft(answer.json()["studio"]["draft_id"])
    finally:
        store.close()
    assert (draft.title, draft.board, draft.alt_text) == ("NiceAPPROVED", "Dinner", "Abowl")
    assert draft.description == "Body text"
    code, out, _err = _cli(capsys, "drafts", "list")
    assert code == 0 and "NiceAPPROVED" in out and "\x1b" not in out


def test_the_cli_prints_no_control_characters_whatever_the_database_holds(store, capsys):
    draft = save_draft(
        store, None, {"title": SPOOF, "description": "Line\rover\x9b2J", "board": "B\x1b[2Kx"}, actor=editor()
    )
    code, out, _err = _cli(capsys, "drafts", "list")
    assert code == 0 and "NiceAPPROVED" in out and "Bx" in out
    code, out, _err = _cli(capsys, "drafts", "show", str(draft.id))
    assert code == 0 and "NiceAPPROVED" in out
    assert not any(ch in out for ch in ("\x1b", "\x9b", "\r"))
    code, out, _err = _cli(capsys, "drafts", "show", str(draft.id), "--json")
    assert "\x1b" not in out and "\x9b" not in out
    shown = json.loads(out)  # the JSON still carries the stored value, escaped
    assert shown["title"] == SPOOF and shown["description"] == "Line\rover\x9b2J"
