"""Start the real studio (the Streamlit command `pinstudio run` starts) on a free loopback port, and a headless
Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.support.env import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def studio_server(
    env: dict[str, str], timeout: float = 40, *, with_worker: bool = False, plain: bool = False
) -> Iterator[str]:
    """Run the studio as a user would and yield its base URL: `pinstudio run` (worker included) when asked,
    else the Streamlit command `pinstudio run` starts; `plain`: a bare `streamlit run app.py`, as a
    developer might start it."""
    from studio.cli.run import streamlit_command

    port = free_port()
    if with_worker:
        cmd = [sys.executable, "-m", "studio", "run", "--host", "127.0.0.1", "--port", str(port)]
    elif plain:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
    else:
        cmd = streamlit_command("127.0.0.1", port)
    # The server's output goes to a file, never an unread pipe: a pipe holds 64 KB, and a server that logged more
    # would block on its next line and hang the page under test.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-3000:]

        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if httpx.get(f"{base}/_stcore/health", timeout=1).text == "ok":
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{output()}")
                time.sleep(0.2)
            yield base
        except BaseException:
            print(f"--- the studio's output (last 3,000 characters):\n{output()}")  # shown with the failure
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def chromium_browser():
    """A headless Chromium; `new_page(browser)` opens a page in a context of its own (its own cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, viewport=(1400, 1000)):
    """A page in a new browser context: as another person's browser, sharing no cookies with the others."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


# Streamlit's own mark of whether the page's script is running ("running") or done ("notRunning").
SCRIPT_STATE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"


@contextmanager
def chromium_page(viewport=(1400, 1000)):
    with chromium_browser() as browser:
        page = new_page(browser, viewport)
        try:
            yield page
        except BaseException:
            print(page_report(page))  # shown with the failure: what the page said when the test gave up
            raise


def page_report(page) -> str:
    """The page's address, whether its script was still running, and its visible text, for a failure report."""
    try:
        state = page.evaluate(f"{SCRIPT_STATE} ?? '?'")
        text = page.inner_text("body", timeout=5_000)
    except Exception as exc:  # the page itself may be what broke
        return f"--- the page could not be read: {exc}"
    return f"--- the page at {page.url} (script {state}), its text (last 3,000 characters):\n{text[-3000:]}"


def open_studio(page, base: str, path: str = "", timeout_ms: int = 90_000) -> None:
    """Open the studio at `path` once its first page has drawn its navigation (a fresh server's first
    visit imports the studio, which takes a few seconds on a busy machine)."""
    page.goto(base)
    page.get_by_text("Home", exact=True).first.wait_for(timeout=timeout_ms)
    if path:
        page.goto(f"{base}/{path.lstrip('/')}")


# An element's animations have all ended (an endless one, such as a spinner's, never does and doesn't count).
SETTLED = (
    "el => el.getAnimations({subtree: true}).every(a => ['finished', 'idle'].includes(a.playState)"
    " || a.effect?.getTiming().iterations === Infinity)"
)


def open_expander(page, label: str):
    """Open the expander labelled `label` and return it once it has grown to its full height. Streamlit animates
    the opening over half a second with the content clipped: a click on a button inside before then can land on
    the clipped container instead, and the button never hears it."""
    expander = page.get_by_test_id("stExpander").filter(has=page.locator("summary", has_text=label))
    expander.locator("summary").click()
    return settled(expander)


def settled(locator):
    """`locator` once its animations have ended. An open expander whose content grows (a run added designs or
    slides to it) animates to its new height the same way, with the new content clipped until it ends."""
    locator.page.wait_for_function(SETTLED, arg=locator.element_handle())
    return locator


IDLE = f"{SCRIPT_STATE} === 'notRunning'"
BOARD = '.st-key-cal_board iframe[title="streamlit_calendar.calendar"]'


def calendar_board(page, showing: str = ""):
    """The Calendar page's board (FullCalendar in the `streamlit-calendar` component's iframe), once the run that
    drew it is over and, if given, it shows the day `showing` (ISO): each drop or period change redraws it under a
    new key, and until that run ends the old iframe may still be there beside the new one, so this waits for
    exactly one, mounted and drawn."""
    page.wait_for_function(IDLE)
    page.wait_for_function(
        f"(() => {{ const f = document.querySelectorAll({BOARD!r}); if (f.length !== 1 || !(f[0].height > 0))"
        " return false; const doc = f[0].contentDocument; if (!doc?.querySelector('.fc-view-harness')) return false;"
        f" return {showing!r} === '' || doc.querySelector('[data-date=\"{showing}\"]') !== null; }})()"
    )
    page.wait_for_function(IDLE)
    return page.frame_locator(BOARD)
