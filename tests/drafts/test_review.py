import base64
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.bulk import bulk
from studio.drafts.lifecycle import approval_is_current, approve, save_draft, submit_for_review
from studio.drafts.review import comment, request_changes, timeline
from studio.errors import ValidationError
from studio.media.assets import ingest_image
from studio.media.preview import card, feed_title, preview_image
from studio.models import DraftFilter, DraftStatus, utcnow
from tests.support.people import editor, reviewer

ROOT = Path(__file__).resolve().parents[2]


def page(name):
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


@pytest.fixture
def pin(store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 2000)), "tall.jpg")
    other, _ = ingest_image(store, data_dir, make_image(color=(1, 2, 3)), "other.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": "Easy weeknight pasta",
            "description": "Ready in 20 minutes.",
            "alt_text": "A bowl of pasta",
            "link": "https://example.com/pasta",
            "board": "123",
            "board_section": "",
            "media_id": asset.id,
        },
        actor=editor("ana"),
    )
    submit_for_review(store, draft.id, actor=editor("ana"))
    return draft, other


EDITS = {
    "title": "Another title",
    "description": "Other words.",
    "alt_text": "Another picture",
    "link": "https://example.com/other",
    "board": "456",
    "board_section": "Weeknight",
}


@pytest.mark.parametrize("field", [*EDITS, "media_id"])
def test_any_edit_after_approval_voids_it_with_the_reason(store, pin, field):
    draft, other_media = pin
    approve(store, draft.id, actor=reviewer("rita"))
    value = other_media.id if field == "media_id" else EDITS[field]
    edited = save_draft(store, draft.id, {field: value}, actor=editor("ana"))
    assert edited.status is DraftStatus.IN_REVIEW and edited.approved_hash is None
    assert not approval_is_current(store, edited)
    assert field in store.events(draft.id)[-1].detail["note"]


def test_notes_that_are_not_pin_content_keep_the_approval(store, pin):
    draft, _ = pin
    approve(store, draft.id, actor=reviewer())
    kept = save_draft(store, draft.id, {"topic": "pasta night", "keywords": "pasta, dinner"}, actor=editor())
    assert kept.status is DraftStatus.APPROVED and approval_is_current(store, kept)


def test_comments_and_history_tell_the_whole_story(store, pin):
    draft, other_media = pin
    comment(store, draft.id, "Can we mention the sauce?", actor=editor("rita"))
    save_draft(store, draft.id, {"media_id": other_media.id, "alt_text": "A new bowl"}, actor=editor("ana"))
    request_changes(store, draft.id, "Shorter title please", actor=reviewer("rita"))
    lines = [f"{r['who']} {r['what']}" for r in timeline(store, draft.id)]
    assert lines[0].startswith("ana created")
    assert "rita commented: Can we mention the sauce?" in lines
    assert f"ana changed the media to #{other_media.id}; edited alt text" in lines
    assert lines[-1] == "rita sent back to editing"
    assert store.get_draft(draft.id).status is DraftStatus.DRAFT


def test_bulk_actions_report_each_item(store, settings, data_dir, make_image):
    ids = []
    for i in range(3):
        asset, _ = ingest_image(store, data_dir, make_image(color=(i, 50, 50)), f"{i}.jpg")
        d = save_draft(store, None, {"title": f"Pin {i}", "media_id": asset.id, "board": "1"}, actor=editor())
        submit_for_review(store, d.id, actor=editor())
        ids.append(d.id)
    rejected = save_draft(store, None, {"title": "Old"}, actor=editor())
    submit_for_review(store, rejected.id, actor=editor())
    bulk(store, settings, [rejected.id], "reject", note="no", actor=reviewer())
    results = bulk(store, settings, [*ids, rejected.id, 999], "approve", actor=reviewer("rita"))
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert "no draft #999" in results[-1].message
    moved = bulk(store, settings, ids[:2], "move", board="Dinner", actor=reviewer())
    assert all(r.ok for r in moved)
    assert store.get_draft(ids[0]).board == "Dinner" and store.get_draft(ids[0]).status is DraftStatus.IN_REVIEW
    bulk(store, settings, ids[:2], "approve", actor=reviewer())
    when = utcnow() + timedelta(days=1)
    scheduled = bulk(store, settings, ids[:2], "schedule", when=when, tz="UTC", actor=reviewer())
    assert [r.ok for r in scheduled] == [True, False]  # the second breaks min spacing: refused with reason
    assert "guardrail" in scheduled[1].message
    with pytest.raises(ValidationError, match="needs a note"):  # checked once, before any draft is touched
        bulk(store, settings, [ids[2], rejected.id], "reject", note="", actor=reviewer())
    assert store.get_draft(ids[2]).status is DraftStatus.APPROVED


def test_queue_filters_and_pages(store):
    for i in range(60):
        d = save_draft(
            store,
            None,
            {
                "title": f"Pin {i}",
                "board": "Recipes" if i % 2 else "Travel",
                "link": "http://bit.ly/x" if i % 3 == 0 else "",
            },
            actor=editor("ana" if i < 30 else "bo"),
        )
        submit_for_review(store, d.id, actor=editor())
    rows, total = store.query_drafts(DraftFilter(statuses=["in_review"], board="recipes"), limit=25)
    assert total == 30 and len(rows) == 25 and all(r.board == "Recipes" for r in rows)
    rows, total = store.query_drafts(DraftFilter(author="bo", lint_failing=True), limit=100)
    assert total == 30 and all(r.lint_failures > 0 for r in rows)
    rows, total = store.query_drafts(DraftFilter(text="Pin 59"), limit=5)
    assert [r.title for r in rows] == ["Pin 59"]


def test_feed_preview_cuts_title_and_crops_tall_images(store, pin, data_dir):
    assert feed_title("Short") == "Short"
    long = "The ultimate guide to cosy autumn soups for busy weeknights"
    shown = feed_title(long)
    assert shown.endswith("…") and len(shown) <= 41 and long.startswith(shown[:-1])
    info = card(long, "https://www.example.com/a", 1000, 2000)
    assert info["domain"] == "example.com" and info["cropped"] and info["crop_box"] == (0, 0, 1000, 1500)
    draft, _ = pin
    thumb = preview_image(data_dir, store.get_media(draft.media_id))
    from PIL import Image

    with Image.open(thumb) as img:
        assert abs(img.width / img.height - 2 / 3) < 0.01


def test_review_page_filters_and_bulk_approves(settings, store, pin):
    draft, _ = pin
    at = page("review.py").run()
    assert "1 pin(s) in this view" in " ".join(m.value for m in at.markdown)
    at.button(key="sel_page").click().run()  # ticking one card's box is a browser test (its box is HTML)
    assert "1 selected" in " ".join(m.value for m in at.markdown)
    assert f"data-pin-select='{draft.id}' aria-label='Select pin #{draft.id}' checked" in card_html(at, draft.id)
    assert "alt='A bowl of pasta'" in card_html(at, draft.id)  # a screen reader hears the pin's alt text
    at.button(key="bulk_apply").click().run()
    assert not at.exception
    assert store.get_draft(draft.id).status is DraftStatus.APPROVED
    assert "0 selected" in " ".join(m.value for m in at.markdown)  # the selection clears after an action


def card_html(at, draft_id: int) -> str:
    return next(e.proto.body for e in at.get("html") if f"data-pin='{draft_id}'" in e.proto.body)


def test_review_page_request_changes_and_comment(settings, store, pin):
    draft, _ = pin
    at = page("review.py").run()
    # The note is in one form with the actions: what is typed goes with the click (no run in between).
    at.text_input(key=f"note_{draft.id}").input("Mention the sauce")
    at.button(key="open_comment").click().run()
    assert store.events(draft.id)[-1].detail == {"text": "Mention the sauce"}
    at.text_input(key=f"note_{draft.id}").input("Shorter title")
    at.button(key="open_changes").click().run()
    assert store.get_draft(draft.id).status is DraftStatus.DRAFT


def test_review_page_paginates(settings, store):
    for i in range(30):
        d = save_draft(store, None, {"title": f"Pin {i:02d}"}, actor=editor())
        submit_for_review(store, d.id, actor=editor())
    at = page("review.py").run()
    assert "page 1 of 2" in " ".join(m.value for m in at.markdown)
    at.button(key="page_next").click().run()
    assert "page 2 of 2" in " ".join(m.value for m in at.markdown)
    assert not at.exception


def test_schedule_page_schedules_and_shows_the_worker_state(settings, store, pin):
    draft, _ = pin
    approve(store, draft.id, actor=reviewer())
    at = page("schedule.py").run()
    assert any("No worker is running" in w.value for w in at.warning)
    at.checkbox(key="sched_override").check()
    at.button(key="sched_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.get_draft(draft.id).scheduled_at is not None
    assert any("scheduled for" in s.value for s in at.success)
    at.button(key="sched_remove").click().run()
    assert store.get_draft(draft.id).scheduled_at is None


def test_dashboard_counts_and_empty_state(settings, store):
    at = page("dashboard.py").run()
    assert any("Welcome" in i.value for i in at.info)
    save_draft(store, None, {"title": "One"}, actor=editor())
    at = page("dashboard.py").run()
    assert next(m.value for m in at.metric) == "1"


def test_compose_picks_synced_boards_and_review_flags_a_deleted_one(settings, store, pin):
    _draft, _ = pin
    store.db["boards"].insert_all(
        [
            {"account": "brand", "id": "123", "name": "Weeknight Dinners", "deleted_at": "2026-11-01T00:00:00+00:00"},
            {"account": "brand", "id": "555", "name": "Soups", "deleted_at": None},
        ]
    )
    compose = page("compose.py").run()
    picker = compose.selectbox(key="board")
    assert "Soups" in picker.options
    picker.set_value("Soups").run()
    assert compose.session_state["board"] == "Soups" and not compose.exception
    review = page("review.py").run()
    assert any("was deleted on Pinterest" in w.value for w in review.warning)


def test_a_new_video_cover_after_approval_voids_it(store, data_dir, tmp_path):
    from studio.drafts.lifecycle import change_cover
    from studio.media.assets import ingest_path
    from tests.support.media import make_video

    video = make_video(tmp_path / "clip.mp4", seconds=6)
    asset, _ = ingest_path(store, data_dir, video, "clip.mp4")
    draft = save_draft(store, None, {"title": "Clip", "media_id": asset.id, "board": "1"}, actor=editor())
    change_cover(store, draft.id, asset.id, 3.2, actor=editor())
    approved = approve(store, draft.id, actor=reviewer("rita"))
    assert approval_is_current(store, approved)
    same_second = change_cover(
        store, draft.id, asset.id, 3.7, actor=editor()
    )  # Pinterest takes whole seconds: no change
    assert same_second.status is DraftStatus.APPROVED
    moved = change_cover(store, draft.id, asset.id, 5.0, actor=editor("ana"))
    assert moved.status is DraftStatus.IN_REVIEW and not approval_is_current(store, moved)
    assert "cover" in store.events(draft.id)[-1].detail["note"]


def test_review_card_shows_the_chosen_video_cover(settings, store, data_dir, tmp_path):
    from studio.drafts.lifecycle import change_cover
    from studio.media import card_image, preview_image
    from studio.media.assets import ingest_path
    from studio.media.fixes import apply_fix
    from tests.support.media import make_video

    asset, _ = ingest_path(store, data_dir, make_video(tmp_path / "clip.mp4", seconds=6), "clip.mp4")
    frame = apply_fix(store, data_dir, asset, "cover_frame", offset_s=3)
    draft = save_draft(store, None, {"title": "Clip", "media_id": asset.id}, actor=editor())
    change_cover(store, draft.id, asset.id, 3.0, frame.id, actor=editor())
    submit_for_review(store, draft.id, actor=editor())
    at = page("review.py").run()
    assert not at.exception
    # The grid tile and the open pin both show the chosen frame (the tile cut 2:3 as the feed shows it).
    chosen = "data:image/jpeg;base64," + base64.b64encode(card_image(data_dir, frame).read_bytes()).decode()
    tile = next(e.proto.body for e in at.get("html") if "pin-title" in e.proto.body)
    assert f"<img src='{chosen}'" in tile
    (opened,) = at.get("image")
    assert opened.proto.imgs[0].caption == "🎬 video, cover at 3 s"
    assert (
        opened.proto.imgs[0].url
        == "data:image/jpeg;base64," + base64.b64encode(preview_image(data_dir, frame).read_bytes()).decode()
    )
