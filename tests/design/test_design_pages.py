"""Pages: the brand kit on Settings, the Fresh pins gallery on Compose, the carousel card on Review."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.bulk import carousel_from_designs
from studio.design import brand_kit, carousel_items, fresh_designs, fresh_pins_of, save_slide_alt_texts
from studio.drafting import service_for
from studio.drafts import save_draft
from studio.media import ingest_path
from studio.models import DraftStatus
from studio.services import open_store
from tests.support.media import make_image
from tests.support.people import editor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def draft_id(settings, tmp_path):
    store = open_store(settings.db_path)
    asset, _ = ingest_path(store, settings.data_dir, make_image(tmp_path / "pesto.jpg", size=(600, 900)))
    draft = save_draft(
        store,
        None,
        {
            "media_id": asset.id,
            "title": "Basil pesto in 10 minutes",
            "description": "A quick pesto.",
            "link": "https://example.com/pesto",
            "board": "Recipes",
        },
        actor=editor(),
    )
    store.close()
    return draft.id


def test_brand_kit_is_saved_from_settings(settings):
    at = AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30).run()
    assert not at.exception
    at.color_picker(key="brand_primary").pick("#112233").run()
    at.selectbox(key="brand_default_template").set_value("panel-blur").run()
    at.button(key="brand_save").click().run()
    assert not at.exception and "Brand kit saved." in [s.value for s in at.success]
    store = open_store(settings.db_path)
    kit = brand_kit(store)
    assert kit.primary.lower() == "#112233" and kit.default_template == "panel-blur"


def test_fresh_pins_gallery_makes_designs_then_drafts(settings, draft_id):
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)
    at.session_state["draft_id"] = draft_id
    at.run()
    assert not at.exception
    at.multiselect(key="fresh_templates").set_value(["band-top", "panel-solid"]).run()
    at.text_area(key="fresh_titles").input("Basil pesto in 10 minutes\nPesto for busy nights").run()
    at.button(key="fresh_make").click().run()
    assert not at.exception
    picks = [c for c in at.checkbox if c.key and c.key.startswith("fresh_pick_")]
    assert len(picks) == 4  # 2 templates × 2 titles
    assert all("contrast" in c.label for c in picks)
    picks[0].check().run()
    at.checkbox(key=picks[3].key).check().run()
    at.button(key="fresh_drafts").click().run()
    assert not at.exception
    store = open_store(settings.db_path)
    linked = fresh_pins_of(store, draft_id)
    assert len(linked) == 2
    assert {store.get_draft(r["draft_id"]).status for r in linked} == {DraftStatus.IN_REVIEW}


def test_review_shows_a_swipeable_carousel_card(settings, draft_id):
    store = open_store(settings.db_path)
    designs = fresh_designs(store, settings, draft_id, ["band-top", "panel-solid", "collage"], actor=editor())
    chosen = [d["id"] for d in designs]
    made = carousel_from_designs(store, settings, service_for(store, settings), draft_id, chosen, actor=editor())
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=60).run()
    assert not at.exception
    bodies = [e.proto.body for e in at.get("html")]
    card = next(b for b in bodies if "pin-carousel" in b)
    assert "data-slides='3'" in card and card.count("<img") == 3 and "scroll-snap-type" in card
    assert any("carousel · 3 images" in c.value for c in at.caption)
    assert made["items"] == 3


def test_compose_drafts_each_slides_alt_text_and_review_shows_it_as_text(settings, draft_id):
    store = open_store(settings.db_path)
    designs = fresh_designs(store, settings, draft_id, ["band-top", "panel-solid"], actor=editor())
    chosen = [d["id"] for d in designs]
    service = service_for(store, settings)
    carousel_id = carousel_from_designs(store, settings, service, draft_id, chosen, actor=editor())["draft_id"]
    save_slide_alt_texts(store, carousel_id, {0: "", 1: ""}, actor=editor())  # as typed away by hand
    carousel = store.get_draft(carousel_id)
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)
    at.session_state["draft_id"] = carousel_id
    at.session_state["media_id"] = carousel.media_id
    at.session_state["title"] = carousel.title
    at.run()
    assert not at.exception
    keys = [f"slide_alt_{carousel_id}_{p}" for p in (0, 1)]
    assert [at.text_area(key=k).value for k in keys] == ["", ""]  # slides start without alt text
    at.button(key="draft_copy").click().run()
    assert not at.exception and not at.error
    drafted = [at.text_area(key=k).value for k in keys]
    assert all(drafted) and drafted[0] != at.session_state["alt_text"]  # each slide its own, not the pin's
    assert any("Alt text drafted for carousel slide(s) 1, 2." in c.value for c in at.caption)
    at.text_area(key=keys[1]).input("<b>Basil</b> on a plate").run()
    at.button(key="save_slide_alts").click().run()
    assert not at.exception
    store = open_store(settings.db_path)
    assert [i["alt_text"] for i in carousel_items(store, carousel_id)] == [drafted[0], "<b>Basil</b> on a plate"]
    store.close()
    # Only the slides: a cleared slide is drafted again, the pin's copy and the typed slide stay as they are.
    at.text_area(key=keys[0]).input("").run()
    at.button(key="save_slide_alts").click().run()
    at.text_area(key="title").input("My own title").run()
    at.button(key="draft_slide_alts").click().run()
    assert not at.exception and not at.error
    assert [at.text_area(key=k).value for k in keys] == [drafted[0], "<b>Basil</b> on a plate"]
    assert at.text_area(key="title").value == "My own title"
    assert any("Alt text drafted for carousel slide(s) 1." in c.value for c in at.caption)
    review = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=60).run()
    assert not review.exception
    card = next(e.proto.body for e in review.get("html") if "pin-carousel" in e.proto.body)
    assert "Alt: &lt;b&gt;Basil&lt;/b&gt; on a plate" in card and "<b>Basil" not in card
