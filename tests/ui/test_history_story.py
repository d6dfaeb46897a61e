"""History reads as a story and dry runs are never counted as published (issue 16, items 4 and 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.drafts import approve, save_draft
from studio.media import ingest_image
from studio.preferences import load_settings
from studio.publishing import PublishOutcome, publish_draft
from studio.publishing.dry_run import DryRunPublisher
from tests.support.people import editor, reviewer

ROOT = Path(__file__).resolve().parents[2]
PIN_URL = "https://www.pinterest.com/pin/1234567890/"


class PostedPublisher:
    """A backend that 'posts' (no network): the real publish service records its job like any other."""

    name = "pinterest"

    def publish(self, request, *, media_format=None, progress=None) -> PublishOutcome:
        progress.step("creating_pin")
        call = {"step": "create_pin", "method": "POST", "url": "https://api.pinterest.com/v5/pins", "json": {}}
        return PublishOutcome(pin_id="1234567890", pin_url=PIN_URL, requests=[call], response={"id": "1234567890"})


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


@pytest.fixture
def published(store, data_dir, make_image, monkeypatch):
    """One pin really posted, one only dry-run: both 'published' in the draft's life cycle."""
    monkeypatch.setenv("STUDIO_TIMEZONE", "Europe/Paris")
    asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 1500)), "salad.jpg")
    ids = []
    for title, board, backend in (
        ("Summer salad *bowl*", "Lunch", PostedPublisher()),
        ("Iced tea", "Drinks", DryRunPublisher()),
    ):
        draft = save_draft(store, None, {"title": title, "board": board, "media_id": asset.id}, actor=editor())
        approve(store, draft.id, actor=reviewer("ana"))
        spaced = load_settings(min_spacing_minutes=0)  # two pins a moment apart: the spacing guardrail is off here
        assert publish_draft(store, backend, draft.id, spaced, actor=reviewer())["status"] == "published"
        ids.append(draft.id)
    return ids


def test_home_counts_dry_runs_apart(published):
    at = page("dashboard.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Published"] == "1" and metrics["Dry runs"] == "1"


def test_history_tells_each_publish_as_a_story(published):
    at = page("history.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    captions = " ".join(c.value for c in at.caption)
    # The real pin: its title (as typed, not Markdown), board, local time, the link.
    assert "Summer salad \\*bowl\\*" in text and "Board **Lunch**" in text
    assert "Published on Pinterest" in text and "(Europe/Paris)" in text
    assert f"[Open the pin on Pinterest]({PIN_URL})" in text
    assert "Queued → created the pin → published." in captions
    # The dry run: said so, no link, no "published".
    assert "Dry run — nothing was posted" in text and "Iced tea" in text
    assert "Recorded the requests it would send (dry run)" in captions or "dry run)" in captions
    assert text.count("Open the pin on Pinterest") == 1
    # The pin's image is shown; the raw requests wait behind an expander.
    assert len(at.get("image")) == 2
    labels = [e.label for e in at.expander]
    assert len(labels) == 2 and all(label.startswith("Requests sent") for label in labels)


def test_history_shows_the_newest_twenty_then_more_on_demand(store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 1500)), "tea.jpg")
    for n in range(21):
        draft = save_draft(store, None, {"title": f"Tea {n}", "board": "Drinks", "media_id": asset.id}, actor=editor())
        approve(store, draft.id, actor=reviewer("ana"))
        # 21 pins of one image a moment apart: a reviewer overrides the spacing and repeat guardrails
        publish_draft(store, DryRunPublisher(), draft.id, load_settings(), actor=reviewer(), override=True)
    at = page("history.py").run()
    assert not at.exception
    assert len(at.expander) == 20 and "Tea 0" not in " ".join(m.value for m in at.markdown)  # the oldest waits
    assert not at.dataframe  # the requests are drawn once their expander is opened
    at.button(key="history_more").click().run()
    assert len(at.expander) == 21 and "Tea 0" in " ".join(m.value for m in at.markdown)
