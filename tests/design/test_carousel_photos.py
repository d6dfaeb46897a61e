"""A carousel from any photos: 2–5 different images in the order given, each slide's image checked like a
single pin's (a problem named by its slide), each slide's own copy kept; refused carousels leave no trace."""

from __future__ import annotations

import pytest

from studio.design import carousel_items, check_slides, save_carousel
from studio.errors import ValidationError
from studio.media import same_size
from studio.media.assets import ingest_image
from studio.people import PermissionDenied
from tests.support.people import editor, viewer

PIN = {"title": "Three autumn soups", "board": "Recipes", "description": "Soups for chilly nights."}


@pytest.fixture
def photos(store, data_dir, make_image):
    """Three different 1000×1500 photos, stored."""
    colours = [(200, 60, 30), (40, 150, 70), (40, 80, 200)]
    return [
        ingest_image(store, data_dir, make_image(size=(1000, 1500), color=c), f"soup{i}.jpg")[0].id
        for i, c in enumerate(colours)
    ]


def slides_of(ids: list[int]) -> list[dict]:
    return [
        {"media_id": m, "title": f"Soup {n}", "description": f"Recipe {n}.", "link": f"https://example.com/{n}"}
        for n, m in enumerate(ids, 1)
    ]


def test_photos_become_one_carousel_draft_in_the_order_given_with_each_slides_copy(store, data_dir, photos):
    order = [photos[2], photos[0], photos[1]]
    slides = slides_of(order)
    slides[1]["alt_text"] = "A red soup in a white bowl"
    draft = save_carousel(store, data_dir, slides, PIN, actor=editor(), submit=True)
    items = carousel_items(store, draft.id)
    assert [i["media_id"] for i in items] == order
    assert [i["title"] for i in items] == ["Soup 1", "Soup 2", "Soup 3"]
    assert items[1]["alt_text"] == "A red soup in a white bowl" and items[2]["link"] == "https://example.com/3"
    assert draft.media_id == order[0] and draft.title == "Three autumn soups" and draft.status.value == "in_review"
    assert draft.link == "https://example.com/1"  # the pin's link defaults to the first slide's


@pytest.mark.parametrize("count", [0, 1, 6])
def test_fewer_than_two_or_more_than_five_images_are_refused_with_the_count(store, data_dir, make_image, photos, count):
    more = [
        ingest_image(store, data_dir, make_image(size=(1000, 1500), color=(10 * n, 90, 90)), f"x{n}.jpg")[0].id
        for n in range(3)
    ]
    ids = (photos + more)[:count]
    with pytest.raises(ValidationError) as err:
        save_carousel(store, data_dir, slides_of(ids), PIN, actor=editor())
    assert err.value.code == "carousel_count"
    assert f"2 to 5 images; it has {count}" in err.value.message
    assert store.list_drafts(["draft", "in_review"]) == []


def test_a_too_small_image_in_slide_two_is_slide_twos_problem(store, data_dir, make_image, photos):
    tiny = ingest_image(store, data_dir, make_image(size=(60, 90)), "tiny.jpg")[0].id
    check = check_slides(store, data_dir, [photos[0], tiny, photos[1]])
    assert [bool(s.errors) for s in check.slides] == [False, True, False]
    assert check.slides[1].errors[0].code == "image_too_small" and not check.ok
    with pytest.raises(ValidationError) as err:
        save_carousel(store, data_dir, slides_of([photos[0], tiny, photos[1]]), PIN, actor=editor())
    assert err.value.message.startswith("Slide 2: The image is 60×90 px")
    assert store.list_drafts(["draft"]) == []


def test_the_same_image_twice_and_different_sizes_are_the_carousels_problems(store, data_dir, make_image, photos):
    duplicate = check_slides(store, data_dir, [photos[0], photos[1], photos[0]])
    assert [i.code for i in duplicate.issues] == ["carousel_duplicate"]
    assert duplicate.issues[0].message == "Slide 3 is the same image as slide 1."
    wide = ingest_image(store, data_dir, make_image(size=(1200, 800)), "wide.jpg")[0]
    mixed = check_slides(store, data_dir, [photos[0], wide.id])
    assert "carousel_dimensions" in [i.code for i in mixed.issues]
    assert mixed.slides[1].fixes == ["pad_2x3", "crop_2x3"]  # the single-image fixes apply to the slide
    # The one-click fix: every slide at 1000×1500, the originals kept; then the carousel saves.
    fixed = same_size(store, data_dir, [store.get_media(photos[0]), wide], "crop")
    assert fixed[0].id == photos[0] and fixed[1].source_id == wide.id
    assert (fixed[1].width, fixed[1].height) == (1000, 1500)
    assert check_slides(store, data_dir, [f.id for f in fixed]).ok
    assert save_carousel(store, data_dir, slides_of([f.id for f in fixed]), PIN, actor=editor()).id


def test_a_slides_over_long_text_or_bad_link_is_refused_by_slide(store, data_dir, photos):
    slides = slides_of(photos[:2])
    slides[1]["title"] = "x" * 101
    with pytest.raises(ValidationError) as err:
        save_carousel(store, data_dir, slides, PIN, actor=editor())
    assert err.value.message == "Slide 2's title is 101 characters; Pinterest allows 100."
    slides = slides_of(photos[:2])
    slides[0]["link"] = "example.com"
    with pytest.raises(ValidationError) as err:
        save_carousel(store, data_dir, slides, PIN, actor=editor())
    assert err.value.code == "invalid_link" and "Slide 1" in err.value.message


def test_a_viewer_may_not_save_a_carousel(store, data_dir, photos):
    with pytest.raises(PermissionDenied):
        save_carousel(store, data_dir, slides_of(photos), PIN, actor=viewer())
    assert store.list_drafts(["draft"]) == []
