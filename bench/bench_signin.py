"""How fast the sign-in page draws in a real browser, and what signing in costs.

Starts the studio on loopback with a team of two (so everyone signs in), then in headless Chromium, each time
in a fresh browser context (no cookie, a new Streamlit session):

- the sign-in form's first render: from `page.goto` until the Email field is visible, in a fresh browser
  (Streamlit's scripts and styles downloaded too) and in one whose cache is warm (signed out by clearing
  its cookies); the first visit of the fresh server apart (it imports the studio);
- signing in: from the click on "Sign in" until the signed-in page shows who is signed in (argon2id at the
  studio's real cost included);
- coming back: a new page load with the session cookie until the sidebar says who is signed in (no form).

    .venv/bin/python bench/bench_signin.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import chromium_browser, new_page, studio_server  # noqa: E402
from tests.support.people import PASSWORD, TEAM, add_person  # noqa: E402


def timed(action, until) -> float:
    start = time.perf_counter()
    action()
    until.wait_for(timeout=90_000)
    return time.perf_counter() - start


def one_visit(browser, base: str) -> tuple[float, float, float, float]:
    """(form first render in a fresh browser, sign-in, come back with the cookie, form first render with the
    browser's cache warm), in seconds."""
    page = new_page(browser)
    try:
        email = page.get_by_label("Email", exact=True)
        form = timed(lambda: page.goto(base), email)
        email.fill(TEAM["editor"][0])
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        signed_in = page.get_by_text("Signed in as")
        sign_in = timed(lambda: page.get_by_role("button", name="Sign in", exact=True).click(), signed_in)
        page.wait_for_function("() => document.cookie.includes('pinstudio_session=')")
        back = timed(lambda: page.goto(base), signed_in)
        page.context.clear_cookies()  # signed out, Streamlit's scripts and styles still cached
        warm = timed(lambda: page.goto(base), email)
        return form, sign_in, back, warm
    finally:
        page.context.close()


def summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{label:<44} median {statistics.median(values) * 1000:6.0f} ms · p95 {p95 * 1000:6.0f} ms · n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        for role in ("owner", "editor"):
            add_person(data_dir, *TEAM[role], role, PASSWORD)
        env = {
            "STUDIO_DATA_DIR": str(data_dir),
            "STUDIO_ENV_FILE": "",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_PUBLISHER": "dry-run",
        }
        with studio_server(env) as base, chromium_browser() as browser:
            first = one_visit(browser, base)
            runs = [one_visit(browser, base) for _ in range(args.repeat)]
    print(f"first visit of a fresh server: form {first[0] * 1000:.0f} ms (imports the studio)")
    print(summary("sign-in form first render, fresh browser", [r[0] for r in runs]))
    print(summary("sign-in form first render, cache warm", [r[3] for r in runs]))
    print(summary("sign in: click → signed-in page drawn", [r[1] for r in runs]))
    print(summary("come back with the cookie → signed-in sidebar", [r[2] for r in runs]))


if __name__ == "__main__":
    main()
