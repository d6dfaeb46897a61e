"""Board names in a CSV, checked against the synced board list (per account, with sections) when
the accounts feature has one, else against the boards already used on drafts."""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass, field

from studio.bulk.rows import NOT_CHECKED, RowReport
from studio.errors import StudioError
from studio.storage import Store


@dataclass
class BoardList:
    """Known boards and where they come from: the synced list when the accounts feature has one,
    else the boards already used on drafts."""

    source: str
    names: dict[str, str] = field(default_factory=dict)  # casefolded name (or id) → as spelled
    by_account: dict[str, dict[str, str]] = field(default_factory=dict)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)  # board (casefolded) → sections


def board_list(store: Store) -> BoardList:
    """The board list a CSV is checked against (see `BoardList`)."""
    synced = _synced_boards(store)
    if synced:
        boards = BoardList("synced boards")
        for b in synced:
            for key in (b["name"].casefold(), str(b.get("id") or "")):
                if key:
                    boards.names[key] = b["name"]
                    boards.by_account.setdefault((b.get("account") or "").casefold(), {})[key] = b["name"]
            boards.sections.setdefault(b["name"].casefold(), {}).update(
                {s["name"].casefold(): s["name"] for s in b.get("sections") or [] if s.get("name")}
            )
        return boards
    seen = store.distinct_values("board")
    return BoardList("boards seen on drafts", {b.casefold(): b for b in seen}) if seen else BoardList(NOT_CHECKED)


def _synced_boards(store: Store) -> list[dict]:
    """Boards (with account and sections) from the accounts feature's synced list, if any."""
    try:
        from studio.accounts import list_boards
    except ImportError:
        return []
    try:
        return [b for b in list_boards(store) if b.get("name")]
    except (sqlite3.OperationalError, StudioError):
        return []  # its tables aren't there (feature not migrated): fall back to drafts


def check_board(report: RowReport, boards: BoardList) -> None:
    board, account = report.fields.get("board", ""), report.fields.get("account", "")
    if not board or not boards.names:
        return
    names = boards.names
    if account and boards.by_account:
        if account.casefold() not in boards.by_account:
            report.error(
                "account",
                "unknown_account",
                f"No synced boards belong to an account called “{account}”.",
                "Connect and sync it on the Accounts page, or leave Account empty.",
            )
            return
        names = boards.by_account[account.casefold()]
    known = names.get(board.casefold())
    if known:
        report.fields["board"] = known
        _check_section(report, boards.sections.get(known.casefold()))
        return
    close = difflib.get_close_matches(board.casefold(), list(names), n=3, cutoff=0.6)
    hint = (
        ("Did you mean " + " or ".join(f"“{names[c]}”" for c in close) + "?")
        if close
        else "Check the spelling"
        + (
            ", or sync your boards on the Accounts page."
            if boards.source == "synced boards"
            else ", or create the board on Pinterest first."
        )
    )
    report.error("board", "unknown_board", f"There is no board called “{board}” ({boards.source}).", hint)


def _check_section(report: RowReport, sections: dict[str, str] | None) -> None:
    """A section is checked only against a synced board (drafts don't tell us a board's sections)."""
    section = report.fields.get("board_section", "")
    if not section or sections is None:
        return
    if section.casefold() in sections:
        report.fields["board_section"] = sections[section.casefold()]
        return
    close = difflib.get_close_matches(section.casefold(), list(sections), n=3, cutoff=0.6)
    report.error(
        "board_section",
        "unknown_section",
        f"The board “{report.fields['board']}” has no section called “{section}”.",
        ("Did you mean " + " or ".join(f"“{sections[c]}”" for c in close) + "?")
        if close
        else "Create the section on Pinterest and sync boards, or leave Board section empty.",
    )
