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

# Each module defines `register(subparsers)`; the order is the order in `--help`.
COMMAND_MODULES = [
    "studio.cli.run",
    "studio.cli.check",
    "studio.cli.draft",
    "studio.cli.drafts",
    "studio.cli.slots",
    "studio.cli.publish",
    "studio.cli.worker",
    "studio.cli.accounts",
    "studio.cli.bulk",
    "studio.cli.api",
    "studio.cli.analytics",
    "studio.cli.design",
    "studio.cli.users",
]

# Start-up is paid on every call (`pinstudio check` in a loop, cron): only the module of the command
# being run is imported. `--help` lists the commands from this table; a test checks that it matches
# what the modules register. A module missing here still works, imported up front.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("studio.cli.run", "start the studio in your browser (http://localhost:8501)"),
    "check": ("studio.cli.check", "check images/videos (files or URLs) against Pinterest's rules"),
    "fix": ("studio.cli.check", "apply every available fix so the file passes Pinterest's rules"),
    "draft": ("studio.cli.draft", "draft SEO-ready pin copy for a media file or URL and save it"),
    "drafts": ("studio.cli.drafts", "list, show, submit, review, schedule and edit drafts (scripted review)"),
    "slots": ("studio.cli.slots", "list, add and remove weekly posting slots (what --queue fills)"),
    "publish": ("studio.cli.publish", "publish one pin from a JSON payload or an approved draft"),
    "jobs": ("studio.cli.publish", "list publish jobs and their status"),
    "resume": ("studio.cli.publish", "finish publish jobs a stopped process left half-way"),
    "worker": ("studio.cli.worker", "publish scheduled pins when they are due"),
    "accounts": ("studio.cli.accounts", "list connected Pinterest accounts (tokens masked)"),
    "boards": ("studio.cli.accounts", "list the synced boards and sections of connected accounts"),
    "connect": ("studio.cli.accounts", "connect a Pinterest account with an access token (headless setups)"),
    "import-csv": ("studio.cli.bulk", "validate a Pinterest bulk CSV and import its valid rows as drafts"),
    "export-csv": ("studio.cli.bulk", "write Pinterest bulk-create CSV file(s) of approved pins"),
    "api": ("studio.cli.api", "serve the Postproxy-compatible HTTP API (http://127.0.0.1:8502/api)"),
    "api-keys": ("studio.cli.api", "create, list and revoke API keys"),
    "mcp": ("studio.cli.api", "Model Context Protocol server over stdio (tools for AI agents)"),
    "analytics": ("studio.cli.analytics", "sync pin metrics from Pinterest; reports"),
    "design": ("studio.cli.design", "render fresh pin designs (1000×1500) from templates"),
    "users": ("studio.cli.users", "add people to the studio, list them, change their role or access"),
}


class _Version(argparse.Action):
    """`--version`, reading the installed version only when asked (importlib.metadata is slow to load)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from studio import __version__

        print(f"pinstudio {__version__}")  # on stdout, as argparse's own version action does
        parser.exit()


def build_parser(command: str | None = None, *, everything: bool = True) -> argparse.ArgumentParser:
    """The parser; with `everything=False` only `command`'s module is imported, the rest are listed."""
    parser = argparse.ArgumentParser(
        prog="pinstudio", description="Pinstudio: check media, draft pin copy, review and publish to Pinterest."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    listed = {module for module, _ in COMMANDS.values()}
    wanted = COMMANDS.get(command or "", ("", ""))[0]
    for name in COMMAND_MODULES:
        if everything or name == wanted or name not in listed:
            importlib.import_module(name).register(subparsers)
    for name, (_, help_text) in COMMANDS.items():  # the others: a name and a line in --help
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line (top-level options are flags only)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    # sqlite-utils imports pandas when it is installed (Streamlit brings it) only to map pandas
    # column types, which the CLI never stores. Skipping it keeps every command ~80 MB lighter
    # (`pinstudio check` on a 1 GB video stays well under 150 MB). The Streamlit app, a separate
    # process, is unaffected.
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]
    # Pillow's warnings about odd files belong in the media report (studio.media captures them there),
    # never as Python source lines in the user's terminal: a safety net for any decode outside a check.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_command(argv), everything=False)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    from studio.cli.common import TerminalSafe

    # What a command prints may quote text from outside (a title sent through the API, a CSV cell, an LLM
    # answer): it reaches the terminal without the escape sequences that would let it redraw the screen.
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(stdout), TerminalSafe(stderr, progress=True)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout, sys.stderr = stdout, stderr
