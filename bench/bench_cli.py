"""CLI start-up benchmark (issue 16, item 15): CPU seconds of `pinstudio --help` and `pinstudio check IMAGE`.

Targets: `--help` under 0.15 s and `check IMAGE` under 0.3 s of CPU (user + system of the process).
Run: `.venv/bin/python bench/bench_cli.py [RUNS]` (median of RUNS, default 7). On a busy machine the
figures rise with the load; compare them with the `python -c pass` floor printed first.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PINSTUDIO = [sys.executable, "-m", "studio"]


def cpu_seconds(command: list[str]) -> float:
    """CPU seconds (user + system) one run of `command` takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "pin.jpg"
        Image.new("RGB", (1000, 1500), (200, 80, 40)).save(image, "JPEG")
        cases = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "pinstudio --help": [*PINSTUDIO, "--help"],
            "pinstudio check IMAGE": [*PINSTUDIO, "check", str(image)],
        }
        for label, command in cases.items():
            times = [cpu_seconds(command) for _ in range(runs)]
            print(f"{label:<24} CPU median {statistics.median(times):.3f} s  (min {min(times):.3f}, {runs} runs)")


if __name__ == "__main__":
    main()
