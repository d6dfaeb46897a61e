"""The CLI says what the page says about a time: one parser (scheduling.parse_when / wall_clock) (issue 25)."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.drafts import approve, save_draft, submit_for_review
from studio.media import ingest_image
from tests.support.cli import pinstudio
from tests.support.people import editor, reviewer
from tests.support.shown import read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def approved(monkeypatch, store, data_dir, make_image):
    """An approved pin, the studio's zone New York."""
    monkeypatch.setenv("STUDIO_TIMEZONE", "America/New_York")
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    fields = {"title": "Squash soup", "link": "https://example.com/soup", "board": "Recipes", "media_id": asset.id}
    draft = save_draft(store, None, fields, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    approve(store, draft.id, actor=reviewer())
    return draft.id


def test_a_time_the_clocks_skip_is_refused_as_on_the_page(capsys, store, approved):
    result = pinstudio(capsys, "drafts", "schedule", str(approved), "--at", "2027-03-14T02:30", "--json")
    assert result.returncode == 2, result
    (row,) = json.loads(result.stdout)
    assert row["code"] == "nonexistent_time" and "the clocks skip that hour" in row["message"]
    assert store.get_draft(approved).scheduled_at is None


def test_a_time_the_clocks_pass_twice_is_the_first_and_the_cli_says_so(capsys, store, approved):
    result = pinstudio(capsys, "drafts", "schedule", str(approved), "--at", "2027-11-07T01:30", "--json")
    assert result.returncode == 0, result
    (row,) = json.loads(result.stdout)
    assert row["scheduled_at"].startswith("2027-11-07T05:30")  # 01:30 EDT
    assert "first of the two 01:30s" in row["note"] and "2027-11-07T01:30-05:00" in row["note"]
    human = pinstudio(capsys, "drafts", "schedule", str(approved), "--at", "2027-11-07T01:30-05:00")
    assert human.returncode == 0, human
    assert "note:" not in human.stdout  # an offset is exact: nothing to explain
    assert store.get_draft(approved).scheduled_at.startswith("2027-11-07T06:30")


def _schedule_page_at(day: date, at: time) -> AppTest:
    page = AppTest.from_file(str(ROOT / "pages" / "schedule.py"), default_timeout=60).run()
    page.date_input(key="sched_day").set_value(day)
    page.time_input(key="sched_time").set_value(at)
    return page.run()


def test_the_schedule_page_explains_a_doubled_time_and_refuses_a_skipped_one_in_the_cli_s_words(capsys, approved):
    doubled = _schedule_page_at(date(2027, 11, 7), time(1, 30))
    assert not doubled.exception
    said = [read(box.value) for box in doubled.info]
    cli = json.loads(
        pinstudio(capsys, "drafts", "schedule", str(approved), "--at", "2027-11-07T01:30", "--json").stdout
    )
    assert cli[0]["note"] in said  # word for word
    skipped = _schedule_page_at(date(2027, 3, 14), time(2, 30))
    refused = pinstudio(capsys, "drafts", "schedule", str(approved), "--at", "2027-03-14T02:30", "--json")
    (row,) = json.loads(refused.stdout)
    assert any(row["message"].split(" Pick")[0] in read(box.value) for box in skipped.error), row


def test_the_calendar_form_explains_a_doubled_time_as_schedule_does_and_moves_to_the_first(store, approved):
    page = AppTest.from_file(str(ROOT / "pages" / "calendar.py"), default_timeout=60)
    page.session_state["cal_pin"] = approved
    page.session_state["cal_day"] = date(2027, 11, 7)
    page.session_state["cal_slot"] = "other"
    page.session_state["cal_time"] = time(1, 30)
    page.run()
    assert not page.exception
    said = [read(box.value) for box in page.info]
    assert any("first of the two 01:30s" in text and "2027-11-07T01:30-05:00" in text for text in said), said
    page.button(key="cal_move").click().run()
    assert not page.exception
    assert store.get_draft(approved).scheduled_at.startswith("2027-11-07T05:30")  # 01:30 EDT, the first
