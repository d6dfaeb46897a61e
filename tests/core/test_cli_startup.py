"""`pinstudio` starts fast: `--help` and `check IMAGE` import only what they use (issue 16, item 15)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from studio.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]
# Each of these costs 0.05–0.3 s of CPU at start-up (numpy via moviepy, pydantic's first model, sqlite-utils).
HEAVY = ("moviepy", "numpy", "imageio_ffmpeg", "pydantic", "pydantic_settings", "sqlite_utils", "httpx")

PROBE = """
import json, sys
from studio.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in %r if m in sys.modules and sys.modules[m])
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def run_cli(*args: str) -> tuple[int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    probe = json.loads(proc.stderr.strip().splitlines()[-1])
    return probe["code"], probe["loaded"], proc.stdout


def test_help_lists_every_command_without_importing_them():
    code, loaded, out = run_cli("--help")
    assert code == 0 and loaded == []
    words = " ".join(out.split())  # argparse wraps long lines
    for name, (_, help_text) in COMMANDS.items():
        assert f"{name} {help_text}" in words


def test_the_quick_help_is_the_full_help():
    """The table in studio/cli/__init__.py says what the modules register, word for word."""
    assert build_parser(everything=False).format_help() == build_parser().format_help()


def test_check_of_an_image_loads_neither_video_nor_database_code(tmp_path, make_image):
    image = tmp_path / "pin.jpg"
    image.write_bytes(make_image())
    code, loaded, out = run_cli("check", str(image), "--json")
    assert code == 0 and loaded == []
    assert json.loads(out)[0]["facts"]["width"] == 1000


def test_version_is_still_reported():
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout.startswith("pinstudio ")
