"""The `pinstudio` command. Each subcommand lives in its own module with `register(subparsers)`.

Exit codes are a contract: 0 success, 1 the work failed, 2 a usage error (nothing done).

May import: the face of every studio package (the composition root is studio.cli.common), never a
package's inner modules.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from studio import __version__

# Each module defines `register(subparsers)`; the order is the order in `--help`.
COMMAND_MODULES = [
    "studio.cli.run",
    "studio.cli.check",
    "studio.cli.draft",
    "studio.cli.publish",
    "studio.cli.worker",
    "studio.cli.accounts",
    "studio.cli.bulk",
    "studio.cli.api",
    "studio.cli.analytics",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pinstudio", description="Pinstudio: check media, draft pin copy, review and publish to Pinterest."
    )
    parser.add_argument("--version", action="version", version=f"pinstudio {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    # sqlite-utils imports pandas when it is installed (Streamlit brings it) only to map pandas
    # column types, which the CLI never stores. Skipping it keeps every command ~80 MB lighter
    # (`pinstudio check` on a 1 GB video stays well under 150 MB). The Streamlit app, a separate
    # process, is unaffected.
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]
    # Pillow's warnings about odd files belong in the media report (studio.media captures them there),
    # never as Python source lines in the user's terminal: a safety net for any decode outside a check.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
