"""`pinstudio ARGS` run in this process against the test's real SQLite: exit code, stdout, stderr."""

from __future__ import annotations

import subprocess

from studio.cli import main


def pinstudio(capsys, *args: str) -> subprocess.CompletedProcess:
    """Run `pinstudio ARGS` (capsys: pytest's capture fixture) and return what a shell would see."""
    code: int | str | None
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(
        args, code if isinstance(code, int) else (0 if code is None else 1), out.out, out.err
    )
