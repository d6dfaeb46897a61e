"""Benchmark: validate and import a 1,000-row bulk CSV whose media sit on a loopback server, and
render its preview table in AppTest.

Targets (issue 8): import + validation under 30 s and 300 MB peak RSS; the 1,000-row preview
renders in AppTest within 2 s.

    .venv/bin/python bench/bench_bulk.py [--rows 1000] [--draft-every 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--draft-every", type=int, default=10, help="every Nth row has no copy (LLM drafts it)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    os.environ.update(
        STUDIO_DATA_DIR=str(tmp / "data"),
        STUDIO_ENV_FILE="",
        STUDIO_LLM_PROVIDER="offline",
        STUDIO_PUBLISHER="dry-run",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    import httpx

    from studio.bulk.csv_format import EXTENDED_HEADER, write
    from studio.bulk.importer import import_valid_rows, preview_csv
    from studio.bulk.media_check import MediaChecker
    from studio.drafting import get_drafter
    from studio.drafting.service import DraftingService
    from studio.preferences import load_settings
    from studio.services import open_store
    from tests.fakes.media_host import MediaHost
    from tests.support.media import make_image

    started = time.perf_counter()
    for n in range(args.rows):  # distinct 2:3 JPEGs, 600×900 (~15 kB): every URL is a real download
        make_image(tmp / "cdn" / f"pin{n}.jpg", (600, 900), colour=(n % 256, (n // 256) * 40 % 256, 120))
    print(f"made {args.rows} images in {time.perf_counter() - started:.1f} s (not counted)")

    cfg = load_settings()
    store = open_store(cfg.db_path)
    rss_before = peak_rss_mb()
    with MediaHost(tmp / "cdn") as host, httpx.Client(timeout=10) as http:
        rows = []
        for n in range(args.rows):
            blank = args.draft_every and n % args.draft_every == 0
            rows.append(
                {
                    "title": "" if blank else f"Autumn idea number {n}",
                    "media_url": host.url(f"pin{n}.jpg"),
                    "board": "Autumn",
                    "description": "" if blank else f"Cosy autumn idea {n}, easy to make.",
                    "link": f"https://example.com/autumn/{n}",
                    "keywords": "autumn, cosy",
                    "publish_date": "2031-10-01T09:00:00",
                    "alt_text": f"A warm-toned photo, number {n}",
                    "topic": "autumn decor",
                }
            )
        data = write(rows, EXTENDED_HEADER).encode()
        media = MediaChecker(http, cfg.data_dir / "bulk")

        t0 = time.perf_counter()
        preview = preview_csv(store, data, file_name="bench.csv", media=media)
        t_validate = time.perf_counter() - t0
        t0 = time.perf_counter()
        # The offline drafter, without fetching landing pages: example.com's latency is not ours to measure.
        drafting = DraftingService(store, get_drafter(cfg), data_dir=cfg.data_dir, landing=None)
        report = import_valid_rows(store, cfg, preview, media=media, actor="bench", drafting=drafting)
        t_import = time.perf_counter() - t0
    total = t_validate + t_import
    peak = peak_rss_mb()
    print(
        f"rows: {len(preview.rows)}, valid: {len(preview.valid)}, imported: {report.imported}, "
        f"drafted by LLM (offline): {report.drafted}, failed: {report.failed}"
    )
    print(f"validate (download + check {len(rows)} media): {t_validate:.2f} s")
    print(f"import (store media, drafts, review queue):   {t_import:.2f} s")
    print(f"total: {total:.2f} s (target < 30 s) {'OK' if total < 30 else 'MISSED'}")
    print(
        f"peak RSS: {peak:.0f} MB (before the run {rss_before:.0f} MB; target < 300 MB) "
        f"{'OK' if peak < 300 else 'MISSED'}"
    )

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "bulk.py"), default_timeout=60)
    at.session_state["bulk_preview"] = preview
    t0 = time.perf_counter()
    at.run()
    t_render = time.perf_counter() - t0
    assert not at.exception, at.exception
    shown = len(at.dataframe[0].value)
    at.run()  # a second run: what every later interaction costs
    t0 = time.perf_counter()
    at.run()
    t_rerun = time.perf_counter() - t0
    print(
        f"preview table ({shown} rows) first render in AppTest: {t_render:.2f} s, rerun: {t_rerun:.2f} s "
        f"(target < 2 s) {'OK' if t_render < 2 else 'MISSED'}"
    )
    store.close()


if __name__ == "__main__":
    main()
