"""Batch operations: per-item results, cancel, resume after an interruption or a killed process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta

import pytest

from studio.bulk import batch, tables
from studio.drafting import get_drafter
from studio.drafting.service import DraftingService
from studio.drafts.lifecycle import approve, save_draft, submit_for_review
from studio.errors import ValidationError
from studio.media.assets import check_path, ingest_path, media_path
from studio.models import DraftStatus
from studio.publishing import jobs
from studio.scheduling import add_slot
from studio.services import Services
from tests.support.env import ROOT
from tests.support.media import make_image
from tests.support.people import editor, reviewer


@pytest.fixture
def drafts(store, data_dir, tmp_path):
    """Five drafts in review, each with its own square (not 2:3) image."""
    ids = []
    for n in range(5):
        path = make_image(tmp_path / f"sq{n}.jpg", (300, 300), colour=(40 * n, 60, 90))
        asset, _ = ingest_path(store, data_dir, path)
        draft = save_draft(
            store,
            None,
            {
                "title": f"Pin {n}",
                "description": f"About {n}.",
                "board": "Recipes",
                "link": f"https://example.com/{n}",
                "media_id": asset.id,
            },
            actor=editor(),
        )
        submit_for_review(store, draft.id, actor=editor())
        ids.append(draft.id)
    return ids


def approvals(store, draft_id: int) -> int:
    return sum(e.action == "status:approved" for e in store.events(draft_id))


def test_approve_batch_reports_each_item(store, settings, drafts):
    store.set_status(drafts[4], DraftStatus.REJECTED, note="no", actor=reviewer())
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer("rev"))
    seen = []
    done = batch.run_batch(
        store, settings, batch_id, on_progress=lambda n, t, item: seen.append((n, t)), actor=reviewer()
    )
    assert done["status"] == "done" and done["counts"] == {"ok": 4, "failed": 1}
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    results = batch.results(store, batch_id)
    assert [r["status"] for r in results] == ["ok"] * 4 + ["failed"]
    assert "cannot become 'approved'" in results[4]["message"]


def test_cancel_then_resume_finishes_only_what_was_left(store, settings, drafts):
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer("rev"))
    cancel = threading.Event()
    stopped = batch.run_batch(
        store,
        settings,
        batch_id,
        cancel=cancel,
        on_progress=lambda n, t, item: cancel.set() if n == 2 else None,
        actor=reviewer(),
    )
    assert stopped["status"] == "cancelled" and stopped["counts"] == {"ok": 2, "pending": 3}
    assert [b["id"] for b in batch.resumable(store)] == [batch_id]
    assert [store.get_draft(d).status for d in drafts] == [DraftStatus.APPROVED] * 2 + [DraftStatus.IN_REVIEW] * 3
    resumed = batch.run_batch(store, settings, batch_id, actor=reviewer())
    assert resumed["status"] == "done" and resumed["counts"] == {"ok": 5}
    assert [approvals(store, d) for d in drafts] == [1] * 5
    assert batch.resumable(store) == []


def test_cancel_requested_from_elsewhere_stops_after_the_current_item(store, settings, drafts):
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer())
    done = batch.run_batch(
        store,
        settings,
        batch_id,
        on_progress=lambda n, t, item: batch.request_cancel(store, batch_id) if n == 1 else None,
        actor=reviewer(),
    )
    assert done["status"] == "cancelled" and done["done"] == 1


def test_an_interrupted_run_is_resumable(store, settings, drafts):
    """Streamlit stops a script by raising inside it (a closed tab, another button pressed)."""
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer())

    def interrupt(n, total, item):
        if n == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(store, settings, batch_id, on_progress=interrupt, actor=reviewer())
    assert tables.get_batch(store, batch_id)["status"] == "interrupted"
    assert batch.run_batch(store, settings, batch_id, actor=reviewer())["counts"] == {"ok": 5}
    assert [approvals(store, d) for d in drafts] == [1] * 5


def test_a_killed_process_leaves_a_batch_that_resumes_without_repeating_work(store, settings, drafts):
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer("rev"))
    script = textwrap.dedent(f"""
        import os, signal
        from studio.preferences import load_settings
        from studio.services import open_store
        from studio.bulk import batch
        from tests.support.people import reviewer
        cfg = load_settings()
        store = open_store(cfg.db_path)
        def die(n, total, item):
            if n == 2:
                os.kill(os.getpid(), signal.SIGKILL)  # a crash: no cleanup of any kind runs
        batch.run_batch(store, cfg, {batch_id}, on_progress=die, actor=reviewer())
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == -9
    assert tables.get_batch(store, batch_id)["status"] == "running"  # its owner is dead
    assert [b["id"] for b in batch.resumable(store)] == [batch_id]
    done = batch.run_batch(store, settings, batch_id, actor=reviewer())
    assert done["status"] == "done" and done["counts"] == {"ok": 5}
    assert [approvals(store, d) for d in drafts] == [1] * 5
    assert [store.get_draft(d).status for d in drafts] == [DraftStatus.APPROVED] * 5


def test_an_item_caught_mid_way_is_rerun_idempotently(store, settings, drafts):
    batch_id = batch.start_batch(store, "approve", drafts[:2], actor=reviewer())
    approve(store, drafts[0], actor=reviewer("rev"))  # the work happened...
    tables.set_item(store, batch_id, drafts[0], "running")  # ...but the crash came before its result
    done = batch.run_batch(store, settings, batch_id, actor=reviewer())
    assert batch.results(store, batch_id)[0] == {"draft_id": drafts[0], "status": "ok", "message": "already approved"}
    assert done["counts"] == {"ok": 2} and approvals(store, drafts[0]) == 1


def test_schedule_uses_the_csv_date_or_the_next_free_slot(store, settings, drafts):
    for d in drafts[:2]:
        approve(store, d, actor=reviewer("rev"))
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0, second=0)
    tables.remember_pin(store, drafts[0], publish_date=when.strftime("%Y-%m-%dT%H:%M:%S"))
    add_slot(store, "Recipes", (datetime.now(UTC) + timedelta(days=1)).weekday(), "09:00", "UTC", actor=reviewer())
    batch_id = batch.start_batch(store, "schedule", drafts[:3], actor=reviewer())
    batch.run_batch(store, settings, batch_id, actor=reviewer())
    first, second, third = batch.results(store, batch_id)
    assert first["status"] == "ok" and "the CSV's publish date" in first["message"]
    assert store.get_draft(drafts[0]).scheduled_at.startswith(when.strftime("%Y-%m-%dT%H:%M"))
    assert second["status"] == "ok" and "next free slot" in second["message"]
    assert third["status"] == "failed" and "approved" in third["message"]


def test_publish_now_then_again_is_not_a_second_pin(store, settings, drafts):
    for d in drafts[:3]:
        approve(store, d, actor=reviewer("rev"))
    # three pins at once break the 10-minute spacing: a reviewer overrides it (tests/bulk/…guardrails for the rule)
    first = batch.start_batch(store, "publish", drafts[:3], params={"override_guardrails": True}, actor=reviewer())
    publishers = Services(settings).publisher  # as the Bulk page hands it in
    assert batch.run_batch(store, settings, first, publishers=publishers, actor=reviewer())["counts"] == {"ok": 3}
    assert all(store.get_draft(d).status is DraftStatus.PUBLISHED for d in drafts[:3])
    again = batch.start_batch(store, "publish", drafts[:3], actor=reviewer())
    batch.run_batch(store, settings, again, actor=reviewer())
    assert {r["message"] for r in batch.results(store, again)} == {"already published"}
    assert all(len(jobs.for_draft(store, d)) == 1 for d in drafts[:3])


def test_redraft_a_field_on_many_drafts(store, settings, drafts):
    batch_id = batch.start_batch(store, "redraft", drafts, params={"field": "alt_text"}, actor=reviewer())
    offline = DraftingService(store, get_drafter(settings), data_dir=settings.data_dir, landing=None)  # no network
    assert batch.run_batch(store, settings, batch_id, drafting=offline, actor=reviewer())["counts"] == {"ok": 5}
    for d in drafts:
        draft = store.get_draft(d)
        assert draft.alt_text and draft.title.startswith("Pin ")  # only the asked field changed


def test_apply_media_fixes_pads_to_two_by_three(store, settings, drafts, data_dir):
    batch_id = batch.start_batch(store, "fix_media", drafts[:2], actor=reviewer())
    batch.run_batch(store, settings, batch_id, actor=reviewer())
    assert {r["message"] for r in batch.results(store, batch_id)} == {"fixed: Pad to 2:3"}
    for d in drafts[:2]:
        asset = store.get_media(store.get_draft(d).media_id)
        assert (asset.width, asset.height) == (300, 450)
        assert "aspect_ratio_not_recommended" not in check_path(media_path(data_dir, asset)).codes()
    again = batch.start_batch(store, "fix_media", drafts[:1], actor=reviewer())
    batch.run_batch(store, settings, again, actor=reviewer())
    assert batch.results(store, again)[0]["message"] == "nothing to fix"


@pytest.mark.parametrize(
    "action, ids, params, code",
    [
        ("delete_everything", [1], {}, "bad_action"),
        ("approve", [], {}, "empty_selection"),
        ("redraft", [1], {"field": "board"}, "field_required"),
        ("patch", [1], {}, "no_changes"),
    ],
)
def test_bad_batches_are_refused_before_anything_runs(store, action, ids, params, code):
    with pytest.raises(ValidationError) as err:
        batch.start_batch(store, action, ids, params=params, actor=reviewer())
    assert err.value.code == code


def test_a_batch_running_elsewhere_is_not_run_twice(store, settings, drafts):
    batch_id = batch.start_batch(store, "approve", drafts, actor=reviewer())
    seen = []

    def nested(n, total, item):
        if n == 1:  # a second tab presses Resume while the first run is going
            with pytest.raises(ValidationError) as err:
                batch.run_batch(store, settings, batch_id, actor=reviewer())
            seen.append(err.value.code)

    assert batch.run_batch(store, settings, batch_id, on_progress=nested, actor=reviewer())["counts"] == {"ok": 5}
    assert seen == ["batch_running"] and [approvals(store, d) for d in drafts] == [1] * 5
    other = batch.start_batch(store, "approve", drafts[:1], actor=reviewer())
    tables.set_batch(store, other, status="running", owner="elsewhere.example:4242")  # another machine, alive
    with pytest.raises(ValidationError, match="already running"):
        batch.run_batch(store, settings, other, actor=reviewer())
