"""In Chromium: the review grid's bulk bar stays in sight while the user scrolls the cards, and never covers the
open pin's panel beside them: its buttons stay clickable (issue 26 papercut)."""

import pytest

from studio.drafts import save_draft, submit_for_review
from studio.media import ingest_image
from studio.services import open_store
from tests.support.browser import IDLE, chromium_page, open_studio, studio_server
from tests.support.people import editor

pytestmark = pytest.mark.browser

# Scroll the page's scrolling box so that `el` sits `offset` px below the viewport's top; true once it does (the
# grid may still be growing as its cards are drawn, so this is polled).
SCROLL_TO = """([el, offset]) => {
  let box = el.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  (box || document.scrollingElement).scrollTop += el.getBoundingClientRect().top - offset;
  return Math.round(el.getBoundingClientRect().top) === offset;
}"""
# Whether the pointer at the element's centre would reach it (nothing drawn over it).
ON_TOP = """el => {
  const r = el.getBoundingClientRect();
  return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
}"""
BAR_TOP = "() => document.querySelector('.st-key-bulk_bar').getBoundingClientRect().top"


def test_the_sticky_bulk_bar_never_covers_the_open_pin(data_dir, make_image):
    store = open_store(data_dir / "studio.db")
    for i in range(16):
        asset, _ = ingest_image(store, data_dir, make_image(color=(15 * i, 120, 90)), f"p{i}.jpg")
        draft = save_draft(
            store, None, {"title": f"Soup idea {i}", "media_id": asset.id, "board": "Soups"}, actor=editor("ana")
        )
        submit_for_review(store, draft.id, actor=editor("ana"))
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_REVIEWER": "rita"}
    with studio_server(env) as base, chromium_page(viewport=(1400, 800)) as page:
        page.set_default_timeout(60_000)
        open_studio(page, base, "review")
        page.get_by_text("0 selected").wait_for()
        page.wait_for_function(IDLE)
        for name in ("✅ Approve", "❌ Reject", "💬 Comment", "Next →"):
            button = page.get_by_role("button", name=name)
            # Where the stuck bar would sit (just under Streamlit's header): the panel's button must be on top.
            page.wait_for_function(SCROLL_TO, arg=[button.element_handle(), 90])
            assert button.evaluate(ON_TOP), f"{name} is covered by the bulk bar when scrolled"
        assert page.evaluate(BAR_TOP) < 100  # and the bar is still in sight, stuck under the header
        page.get_by_role("button", name="✅ Approve").click()
        page.get_by_text("Approved #").wait_for()
