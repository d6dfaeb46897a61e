import random
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest

from studio.drafts.lifecycle import approve, save_draft
from studio.errors import ValidationError
from studio.media.assets import ingest_image
from studio.models import DraftStatus, iso, utcnow
from studio.preferences import load_settings
from studio.publishing import jobs
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import add_slot, heartbeat
from studio.scheduling.schedule import (
    add_to_queue,
    next_free_slot,
    run_due,
    schedule,
    to_utc,
    unschedule,
    worker_status,
)
from studio.services import open_store
from tests.support.people import editor, reviewer


@pytest.fixture
def approved(store, data_dir, make_image):
    """Factory: an approved pin with its own image."""
    counter = iter(range(1, 10_000))

    def make(board="123456", link="", account="", **fields):
        n = next(counter)
        asset, _ = ingest_image(store, data_dir, make_image(color=(n % 255, (n * 7) % 255, 90)), f"{n}.jpg")
        draft = save_draft(
            store,
            None,
            {"title": f"Pin {n}", "media_id": asset.id, "board": board, "link": link, "account": account, **fields},
            actor=editor(),
        )
        return approve(store, draft.id, actor=reviewer("rita"))

    return make


def test_wall_clock_time_across_dst_is_stored_in_utc():
    # Paris: UTC+1 in winter, UTC+2 in summer; clocks went forward on 2026-03-29 at 02:00.
    before = to_utc(date(2026, 3, 28), time(9, 0), "Europe/Paris")
    after = to_utc(date(2026, 3, 30), time(9, 0), "Europe/Paris")
    assert before == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert after == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    with pytest.raises(ValidationError) as err:
        to_utc(date(2026, 3, 29), time(2, 30), "Europe/Paris")
    assert "doesn't exist" in err.value.message
    # Clocks went back on 2026-10-25 at 03:00: 02:30 happens twice; we take the first.
    assert to_utc(date(2026, 10, 25), time(2, 30), "Europe/Paris") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_unknown_zone_is_refused():
    with pytest.raises(ValidationError):
        to_utc(date(2026, 1, 1), time(9), "Mars/Olympus")


def test_schedule_unschedule_reschedule_keep_the_approval(store, settings, approved):
    pin = approved()
    when = utcnow() + timedelta(days=2)
    draft, _ = schedule(store, settings, pin.id, when, tz="Europe/Paris", actor=reviewer("rita"))
    assert draft.scheduled_at == iso(when) and draft.status is DraftStatus.APPROVED
    later = when + timedelta(hours=3)
    draft, _ = schedule(store, settings, pin.id, later, tz="Europe/Paris", actor=reviewer())
    assert draft.scheduled_at == iso(later)
    assert unschedule(store, pin.id, actor=reviewer()).scheduled_at is None
    actions = [e.action for e in store.events(pin.id)]
    assert actions[-3:] == ["scheduled", "rescheduled", "unscheduled"]


def test_only_approved_current_pins_can_be_scheduled(store, settings, approved):
    pin = approved()
    save_draft(store, pin.id, {"title": "Changed after approval"}, actor=editor())
    with pytest.raises(ValidationError) as err:
        schedule(store, settings, pin.id, utcnow() + timedelta(hours=1), actor=reviewer())
    assert err.value.code == "not_approved"


def test_past_times_are_refused(store, settings, approved):
    with pytest.raises(ValidationError) as err:
        schedule(store, settings, approved().id, utcnow() - timedelta(hours=2), actor=reviewer())
    assert err.value.code == "time_in_past"


def test_worker_publishes_due_pins_and_skips_future_ones(store, settings, approved):
    due, future = approved(), approved()
    schedule(store, settings, due.id, utcnow() + timedelta(minutes=1), actor=reviewer())
    schedule(store, settings, future.id, utcnow() + timedelta(days=1), actor=reviewer())
    results = run_due(store, DryRunPublisher(), settings, worker="w1", now=utcnow() + timedelta(minutes=2))
    assert [(r["draft_id"], r["status"]) for r in results] == [(due.id, "published")]
    assert store.get_draft(due.id).status is DraftStatus.PUBLISHED
    assert store.get_draft(future.id).status is DraftStatus.APPROVED
    assert run_due(store, DryRunPublisher(), settings, worker="w1", now=utcnow() + timedelta(minutes=2)) == []


def test_a_voided_pin_is_taken_off_the_schedule_not_published(store, settings, approved):
    pin = approved()
    schedule(store, settings, pin.id, utcnow() + timedelta(minutes=1), actor=reviewer())
    store.db["drafts"].update(pin.id, {"approved_hash": "tampered"})  # approval no longer matches
    (result,) = run_due(store, DryRunPublisher(), settings, worker="w", now=utcnow() + timedelta(minutes=5))
    assert result["status"] == "skipped" and "changed after it was approved" in result["error"]
    assert store.get_draft(pin.id).scheduled_at is None


class CountingPublisher(DryRunPublisher):
    """A dry run that counts how often each pin is posted (thread-safe)."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.titles: list[str] = []

    def publish(self, request, **kw):
        with self.lock:
            self.titles.append(request.pin.title)
        return super().publish(request, **kw)


def test_two_workers_racing_publish_each_pin_exactly_once(store, settings, approved):
    pins = [approved() for _ in range(12)]
    for i, pin in enumerate(pins):
        schedule(store, settings, pin.id, utcnow() + timedelta(minutes=1, seconds=i), override=True, actor=reviewer())
    publisher = CountingPublisher()
    now = utcnow() + timedelta(minutes=5)
    barrier = threading.Barrier(2)

    def work(name):
        own = open_store(settings.db_path)  # each worker has its own connection, like two processes
        barrier.wait()
        run_due(own, publisher, settings, worker=name, now=now)
        own.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(publisher.titles) == sorted(p.title for p in pins)  # every pin once, none twice
    assert all(store.get_draft(p.id).status is DraftStatus.PUBLISHED for p in pins)
    assert sum(len(jobs.for_draft(store, p.id)) for p in pins) == len(pins)


def test_guardrails_refuse_with_the_reason_and_override_is_logged(store, data_dir, approved):
    cfg = load_settings(daily_cap=2, min_spacing_minutes=30)
    day = (utcnow() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    a, b, c = approved(), approved(), approved()
    schedule(store, cfg, a.id, day, override=False, actor=reviewer())
    with pytest.raises(ValidationError) as err:
        schedule(store, cfg, b.id, day + timedelta(minutes=10), actor=reviewer())
    assert err.value.code == "min_spacing" and "30 minutes" in err.value.message
    schedule(store, cfg, b.id, day + timedelta(hours=2), actor=reviewer())
    with pytest.raises(ValidationError) as err:
        schedule(store, cfg, c.id, day + timedelta(hours=5), actor=reviewer())
    assert err.value.code == "daily_cap"
    _draft, _ = schedule(store, cfg, c.id, day + timedelta(hours=5), override=True, actor=reviewer())
    assert store.events(c.id)[-1].detail["override"] == ["daily_cap"]


def test_same_link_on_the_same_board_is_refused_within_the_window(store, settings, approved):
    first = approved(link="https://example.com/soup")
    second = approved(link="https://example.com/soup")
    other_board = approved(link="https://example.com/soup", board="999")
    schedule(store, settings, first.id, utcnow() + timedelta(hours=1), actor=reviewer())
    with pytest.raises(ValidationError) as err:
        schedule(store, settings, second.id, utcnow() + timedelta(hours=3), actor=reviewer())
    assert err.value.code == "repeat_pin" and "link" in err.value.message
    schedule(store, settings, other_board.id, utcnow() + timedelta(hours=5), actor=reviewer())  # another board is fine


def test_too_many_boards_for_one_link(store, approved):
    cfg = load_settings(max_boards_per_pin=2, min_spacing_minutes=0)
    pins = [approved(link="https://example.com/x", board=str(100 + i)) for i in range(3)]
    schedule(store, cfg, pins[0].id, utcnow() + timedelta(hours=1), actor=reviewer())
    schedule(store, cfg, pins[1].id, utcnow() + timedelta(hours=2), actor=reviewer())
    with pytest.raises(ValidationError) as err:
        schedule(store, cfg, pins[2].id, utcnow() + timedelta(hours=3), actor=reviewer())
    assert err.value.code == "too_many_boards"


def test_url_shortener_is_a_warning_not_a_refusal(store, settings, approved):
    pin = approved(link="https://bit.ly/abc")
    _, warnings = schedule(store, settings, pin.id, utcnow() + timedelta(hours=1), actor=reviewer())
    assert [w.code for w in warnings] == ["url_shortener"]


def test_posting_slots_fill_in_order_with_jitter(store, approved):
    cfg = load_settings(slot_jitter_minutes=5, timezone="Europe/Paris", min_spacing_minutes=0)
    for weekday in range(7):
        add_slot(store, "123456", weekday, "09:00", "Europe/Paris", actor=reviewer())
    first, second = approved(), approved()
    d1, _ = add_to_queue(store, cfg, first.id, rng=random.Random(1), actor=reviewer())
    d2, _ = add_to_queue(store, cfg, second.id, rng=random.Random(2), actor=reviewer())
    t1, t2 = (
        datetime.fromisoformat(d.scheduled_at).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
        for d in (d1, d2)
    )
    assert t1.hour == t2.hour == 9 and 0 <= t1.minute <= 5 and 0 <= t2.minute <= 5
    assert (t2.date() - t1.date()).days == 1  # the second pin takes the next day's slot


def test_board_without_slots_says_how_to_fix(store):
    with pytest.raises(ValidationError) as err:
        next_free_slot(store, "Empty board", utcnow())
    assert "Schedule page" in err.value.fix


def test_worker_heartbeat_shows_liveness(store, settings):
    assert worker_status(store)["alive"] is False
    heartbeat(store, "w", next_run=iso(utcnow() + timedelta(seconds=20)))
    assert worker_status(store)["alive"] is True
    assert worker_status(store, now=utcnow() + timedelta(minutes=5))["alive"] is False
