"""The Compose page's media column under AppTest: upload, checklist, fixes, cover picker, before/after."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.media.assets import ingest_path
from studio.services import open_store
from tests.fakes.media_server import MediaServer
from tests.support.media import make_image, make_video
from tests.support.people import editor, reviewer

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")

ROOT = Path(__file__).resolve().parents[2]


def compose() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_square_image_shows_amber_checklist_and_pad_fix_gives_before_after(settings, tmp_path):
    at = compose().run()
    data = make_image(tmp_path / "sq.jpg", (1200, 1200)).read_bytes()
    at.file_uploader(key="upload").upload("square.jpg", data, "image/jpeg").run()
    assert not at.exception
    assert "🟠" in texts(at) and "2:3" in texts(at)
    at.button(key="fix_pad_2x3").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Pad to 2:3: done" in s.value for s in at.success)
    store = open_store(settings.db_path)
    original, fixed = sorted(store.list_media(), key=lambda m: m.id)
    assert fixed.source_id == original.id and at.session_state["media_id"] == fixed.id
    assert "Before" in texts(at) and "After" in texts(at)
    assert (settings.data_dir / "thumbs" / f"{fixed.sha256}.jpg").exists()  # stored once, reused


def test_video_upload_previews_with_its_checklist_and_cover_picker(settings, tmp_path):
    at = compose().run()
    data = make_video(tmp_path / "v.webm", vcodec="libvpx-vp9", acodec=None, container="webm").read_bytes()
    at.file_uploader(key="upload").upload("clip.webm", data, "video/webm").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "🔴" in texts(at) and "VP9" in texts(at)
    assert at.slider(key=f"cover_at_{at.session_state['media_id']}")
    at.button(key="fix_transcode").click().run()
    assert not at.exception, [e.value for e in at.exception]
    fixed_id = at.session_state["media_id"]
    store = open_store(settings.db_path)
    assert store.get_media(fixed_id).fix == "transcode" and store.media_facts(fixed_id)["errors"] == []
    at.slider(key=f"cover_at_{fixed_id}").set_value(3.0).run()
    at.button(key="use_cover").click().run()
    assert not at.exception
    assert at.session_state["cover_offset_s"] == 3.0
    assert store.get_media(at.session_state["cover_media_id"]).fix == "cover_frame"


def test_url_fetch_and_errors_show_without_traceback(settings, tmp_path):
    data = make_image(tmp_path / "a.jpg").read_bytes()
    with MediaServer({"/a.jpg": data}) as srv:
        at = compose().run()
        at.text_input(key="media_url").input(srv.url + "/a.jpg")
        at.get("form_submit_button")[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["media_id"]
        at.text_input(key="media_url").input(srv.url + "/missing.jpg")
        at.get("form_submit_button")[0].click().run()
    assert not at.exception and any("404" in e.value for e in at.error)


def test_unfixable_video_is_stored_and_explained(settings, tmp_path):
    store = open_store(settings.db_path)
    asset, _ = ingest_path(store, settings.data_dir, make_video(tmp_path / "short.mp4", seconds=2))
    at = compose()
    at.session_state["media_id"] = asset.id
    at.run()
    assert not at.exception and "at least 4 s" in texts(at)


def _publish_dry_run(settings, draft_id: int) -> dict:
    from studio.drafts import lifecycle as workflow
    from studio.publishing.service import publish_draft
    from studio.services import Services

    store = open_store(settings.db_path)
    workflow.submit_for_review(store, draft_id, actor=editor("writer"))
    workflow.approve(store, draft_id, actor=reviewer("reviewer"))
    job = publish_draft(store, Services(settings).publisher(), draft_id, settings, actor=reviewer())
    assert job["status"] == "published", job
    return next(c["json"] for c in job["request"] if c["step"] == "create_pin")


def test_video_goes_to_a_draft_and_a_dry_run_pin_with_the_chosen_cover(settings, tmp_path):
    at = compose().run()
    at.file_uploader(key="upload").upload(
        "clip.mp4", make_video(tmp_path / "v.mp4", seconds=6).read_bytes(), "video/mp4"
    ).run()
    video_id = at.session_state["media_id"]
    at.slider(key=f"cover_at_{video_id}").set_value(3.0).run()
    at.button(key="use_cover").click().run()
    at.text_input(key="topic").input("summer lemonade").run()
    at.button(key="draft_copy").click().run()
    at.text_input(key="board").input("Drinks").run()
    at.button(key="save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    draft_id = at.session_state["draft_id"]
    # Reopening the draft brings its cover back; changing it after the save is kept too.
    fresh = compose().run()
    fresh.selectbox(key="open_draft").select(draft_id).run()
    assert fresh.session_state["cover_offset_s"] == 3.0
    assert fresh.slider(key=f"cover_at_{video_id}").value == 3.0
    fresh.slider(key=f"cover_at_{video_id}").set_value(4.0).run()
    fresh.button(key="use_cover").click().run()
    assert not fresh.exception
    body = _publish_dry_run(settings, draft_id)
    assert body["media_source"]["cover_image_key_frame_time"] == 4


def test_picking_other_media_while_a_draft_is_open_changes_the_drafts_media(settings, tmp_path):
    store = open_store(settings.db_path)
    first, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "a.jpg", (1000, 1500)))
    second, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "b.jpg", (1000, 1500), colour="#123456"))
    at = compose()
    at.session_state["media_id"] = first.id
    at.run()
    at.text_area(key="title").input("Lemon cake").run()
    at.button(key="save").click().run()
    draft_id = at.session_state["draft_id"]
    assert second.id != first.id
    at.selectbox(key="media_pick").select(second.id).run()
    assert at.session_state["media_id"] == second.id
    at.button(key="save").click().run()
    assert not at.exception and store.get_draft(draft_id).media_id == second.id
