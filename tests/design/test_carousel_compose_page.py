"""Compose's carousel from several photos (AppTest): uploaded at once, reordered, each slide's copy typed,
each slide's problems named by its slide, the count limits said plainly, saved as one carousel draft."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from studio.design import carousel_items
from studio.media.assets import ingest_image
from studio.services import open_store
from tests.support.media import image_bytes

ROOT = Path(__file__).resolve().parents[2]
COLOURS = [(200, 60, 30), (40, 150, 70), (40, 80, 200), (220, 200, 40), (120, 40, 160), (20, 20, 20)]


def photo(n: int, size=(1000, 1500)) -> tuple[str, bytes, str]:
    return (f"photo{n}.jpg", image_bytes(size=size, color=COLOURS[n]), "image/jpeg")


def compose() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> None:
    uploader = next(
        u for u in at.get("file_uploader") if isinstance(u, FileUploader) and (u.key or "").startswith("carousel_")
    )
    uploader.set_value(files).run()
    assert not at.exception


def slide_ids(at: AppTest) -> list[int]:
    return list(at.session_state["carousel_slides"])


def errors(at: AppTest) -> list[str]:
    """The error messages as a person reads them (the Markdown escapes taken out)."""
    return [e.value.replace("\\", "") for e in at.error]


def test_three_photos_uploaded_at_once_reordered_and_saved_as_one_carousel(settings):
    at = compose()
    upload(at, [photo(0), photo(1), photo(2)])
    first, second, third = slide_ids(at)
    assert at.text_input(key=f"car_title_{third}").label == "Slide 3 title"
    at.button(key=f"car_up_{third}").click().run()  # the third photo becomes slide 2
    assert slide_ids(at) == [first, third, second]
    assert at.text_input(key=f"car_title_{third}").label == "Slide 2 title"
    for media_id, title in zip([first, third, second], ["Chop", "Blend", "Serve"]):
        at.text_input(key=f"car_title_{media_id}").input(title)
        at.text_area(key=f"car_description_{media_id}").input(f"{title} the basil.")
    at.text_input(key=f"car_link_{third}").input("https://example.com/blend")
    at.run()
    at.button(key="carousel_draft").click().run()  # the pin's copy and the slides' alt text, for the carousel
    assert not at.exception and not at.error
    assert "3" in at.session_state["title"]
    alts = [at.text_area(key=f"car_alt_text_{m}").value or "" for m in (first, third, second)]
    assert all(a.startswith(f"Slide {n} of 3: a portrait") for n, a in enumerate(alts, 1))
    at.text_input(key="board").input("Recipes").run()
    at.button(key="carousel_save").click().run()
    assert not at.exception and not at.error
    store = open_store(settings.db_path)
    draft_id = at.session_state["draft_id"]
    items = carousel_items(store, draft_id)
    assert [i["media_id"] for i in items] == [first, third, second]
    assert [i["title"] for i in items] == ["Chop", "Blend", "Serve"]
    assert [i["description"] for i in items] == ["Chop the basil.", "Blend the basil.", "Serve the basil."]
    assert items[1]["link"] == "https://example.com/blend" and [i["alt_text"] for i in items] == alts
    assert store.get_draft(draft_id).board == "Recipes"
    assert any(f"Carousel draft #{draft_id} with 3 slides saved" in s.value for s in at.success)
    assert at.session_state["carousel_slides"] == []  # the builder is empty again; the draft is open


def test_one_photo_or_six_say_the_count_and_saving_waits(settings):
    at = compose()
    upload(at, [photo(0)])
    assert any("A carousel takes 2 to 5 images, not 1." in e for e in errors(at))
    assert at.button(key="carousel_save").disabled
    upload(at, [photo(n) for n in range(1, 6)])
    assert len(slide_ids(at)) == 6
    assert any("A carousel takes 2 to 5 images, not 6." in e and "Remove images" in e for e in errors(at))
    assert at.button(key="carousel_save").disabled
    at.button(key=f"car_remove_{slide_ids(at)[-1]}").click().run()
    assert len(slide_ids(at)) == 5 and not any("2 to 5 images" in e for e in errors(at))
    assert not at.button(key="carousel_save").disabled


def test_a_too_small_image_in_slide_two_is_reported_as_slide_twos_problem(settings):
    at = compose()
    upload(at, [photo(0), photo(1, size=(60, 90)), photo(2)])
    problems = [m.value.replace("\\", "") for m in at.markdown if "🔴" in m.value]
    assert len(problems) == 1 and problems[0].startswith("🔴 Slide 2: The image is 60×90 px")
    assert at.button(key="carousel_save").disabled


def test_photos_of_different_sizes_are_made_one_size_with_one_click(settings, data_dir):
    at = compose()
    upload(at, [photo(0), photo(1, size=(1200, 800))])
    assert any("must all be the same size" in e for e in errors(at))
    wide = slide_ids(at)[1]
    at.text_input(key=f"car_title_{wide}").input("The wide one").run()
    at.button(key=f"car_fix_crop_2x3_{wide}").click().run()  # the single-image fix, on this slide only
    cropped = slide_ids(at)[1]
    assert cropped != wide and at.text_input(key=f"car_title_{cropped}").value == "The wide one"
    assert any("must all be the same size" in e and "533×800" in e for e in errors(at))  # 2:3, not yet one size
    at.button(key="carousel_same_crop").click().run()
    assert not at.exception and not errors(at)
    fixed = slide_ids(at)[1]
    assert fixed != cropped and at.text_input(key=f"car_title_{fixed}").value == "The wide one"  # the copy moved
    assert not at.button(key="carousel_save").disabled


def test_stored_images_are_picked_into_the_carousel(settings, data_dir):
    store = open_store(settings.db_path)
    ids = [ingest_image(store, data_dir, photo(n)[1], f"stored{n}.jpg")[0].id for n in range(2)]
    store.close()
    at = compose()
    at.multiselect(key="carousel_pick").set_value(ids).run()
    at.button(key="carousel_add").click().run()
    assert not at.exception and slide_ids(at) == ids
    assert not at.button(key="carousel_save").disabled
