"""What approving does, said before the click and done after it (issue 25); fresh pins queued on their suggested
dates; an approval withdrawn from Review (off the schedule and the queue, with a note)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest

from studio.design import fresh_designs, make_fresh_pins
from studio.drafts import approve, timeline
from studio.errors import ValidationError
from studio.models import DraftStatus, utcnow
from studio.preferences import load_settings
from studio.publishing import jobs, publish_draft, queue_draft
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import (
    ApprovalRequest,
    add_slot,
    add_to_queue,
    after_approval,
    local_time,
    publish_approved,
    publish_on_approval,
    schedule,
    withdraw_approval,
    zone,
)
from studio.services import open_store
from tests.support.env import ROOT
from tests.support.people import editor, reviewer
from tests.support.pins import approved_pin, new_pin
from tests.support.shown import read

PARIS = "Europe/Paris"


def api_draft(store, data_dir, asked: datetime | None = None, **fields):
    """A draft in review whose maker asked for it to be published once approved (what an API post leaves)."""
    draft = new_pin(store, data_dir, **fields)
    publish_on_approval(store, draft.id, asked, actor=editor())
    return store.get_draft(draft.id)


def test_approving_says_now_when_every_guardrail_clears(store, data_dir):
    cfg = load_settings(timezone=PARIS)
    plan = after_approval(store, cfg, api_draft(store, data_dir))
    assert (plan.action, plan.text) == ("now", "Approving publishes it now.")


def test_approving_says_the_next_free_time_past_the_spacing(store, data_dir):
    cfg = load_settings(timezone=PARIS)
    other = approved_pin(store, data_dir)
    soon = (utcnow() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    schedule(store, cfg, other.id, soon, actor=reviewer())
    plan = after_approval(store, cfg, api_draft(store, data_dir))
    assert plan.action == "at" and plan.when == soon + timedelta(minutes=10)
    at = plan.when.astimezone(zone(PARIS))
    assert plan.text.startswith("Approving publishes it ") and f"at {at:%H:%M} (Europe/Paris), the next free time" in (
        plan.text
    )


def test_approving_uses_the_time_the_post_asked_for_and_the_boards_slots(store, data_dir):
    cfg = load_settings(timezone=PARIS)
    asked = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    plan = after_approval(store, cfg, api_draft(store, data_dir, asked))
    assert plan.when == asked and plan.text.endswith("the time its post asked for.")
    for weekday in range(7):
        add_slot(store, "Recipes", weekday, "14:20", PARIS, actor=reviewer())
    busy = approved_pin(store, data_dir)
    publish_draft(store, DryRunPublisher(), busy.id, cfg, actor=reviewer())  # now is taken: the next slot
    plan = after_approval(store, cfg, api_draft(store, data_dir))
    assert plan.action == "at" and plan.when and local_time(plan.when.isoformat(), PARIS).time() == time(14, 20)
    assert "at 14:20 (Europe/Paris), its board's next free posting slot" in plan.text


def test_approving_an_ordinary_draft_only_approves_and_a_blocked_one_says_why(store, data_dir):
    cfg = load_settings(max_boards_per_pin=1)
    assert after_approval(store, cfg, new_pin(store, data_dir)).action == "none"
    approved_pin(store, data_dir, link="https://example.com/soup", board="Soups")
    published = approved_pin(store, data_dir, link="https://example.com/soup", board="Soups")
    publish_draft(store, DryRunPublisher(), published.id, load_settings(), actor=reviewer(), override=True)
    plan = after_approval(store, cfg, api_draft(store, data_dir, link="https://example.com/soup", board="Dinners"))
    assert plan.action == "blocked" and plan.text.startswith("Approving won't publish it: This image or link")


def test_publish_approved_does_what_was_said_and_the_history_records_it(store, data_dir):
    cfg = load_settings(timezone=PARIS)
    first = api_draft(store, data_dir)
    approve(store, first.id, actor=reviewer())
    second = api_draft(store, data_dir)
    said = after_approval(store, cfg, second)  # what Review shows for the second, before the first goes out
    assert said.action == "now"
    assert publish_approved(store, cfg, first.id, DryRunPublisher(), actor=reviewer()).action == "now"
    assert [j["status"] for j in jobs.for_draft(store, first.id)] == ["queued"]
    approve(store, second.id, actor=reviewer())
    done = publish_approved(store, cfg, second.id, DryRunPublisher(), actor=reviewer(), request=ApprovalRequest())
    assert done.action == "at" and jobs.for_draft(store, second.id) == []
    assert store.get_draft(second.id).scheduled_at and done.when
    history = " ".join(row["what"] for row in timeline(store, second.id))
    assert "on approval, the next free time" in history


# --- fresh pins ----------------------------------------------------------------------------------------------
@pytest.fixture
def fresh(store, settings, data_dir):
    """Two fresh pins of one draft, approved, with their suggested dates (30 days and an hour apart)."""
    original = approved_pin(store, data_dir, link="https://example.com/pesto")
    designs = fresh_designs(store, settings, original.id, ["band-top", "panel-solid"], actor=editor())
    start = datetime.combine(utcnow().date() + timedelta(days=3), time(6, 0), tzinfo=UTC)
    made = make_fresh_pins(store, settings, original.id, [d["id"] for d in designs], start=start, actor=editor())
    for row in made:
        approve(store, row["draft_id"], actor=reviewer())
    return made


def test_add_to_queue_puts_fresh_pins_on_their_suggested_dates_at_a_sensible_time(store, fresh):
    cfg = load_settings(timezone=PARIS)
    for row in fresh:
        draft, _ = add_to_queue(store, cfg, row["draft_id"], actor=reviewer())
        at = local_time(draft.scheduled_at or "", PARIS)
        suggested = datetime.fromisoformat(row["suggested_at"]).astimezone(zone(PARIS))
        assert at.date() == suggested.date() and time(9, 0) <= at.time() < time(21, 0)
    times = [datetime.fromisoformat(store.get_draft(r["draft_id"]).scheduled_at or "") for r in fresh]
    assert all(later - earlier >= timedelta(days=30) for earlier, later in itertools.pairwise(times))


def test_add_to_queue_uses_the_first_free_slot_on_a_fresh_pins_date(store, fresh):
    cfg = load_settings(timezone=PARIS)
    for weekday in range(7):
        add_slot(store, "", weekday, "18:30", PARIS, actor=reviewer())
    row = fresh[1]
    draft, _ = add_to_queue(store, cfg, row["draft_id"], actor=reviewer())
    at = local_time(draft.scheduled_at or "", PARIS)
    suggested = datetime.fromisoformat(row["suggested_at"]).astimezone(zone(PARIS))
    assert (at.date(), at.time()) == (suggested.date(), time(18, 30))
    assert "the fresh pin's suggested date" in " ".join(r["what"] for r in timeline(store, row["draft_id"]))


# --- withdrawing an approval ----------------------------------------------------------------------------------
def test_withdrawing_takes_a_pin_off_the_schedule_back_to_review_with_a_note(store, settings, data_dir):
    pin = approved_pin(store, data_dir)
    schedule(store, settings, pin.id, utcnow() + timedelta(days=1), actor=reviewer())
    with pytest.raises(Exception, match="approve"):
        withdraw_approval(store, pin.id, actor=editor())
    back = withdraw_approval(store, pin.id, actor=reviewer(), note="Wrong season")
    assert back.status is DraftStatus.IN_REVIEW and back.scheduled_at is None and not back.approved_hash
    assert "approval withdrawn (was scheduled for" in timeline(store, pin.id)[-1]["what"]
    assert "Wrong season" in timeline(store, pin.id)[-1]["what"]


def test_withdrawing_cancels_a_queued_publish_job_and_refuses_a_published_pin(store, settings, data_dir):
    queued = approved_pin(store, data_dir)
    job_id = queue_draft(store, DryRunPublisher(), queued.id, settings, actor=reviewer())
    withdraw_approval(store, queued.id, actor=reviewer(), note="Not yet", then="changes")
    assert store.get_draft(queued.id).status is DraftStatus.DRAFT
    job = jobs.get_job(store, job_id)
    assert job["status"] == "failed" and job["error_code"] == "cancelled"
    with pytest.raises(Exception, match="cancelled"):
        jobs.retry_job(store, DryRunPublisher(), job_id, actor=reviewer())
    done = approved_pin(store, data_dir)
    publish_draft(store, DryRunPublisher(), done.id, load_settings(min_spacing_minutes=0), actor=reviewer())
    with pytest.raises(ValidationError) as refused:
        withdraw_approval(store, done.id, actor=reviewer(), then="reject", note="Too late")
    assert refused.value.code == "already_published" and "already published" in refused.value.message
    assert store.get_draft(done.id).status is DraftStatus.PUBLISHED


def test_review_page_withdraws_an_approval_and_rejects_an_approved_pin(settings, data_dir):
    from streamlit.testing.v1 import AppTest

    store = open_store(settings.db_path)
    first, second = approved_pin(store, data_dir), approved_pin(store, data_dir)
    schedule(store, settings, first.id, utcnow() + timedelta(days=1), actor=reviewer())
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=30)
    at.session_state["r_view"] = "approved"
    at.session_state["rv_open"] = first.id
    at.run()
    assert not at.button(key="open_reject").disabled and not at.button(key="open_changes").disabled
    at.button(key="open_withdraw").click().run()
    assert not at.exception
    assert "withdrawn" in read(" ".join(str(s.value) for s in at.success))
    store = open_store(settings.db_path)
    assert store.get_draft(first.id).status is DraftStatus.IN_REVIEW and not store.get_draft(first.id).scheduled_at
    store.close()
    at.session_state["rv_open"] = second.id
    at.run()
    at.text_input(key=f"note_{second.id}").input("Off brand")
    at.button(key="open_reject").click().run()
    store = open_store(settings.db_path)
    try:
        assert store.get_draft(second.id).status is DraftStatus.REJECTED
    finally:
        store.close()


def test_bulk_approve_says_what_approving_the_selection_does_before_apply(settings, data_dir):
    from streamlit.testing.v1 import AppTest

    store = open_store(settings.db_path)
    for _ in range(3):
        api_draft(store, data_dir)
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=30).run()
    at.button(key="sel_page").click().run()
    said = read(" ".join(str(c.value) for c in at.caption))
    assert "Approving these: 1 publishes now; 2 are scheduled from" in said and "the next free times" in said
    at.button(key="bulk_apply").click().run()
    assert not at.exception
    assert "Approving these: 1 publishes now" in read(" ".join(str(s.value) for s in at.success))
