"""Helpers shared by the CLI commands: settings, the store, JSON output, error reporting."""

from __future__ import annotations

import json
import sys
from typing import Any

from studio.config import Settings, load_settings
from studio.errors import StudioError
from studio.storage import Store


def settings() -> Settings:
    return load_settings()


def open_store(cfg: Settings) -> Store:
    return Store.open(cfg.db_path)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def fail(exc: StudioError | str, code: int = 1) -> int:
    """Print an error a user can act on to stderr (never a traceback) and return the exit code."""
    print(f"error: {exc}", file=sys.stderr)
    return code
