"""Guardrails on every path (issue 25): the cost of one check (`check_pin`) with a busy schedule, of saying what
approving a selection does (`plans_after_approval`, what the Review page's bulk bar shows), and of planning 17 API
drafts one after another as the API's processor does.

Run: .venv/bin/python bench/bench_guardrails.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.drafts import approve  # noqa: E402
from studio.models import utcnow  # noqa: E402
from studio.preferences import load_settings  # noqa: E402
from studio.publishing import check_pin  # noqa: E402
from studio.publishing.dry_run import DryRunPublisher  # noqa: E402
from studio.scheduling import plans_after_approval, publish_approved, publish_on_approval, schedule  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.support.people import editor, reviewer  # noqa: E402
from tests.support.pins import approved_pin, new_pin  # noqa: E402


def timed(fn, runs: int = 5) -> tuple[float, float]:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        took.append(time.perf_counter() - start)
    return statistics.median(took), max(took)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(STUDIO_DATA_DIR=tmp, STUDIO_ENV_FILE="", STUDIO_PUBLISHER="dry-run")
        cfg = load_settings(daily_cap=10_000, min_spacing_minutes=10)
        store = open_store(cfg.db_path)
        data_dir = Path(tmp)
        start = utcnow() + timedelta(hours=1)
        for n in range(300):  # a busy account: 300 pins scheduled 15 minutes apart
            pin = approved_pin(store, data_dir, link=f"https://example.com/{n}")
            schedule(store, cfg, pin.id, start + timedelta(minutes=15 * n), actor=reviewer())
        probe = new_pin(store, data_dir, link="https://example.com/7")
        median, worst = timed(lambda: check_pin(store, probe, start + timedelta(minutes=105), cfg))
        print(f"check_pin with 300 scheduled pins: median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms")
        waiting = [new_pin(store, data_dir) for _ in range(1000)]
        for draft in waiting[:17]:
            publish_on_approval(store, draft.id, None, actor=editor())
        median, worst = timed(lambda: plans_after_approval(store, cfg, waiting), runs=3)
        print(f"what approving 1,000 selected drafts does (17 API drafts): median {median:.2f} s, max {worst:.2f} s")
        began = time.perf_counter()
        for draft in waiting[:17]:
            approve(store, draft.id, actor=reviewer())
            publish_approved(store, cfg, draft.id, DryRunPublisher(), actor=reviewer())
        print(f"17 approved API drafts planned and queued or scheduled: {time.perf_counter() - began:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
