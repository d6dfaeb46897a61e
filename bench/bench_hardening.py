"""Hardening figures: parsing a hostile landing page (256 KB of repeated `<title>`), and the old regex."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.drafting.landing import parse_head

PAGE_BYTES = 256 * 1024


def best_of(fn, page: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(page)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    hostile = "<title>" * (PAGE_BYTES // len("<title>"))
    ordinary = "<html><head><title>Soup</title>" + "<meta name=x content=y>" * 2000 + "</head><body>" + "p" * 200_000
    print(f"parse_head, 256 KB of repeated <title>: {best_of(parse_head, hostile):.1f} ms (target < 50 ms)")
    print(f"parse_head, 256 KB ordinary page:       {best_of(parse_head, ordinary):.1f} ms")
    old = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
    small = hostile[: 16 * 1024]  # the old regex on 1/16 of the page (the whole page took ~35 s)
    print(f"old regex on 16 KB of it (for scale):   {best_of(old.search, small, runs=1):.1f} ms")


if __name__ == "__main__":
    main()
