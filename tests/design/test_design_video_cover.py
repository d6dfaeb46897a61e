"""A fresh design as a video's cover, end to end: made in one click on Compose from the video's frame,
kept with the draft, and sent to the fake Pinterest (spec-validated) as the cover image."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.design import cover_design, design_cover
from studio.drafts import approve, save_draft
from studio.media import ingest_path
from studio.publishing.service import publish_draft
from studio.services import open_store
from tests.support.media import make_video
from tests.support.people import editor, reviewer
from tests.support.publishing import make_publisher

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def video_draft_id(settings, tmp_path):
    store = open_store(settings.db_path)
    video, _ = ingest_path(store, settings.data_dir, make_video(tmp_path / "clip.mp4", seconds=4, size=(320, 480)))
    draft = save_draft(
        store,
        None,
        {"media_id": video.id, "title": "Pesto in one minute", "description": "A quick pesto.", "board": "Recipes"},
        actor=editor(),
    )
    store.close()
    return draft.id


def test_the_design_cover_reaches_pinterest_as_cover_image_data(fake, settings, store, video_draft_id):
    fake.processing_s = 0.05
    save_draft(store, video_draft_id, {"board": fake.boards[0]["id"]}, actor=editor())
    design = design_cover(store, settings, video_draft_id, template="band-bottom", actor=editor())
    approve(store, video_draft_id, actor=reviewer())
    job = publish_draft(store, make_publisher(fake, settings), video_draft_id, settings, actor=reviewer())
    assert job["status"] == "published", job
    source = fake.pins[job["pin_id"]]["_source"]
    sent = base64.b64decode(source["cover_image_data"])
    assert source["cover_image_content_type"] == "image/jpeg"
    assert sent == (settings.data_dir / store.get_media(design["media_id"]).path).read_bytes()
    assert "cover_image_key_frame_time" not in source and "cover_image_url" not in source


def test_compose_makes_a_design_the_videos_cover_in_one_click(settings, video_draft_id):
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=90)
    at.session_state["draft_id"] = video_draft_id
    at.run()
    assert not at.exception
    at.multiselect(key="fresh_templates").set_value(["panel-solid"]).run()
    at.button(key="fresh_design_cover").click().run()
    assert not at.exception and not at.error
    store = open_store(settings.db_path)
    draft = store.get_draft(video_draft_id)
    chosen = cover_design(store, video_draft_id, draft.media_id)
    store.close()
    assert chosen is not None and chosen["template"] == "panel-solid" and chosen["title"] == "Pesto in one minute"
    assert any(f"Cover: design #{chosen['id']} " in c.value for c in at.caption)
    assert any("is now the video's cover image" in s.value for s in at.success)
    at.button(key="fresh_cover_frame").click().run()
    assert not at.exception
    store = open_store(settings.db_path)
    assert cover_design(store, video_draft_id, draft.media_id) is None
    store.close()
