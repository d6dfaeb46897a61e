"""In Chromium: the Analytics page reads at a glance. A one-line "what changed" above the charts, metrics with
people's names and units (Outbound CTR 2.2 %, never `outbound_ctr` 0.022), the weekday × hour heatmap with all
24 hours labelled, and the days Pinterest is still counting called out."""

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studio.services import open_store
from tests.support.analytics import seed_known
from tests.support.browser import IDLE, chromium_page, open_studio, studio_server

pytestmark = pytest.mark.browser
MACHINE_NAMES = re.compile(r"\b(impression|outbound_click|outbound_ctr|pin_click|save_rate)\b")


def test_analytics_page_reads_at_a_glance(data_dir, tmp_path):
    store = open_store(data_dir / "studio.db")
    today = datetime.now(UTC).date()
    days = [str(today - timedelta(days=d)) for d in range(1, 15)]
    pins = [
        {"pin_id": str(100 + i), "board": "Recipes" if i % 2 else "Travel", "title": f"Pin number {i}",
         "daily": (1000, 3, 20 + i), "not_final": days[:2], "created_at": f"2026-01-0{5 + i}T{8 + i:02d}:00:00+00:00"}
        for i in range(6)
    ]  # fmt: skip
    seed_known(store, pins, days)
    store.close()
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(90_000)
        open_studio(page, base, "analytics")
        page.get_by_text("What changed.").wait_for()
        page.get_by_text("Top pins").wait_for()
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
        page.get_by_text("Outbound CTR").first.wait_for()  # the metrics row may be drawn after the first chart
        page.wait_for_function(IDLE)
        page.screenshot(path=str(tmp_path / "analytics_top.png"))
        body = page.locator("body").inner_text()
        assert "best pin: “Pin number 5” (350 outbound clicks)" in body
        assert "Outbound CTR" in body and "2.2 %" in body
        assert "2.5 % outbound CTR" in body  # the best pin's card
        assert "2 day(s) Pinterest is still counting" in body
        assert not MACHINE_NAMES.search(body), MACHINE_NAMES.findall(body)

        page.get_by_role("tab", name="Weekday × hour").click()
        heatmap = page.locator('[role="tabpanel"]:visible [data-testid="stVegaLiteChart"]')
        heatmap.scroll_into_view_if_needed()
        heatmap.locator("svg").first.wait_for()
        labels = heatmap.locator("g.role-axis-label text")
        texts = [(labels.nth(i).text_content() or "", labels.nth(i).bounding_box()) for i in range(labels.count())]
        hours = [(text, box) for text, box in texts if re.fullmatch(r"\d\d", text)]
        assert [text for text, _ in hours] == [f"{h:02d}" for h in range(24)]  # every hour, in order
        for (_, left), (_, right) in itertools.pairwise(hours):  # side by side, none cut or overlapping
            assert left and right and left["x"] + left["width"] < right["x"]
        page.screenshot(path=str(tmp_path / "analytics.png"), full_page=True)


def test_analytics_csv_is_written_when_its_button_is_pressed(data_dir, tmp_path):
    """The CSVs are made on the click (not on every run of the page): the file still holds every pin, its totals,
    and a formula-like title neutralised."""
    store = open_store(data_dir / "studio.db")
    today = datetime.now(UTC).date()
    days = [str(today - timedelta(days=d)) for d in range(1, 8)]
    pins = [
        {"pin_id": str(100 + i), "board": "Recipes", "title": "=HYPERLINK(1)" if i == 0 else f"Pin number {i}",
         "daily": (1000, 3, 20 + i), "created_at": f"2026-01-0{5 + i}T{8 + i:02d}:00:00+00:00"}
        for i in range(3)
    ]  # fmt: skip
    seed_known(store, pins, days)
    store.close()
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(90_000)
        open_studio(page, base, "analytics")
        button = page.get_by_role("button", name="All pins (CSV)")
        with page.expect_download() as download:
            button.click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(",")
    assert "pin_id" in header and "outbound_click" in header and len(lines) == 1 + 3
    column = header.index("outbound_click")
    clicks = sorted(int(line.split(",")[column]) for line in lines[1:])
    assert clicks == [20 * 7, 21 * 7, 22 * 7]
    assert "'=HYPERLINK(1)" in text
