"""`pinstudio design` (JSON contract, exit codes, output passing `pinstudio check`), fresh pins made from a
draft (stored with provenance, drafts linked, linted, spaced), the brand kit, and carousel drafts."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

import pytest

from studio.cli import main
from studio.design import (
    BrandKit,
    brand_kit,
    design_for_media,
    fresh_designs,
    fresh_pin_origin,
    make_fresh_pins,
    save_brand_kit,
    set_carousel_items,
    template_names,
)
from studio.drafts import save_draft
from studio.errors import ValidationError
from studio.media import ingest_path
from studio.models import DraftStatus
from studio.publishing.service import request_for_draft
from tests.support.media import make_image
from tests.support.people import editor, owner, reviewer


def test_design_json_contract_and_check(tmp_path, capsys):
    src = make_image(tmp_path / "photo.jpg", size=(600, 900))
    out = tmp_path / "out"
    code = main(["design", "--media", str(src), "--title", "Basil pesto 🌿", "--all", "--out", str(out), "--json"])
    assert code == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["template"] for r in results] == template_names()
    for r in results:
        assert set(r) == {"path", "template", "width", "height", "contrast", "text_fits"}
        assert (r["width"], r["height"]) == (1000, 1500) and r["text_fits"] is True
    assert main(["check", *[r["path"] for r in results]]) == 0


def test_design_usage_errors_exit_2(tmp_path, capsys):
    src = make_image(tmp_path / "photo.jpg", size=(600, 900))
    assert main(["design", "--media", str(src), "--title", "t", "--template", "nope", "--out", str(tmp_path)]) == 2
    assert "band-bottom" in capsys.readouterr().err
    assert main(["design", "--media", str(tmp_path / "none.jpg"), "--title", "t", "--out", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.fixture
def draft(store, settings, tmp_path):
    asset, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "pesto.jpg", size=(600, 900)))
    return save_draft(
        store,
        None,
        {
            "media_id": asset.id,
            "title": "Basil pesto in 10 minutes",
            "description": "A quick pesto for busy weeknights.",
            "alt_text": "A jar of pesto",
            "link": "https://example.com/pesto",
            "board": "Recipes",
        },
        actor=editor(),
    )


def test_fresh_pins_become_linked_drafts_in_review_spaced_apart(store, settings, draft):
    designs = fresh_designs(store, settings, draft.id, ["band-top", "panel-solid", "collage"], actor=editor())
    assert len(designs) == 3 and all(d["source_draft_id"] == draft.id for d in designs)
    first = designs[0]
    assert first["provenance"]["template"] == "band-top" and first["provenance"]["fonts"]
    assert design_for_media(store, first["media_id"])["id"] == first["id"]
    made = make_fresh_pins(
        store, settings, draft.id, [d["id"] for d in designs], start=datetime(2030, 1, 1, tzinfo=UTC), actor=editor()
    )
    assert len(made) == 3
    for row, design in zip(made, designs):
        new = store.get_draft(row["draft_id"])
        assert new.status == DraftStatus.IN_REVIEW and new.link == draft.link and new.media_id == design["media_id"]
        assert fresh_pin_origin(store, new.id)["source_draft_id"] == draft.id
        assert store.media_facts(new.media_id)["errors"] == []  # checked like any upload
    times = [datetime.fromisoformat(r["suggested_at"]) for r in made]
    assert all((b - a).days >= settings.repeat_days for a, b in itertools.pairwise(times))


def test_fresh_pins_refuse_foreign_designs_and_videos(store, settings, draft):
    other = save_draft(store, None, {"media_id": draft.media_id, "title": "Other", "board": "Recipes"}, actor=editor())
    designs = fresh_designs(store, settings, other.id, ["band-top"], actor=editor())
    with pytest.raises(ValidationError) as err:
        make_fresh_pins(store, settings, draft.id, [designs[0]["id"]], actor=editor())
    assert err.value.code == "design_mismatch"


def test_brand_kit_is_kept_and_validated(store):
    assert brand_kit(store) == BrandKit()
    kit = save_brand_kit(store, {"primary": "#112233", "default_template": "panel-blur"}, actor=owner())
    assert brand_kit(store).primary == "#112233" and kit.default_template == "panel-blur"
    with pytest.raises(ValidationError) as err:
        save_brand_kit(store, {"primary": "blue-ish"}, actor=owner())
    assert err.value.code == "invalid_colour"
    with pytest.raises(ValidationError) as err:
        save_brand_kit(store, {"heading_font": "/nowhere/Brand.ttf:700"}, actor=owner())
    assert err.value.code == "font_missing"


def test_a_draft_with_carousel_items_publishes_as_a_carousel(store, settings, draft, tmp_path):
    second, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "b.jpg", size=(600, 900), colour="#224488"))
    set_carousel_items(
        store,
        draft.id,
        [
            {"media_id": draft.media_id, "title": "Jar"},
            {"media_id": second.id, "title": "Plate", "alt_text": "On a plate"},
        ],
    )
    request, _ = request_for_draft(store, store.get_draft(draft.id), settings.data_dir)
    assert request.pin.carousel and len(request.media) == 2
    assert [i.title for i in request.pin.items] == ["Jar", "Plate"]
    set_carousel_items(store, draft.id, [])
    request, _ = request_for_draft(store, store.get_draft(draft.id), settings.data_dir)
    assert not request.pin.carousel and len(request.media) == 1


def test_a_design_can_be_a_videos_cover(store, settings, tmp_path):
    from studio.design import use_design_as_cover
    from studio.drafts import approve, set_cover
    from studio.publishing.dry_run import DryRunPublisher
    from tests.support.media import make_video

    video, _ = ingest_path(store, settings.data_dir, make_video(tmp_path / "clip.mp4", seconds=5))
    frame, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "frame.jpg", size=(400, 600)))
    draft = save_draft(store, None, {"media_id": video.id, "title": "Pesto clip", "board": "123"}, actor=editor())
    set_cover(store, draft.id, video.id, 2.0, frame.id)
    design = fresh_designs(store, settings, draft.id, ["band-bottom"], actor=editor())[0]
    assert design["source_media"] == [frame.id]  # the chosen frame wins
    approve(store, draft.id, actor=reviewer())
    use_design_as_cover(store, draft.id, design["id"], actor=editor())
    assert store.get_draft(draft.id).status == DraftStatus.IN_REVIEW  # a new cover voids the approval
    request, _ = request_for_draft(store, store.get_draft(draft.id), settings.data_dir)
    assert request.pin.cover_file and request.pin.thumb_offset is None
    source = DryRunPublisher().publish(request).requests[-1]["json"]["media_source"]
    assert source["cover_image_content_type"] == "image/jpeg" and source["cover_image_data"]
    assert "cover_image_key_frame_time" not in source


@pytest.fixture
def video_draft(store, settings, tmp_path):
    from tests.support.media import make_video

    video, _ = ingest_path(store, settings.data_dir, make_video(tmp_path / "clip.mp4", seconds=5, size=(320, 480)))
    return save_draft(
        store, None, {"media_id": video.id, "title": "Pesto in one minute", "board": "123"}, actor=editor()
    )


def test_a_video_without_a_chosen_frame_is_designed_from_its_first_frame(store, settings, video_draft):
    design = fresh_designs(store, settings, video_draft.id, ["band-bottom"], actor=editor())[0]
    frame = store.get_media(design["source_media"][0])
    assert frame.kind == "image" and frame.source_id == video_draft.media_id
    assert store.media_facts(frame.id)["fix_options"] == {"offset_s": 0.0}
    assert design["provenance"]["inputs"]["title"] == "Pesto in one minute"


def test_a_video_with_only_a_cover_time_is_designed_from_that_frame_and_keeps_it(store, settings, video_draft):
    from studio.drafts import get_cover, set_cover

    video_id = video_draft.media_id
    set_cover(store, video_draft.id, video_id, 3.0)  # e.g. thumb_offset from the HTTP API: a time, no frame
    design = fresh_designs(store, settings, video_draft.id, ["panel-solid"], actor=editor())[0]
    frame_id = design["source_media"][0]
    assert store.media_facts(frame_id)["fix_options"] == {"offset_s": 3.0}
    cover = get_cover(store, video_draft.id, video_id)
    assert cover["cover_media_id"] == frame_id and cover["offset_s"] == 3.0  # remembered, time unchanged
    again = fresh_designs(store, settings, video_draft.id, ["band-top"], actor=editor())[0]
    assert again["source_media"] == [frame_id]  # not extracted a second time


def test_design_cover_is_one_step_and_refused_for_an_image(store, settings, video_draft, draft):
    from studio.design import cover_design, design_cover

    design = design_cover(store, settings, video_draft.id, template="band-top", title="Cover title", actor=editor())
    assert design["template"] == "band-top" and design["title"] == "Cover title"
    assert cover_design(store, video_draft.id, video_draft.media_id)["id"] == design["id"]
    with pytest.raises(ValidationError) as err:
        design_cover(store, settings, draft.id, actor=editor())
    assert err.value.code == "cover_for_image"
