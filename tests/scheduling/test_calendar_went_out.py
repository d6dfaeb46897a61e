"""The calendar and Home show what went out beside what is scheduled (issue 26): published pins, with or without
a schedule, with their Pinterest link and first metrics once synced; pins synced from Pinterest that the studio
didn't publish; and one week start for every grid."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.analytics import calendar_with_results, tables
from studio.config import Settings
from studio.drafts import approve, save_draft
from studio.media import ingest_image
from studio.publishing import publish_draft
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import calendar_days, fullcalendar_first_day, schedule, week_start, weekday_names, zone
from tests.support.people import editor, reviewer
from tests.support.publishing import PostedPublisher

ROOT = Path(__file__).resolve().parents[2]


def _zone_with_hours_left() -> str:
    """Paris, unless its day is nearly over (21:00 to 01:00), then New York (15:00 to 19:00 there): whenever the
    tests run, the day still has hours left for a pin "later today"."""
    hour = datetime.now(UTC).astimezone(zone("Europe/Paris")).hour
    return "Europe/Paris" if 1 <= hour < 21 else "America/New_York"


TZ = _zone_with_hours_left()


def test_weeks_start_on_the_setting_everywhere():
    wednesday = date(2026, 12, 2)
    assert calendar_days("week", wednesday)[0] == date(2026, 11, 30)  # Monday
    assert calendar_days("week", wednesday, "sunday")[0] == date(2026, 11, 29)
    assert calendar_days("week", wednesday, "saturday")[0] == date(2026, 11, 28)
    month = calendar_days("month", date(2026, 12, 15), "sunday")
    assert month[0] == date(2026, 11, 29) and month[-1] == date(2027, 1, 2) and len(month) % 7 == 0
    assert weekday_names("sunday")[:2] == ["Sun", "Mon"] and weekday_names("saturday")[0] == "Sat"
    assert [fullcalendar_first_day(s) for s in ("sunday", "monday", "saturday")] == [0, 1, 6]


@pytest.mark.parametrize(
    ("zone_name", "setting", "locale", "expected"),
    [
        ("America/New_York", "auto", None, "sunday"),
        ("America/Sao_Paulo", "auto", None, "sunday"),
        ("Europe/Paris", "auto", None, "monday"),
        ("UTC", "auto", None, "monday"),
        ("America/Chicago", "monday", "en-US", "monday"),
        ("Asia/Dubai", "saturday", "en-GB", "saturday"),
        # `auto` goes by the browser's language first: what its date pickers start weeks on
        ("Europe/Paris", "auto", "en-US", "sunday"),
        ("America/New_York", "auto", "en-GB", "monday"),
        ("UTC", "auto", "fr-FR", "monday"),
        ("UTC", "auto", "ar-EG", "saturday"),
        ("UTC", "auto", "en", "sunday"),
        ("UTC", "auto", "pt", "sunday"),
        ("UTC", "auto", "pt-PT", "sunday"),
        ("UTC", "auto", "de", "monday"),
        ("UTC", "auto", "zh-Hant-TW", "sunday"),
        ("UTC", "auto", "de-DE-u-fw-sun", "sunday"),
        ("UTC", "auto", "en-US-u-fw-mon", "monday"),
        ("America/Chicago", "auto", "", "sunday"),
        ("Europe/Paris", "auto", "*", "monday"),
    ],
)
def test_the_week_start_follows_the_browser_then_the_time_zone_unless_set(zone_name, setting, locale, expected):
    cfg = Settings(_env_file=None, STUDIO_TIMEZONE=zone_name, STUDIO_WEEK_START=setting)  # type: ignore[call-arg]
    assert week_start(cfg, locale) == expected


@pytest.fixture
def day_of_pins(store, settings, data_dir, make_image, monkeypatch):
    """Today in TZ: one pin posted now without a schedule (and synced, with metrics), one dry run, one pin
    scheduled for later, and a pin posted on Pinterest itself (synced): draft ids (posted, dry, scheduled)."""
    monkeypatch.setenv("STUDIO_TIMEZONE", TZ)
    asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 1500)), "soup.jpg")
    ids = []
    for title in ("Posted soup", "Dry soup", "Later soup"):
        draft = save_draft(
            store, None, {"title": title, "board": "Soups", "media_id": asset.id, "link": f"https://x.test/{title}"},
            actor=editor(),
        )  # fmt: skip
        approve(store, draft.id, actor=reviewer())
        ids.append(draft.id)
    publish_draft(store, PostedPublisher("111"), ids[0], settings, actor=reviewer())
    # the second goes out a moment after the first, with the same image: a reviewer overrides the guardrails
    publish_draft(store, DryRunPublisher(), ids[1], settings, actor=reviewer(), override=True)
    now = datetime.now(UTC)
    end_of_day = datetime.combine(now.astimezone(zone(TZ)).date() + timedelta(days=1), datetime.min.time(), zone(TZ))
    later = min(now + timedelta(hours=2), end_of_day - timedelta(minutes=30))
    assert later > now + timedelta(minutes=15), (TZ, now)  # TZ's day has hours left (_zone_with_hours_left)
    schedule(store, settings, ids[2], later, tz=TZ, actor=reviewer(), override=True)
    tables.upsert_pins(
        store,
        [
            {"pin_id": "111", "account": "shop", "title": "Posted soup", "created_at": now.isoformat(),
             "draft_id": ids[0], "source": "studio", "updated_at": now.isoformat()},
            {"pin_id": "999", "account": "shop", "title": "Pinned elsewhere", "board_name": "Bread",
             "thumbnail": "https://i.pinimg.com/236x/a.jpg", "created_at": (now - timedelta(minutes=5)).isoformat(),
             "source": "imported", "metrics_lifetime": '{"IMPRESSION": 1500, "SAVE": 12}',
             "updated_at": now.isoformat()},
        ],
    )  # fmt: skip
    day = str(now.date())
    rows = [{"pin_id": "111", "day": day, "impression": 40, "save": 3, "pin_click": 2, "outbound_click": 1}]
    tables.upsert_daily(store, rows)
    store.db.conn.commit()
    return ids


def test_a_day_shows_what_went_out_beside_what_is_scheduled(store, day_of_pins):
    posted, dry, later = day_of_pins
    today = datetime.now(UTC).astimezone(zone(TZ)).date()
    entries = calendar_with_results(store, calendar_days("week", today), TZ)[today]
    by_title = {e.title: e for e in entries}
    assert set(by_title) == {"Posted soup", "Dry soup", "Later soup", "Pinned elsewhere"}
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    out = by_title["Posted soup"]
    assert out.state == "published" and out.draft and out.draft.id == posted and not out.movable
    assert out.pin_url == "https://www.pinterest.com/pin/111/"
    assert out.metrics == {"impression": 40, "save": 3, "pin_click": 2, "outbound_click": 1}
    assert by_title["Dry soup"].state == "dry_run" and by_title["Dry soup"].pin_url == ""
    assert by_title["Dry soup"].key == f"draft-{dry}"
    assert by_title["Later soup"].state == "scheduled" and by_title["Later soup"].movable
    assert by_title["Later soup"].key == f"draft-{later}"
    elsewhere = by_title["Pinned elsewhere"]
    assert elsewhere.draft is None and elsewhere.pin_url == "https://www.pinterest.com/pin/999/"
    assert elsewhere.metrics["impression"] == 1500 and elsewhere.board == "Bread"


def test_home_counts_what_went_out_today_and_what_is_scheduled(day_of_pins):
    at = AppTest.from_file(str(ROOT / "pages" / "dashboard.py"), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value == "2 published · 1 scheduled · 1 dry run(s), nothing posted" for c in at.caption), [
        c.value for c in at.caption
    ]
    shown = " ".join(m.value for m in at.markdown)
    assert "Posted soup (published) · [on Pinterest](https://www.pinterest.com/pin/111/)" in shown
    assert "Later soup (scheduled)" in shown and "Pinned elsewhere (published)" in shown


def test_the_calendar_page_draws_the_period_with_published_pins(day_of_pins):
    at = AppTest.from_file(str(ROOT / "pages" / "calendar.py"), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    went_out = next(e for e in at.expander if e.label.startswith("Went out this week"))
    assert "3 pin(s) · 1 scheduled" in went_out.label
    shown = " ".join(m.value for m in went_out.markdown)
    assert "[open on Pinterest](https://www.pinterest.com/pin/111/)" in shown and "40 views · 3 saves" in shown
