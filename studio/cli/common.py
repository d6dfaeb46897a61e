"""Helpers shared by the CLI commands: settings, the composition root, the store, JSON output, errors.

Imports stay inside the functions: every command module imports this one while `pinstudio --help`
is being built, and pydantic-settings or sqlite-utils there would cost a tenth of a second each.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.errors import StudioError
    from studio.people import Actor
    from studio.storage import Store

# The draft statuses (studio.models.DraftStatus), for `choices=` without importing pydantic at start-up;
# tests/drafts/test_cli_drafts.py checks the two agree.
DRAFT_STATUSES = ("draft", "in_review", "approved", "published", "rejected", "failed")

if TYPE_CHECKING:
    from studio.services import Services


def settings() -> Settings:
    from studio.preferences import load_settings

    return load_settings()


def open_store(cfg: Settings) -> Store:
    """The studio's database, every package's tables migrated (the composition root lists them)."""
    from studio.services import open_store as open_migrated

    return open_migrated(cfg.db_path)


def operator() -> Actor:
    """Who a command acts as: the operator of this machine (`cli:<os user>`, owner rights), recorded as such."""
    from studio.people import Actor

    return Actor.cli()


def services(cfg: Settings | None = None) -> Services:
    """The composition root for this command: HTTP clients, the vault, publishers and the drafter."""
    from studio.services import Services  # builds on every feature package: imported when a command needs it

    return Services.from_settings(cfg or settings())


# DEL and the C1 controls, which JSON may carry raw: written as \u escapes, the value is the same to a parser
# and inert in a terminal (JSON itself escapes the C0 ones).
_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")


def print_json(value: Any) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(_RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n")


class TerminalSafe:
    """A text stream that writes through `studio.text.strip_controls`: nothing a command prints can move the
    cursor, erase a line or recolour what follows. With `progress`, a carriage return that starts a write
    is kept (the `\\r  converting… 40%` lines redraw themselves on stderr)."""

    def __init__(self, stream: TextIO, *, progress: bool = False) -> None:
        self.stream = stream
        self.progress = progress

    def write(self, text: str) -> int:
        from studio.text import strip_controls

        lead = "\r" if self.progress and text.startswith("\r") else ""
        self.stream.write(lead + strip_controls(text[len(lead) :]))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer: the stream's own
        return getattr(self.stream, name)


def fail(exc: StudioError | str, code: int = 1) -> int:
    """Print an error a user can act on to stderr (never a traceback) and return the exit code."""
    print(f"error: {exc}", file=sys.stderr)
    return code
