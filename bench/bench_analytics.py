"""Analytics at scale.

1. Requests per 1,000 pins for a 90-day backfill and a daily top-up, against the fake Pinterest (spec-validated,
   loopback), with the bulk endpoint and with the per-pin fallback; compared with the formula in
   studio/analytics/sync.py.
2. 5,000 pins × 365 days × 6 metrics stored (~11 M values): the base query and each breakdown, the Analytics page's
   first render under AppTest, and the database file size.

Run: .venv/bin/python bench/bench_analytics.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio import analytics  # noqa: E402
from studio.analytics import tables  # noqa: E402
from studio.preferences import load_settings  # noqa: E402
from studio.services import Services, open_store  # noqa: E402
from tests.fakes.pinterest import FakePinterest  # noqa: E402

TODAY = date(2026, 6, 1)


def requests_per_1000(bulk: bool, videos: int = 100) -> dict:
    with tempfile.TemporaryDirectory() as tmp, FakePinterest(boards=3) as fake:
        fake.analytics_today = TODAY
        fake.bulk_analytics = bulk
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for i in range(1000):
            fake.add_pin(fake.boards[i % 3]["id"], title=f"Pin {i}", created_at=start, video=i < videos)
        settings = load_settings(
            STUDIO_DATA_DIR=tmp,
            PINTEREST_API_BASE=fake.base,
            PINTEREST_ACCESS_TOKEN=fake.access_token,
            STUDIO_ANALYTICS_READ_RATE=0,
            STUDIO_ANALYTICS_MAX_REQUESTS=100_000,
        )
        store = open_store(settings.db_path)
        api_for = Services(settings).analytics_api
        now = datetime(2026, 6, 1, 6, tzinfo=UTC)
        t0 = time.perf_counter()
        backfill = analytics.sync_all(store, settings, api_for=api_for, clock=lambda: now)[0]
        elapsed = time.perf_counter() - t0
        topup = analytics.sync_all(store, settings, api_for=api_for, clock=lambda: now + timedelta(days=1))
        fake.analytics_today = TODAY + timedelta(days=1)
        topup = analytics.sync_all(store, settings, api_for=api_for, clock=lambda: now + timedelta(days=1))[0]
        store.close()
        assert not fake.spec_violations, fake.spec_violations[:3]
        formula = analytics.requests_for(1000, videos, bulk=bulk)
        return {"backfill": backfill, "topup": topup, "formula": formula, "seconds": elapsed}


def seed_big(path: Path, pins: int = 5000, days: int = 365) -> None:
    rng = random.Random(14)
    store = open_store(path)
    boards = [f"Board {i}" for i in range(20)]
    words = ["salad", "soup", "pasta", "summer", "lisbon", "camera", "decor", "garden", "kids", "budget", "vegan"]
    first = TODAY - timedelta(days=days)
    rows = []
    for i in range(pins):
        created = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(0, 24 * 500))
        rows.append(
            {
                "pin_id": str(10**15 + i),
                "account": "shop",
                "board_name": boards[i % 20],
                "title": " ".join(rng.choices(words, k=rng.randint(2, 12))).capitalize(),
                "kind": "video" if i % 10 == 0 else "image",
                "thumbnail": "",
                "created_at": created.isoformat(),
                "draft_id": i if i % 2 else None,
                "keywords": ", ".join(rng.sample(words, 3)) if i % 2 else "",
                "source": "studio" if i % 2 else "imported",
                "updated_at": created.isoformat(),
            }
        )
    tables.upsert_pins(store, rows)
    cols = [
        "pin_id",
        "day",
        "impression",
        "save",
        "pin_click",
        "outbound_click",
        "video_mrc_view",
        "video_start",
        "cum_impression",
        "cum_save",
        "cum_pin_click",
        "cum_outbound_click",
        "cum_video_mrc_view",
        "cum_days",
    ]
    sql = f"insert into analytics_pin_daily ({', '.join(cols)}) values ({', '.join('?' * len(cols))})"
    day_names = [str(first + timedelta(days=d)) for d in range(days)]
    for i in range(pins):
        pin_id = str(10**15 + i)
        base = rng.randint(5, 400)
        day_rows, cum = [], [0, 0, 0, 0, 0]
        for k, d in enumerate(day_names):
            values = (base + k % 13, base // 20, base // 9, base // 30 + k % 3, base // 4)
            cum = [a + b for a, b in zip(cum, values, strict=True)]
            day_rows.append((pin_id, d, *values, base // 3, *cum, k + 1))  # running totals as sync keeps them
        store.db.conn.executemany(sql, day_rows)
    acc = [
        {"account": "shop", "day": d, "impression": 1000, "save": 50, "pin_click": 90, "outbound_click": 30,
         "engagement": 170}
        for d in day_names
    ]  # fmt: skip
    tables.upsert_account_daily(store, acc)
    store.db.conn.commit()
    store.db.execute("analyze")
    store.close()


CPU: list[float] = []  # CPU time of the last `timed` call: on a shared, loaded machine wall time waits for a core


def timed(fn, repeat: int = 5) -> float:
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[:] = [statistics.median(cpu) * 1000]
    return statistics.median(times) * 1000


def big_store() -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        # A running studio has Streamlit and Altair loaded already: warm up on an empty store first.
        os.environ.update(STUDIO_DATA_DIR=tmp, STUDIO_ENV_FILE="", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        AppTest.from_file(str(ROOT / "pages" / "analytics.py"), default_timeout=60).run()
    keep = os.environ.get("ANALYTICS_BENCH_DIR")  # reuse a seeded store between runs
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDIO_DATA_DIR"] = keep or tmp
        settings = load_settings()
        if not settings.db_path.exists():
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            seed_big(settings.db_path)
            print(f"seeded 5,000 pins × 365 days × 6 metrics in {time.perf_counter() - t0:.1f} s")
        size = settings.db_path.stat().st_size
        store = open_store(settings.db_path)
        n = store.db.execute("select count(*) from analytics_pin_daily").fetchone()[0]
        print(f"rows {n:,} ({n * 6:,} values); database file {size / 1e6:.0f} MB ({size / n:.0f} bytes per pin-day)")
        for label, since in (
            ("90 days", str(TODAY - timedelta(days=90))),
            ("365 days", str(TODAY - timedelta(days=365))),
        ):
            until = str(TODAY - timedelta(days=1))
            base_ms = timed(lambda since=since, until=until: analytics.pin_table(store, since, until))
            base_cpu = CPU[0]
            rows = analytics.pin_table(store, since, until)
            day_ms = timed(lambda since=since, until=until: analytics.totals_by_day(store, since, until))
            print(
                f"[{label}] per-pin totals query {base_ms:.0f} ms (CPU {base_cpu:.0f} ms); "
                f"totals by day {day_ms:.1f} ms"
            )
            for by in analytics.BREAKDOWNS:
                group_ms = timed(lambda by=by, rows=rows: analytics.breakdown(rows, by, tz="Europe/Paris"))
                print(
                    f"[{label}]   breakdown by {by:<13} {base_ms + group_ms:6.0f} ms "
                    f"(query + {group_ms:.0f} ms grouping; CPU {base_cpu + CPU[0]:.0f} ms)"
                )
            slots_ms = timed(lambda rows=rows: analytics.suggest_slots(rows, tz="Europe/Paris"))
            print(f"[{label}]   slot suggestions {base_ms + slots_ms:.0f} ms")
        t0 = time.perf_counter()
        with store.db.atomic():  # a daily top-up: one new day for every pin, running totals kept
            tables.upsert_daily(
                store,
                [{"pin_id": str(10**15 + i), "day": str(TODAY), "impression": 50, "save": 1, "pin_click": 3,
                  "outbound_click": 2, "video_mrc_view": 0, "video_start": 0} for i in range(5000)],
            )  # fmt: skip
        print(f"store one new day for 5,000 pins (upsert + running totals) {time.perf_counter() - t0:.2f} s")
        cards_ms = timed(lambda: analytics.pin_cards(store, draft_ids=list(range(1, 50, 2))), repeat=5)
        print(f"sparklines for 25 Review cards {cards_ms:.1f} ms; Home 7 vs 7 days "
              f"{timed(lambda: analytics.compare_periods(store, today=TODAY)):.1f} ms")  # fmt: skip
        store.close()

        t0, c0 = time.perf_counter(), time.process_time()
        at = AppTest.from_file(str(ROOT / "pages" / "analytics.py"), default_timeout=60)
        at.session_state["an_period"] = (TODAY - timedelta(days=90), TODAY - timedelta(days=1))
        at.run()
        first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert not at.exception, [e.value for e in at.exception]
        t0 = time.perf_counter()
        at.run()
        print(
            f"Analytics page first render {first:.2f} s (CPU {first_cpu:.2f} s; AppTest, 90-day period), "
            f"rerun {time.perf_counter() - t0:.2f} s"
        )


def main() -> None:
    for bulk in (True, False) if "--big-only" not in sys.argv else ():
        r = requests_per_1000(bulk)
        mode = "bulk GET /pins/analytics" if bulk else "per-pin fallback"
        print(
            f"1,000 pins (100 videos), {mode}: backfill {r['backfill']['requests']} requests "
            f"({r['backfill']['rows_written']:,} rows, {r['seconds']:.1f} s on loopback), daily top-up "
            f"{r['topup']['requests']} requests ({r['topup']['rows_written']} rows); formula {r['formula']}"
        )
    big_store()


if __name__ == "__main__":
    main()
