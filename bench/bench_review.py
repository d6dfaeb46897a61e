"""Review queue and worker at scale: 50,000 drafts.

Targets (issue: review and scheduling): first page of the queue renders in AppTest within 1.5 s,
its query under 20 ms; the worker's "find due jobs" under 5 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.models import DraftFilter, iso, utcnow  # noqa: E402
from studio.scheduling.tables import claim_due  # noqa: E402
from studio.services import open_store  # noqa: E402
from studio.storage import Store  # noqa: E402

N = 50_000


def seed(store: Store) -> None:
    rng = random.Random(7)
    now = utcnow()
    statuses = ["draft"] * 30 + ["in_review"] * 30 + ["approved"] * 20 + ["published"] * 15 + ["rejected"] * 5
    rows = []
    for i in range(N):
        status = rng.choice(statuses)
        updated = iso(now - timedelta(minutes=rng.randint(0, 60 * 24 * 90)))
        rows.append(
            {
                "title": f"Pin {i} about {rng.choice(['soup', 'pasta', 'desk', 'garden', 'travel'])}",
                "description": "A description " * 5,
                "alt_text": "An image",
                "link": f"https://example.com/{i}",
                "board": rng.choice(["Recipes", "Travel", "Home", "Garden"]),
                "status": status,
                "version": 1,
                "author": rng.choice(["ana", "bo", "cy"]),
                "account": "main",
                "created_at": updated,
                "updated_at": updated,
                "lint_failures": rng.randint(0, 2),
                "media_warnings": rng.randint(0, 1),
                "scheduled_at": iso(now + timedelta(minutes=rng.randint(-600, 60 * 24 * 30)))
                if status == "approved"
                else None,
            }
        )
    store.db["drafts"].insert_all(rows, batch_size=5000)


def timed(fn, repeat: int = 50) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDIO_DATA_DIR"] = tmp
        os.environ["STUDIO_ENV_FILE"] = ""
        store = open_store(Path(tmp) / "studio.db")
        t = time.perf_counter()
        seed(store)
        print(f"seeded {N:,} drafts in {time.perf_counter() - t:.1f} s")
        first_page = timed(lambda: store.query_drafts(DraftFilter(statuses=["in_review"]), limit=25))
        filtered = timed(
            lambda: store.query_drafts(
                DraftFilter(statuses=["in_review"], board="Recipes", lint_failing=True), limit=25
            )
        )
        due = timed(
            lambda: store.db.execute(
                "select id from drafts where status = 'approved' and scheduled_at <= ? "
                "and claimed_by is null order by scheduled_at limit 1",
                [iso()],
            ).fetchall(),
            repeat=200,
        )
        claim = timed(lambda: claim_due(store, iso(), "bench", iso(utcnow() - timedelta(minutes=15))), repeat=20)
        print(f"review queue first page query (in review, 25 rows + count): {first_page:.2f} ms (target < 20 ms)")
        print(f"review queue filtered query (board + lint failing):          {filtered:.2f} ms (target < 20 ms)")
        print(f"worker find-due query:                                       {due:.3f} ms (target < 5 ms)")
        print(f"worker atomic claim (find + mark):                           {claim:.3f} ms")

        from streamlit.testing.v1 import AppTest

        renders = []
        for _ in range(5):
            at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=60)
            t = time.perf_counter()
            at.run()
            renders.append(time.perf_counter() - t)
            assert not at.exception, at.exception
        print(
            f"review page first render in AppTest (median of 5):          {statistics.median(renders):.2f} s "
            f"(target < 1.5 s; first run {renders[0]:.2f} s)"
        )
        store.close()


if __name__ == "__main__":
    main()
