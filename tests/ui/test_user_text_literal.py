"""Pin text is shown as typed, not as Markdown: a title carrying a link and a remote image (a phishing
link, a tracking pixel) renders literally on Review, Compose and Publish."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio.drafts.lifecycle import approve, save_draft, submit_for_review
from studio.media.assets import ingest_image
from tests.support.people import editor, reviewer

ROOT = Path(__file__).resolve().parents[2]
PHISH = "[Verify](https://phish.example) ![x](http://127.0.0.1/p.png)"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


def shown(at: AppTest) -> list[str]:
    """Every string the page hands Streamlit to render as Markdown."""
    texts = [
        e.value for kind in ("markdown", "caption", "error", "warning", "success", "info") for e in getattr(at, kind)
    ]
    texts += [c.label for c in at.checkbox]
    texts += [str(o) for r in at.radio for o in r.options]
    return texts


def assert_literal(at: AppTest) -> None:
    assert not at.exception
    carrying = [t for t in shown(at) if "phish" in t]
    assert carrying, "the page should show the title somewhere"
    for text in carrying:
        # escaped: Markdown sees \[ \] \( \) \! and renders the characters, not a link or an image
        assert "](" not in text and "![" not in text, text


def pin(store, data_dir, make_image, **fields) -> int:
    asset, _ = ingest_image(store, data_dir, make_image(), "a.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": PHISH,
            "description": PHISH,
            "alt_text": PHISH,
            "board": "Board ![b](http://127.0.0.1/b.png)",
            "link": "https://example.com/a",
            "media_id": asset.id,
            **fields,
        },
        actor=editor("[ana](https://phish.example)"),
    )
    submit_for_review(store, draft.id, actor=editor("ana"))
    return draft.id


def test_review_shows_pin_text_literally(store, data_dir, make_image):
    pin(store, data_dir, make_image)
    assert_literal(page("review.py").run())


def test_publish_shows_pin_text_literally(store, data_dir, make_image):
    approve(store, pin(store, data_dir, make_image), actor=reviewer("rev"))
    assert_literal(page("publish.py").run())


def test_compose_shows_typed_text_literally_in_its_checks(store, data_dir, make_image):
    asset, _ = ingest_image(store, data_dir, make_image(), "soup.jpg")
    at = page("compose.py")
    at.session_state["media_id"] = asset.id
    at.run()
    at.text_input(key="keywords").input(PHISH).run()
    at.text_area(key="title").input(PHISH).run()
    assert_literal(at)


def test_an_error_quoting_a_pasted_link_shows_it_literally():
    at = page("compose.py").run()
    at.text_input(key="media_url").input(PHISH)
    at.button[[b.label for b in at.button].index("Fetch")].click().run()
    assert any("phish" in e.value for e in at.error), "the refused link is named in the error"
    assert_literal(at)


def test_review_cards_show_markup_in_pin_text_as_text(store, data_dir, make_image):
    # The grid's cards are built as HTML: a title, board or alt text carrying markup stays text there.
    markup = "<img src=x onerror=alert(1)><b>Bold</b>"
    draft_id = pin(store, data_dir, make_image, title=markup, board=markup, alt_text="' onerror='alert(2)")
    at = page("review.py").run()
    assert not at.exception
    card = next(e.proto.body for e in at.get("html") if f"data-pin='{draft_id}'" in e.proto.body)
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;Bold&lt;/b&gt;" in card
    assert "<img src=x" not in card and "<b>" not in card
    assert "alt='&#x27; onerror=&#x27;alert(2)'" in card  # the alt text can't end the attribute
