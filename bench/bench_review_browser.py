"""How fast the Review grid answers in a real browser with 1,000 drafts.

Seeds a temporary data dir with 1,000 drafts (40 distinct photo-like images), starts the studio on loopback, drives
headless Chromium, and times each interaction a reviewer makes — filter, search, tick, open, comment,
approve, page, select all — from the input (the pointer-down or key-down) until the app has finished its
run and the browser has painted the result. Target: every one under 0.5 s. The time from the bench's
Playwright call is printed too (it adds Playwright's actionability checks and key-by-key typing).

    .venv/bin/python bench/bench_review_browser.py [--drafts 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from studio.drafts import save_draft, submit_for_review  # noqa: E402
from studio.media import ingest_image  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.support.browser import chromium_page, open_studio, studio_server  # noqa: E402
from tests.support.people import editor  # noqa: E402

TARGET_S = 0.5
BOARDS = ["Recipes", "Travel", "Home", "Garden", "Style"]
WATCH = """() => {
  window.__runs = [];
  window.__inputs = [];
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__runs.push([performance.now(), app.getAttribute('data-test-script-state')]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, (e) => window.__inputs.push(e.timeStamp), true);
  }
}"""


def seed(data_dir: Path, n: int) -> None:
    store = open_store(data_dir / "studio.db")
    assets = []
    gradient = Image.linear_gradient("L").resize((1000, 1500)).convert("RGB")
    for i in range(40):
        # Photo-like detail (a flat colour makes a 2 KB tile; a photo's weighs 15–30 KB, and the grid sends them)
        colour = Image.blend(
            gradient, Image.new("RGB", gradient.size, ((i * 37) % 255, (i * 91) % 255, (i * 53) % 255)), 0.6
        )
        grain = Image.effect_noise((250, 375), 50).resize(gradient.size).convert("RGB")
        buf = io.BytesIO()
        Image.blend(colour, grain, 0.4).save(buf, "JPEG", quality=90)
        asset, _ = ingest_image(store, data_dir, buf.getvalue(), f"seed-{i}.jpg")
        assets.append(asset)
    for i in range(n):
        author = editor("ana") if i % 2 else editor("bo")
        draft = save_draft(
            store,
            None,
            {
                "title": f"Pin {i:04d}: easy weeknight idea number {i} for busy families",
                "description": f"Seeded description {i} with a few words about the pin and its link.",
                "alt_text": f"Picture {i}",
                "link": f"https://example.com/post/{i}",
                "board": BOARDS[i % len(BOARDS)],
                "media_id": assets[i % len(assets)].id,
            },
            actor=author,
        )
        if i % 4:
            submit_for_review(store, draft.id, actor=author)
    store.close()


def settle(page, action) -> tuple[float, float]:
    """Seconds until the app's run finished and the next frame was painted, counted from the user's input
    (the last pointer-down or key-down before the run started: what a person waits for), and from the
    moment the bench asked Playwright to act (that adds Playwright's own checks: scrolling, waiting for
    the target to be stable, typing a search term key by key)."""
    t0 = page.evaluate("performance.now()")
    action()
    page.wait_for_function(
        f"window.__runs.some(([t, s]) => t > {t0} && s === 'running')"
        f" && window.__runs[window.__runs.length - 1][1] === 'notRunning'",
        timeout=30_000,
        polling="raf",
    )
    t1 = page.evaluate(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
    )
    start = page.evaluate(f"window.__runs.find(([t, s]) => t > {t0} && s === 'running')[0]")
    inputs = [t for t in page.evaluate("window.__inputs") if t0 < t <= start]
    return (t1 - (inputs[-1] if inputs else t0)) / 1000, (t1 - t0) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        t = time.perf_counter()
        seed(data_dir, args.drafts)
        print(f"seeded {args.drafts} drafts in {time.perf_counter() - t:.1f} s")
        env = {
            "STUDIO_DATA_DIR": str(data_dir),
            "STUDIO_ENV_FILE": "",
            "STUDIO_PUBLISHER": "dry-run",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_REVIEWER": "rita",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        os.environ.pop("PINTEREST_ACCESS_TOKEN", None)
        with studio_server(env) as base, chromium_page(viewport=(1500, 1100)) as page:
            open_studio(page, base)
            t = time.perf_counter()
            page.goto(f"{base}/review")
            try:
                page.get_by_text("selected").first.wait_for(timeout=120_000)
            except Exception:
                page.screenshot(path="/tmp/bench_review_fail.png")
                print(page.inner_text("body")[:2000])
                raise
            page.locator(".pin-card img").first.wait_for(timeout=120_000)
            print(f"first load of Review: {time.perf_counter() - t:.2f} s")
            page.evaluate(WATCH)
            timings: dict[str, list[float]] = {}
            with_playwright: dict[str, list[float]] = {}

            page.set_default_timeout(60_000)

            def measure(name: str, action) -> None:
                try:
                    from_input, from_call = settle(page, action)
                except Exception as exc:
                    print(f"  {name}: not measured ({type(exc).__name__})", flush=True)
                    return
                timings.setdefault(name, []).append(from_input)
                with_playwright.setdefault(name, []).append(from_call)
                print(f"  {name}: {from_input:.3f} s (with Playwright's checks {from_call:.3f} s)", flush=True)

            search = page.get_by_placeholder("Search titles and descriptions")
            for r in range(args.repeat):
                measure("search", lambda r=r: (search.fill(f"Pin 0{r}"), search.press("Enter")))
                measure("clear search", lambda: (search.fill(""), search.press("Enter")))
                measure("filter: view Approved", lambda: page.get_by_role("radio", name="Approved").click())
                measure(
                    "filter: view Needs my attention",
                    lambda: page.get_by_role("radio", name="Needs my attention").click(),
                )
                measure("tick a card", lambda i=r: page.locator("input[data-pin-select]").nth(i + 1).click())
                measure("open a card", lambda i=r: page.locator("button[data-pin-open]").nth(i + 2).click())
                note = page.get_by_placeholder("Required to reject or request changes")
                note.fill(f"Nice one {r}")
                measure("comment", lambda: page.get_by_role("button", name="💬 Comment").click())
                measure("approve (key A)", lambda: page.keyboard.press("a"))
                measure("next pin (key J)", lambda: page.keyboard.press("j"))
                measure("next page", lambda: page.get_by_role("button", name="Next page →").click())
                measure("previous page", lambda: page.get_by_role("button", name="← Previous page").click())
                measure("select all matching", lambda: page.get_by_role("button", name="Select all").click())
                measure("select none", lambda: page.get_by_role("button", name="Select none").click())
            page.screenshot(path=str(Path(tmp) / "review.png"))
    print(f"\nReview with {args.drafts} drafts, {args.repeat} runs each, from the input (target < {TARGET_S} s):")
    worst = 0.0
    for name, values in timings.items():
        if not values:
            continue
        worst = max(worst, max(values))
        flag = "ok" if max(values) < TARGET_S else "SLOW"
        pw = with_playwright[name]
        print(
            f"  {name:<34} median {statistics.median(values):.3f} s  max {max(values):.3f} s  {flag}"
            f"   (with Playwright's checks: median {statistics.median(pw):.3f} s)"
        )
    print(f"slowest interaction: {worst:.3f} s")


if __name__ == "__main__":
    main()
