"""Publish and History pages (AppTest) driving the real pinterest backend on the fake server."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio.drafts.lifecycle import approve, save_draft
from studio.media.assets import ingest_image
from studio.publishing import jobs
from studio.services import open_store
from tests.support.people import editor, reviewer

ROOT = Path(__file__).resolve().parents[2]


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


def approved_draft(settings, make_image, board: str) -> int:
    store = open_store(settings.db_path)
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "soup.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": "Cosy soup",
            "description": "Warm soup",
            "board": board,
            "link": "https://example.com/soup",
            "media_id": asset.id,
        },
        actor=editor(),
    )
    approve(store, draft.id, actor=reviewer("rita"))
    store.close()
    return draft.id


def pinterest_env(monkeypatch, fake) -> None:
    monkeypatch.setenv("STUDIO_PUBLISHER", "pinterest")
    monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", fake.access_token)
    monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_CAP", "0.02")
    monkeypatch.setenv("PINTEREST_WRITE_RATE", "0")
    monkeypatch.setenv("STUDIO_PUBLISH_RECONCILE_GRACE", "0.05")


def test_publish_shows_the_pin_link_and_history_the_requests(fake, settings, make_image, monkeypatch):
    pinterest_env(monkeypatch, fake)
    draft_id = approved_draft(settings, make_image, "Board 259")
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert not at.exception
    (pin_id,) = fake.pins
    assert any(pin_id in s.value for s in at.success)
    history = page("history.py").run()
    assert not history.exception and any("Cosy soup" in m.value for m in history.markdown)
    assert any(e.label.startswith("Requests sent") for e in history.expander)  # raw requests one click away
    assert not history.dataframe  # drawn when the expander is opened
    (job,) = jobs.for_draft(open_store(settings.db_path), draft_id)
    history.session_state[f"history_req_{job['id']}"] = True  # the user opens it
    history.run()
    assert len(history.dataframe) == 1  # the requests table: board listing pages + create


def test_failed_job_shows_the_fix_and_retry_publishes(fake, settings, make_image, monkeypatch):
    pinterest_env(monkeypatch, fake)
    draft_id = approved_draft(settings, make_image, "Board 010")
    fake.fail("POST", "/pins", status=400, body={"code": 1, "message": "Sorry we could not fetch the image."})
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert any("could not fetch the image" in e.value for e in at.error)
    job = jobs.list_jobs(open_store(settings.db_path))[0]
    at.button(key=f"retry_{job['id']}").click().run()
    assert not at.exception
    assert len(fake.pins) == 1
    assert open_store(settings.db_path).get_draft(draft_id).status == "published"


def test_needs_attention_job_can_be_marked_resolved(fake, settings, make_image, monkeypatch):
    pinterest_env(monkeypatch, fake)
    draft_id = approved_draft(settings, make_image, "Board 011")
    board_id = fake.board_named("Board 011")["id"]
    fake.drop_after("POST", "/pins", times=10)
    fake.fail("GET", f"/boards/{board_id}/pins", status=503, times=100)
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    job = jobs.list_jobs(open_store(settings.db_path))[0]
    assert job["status"] == "needs_attention"
    at.text_input(key=f"pin_{job['id']}").input(next(iter(fake.pins))).run()
    at.button(key=f"resolve_{job['id']}").click().run()
    assert not at.exception
    assert open_store(settings.db_path).get_draft(draft_id).status == "published"


def test_recent_publish_jobs_name_their_pins(settings, make_image):
    draft_id = approved_draft(settings, make_image, "Recipes")  # published by the dry-run publisher
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert not at.exception and f"publish_{draft_id}" not in [b.key for b in at.button]  # no longer "ready"
    job = jobs.list_jobs(open_store(settings.db_path))[0]
    assert any("Cosy soup" in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert any(f"job #{job['id']} · draft #{draft_id}" in c.value for c in at.caption)
