"""A tiny file that declares a huge picture: ingest, thumbnail and review preview stay within a memory
budget, and large decodes queue instead of piling up (issue #12 item 8)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from studio.media import decode
from tests.support.env import ROOT
from tests.support.media import make_bomb_png

SCRIPT = """
import sys
from pathlib import Path
from studio.services import open_store
from studio.media import ingest_path, preview_image, thumbnail
data = Path(sys.argv[2])
store = open_store(data / "studio.db")
asset, _ = ingest_path(store, data, Path(sys.argv[1]))
assert thumbnail(data, asset).exists() and preview_image(data, asset).exists()
# VmHWM: this process's own peak (ru_maxrss would carry over the forking parent's high-water mark).
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) // 1024)
"""


def test_9400_square_png_ingest_and_previews_stay_under_300_mb(tmp_path):
    png = make_bomb_png(tmp_path / "big.png", (9400, 9400))  # 88 MP of grey in ~85 KB
    data = tmp_path / "bench-data"
    data.mkdir()
    # A clean environment: what earlier tests left in os.environ (Streamlit's, matplotlib's) must not count.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(png), str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak = int(proc.stdout.split()[-1])
    assert peak < 300, f"peak RSS {peak} MB"  # before: 898 MB


def test_large_decodes_take_turns(tmp_path, monkeypatch):
    png = make_bomb_png(tmp_path / "big.png", (5000, 4000))  # 20 MP: above the large-decode threshold
    inside, most = 0, 0
    lock = threading.Lock()
    real_reduce = decode._reduce

    def counting_reduce(img, max_side):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.2)  # hold the slot long enough for the others to arrive
        try:
            return real_reduce(img, max_side)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(decode, "_reduce", counting_reduce)
    threads = [threading.Thread(target=decode.reduced_image, args=(png, 64)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert most == 2  # two at a time, never four
