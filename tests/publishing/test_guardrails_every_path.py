"""One guardrail rule on every path to Pinterest (issue 25): Publish now (the Publish page), bulk publish,
`pinstudio publish --draft` and `pinstudio publish PAYLOAD.json`, and the worker refuse what breaks the daily
cap, the spacing or the repeat window — counting pins published, scheduled and being published, and saying
which — unless a reviewer overrides it, which is audited and in the pin's history."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from studio import people
from studio.bulk import batch
from studio.errors import GuardrailError
from studio.models import DraftStatus, utcnow
from studio.people import AuditAction, PermissionDenied
from studio.preferences import load_settings
from studio.publishing import jobs, publish_draft
from studio.publishing.dry_run import DryRunPublisher
from studio.scheduling import run_due, schedule
from studio.services import open_store
from tests.support.env import ROOT
from tests.support.people import editor, reviewer
from tests.support.pins import approved_pin
from tests.support.shown import read

SOUP = "https://example.com/soup"


def page(name: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


def shown(at) -> str:
    elements = [str(e.value) for kind in ("error", "warning", "success", "caption") for e in getattr(at, kind)]
    return read(" ".join(elements))


def test_publish_now_refuses_a_repeat_of_a_link_only_scheduled_and_says_so(store, settings, data_dir):
    planned = approved_pin(store, data_dir, link=SOUP)
    schedule(store, settings, planned.id, utcnow() + timedelta(days=2), actor=reviewer())
    again = approved_pin(store, data_dir, link=SOUP)
    with pytest.raises(GuardrailError) as refused:
        publish_draft(store, DryRunPublisher(), again.id, settings, actor=reviewer())
    assert refused.value.code == "repeat_pin"
    assert f"pin #{planned.id}, scheduled for" in refused.value.message and "link" in refused.value.message
    assert jobs.for_draft(store, again.id) == [] and store.get_draft(again.id).status is DraftStatus.APPROVED


def test_publish_now_refuses_a_repeat_of_a_published_link_30_seconds_later(store, data_dir):
    cfg = load_settings(min_spacing_minutes=0)  # only the repeat rule is in play
    first = approved_pin(store, data_dir, link=SOUP)
    assert publish_draft(store, DryRunPublisher(), first.id, cfg, actor=reviewer())["status"] == "published"
    second = approved_pin(store, data_dir, link=SOUP)
    with pytest.raises(GuardrailError) as refused:
        publish_draft(store, DryRunPublisher(), second.id, cfg, actor=reviewer())
    assert refused.value.code == "repeat_pin" and f"pin #{first.id}, published" in refused.value.message


def test_an_override_needs_a_reviewer_and_is_audited_and_in_the_history(store, settings, data_dir):
    first = approved_pin(store, data_dir)
    publish_draft(store, DryRunPublisher(), first.id, settings, actor=reviewer())
    second = approved_pin(store, data_dir)
    with pytest.raises(PermissionDenied):
        publish_draft(store, DryRunPublisher(), second.id, settings, actor=editor(), override=True)
    assert people.audit_entries(store, action=AuditAction.GUARDRAIL_OVERRIDDEN) == []
    job = publish_draft(store, DryRunPublisher(), second.id, settings, actor=reviewer("rita"), override=True)
    assert job["status"] == "published"
    (entry,) = people.audit_entries(store, action=AuditAction.GUARDRAIL_OVERRIDDEN)
    assert entry.target == f"draft:{second.id}" and entry.detail["guardrails"] == ["min_spacing"]
    assert entry.actor_name == "rita"
    overridden = [e for e in store.events(second.id) if e.action == "guardrails_overridden"]
    assert overridden and overridden[0].detail["override"] == ["min_spacing"]


def test_the_publish_page_refuses_then_a_reviewer_overrides(settings, data_dir):
    store = open_store(settings.db_path)
    first, second = approved_pin(store, data_dir), approved_pin(store, data_dir)
    publish_draft(store, DryRunPublisher(), first.id, settings, actor=reviewer())
    store.close()
    at = page("publish.py").run()
    at.button(key=f"publish_{second.id}").click().run()
    assert not at.exception and "within 10 minutes" in shown(at) and f"pin #{first.id}, published" in shown(at)
    store = open_store(settings.db_path)
    assert jobs.for_draft(store, second.id) == []
    store.close()
    at.checkbox(key=f"publish_override_{second.id}").check().run()
    at.button(key=f"publish_{second.id}").click().run()
    store = open_store(settings.db_path)
    try:
        assert store.get_draft(second.id).status is DraftStatus.PUBLISHED
        assert len(people.audit_entries(store, action=AuditAction.GUARDRAIL_OVERRIDDEN)) == 1
    finally:
        store.close()


def test_bulk_publish_applies_the_spacing_and_an_override_needs_a_reviewer(store, settings, data_dir):
    pins = [approved_pin(store, data_dir).id for _ in range(3)]
    run = batch.start_batch(store, "publish", pins, actor=reviewer())
    result = batch.run_batch(store, settings, run, publisher=DryRunPublisher(), actor=reviewer())
    assert result["counts"] == {"ok": 1, "failed": 2}
    refused = [r["message"] for r in batch.results(store, run) if r["status"] == "failed"]
    assert all("within 10 minutes" in message for message in refused)
    with pytest.raises(PermissionDenied):
        batch.start_batch(store, "publish", pins[1:], params={"override_guardrails": True}, actor=editor())


def test_cli_publish_draft_refuses_a_third_pin_on_a_day_capped_at_2(settings, data_dir, monkeypatch, capsys):
    from studio.cli import main

    monkeypatch.setenv("STUDIO_DAILY_CAP", "2")
    monkeypatch.setenv("STUDIO_MIN_SPACING_MINUTES", "0")
    store = open_store(settings.db_path)
    pins = [approved_pin(store, data_dir).id for _ in range(3)]
    store.close()
    for draft_id in pins[:2]:
        assert main(["publish", "--draft", str(draft_id), "--json"]) == 0
    capsys.readouterr()
    assert main(["publish", "--draft", str(pins[2]), "--json"]) == 2
    out = capsys.readouterr()
    refusal = json.loads(out.out)
    assert refusal["error"]["code"] == "daily_cap" and refusal["job_id"] is None
    assert "daily cap is 2" in out.err and "2 published" in out.err
    assert main(["publish", "--draft", str(pins[2]), "--override-guardrails", "--json"]) == 0
    store = open_store(settings.db_path)
    try:
        (entry,) = people.audit_entries(store, action=AuditAction.GUARDRAIL_OVERRIDDEN)
        assert entry.detail["guardrails"] == ["daily_cap"] and entry.actor_ref.startswith("cli:")
    finally:
        store.close()


def test_the_worker_refuses_a_repeat_that_went_out_since_the_pin_was_scheduled(store, settings, data_dir):
    due = approved_pin(store, data_dir, link=SOUP)
    schedule(store, settings, due.id, utcnow() + timedelta(minutes=1), actor=reviewer())
    sooner = approved_pin(store, data_dir, link=SOUP)  # published meanwhile, past the guardrails by a reviewer
    publish_draft(store, DryRunPublisher(), sooner.id, settings, actor=reviewer(), override=True)
    (result,) = run_due(store, DryRunPublisher(), settings, worker="w", now=utcnow() + timedelta(minutes=2))
    assert result["status"] == "skipped" and "same link" in result["error"]
    assert store.get_draft(due.id).scheduled_at is None and jobs.for_draft(store, due.id) == []


def test_a_late_worker_spaces_the_pins_it_finds_due_together(store, settings, data_dir):
    early, later = approved_pin(store, data_dir), approved_pin(store, data_dir)
    start = utcnow() + timedelta(minutes=1)
    schedule(store, settings, early.id, start, actor=reviewer())
    schedule(store, settings, later.id, start + timedelta(minutes=10), actor=reviewer())
    results = run_due(store, DryRunPublisher(), settings, worker="w", now=start + timedelta(hours=2))
    assert [r["status"] for r in results] == ["published", "rescheduled"]
    moved = store.get_draft(later.id)
    assert moved.status is DraftStatus.APPROVED and moved.scheduled_at
    published_at = store.get_draft(early.id).updated_at
    from datetime import datetime

    gap = datetime.fromisoformat(moved.scheduled_at) - datetime.fromisoformat(published_at)
    assert gap >= timedelta(minutes=9)  # compared to the minute: ten minutes after the first went out


def test_the_worker_does_not_refuse_again_a_pin_scheduled_with_an_override(store, settings, data_dir):
    first, second = approved_pin(store, data_dir, link=SOUP), approved_pin(store, data_dir, link=SOUP)
    at = utcnow() + timedelta(minutes=1)
    schedule(store, settings, first.id, at, actor=reviewer())
    with pytest.raises(GuardrailError):
        schedule(store, settings, second.id, at + timedelta(minutes=2), actor=reviewer())
    schedule(store, settings, second.id, at + timedelta(minutes=2), actor=reviewer(), override=True)
    results = run_due(store, DryRunPublisher(), settings, worker="w", now=at + timedelta(minutes=5))
    assert [r["status"] for r in results] == ["published", "published"]


def _payload(path, image, link: str) -> str:
    """A unified-API payload file for `pinstudio publish PAYLOAD.json`."""
    body = {
        "post": {"body": "A soup for cold days"},
        "media": [str(image)],
        "platforms": {"pinterest": {"title": "Soup", "board_name": "Soups", "destination_link": link}},
    }
    path.write_text(json.dumps(body))
    return str(path)


def test_cli_publish_payload_is_weighed_by_the_guardrails_and_counted_after(
    settings, data_dir, tmp_path, monkeypatch, capsys
):
    """`pinstudio publish PAYLOAD.json` is a way to Pinterest too: the same daily cap (a third pin on a day
    capped at 2 is refused, leaving nothing behind), the same override (audited), and the pins it sent count
    against the next ones (a draft with one's link is a repeat)."""
    from studio.cli import main
    from tests.support.media import make_image

    monkeypatch.setenv("STUDIO_DAILY_CAP", "2")
    monkeypatch.setenv("STUDIO_MIN_SPACING_MINUTES", "0")
    files = [
        _payload(tmp_path / f"p{n}.json", make_image(tmp_path / f"p{n}.jpg", colour=(40 * n, 90, 120)), f"{SOUP}/{n}")
        for n in range(3)
    ]
    for path in files[:2]:
        assert main(["publish", path, "--json"]) == 0
    capsys.readouterr()
    store = open_store(settings.db_path)
    drafts_before = len(store.list_drafts(None, limit=100))
    store.close()

    assert main(["publish", files[2], "--json"]) == 2
    out = capsys.readouterr()
    assert json.loads(out.out)["error"]["code"] == "daily_cap" and "daily cap is 2" in out.err
    store = open_store(settings.db_path)
    try:
        assert len(store.list_drafts(None, limit=100)) == drafts_before  # refused: no pin, no job recorded
        assert len(jobs.list_jobs(store)) == 2
        sent = store.list_drafts([DraftStatus.PUBLISHED.value], limit=100)
        assert sorted(d.link for d in sent) == [f"{SOUP}/0", f"{SOUP}/1"]
        history = " ".join(e.action + str(e.detail) for e in store.events(sent[0].id))
        assert "published from a payload file" in history  # who sent it, as sent: in the pin's history
        again = approved_pin(store, data_dir, link=f"{SOUP}/9")
    finally:
        store.close()
    assert main(["publish", "--draft", str(again.id), "--override-guardrails", "--json"]) == 0  # capped: override
    capsys.readouterr()
    assert main(["publish", files[2], "--override-guardrails", "--json"]) == 0
    store = open_store(settings.db_path)
    try:
        entries = people.audit_entries(store, action=AuditAction.GUARDRAIL_OVERRIDDEN)
        assert [e.detail["guardrails"] for e in entries][-1] == ["daily_cap"]
        # the payload's pins are counted against a draft sharing a link: a repeat, said as such
        repeat = approved_pin(store, data_dir, link=f"{SOUP}/0", board="Soups")
        with pytest.raises(GuardrailError) as refused:
            publish_draft(store, DryRunPublisher(), repeat.id, load_settings(daily_cap=25), actor=reviewer())
        assert refused.value.code == "repeat_pin" and "published" in refused.value.message
    finally:
        store.close()


def test_a_payload_of_a_stored_image_is_known_by_its_bytes(store, settings, data_dir, tmp_path):
    """A payload whose file is an image the studio already holds (a copy, under another name) is that image:
    publishing it again to the same board within the repeat window is refused as the same image."""
    from studio.publishing import PublishRequest, publish_request

    scheduled = approved_pin(store, data_dir, board="Soups")
    schedule(store, settings, scheduled.id, utcnow() + timedelta(days=1), actor=reviewer())
    copy = tmp_path / "renamed.png"
    copy.write_bytes((data_dir / store.get_media(scheduled.media_id).path).read_bytes())
    request = PublishRequest.model_validate(
        {"media": [str(copy)], "platforms": {"pinterest": {"title": "Soup again", "board_name": "Soups"}}}
    )
    drafts_before = len(store.list_drafts(None, limit=100))
    with pytest.raises(GuardrailError) as refused:
        publish_request(store, DryRunPublisher(), request, settings, actor=reviewer())
    assert refused.value.code == "repeat_pin" and "same image" in refused.value.message
    assert len(store.list_drafts(None, limit=100)) == drafts_before and jobs.list_jobs(store) == []
