"""Board and section names → ids, across every bookmark page, with a short-TTL cache."""

from __future__ import annotations

import difflib
import threading
import time
from collections.abc import Callable

from studio.errors import PinterestError
from studio.pinterest.client import PinterestAPI

PAGE_SIZE = 250  # SPEC: page_size maximum; fewer round trips for big accounts

# Shared by every directory in the process (a page builds a publisher per run); keyed by
# API base + token so two accounts never see each other's boards.
_CACHE: dict[tuple, tuple[float, list[dict]]] = {}
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def paged(api: PinterestAPI, path: str, step: str) -> list[dict]:
    """Every item of a bookmark-paginated list."""
    items: list[dict] = []
    bookmark: str | None = None
    while True:
        params: dict = {"page_size": PAGE_SIZE}
        if bookmark:
            params["bookmark"] = bookmark
        page = api.call("GET", path, step=step, params=params)
        items.extend(page.get("items") or [])
        bookmark = page.get("bookmark")
        if not bookmark:
            return items


def _match(kind: str, wanted: str, items: list[dict], owner: Callable[[], str] | None = None) -> dict:
    """The one item whose name equals `wanted` ignoring case, or an error listing close names."""
    key = wanted.strip().casefold()
    hits = [i for i in items if (i.get("name") or "").strip().casefold() == key]
    if len(hits) > 1 and owner is not None:
        mine = [i for i in hits if (i.get("owner") or {}).get("username") == owner()]
        hits = mine or hits  # group boards share names with yours; yours win
    if len(hits) == 1:
        return hits[0]
    names = [i.get("name") or "" for i in items]
    if hits:
        raise PinterestError(
            f"{len(hits)} {kind}s are called “{wanted}”.",
            fix=f"Use the {kind} id instead: " + ", ".join(f"{h['id']}" for h in hits) + ".",
            code=f"{kind}_ambiguous",
        )
    close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.5) or difflib.get_close_matches(
        key, [n.casefold() for n in names], n=5, cutoff=0.5
    )
    hint = (
        ("Did you mean: " + ", ".join(f"“{c}”" for c in close) + "?")
        if close
        else f"Check the spelling; the account has {len(names)} {kind}s."
    )
    raise PinterestError(
        f"There is no {kind} called “{wanted}” on your Pinterest account.", fix=hint, code=f"{kind}_not_found"
    )


class BoardDirectory:
    """Resolves names to ids for one account; ids pass through untouched."""

    def __init__(
        self,
        api: PinterestAPI,
        *,
        ttl_s: float = 60.0,
        account_key: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api, self.ttl_s, self.clock = api, ttl_s, clock
        self.account_key = account_key
        self._username: str | None = None

    def _cached(self, what: str, load: Callable[[], list[dict]], fresh: bool = False) -> list[dict]:
        key = (self.api.base, self.account_key, what)
        now = self.clock()
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
            if hit and now - hit[0] < self.ttl_s and not fresh:
                return hit[1]
        items = load()
        with _CACHE_LOCK:
            _CACHE[key] = (now, items)
        return items

    def boards(self, fresh: bool = False) -> list[dict]:
        return self._cached("boards", lambda: paged(self.api, "/boards", "resolve_board"), fresh)

    def username(self) -> str:
        if self._username is None:
            self._username = self.api.call("GET", "/user_account", step="resolve_board").get("username", "")
        return self._username

    def board_id(self, board_id: str | None, board_name: str | None) -> str:
        """The board's id: given, or found by name (case-insensitive exact match)."""
        if board_id:
            return board_id
        try:
            return str(_match("board", board_name or "", self.boards(), owner=self.username)["id"])
        except PinterestError as exc:
            if exc.code != "board_not_found":
                raise
            # the cached list may predate a board made a minute ago: look once more, fresh
            return str(_match("board", board_name or "", self.boards(fresh=True), owner=self.username)["id"])

    def section_id(self, board_id: str, section: str | None) -> str | None:
        """A section's id from its name or id (a digits-only value is tried as an id first)."""
        if not section:
            return None
        sections = self._cached(
            f"sections:{board_id}", lambda: paged(self.api, f"/boards/{board_id}/sections", "resolve_section")
        )
        if section.isdigit() and any(s.get("id") == section for s in sections):
            return section
        return str(_match("section", section, sections)["id"])
