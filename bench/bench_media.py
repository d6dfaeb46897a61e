"""Media benchmark: prints the figures issues #3, #17 and #12 (item 8) ask for.

- video check time, ~10 MB vs ~1 GB (same streams), and vs moviepy's VideoFileClip open;
- image check (which now proves the pixel data decodes) vs a plain Pillow decode of a ~30 MB PNG
  and JPEG (issue #17: ≤ ~1.2×);
- peak memory of ingest + thumbnail + review preview of a 9400×9400 PNG (issue #12: < 300 MB), and of
  the same steps on another checkout (`--before PATH`, e.g. /work/main) for comparison;
- peak memory of `pinstudio check` on the 1 GB video and on a decompression bomb;
- bytes read by a capped download of an oversize URL on loopback.

Run: `.venv/bin/python bench/bench_media.py [--before /work/main] [--images-only]` (a few minutes;
writes and deletes ~1 GB in /tmp).
"""

from __future__ import annotations

import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PIL import Image  # noqa: E402

from studio.errors import MediaError  # noqa: E402
from studio.media.assets import check_path  # noqa: E402
from studio.media.fetch import fetch_url  # noqa: E402
from tests.fakes.media_server import MediaServer  # noqa: E402
from tests.support.media import FFMPEG, make_bomb_png, make_noise_image  # noqa: E402

MB = 1024 * 1024
RUNS = 7


def median_s(fn, runs: int = RUNS) -> float:
    fn()  # warm the page cache and imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_noise_video(path: Path, seconds: float) -> Path:
    """Lossless H.264 of random pixels: ~3 MB/s that no encoder can shrink."""
    subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "nullsrc=s=320x240:r=25,geq=random(1)*255:128:128",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-qp",
            "0",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
        timeout=300,
    )
    return path


def loop_video(src: Path, dst: Path, target_bytes: int) -> Path:
    """Repeat `src` (stream copy, no re-encode) until the file reaches about `target_bytes`."""
    loops = math.ceil(target_bytes / src.stat().st_size) - 1
    subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-stream_loop",
            str(loops),
            "-i",
            str(src),
            "-c",
            "copy",
            str(dst),
        ],
        check=True,
        timeout=600,
    )
    return dst


def _peak_rss_mb(cmd: list[str]) -> tuple[float, int]:
    """Peak RSS (MB) of the biggest process `cmd` runs, and its exit code.

    Measured through a small wrapper process: a child forked straight from this (larger)
    process would inherit its high-water mark.
    """
    code = (
        "import resource, subprocess, sys; "
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[0]) / 1024, int(out[1])


def peak_rss_mb(args: list[str]) -> tuple[float, int]:
    """`pinstudio check --json ARGS` (the CLI or its ffmpeg, whichever is bigger)."""
    return _peak_rss_mb([sys.executable, "-m", "studio", "check", "--json", *args])


def library_peak_mb(path: Path) -> float:
    """A fresh process that only imports studio.media.assets and checks `path`."""
    return _peak_rss_mb(
        [
            sys.executable,
            "-c",
            "import sys; from studio.media.assets import check_path; check_path(sys.argv[1])",
            str(path),
        ]
    )[0]


def bench_video(tmp: Path) -> None:
    from moviepy import VideoFileClip

    small = make_noise_video(tmp / "small.mp4", 4)
    print(f"making a ~1 GB video from {small.stat().st_size / MB:.1f} MB of noise…", flush=True)
    big = loop_video(small, tmp / "big.mp4", 1024 * MB)
    t_small = median_s(lambda: check_path(small))
    t_big = median_s(lambda: check_path(big))
    report = check_path(big)

    def open_clip() -> None:
        VideoFileClip(str(big)).close()

    t_clip = median_s(open_clip, runs=3)
    print(f"video check, {small.stat().st_size / MB:.1f} MB:     {t_small * 1000:7.1f} ms (median of {RUNS})")
    print(
        f"video check, {big.stat().st_size / MB:.0f} MB:    {t_big * 1000:7.1f} ms "
        f"({report.facts.duration_s:.0f} s, {report.facts.video_codec}); ratio 1 GB / 10 MB = {t_big / t_small:.2f}× "
        f"(target ≤ 1.3×)"
    )
    print(f"moviepy VideoFileClip open, 1 GB: {t_clip * 1000:7.1f} ms; check is {t_clip / t_big:.1f}× faster")
    rss, rc = peak_rss_mb([str(big)])
    print(
        f"peak memory, `pinstudio check` on the 1 GB video: {rss:.0f} MB (exit {rc}; target < 150 MB); "
        f"check_path alone in a fresh process: {library_peak_mb(big):.0f} MB"
    )
    big.unlink()


def bench_image(tmp: Path) -> None:
    png = make_noise_image(tmp / "noise.png", (3300, 3100), "PNG", compress_level=1)
    jpeg = make_noise_image(tmp / "noise.jpg", (6000, 4000), "JPEG", quality=95)
    for path in (png, jpeg):
        t_check = median_s(lambda path=path: check_path(path))

        def decode(path=path) -> None:
            with Image.open(path) as img:
                img.load()

        t_decode = median_s(decode)
        kind = path.suffix.lstrip(".").upper()
        print(
            f"image check, {path.stat().st_size / MB:.1f} MB {kind}: {t_check * 1000:7.1f} ms; plain Pillow decode "
            f"{t_decode * 1000:.0f} ms; check / decode = {t_check / t_decode:.2f}× (target ≤ 1.2×)"
        )
    bomb = make_bomb_png(tmp / "bomb.png", (30000, 30000))
    t_bomb = median_s(lambda: check_path(bomb))
    rss, rc = peak_rss_mb([str(bomb)])
    print(
        f"decompression bomb (30000×30000 = 900 MP claimed, {bomb.stat().st_size / 1024:.0f} kB): refused in "
        f"{t_bomb * 1000:.2f} ms; peak memory of `pinstudio check` {rss:.0f} MB (exit {rc}; target < 150 MB); "
        f"check_path alone: {library_peak_mb(bomb):.0f} MB"
    )


_INGEST_PREVIEW = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from studio.services import open_store
from studio.media import ingest_path, preview_image, thumbnail
data = Path(sys.argv[2]); data.mkdir(parents=True, exist_ok=True)
def hwm():  # this process's own peak RSS in kB (ru_maxrss would include the forking parent's peak)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
before = hwm()
store = open_store(data / "studio.db")
asset, _ = ingest_path(store, data, Path(sys.argv[1]))
thumbnail(data, asset)
preview_image(data, asset)
print(before, hwm())
"""


def bench_big_png(tmp: Path, before_root: Path | None) -> None:
    """Issue #12 item 8: a ~100 KB PNG of 9400×9400 px through ingest, thumbnail and review preview."""
    png = make_bomb_png(tmp / "big.png", (9400, 9400))
    for label, root in (("this branch", ROOT), ("before (" + str(before_root) + ")", before_root)):
        if root is None:
            continue
        out = subprocess.run(
            [sys.executable, "-c", _INGEST_PREVIEW, str(png), str(tmp / f"data-{label[:4]}"), str(root)],
            capture_output=True,
            text=True,
            cwd=root,
        )
        if out.returncode:
            print(f"9400×9400 PNG, {label}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        start, peak = (int(v) / 1024 for v in out.stdout.split())
        print(
            f"9400×9400 PNG ({png.stat().st_size / 1024:.0f} KB), ingest + thumbnail + preview, {label}: peak RSS "
            f"{peak:.0f} MB (imports alone {start:.0f} MB; target < 300 MB)"
        )


def bench_fetch(tmp: Path) -> None:
    cap = 10 * MB
    with MediaServer({"/huge.mp4": ("stream", 200 * MB)}) as srv, httpx.Client(timeout=10) as http:
        try:
            fetch_url(srv.url + "/huge.mp4", tmp, http=http, max_bytes=cap)
        except MediaError as exc:
            read = exc.bytes_read
            print(
                f"remote fetch, 200 MB served without Content-Length, cap {cap // MB} MB: stopped after reading "
                f"{read:,} bytes (cap + {read - cap:,}; one chunk = 65,536) [{exc.code}]"
            )


def main() -> None:
    before = Path(sys.argv[sys.argv.index("--before") + 1]) if "--before" in sys.argv else None
    tmp = Path(tempfile.mkdtemp(prefix="pinstudio-bench-", dir="/tmp"))
    try:
        bench_big_png(tmp, before)
        if "--images-only" in sys.argv:
            return
        bench_image(tmp)
        bench_fetch(tmp)
        bench_video(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"bench process peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
