"""Design benchmark (issue #15): 100 designs, mixed templates and titles, from 3000×4500 JPEG photos.

Prints the median and p95 time per design, the peak RSS, and what the reduced decode saves
(a full decode of one 3000×4500 source vs the `draft` decode the renderer uses).

Run: `.venv/bin/python bench/bench_design.py` (about a minute on 2 cores).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# As `pinstudio` does (studio/cli/__init__.py): sqlite-utils would import pandas only for column types.
sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from studio.design import all_templates, render_design  # noqa: E402
from studio.design.render import open_photo  # noqa: E402

DESIGNS = 100
SOURCE = (3000, 4500)
TITLES = [
    "Basil pesto in 10 minutes",
    "Ten genuinely useful tips for better photography at home with nothing but your phone, a window and a "
    "little patience: light, framing, angles, editing and sharing the results with your friends and family",
    "أفضل عشر نصائح للتصوير الفوتوغرافي في المنزل",
    "写真をもっと上手に撮るための十のコツ",
    "Summer salads 🥗🌞 everyone loves 😍",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def make_photo(path: Path, seed: int) -> Path:
    """A photo-like 3000×4500 JPEG: coloured shapes, blurred, with grain (compresses like a real photo)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (750, 1125), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(750), rng.randrange(1125)
        r = rng.randrange(20, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(6)).resize(SOURCE, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(SOURCE, 18).convert("RGB")
    Image.blend(img, noise, 0.08).save(path, "JPEG", quality=88)
    return path


def render_all(folder: Path) -> None:
    """The measured part, in its own process so its peak RSS is the renderer's alone."""
    templates = sorted(all_templates())
    photos = sorted(folder.glob("photo*.jpg"))
    render_design([str(photos[0])], TITLES[0], templates[0])  # load fonts once, as a running studio has
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    with Image.open(photos[0]) as img:
        img.load()
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    open_photo(photos[0], (1000, 1500))
    reduced_s = time.perf_counter() - started
    times = []
    for i in range(DESIGNS):
        template = templates[i % len(templates)]
        media = [str(photos[(i + k) % len(photos)]) for k in range(3 if template == "collage" else 1)]
        t0 = time.perf_counter()
        design = render_design(media, TITLES[i % len(TITLES)], template, subtitle="Weeknight recipes")
        times.append(time.perf_counter() - t0)
        assert design.text_fits
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    median_ms = statistics.median(times) * 1000
    print(f"{DESIGNS} designs over {len(templates)} templates × {len(TITLES)} titles (incl. Arabic, Japanese, emoji)")
    print(f"per design: median {median_ms:.0f} ms, p95 {p95 * 1000:.0f} ms, total {sum(times):.1f} s")
    print(f"peak RSS of the rendering process: {peak_rss_mb():.0f} MB (after fonts loaded: {rss_before:.0f} MB)")
    print(
        f"one source: full decode {full_s * 1000:.0f} ms vs reduced decode (1/2 scale) + fit {reduced_s * 1000:.0f} ms"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        render_all(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        photos = [make_photo(Path(tmp) / f"photo{i}.jpg", i) for i in range(4)]
        size_mb = sum(p.stat().st_size for p in photos) / len(photos) / 1024 / 1024
        print(f"sources: {len(photos)} JPEGs {SOURCE[0]}×{SOURCE[1]}, {size_mb:.1f} MB each")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        subprocess.run([sys.executable, __file__, "--render", tmp], check=True)


if __name__ == "__main__":
    main()
