"""Boards and sections of each connected account, synced into SQLite (every page of the list),
with boards gone from Pinterest kept and marked deleted; creating boards and sections.

The tables belong to the accounts migration set (studio.accounts.connected)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from studio import people
from studio.accounts.connected import get_account
from studio.errors import ValidationError
from studio.models import iso
from studio.people import Actor, Permission
from studio.pinterest import paged
from studio.storage import Store

if TYPE_CHECKING:
    from studio.pinterest import PinterestAPI

PRIVACY = ("PUBLIC", "PROTECTED", "SECRET")


def _board_row(account: str, board: dict, now: str) -> dict:
    return {
        "account": account,
        "id": str(board["id"]),
        "name": board.get("name") or "",
        "description": board.get("description") or "",
        "privacy": board.get("privacy") or "PUBLIC",
        "owner": (board.get("owner") or {}).get("username") or "",
        "pin_count": board.get("pin_count"),
        "synced_at": now,
        "deleted_at": None,
    }


def _marks(values: list) -> str:
    """Placeholders for `in (...)`; an empty list is an empty set (so `not in` is true for every row)."""
    return ", ".join("?" * len(values)) or "select null where 0"


def sync_boards(store: Store, api: PinterestAPI, account: str, *, sections: bool = True) -> dict:
    """Fetch every board (all pages) and its sections; boards gone from Pinterest are kept, marked deleted."""
    get_account(store, account)
    boards = paged(api, "/boards", "sync_boards")
    found_sections = (
        {b["id"]: paged(api, f"/boards/{b['id']}/sections", "sync_sections") for b in boards} if sections else {}
    )
    now = iso()
    with store.db.atomic():  # the list changes all at once: no half-synced account
        ids = [str(b["id"]) for b in boards]
        store.db.table("boards").upsert_all([_board_row(account, b, now) for b in boards], pk=("account", "id"))
        gone = store.db.execute(
            f"update boards set deleted_at = ? where account = ? and deleted_at is null and id not in ({_marks(ids)})",
            [now, account, *ids],
        ).rowcount
        for board_id, items in found_sections.items():
            store.db.table("board_sections").upsert_all(
                [
                    {
                        "account": account,
                        "board_id": str(board_id),
                        "id": str(s["id"]),
                        "name": s.get("name") or "",
                        "synced_at": now,
                        "deleted_at": None,
                    }
                    for s in items
                ],
                pk=("account", "board_id", "id"),
            )
            keep = [str(s["id"]) for s in items]
            store.db.execute(
                f"update board_sections set deleted_at = ? where account = ? and board_id = ? and "
                f"deleted_at is null and id not in ({_marks(keep)})",
                [now, account, str(board_id), *keep],
            )
        store.db.table("accounts").update(account, {"boards_synced_at": now})
    return {
        "account": account,
        "boards": len(boards),
        "sections": sum(map(len, found_sections.values())),
        "deleted": gone,
        "synced_at": now,
    }


def list_boards(store: Store, account: str | None = None, *, include_deleted: bool = False) -> list[dict]:
    """Synced boards (name order), each with its live sections."""
    where, params = [], []
    if account:
        where.append("account = ?")
        params.append(account)
    if not include_deleted:
        where.append("deleted_at is null")
    rows = list(
        store.db.query(
            "select * from boards" + (f" where {' and '.join(where)}" if where else "") + " order by account, name",
            params,
        )
    )
    sections: dict[tuple, list[dict]] = {}
    for s in store.db.query("select * from board_sections where deleted_at is null order by name"):
        sections.setdefault((s["account"], s["board_id"]), []).append({"id": s["id"], "name": s["name"]})
    for row in rows:
        row["sections"] = sections.get((row["account"], row["id"]), [])
    return rows


def board_names(store: Store, account: str | None = None) -> list[str]:
    """Live board names for a searchable select in any form (Compose, bulk, schedule)."""
    return sorted({b["name"] for b in list_boards(store, account)}, key=str.casefold)


def board_state(store: Store, account: str | None, board: str) -> str:
    """ "ok", "deleted" (gone from Pinterest at the last sync) or "unknown" (never synced) for a draft's board."""
    where = "(id = ? or name = ? collate nocase)" + (" and account = ?" if account else "")
    params = [board, board] + ([account] if account else [])
    rows = list(store.db.table("boards").rows_where(where, params, select="deleted_at"))
    if not rows:
        return "unknown"
    return "ok" if any(r["deleted_at"] is None for r in rows) else "deleted"


def create_board(
    store: Store,
    api: PinterestAPI,
    account: str,
    name: str,
    description: str = "",
    privacy: str = "PUBLIC",
    *,
    actor: Actor,
) -> dict:
    """Create a board on Pinterest and add it to the synced list (it changes the account: owners)."""
    people.require(actor, Permission.ACCOUNTS)
    name, privacy = name.strip(), (privacy or "PUBLIC").upper()
    if not name:
        raise ValidationError("Give the board a name.", code="board_name_missing")
    if privacy not in PRIVACY:
        raise ValidationError(f"Privacy must be one of {', '.join(PRIVACY)}.", code="bad_privacy")
    taken = [b for b in list_boards(store, account) if b["name"].casefold() == name.casefold()]
    if taken:  # names are unique within an account (docs/pinterest.md §4)
        raise ValidationError(
            f"“{name}” already exists on this account.", fix="Pick another name.", code="board_exists"
        )
    body = {"name": name, "privacy": privacy}
    if description.strip():
        body["description"] = description.strip()
    created = api.call("POST", "/boards", step="create_board", json=body, write=True)
    row = _board_row(account, {**created, "name": created.get("name") or name}, iso())
    store.db.table("boards").upsert(row, pk=("account", "id"))
    return row


def create_section(store: Store, api: PinterestAPI, account: str, board_id: str, name: str, *, actor: Actor) -> dict:
    """Create a section (1–180 characters) on one of the account's boards (owners)."""
    people.require(actor, Permission.ACCOUNTS)
    name = name.strip()
    if not 1 <= len(name) <= 180:
        raise ValidationError("A section name needs 1 to 180 characters.", code="section_name_length")
    created = api.call("POST", f"/boards/{board_id}/sections", step="create_section", json={"name": name}, write=True)
    row = {
        "account": account,
        "board_id": str(board_id),
        "id": str(created["id"]),
        "name": created.get("name") or name,
        "synced_at": iso(),
        "deleted_at": None,
    }
    store.db.table("board_sections").upsert(row, pk=("account", "board_id", "id"))
    return row


def require_known_board(store: Store, board: str | None, account: str | None = None) -> None:
    """Refuse a board (name or id) that isn't among the account's synced boards, naming the nearest ones.

    Nothing to check against (boards never synced for that account) or no board given: accepted, as before a
    sync the studio can't know. The one rule that edit, approve, bulk moves and the API apply."""
    wanted = (board or "").strip()
    if not wanted:
        return
    live = list_boards(store, account or None)
    if not live and not list_boards(store, account or None, include_deleted=True):
        return  # never synced: Pinterest is the judge at publish time
    if any(wanted == b["id"] or wanted.casefold() == b["name"].casefold() for b in live):
        return
    names = sorted({b["name"] for b in live}, key=str.casefold)
    where = f"account '{account}'" if account else "your connected accounts"
    if board_state(store, account or None, wanted) == "deleted":
        message = f"The board '{wanted}' was deleted on Pinterest (at the last board sync of {where})."
    else:
        message = f"There is no board '{wanted}' on {where}."
    close = _nearest(wanted, names)
    raise ValidationError(
        message,
        fix=(f"Did you mean {' or '.join(repr(n) for n in close)}?" if close else "Pick one of the synced boards.")
        + " Sync boards on the Accounts page (or `pinstudio boards --sync`) if you made it just now.",
        code="unknown_board",
    )


def _nearest(wanted: str, names: list[str], limit: int = 3) -> list[str]:
    """The synced names closest to what was typed, ignoring case (difflib's ratio, the same as `did you mean`)."""
    by_fold = {n.casefold(): n for n in names}
    return [by_fold[n] for n in difflib.get_close_matches(wanted.casefold(), list(by_fold), n=limit, cutoff=0.5)]
