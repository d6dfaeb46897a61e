"""Helpers shared by the CLI commands: settings, the composition root, the store, JSON output, errors.

Imports stay inside the functions: every command module imports this one while `pinstudio --help`
is being built, and pydantic-settings or sqlite-utils there would cost a tenth of a second each.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

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


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def fail(exc: StudioError | str, code: int = 1) -> int:
    """Print an error a user can act on to stderr (never a traceback) and return the exit code."""
    print(f"error: {exc}", file=sys.stderr)
    return code
