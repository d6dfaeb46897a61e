"""In Chromium: three different photos uploaded at once on Compose, one moved up, each slide's copy typed,
saved → one carousel draft whose three slides show in Review in that order, each with its copy."""

import pytest

from studio.design import carousel_items
from studio.services import open_store
from tests.support.browser import chromium_page, open_expander, settled, studio_server
from tests.support.media import make_image

pytestmark = pytest.mark.browser

PHOTOS = [("basil.jpg", "#3c8c3c"), ("oil.jpg", "#d2b428"), ("pasta.jpg", "#c8581e")]


def slides(page):
    return page.locator('[class*="st-key-car_slide_"]')


def type_into(page, label: str, text: str) -> None:
    """Type as a person does; leaving the box (Tab) sends it, then wait for the studio to take it."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Tab")
    page.wait_for_function(
        "([label, text]) => [...document.querySelectorAll('input, textarea')].some("
        "e => e.getAttribute('aria-label') === label && e.value === text)",
        arg=[label, text],
    )
    page.wait_for_timeout(300)  # the rerun the change started


def test_three_photos_uploaded_at_once_become_one_carousel_in_review(data_dir, tmp_path):
    files = [str(make_image(tmp_path / name, (1000, 1500), colour=colour)) for name, colour in PHOTOS]
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(60_000)  # a busy 2-core machine
        page.goto(f"{base}/compose")
        carousel = open_expander(page, "Carousel: several photos in one pin")
        page.locator('[class*="st-key-carousel_upload"] input[type="file"]').set_input_files(files)
        for name, _ in PHOTOS:
            slides(page).filter(has_text=name).wait_for()
        settled(carousel)  # grown to show the slides: until then the last one's buttons are clipped
        names = [name for name, _ in PHOTOS]
        shown = [next(n for n in names if n in slides(page).nth(i).inner_text()) for i in range(3)]
        assert sorted(shown) == sorted(names)  # three slides, one per photo

        # the third slide moves up one
        slides(page).nth(2).get_by_role("button", name="↑").click()
        order = [shown[0], shown[2], shown[1]]
        slides(page).nth(1).filter(has_text=order[1]).wait_for()
        assert [next(n for n in names if n in slides(page).nth(i).inner_text()) for i in range(3)] == order

        copy = [("Pick the basil", "Fresh leaves."), ("Cook the pasta", "Al dente."), ("Stir in the oil", "Gently.")]
        for n, (title, description) in enumerate(copy, 1):
            type_into(page, f"Slide {n} title", title)
            type_into(page, f"Slide {n} description", description)
        type_into(page, "Title", "Basil pesto pasta in three steps")
        save = page.get_by_role("button", name="Save as carousel draft (3 slides)")
        settled(carousel)  # the typed copy's checks may have changed its height
        save.click()
        page.get_by_text("with 3 slides saved").wait_for()

        page.goto(f"{base}/review")
        card = page.locator(".pin-carousel[data-slides='3']")
        card.wait_for()
        shown = [card.locator(".pin-slide").nth(i).inner_text() for i in range(3)]
        for n, ((title, description), text) in enumerate(zip(copy, shown), 1):
            assert f"{n}/3 · {title}" in text and description in text

    store = open_store(data_dir / "studio.db")
    (draft,) = store.list_drafts(["draft"])
    items = carousel_items(store, draft.id)
    assert [i["title"] for i in items] == [t for t, _ in copy]
    assert [store.get_media(i["media_id"]).original_name for i in items] == order
    assert draft.title == "Basil pesto pasta in three steps"
