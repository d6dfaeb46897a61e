"""How fast each page draws in a fresh browser tab, with 1,000 drafts and 5,000 synced pins.

Seeds a temporary data dir (1,000 drafts, some approved, scheduled and published; 5,000 pins synced from Pinterest
with `--days` days of metrics each), starts the studio as `pinstudio run` does (pages_support.serve), warms it with
one visit (a fresh server imports the studio once), then opens every page in a new Chromium context (no cookies,
no cache, a new Streamlit session: a new tab) and times it from the navigation's start until the app's first run
is over and its title is drawn (`data-test-script-state` notRunning, no status widget, an <h1>). Target: ≤ 1.5 s.
Prints a table, the median and worst, and the load average (the machine is shared: read figures with it).

    .venv/bin/python bench/bench_cold_tab.py [--drafts 1000] [--pins 5000] [--days 90] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_analytics import seed_big  # noqa: E402
from bench_review_browser import seed as seed_drafts  # noqa: E402

from studio.drafts import approve  # noqa: E402
from studio.preferences import load_settings  # noqa: E402
from studio.publishing import publish_draft  # noqa: E402
from studio.publishing.dry_run import DryRunPublisher  # noqa: E402
from studio.scheduling import schedule  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.support.browser import chromium_browser, new_page, studio_server  # noqa: E402
from tests.support.people import reviewer  # noqa: E402

TARGET_S = 1.5
PAGES = [
    "",  # Home
    "compose",
    "review",
    "publish",
    "schedule",
    "calendar",
    "history",
    "bulk",
    "experiments",
    "analytics",
    "accounts",
    "team",
    "audit",
    "settings",
]
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && document.querySelector('[data-testid="stMain"] h1') !== null;
}"""


def seed(data_dir: Path, drafts: int, pins: int, days: int) -> None:
    seed_drafts(data_dir, drafts)
    settings = load_settings(STUDIO_DATA_DIR=str(data_dir), STUDIO_DAILY_CAP=1000)
    store = open_store(settings.db_path)
    waiting = [d.id for d in store.list_drafts(["in_review"], limit=200)]
    now = datetime.now(UTC)
    for n, draft_id in enumerate(waiting[:120]):  # approved; 40 published today, 60 scheduled this week
        approve(store, draft_id, actor=reviewer())
        if n < 40:
            publish_draft(store, DryRunPublisher(), draft_id, settings, actor=reviewer(), override=True)  # 40 at once
        elif n < 100:
            when = now + timedelta(hours=2 + 2 * n)
            schedule(store, settings, draft_id, when, tz="UTC", actor=reviewer(), override=True)
    store.close()
    seed_big(settings.db_path, pins=pins, days=days)


# Where the time goes: when the page's scripts were loaded (DOMContentLoaded), and when the app's first run began
# (the frontend connected and the server started the script).
WATCH_RUNS = """
window.__runStarted = null;
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__runStarted === null && app && app.getAttribute('data-test-script-state') === 'running') {
    window.__runStarted = performance.now();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""
SPLITS = """[performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, window.__runStarted,
  performance.now()]"""


def first_render(browser, url: str, context=None) -> tuple[float, float, float]:
    """Seconds from the navigation's start to the frontend loaded, to the app's first run started, and to that run
    drawn: in a fresh context (no cookies, an empty cache), or as a new tab of `context` (its cache warm: the
    browser a person already has open); a new Streamlit session either way."""
    page = context.new_page() if context else new_page(browser, viewport=(1400, 1000))
    page.add_init_script(WATCH_RUNS)
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(DRAWN, timeout=120_000, polling="raf")
        loaded, started, drawn = page.evaluate(SPLITS)
        return loaded / 1000, (started or drawn) / 1000, drawn / 1000
    finally:
        page.close() if context else page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--pins", type=int, default=5000)
    parser.add_argument("--days", type=int, default=90, help="days of metrics stored per synced pin")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="seed here once and reuse it on the next runs")
    parser.add_argument("--pages", nargs="*", default=PAGES, help="url paths ('' is Home); default: every page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        if not (data_dir / "studio.db").exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            seed(data_dir, args.drafts, args.pins, args.days)
            print(f"seeded {args.drafts} drafts and {args.pins} synced pins × {args.days} days in "
                  f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
        env = {
            "STUDIO_DATA_DIR": str(data_dir),
            "STUDIO_ENV_FILE": "",
            "STUDIO_PUBLISHER": "dry-run",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_REVIEWER": "rita",
        }
        os.environ.pop("PINTEREST_ACCESS_TOKEN", None)
        timings: dict[str, list[float]] = {}
        with studio_server(env, timeout=120) as base, chromium_browser() as browser:
            warm = first_render(browser, base)[-1]
            print(f"first tab after the server started (imports the studio once): {warm:.2f} s")
            splits: dict[str, list[tuple[float, float, float]]] = {}
            tabs: dict[str, list[float]] = {}
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            first_render(browser, base, context)  # this browser has loaded the studio once: its cache is warm
            for _ in range(args.repeat):
                for path in args.pages:
                    split = first_render(browser, f"{base}/{path}")
                    splits.setdefault(path or "home", []).append(split)
                    timings.setdefault(path or "home", []).append(split[-1])
                    tabs.setdefault(path or "home", []).append(first_render(browser, f"{base}/{path}", context)[-1])
    load = os.getloadavg()
    print(f"\nFirst render of each page, {args.repeat} runs each (target ≤ {TARGET_S} s), in seconds:")
    print("  fresh context = a new browser profile, empty cache (with when its frontend had loaded and its first run")
    print("  started); new tab = a new tab of a browser that has opened the studio before (cache warm)")
    print(f"  {'page':<12} {'fresh median':>12} {'max':>6} {'loaded':>7} {'run':>6}", end="")
    print(f"   {'new tab median':>14} {'max':>6}")
    for name, values in timings.items():
        loaded = statistics.median(s[0] for s in splits[name])
        started = statistics.median(s[1] for s in splits[name])
        flag = "ok" if statistics.median(tabs[name]) <= TARGET_S else "SLOW"
        print(
            f"  {name:<12} {statistics.median(values):12.2f} {max(values):6.2f} {loaded:7.2f} {started:6.2f}"
            f"   {statistics.median(tabs[name]):14.2f} {max(tabs[name]):6.2f}  {flag}"
        )
    for label, runs in (("fresh context", timings), ("new tab", tabs)):
        medians = [statistics.median(v) for v in runs.values()]
        print(f"{label}: median of pages {statistics.median(medians):.2f} s, slowest page median {max(medians):.2f} s")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
