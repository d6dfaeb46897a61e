"""Every page smoke-runs under AppTest, and the Compose → Review → Publish flow works."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from studio.drafts.lifecycle import save_draft, submit_for_review
from studio.media.assets import ingest_image
from studio.publishing import jobs
from studio.services import open_store
from studio.text import escape_markdown
from tests.support.people import editor

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_without_exception(name):
    at = page(name).run()
    assert not at.exception, [e.value for e in at.exception]


def test_app_entrypoint_lists_every_page():
    text = (ROOT / "app.py").read_text()
    for name in PAGES:
        assert f'"pages/{name}"' in text, f"{name} is not in app.py's navigation"


def test_compose_offers_samples_then_drafts_and_submits(settings):
    at = page("compose.py").run()
    at.button(key="add_samples").click().run()
    assert "Added 3 sample images" in at.success[0].value
    at.selectbox(key="media_pick").set_value(1).run()
    at.text_input(key="board").input("Dinner ideas").run()
    at.button(key="draft_copy").click().run()
    title = at.text_area(key="title").value
    assert title and len(title) <= 100
    assert at.text_area(key="alt_text").value
    at.button(key="submit").click().run()
    assert not at.exception
    store = open_store(settings.db_path)
    (draft,) = store.list_drafts()
    assert draft.status == "in_review" and draft.title == title and draft.board == "Dinner ideas"


def test_compose_refuses_a_non_image_upload_without_traceback(settings):
    at = page("compose.py").run()
    at.file_uploader(key="upload").upload("notes.jpg", b"just some text", "image/jpeg").run()
    assert not at.exception
    assert any("notes\\.jpg" in e.value for e in at.error)  # the file name shown as text, not Markdown
    assert open_store(settings.db_path).list_media() == []


def test_compose_refuses_saving_an_empty_title(settings):
    at = page("compose.py").run()
    at.button(key="add_samples").click().run()
    at.selectbox(key="media_pick").set_value(1).run()
    at.button(key="save").click().run()
    assert any("title is empty" in e.value for e in at.error)
    assert open_store(settings.db_path).list_drafts() == []


def test_review_approves_and_publish_records_a_dry_run(settings, make_image):
    store = open_store(settings.db_path)
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "pin.jpg")
    draft = save_draft(store, None, {"title": "Cosy soup", "media_id": asset.id, "board": "123456"}, actor=editor())
    submit_for_review(store, draft.id, actor=editor())

    review = page("review.py").run()
    review.button(key="open_approve").click().run()
    assert not review.exception
    assert store.get_draft(draft.id).status == "approved"

    publish = page("publish.py").run()
    publish.button(key=f"publish_{draft.id}").click().run()
    assert not publish.exception
    assert store.get_draft(draft.id).status == "published"
    (job,) = jobs.for_draft(store, draft.id)
    assert job["pin_id"].startswith("dryrun-")

    history = page("history.py").run()
    assert not history.exception
    assert any("Cosy soup" in m.value for m in history.markdown)
    assert any("Dry run — nothing was posted" in m.value for m in history.markdown)


def test_review_rejection_needs_a_note(settings):
    store = open_store(settings.db_path)
    draft = save_draft(store, None, {"title": "Needs work"}, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    at = page("review.py").run()
    at.button(key="open_reject").click().run()
    assert any("needs a note" in e.value for e in at.error)
    assert store.get_draft(draft.id).status == "in_review"


@pytest.mark.parametrize(
    "name,payload_of,says",
    [
        ("empty.jpg", lambda make: b"", "empty"),
        ("cut.jpg", lambda make: make(size=(900, 1350), quality=95)[:5000], "cut short"),
        ("notes.png", lambda make: b"%PDF-1.4 not an image at all", "not"),
    ],
)
def test_compose_explains_bad_uploads_and_saves_nothing(settings, make_image, name, payload_of, says):
    at = page("compose.py").run()
    at.file_uploader(key="upload").upload(name, payload_of(make_image), "image/jpeg").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert escape_markdown(name) in errors and says in errors
    assert open_store(settings.db_path).list_media() == []
    # The refused file doesn't stay in the uploader as if it had been accepted.
    uploaders = [u for u in at.get("file_uploader") if isinstance(u, FileUploader)]
    single = [u for u in uploaders if not (u.key or "").startswith("carousel_")]  # the pin's own, not the carousel's
    assert [u.value for u in single] in ([None], [[]])


def test_two_tabs_editing_one_draft_never_silently_lose_an_edit(settings, make_image):
    store = open_store(settings.db_path)
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "pin.jpg")
    draft = save_draft(store, None, {"title": "Original", "media_id": asset.id}, actor=editor())
    tabs = [page("compose.py").run(), page("compose.py").run()]
    for tab in tabs:
        tab.selectbox(key="open_draft").set_value(draft.id).run()
    tabs[0].text_area(key="title").input("Edited in tab one").run()
    tabs[0].button(key="save").click().run()
    tabs[1].text_area(key="title").input("Edited in tab two").run()
    tabs[1].button(key="save").click().run()
    assert any("changed by someone else" in e.value for e in tabs[1].error)
    assert store.get_draft(draft.id).title == "Edited in tab one"
