"""`pinstudio accounts`, `boards`, `connect`: output, JSON shape, exit codes."""

from __future__ import annotations

import io
import json

from studio.cli import main


def test_no_accounts_yet(capsys):
    assert main(["accounts"]) == 0
    assert "No Pinterest account connected" in capsys.readouterr().out
    assert main(["accounts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_connect_then_list_accounts_and_boards(pinterest, capsys):
    assert main(["connect", "--token", pinterest.access_token, "--refresh-token", pinterest.refresh_token]) == 0
    assert capsys.readouterr().out.strip() == (
        f"connected studio_test (BUSINESS, token ••••{pinterest.access_token[-4:]}); "
        "260 boards and 0 sections loaded."  # a freshly connected account has its boards right away
    )
    assert main(["accounts", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["name"] == "studio_test" and row["status"] == "connected" and row["can_refresh"] is True
    assert row["token"] == "••••" + pinterest.access_token[-4:] and row["boards_synced_at"] is not None
    pinterest.add_section(pinterest.boards[0]["id"], "Soups")
    assert main(["boards", "--sync", "--account", "studio_test", "--json"]) == 0
    out = capsys.readouterr()
    boards = json.loads(out.out)
    assert "synced 260 boards and 1 sections" in out.err
    assert len(boards) == 260 and boards[0]["name"] == "Board 000"
    assert boards[0]["sections"] == [{"id": pinterest.sections[pinterest.boards[0]["id"]][0]["id"], "name": "Soups"}]
    assert set(boards[0]) == {"account", "id", "name", "privacy", "owner", "pin_count", "synced_at", "sections"}
    assert main(["boards"]) == 0
    assert "studio_test  " + pinterest.boards[0]["id"] + "  Board 000 (public) [Soups]" in capsys.readouterr().out


def test_token_from_stdin(pinterest, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(pinterest.access_token + "\n"))
    assert main(["connect", "--token", "-"]) == 0
    assert "connected studio_test" in capsys.readouterr().out


def test_errors_are_one_line_with_exit_codes(pinterest, capsys):
    assert main(["connect"]) == 2
    assert "--token" in capsys.readouterr().err
    assert main(["connect", "--token", "pina_wrong"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Pinterest refused this access token") and "Traceback" not in err
    assert main(["boards", "--account", "nobody"]) == 1
    assert "no connected account called “nobody”" in capsys.readouterr().err
    assert main(["boards", "--sync"]) == 1
    assert "No Pinterest account is connected" in capsys.readouterr().err


def test_connect_imports_the_script_variables(pinterest, capsys, monkeypatch):
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", pinterest.access_token)
    monkeypatch.setenv("PINTEREST_REFRESH_TOKEN", pinterest.refresh_token)
    assert main(["connect", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["can_refresh"] is True
