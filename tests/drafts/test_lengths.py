"""Long copy is never cut behind the user's back: counted, refused with the reason, shortened on request."""

import pytest

from studio.drafts import lint, over_limit, save_draft, shorten, too_long_reasons
from studio.errors import ValidationError
from studio.media import available_fixes, check_path, checklist
from tests.support.people import editor


def test_shorten_keeps_whole_words_and_sentences():
    title = "Easy weeknight pasta recipes for busy families who love Italian food and want dinner on the table fast"
    short = shorten(title, 100)
    assert len(short) <= 100 and title.startswith(short) and title[len(short)] == " "
    text = "Ready in 20 minutes. " + "Creamy lemon sauce with peas and plenty of parmesan on top " * 3
    assert shorten(text, 40) == "Ready in 20 minutes. Creamy lemon sauce"
    kept = "First sentence is long enough to keep. Second one goes past the limit for sure."
    assert shorten(kept, 60) == "First sentence is long enough to keep."
    assert shorten("short", 100) == "short" and len(shorten("x" * 150, 100)) == 100


def test_over_limit_text_is_refused_with_the_reason_not_cut(store):
    fields = {"title": "t" * 121, "description": "d" * 600, "alt_text": "fine"}
    assert over_limit(fields) == [("title", 121, 100), ("description", 600, 500)]
    assert too_long_reasons(fields)[0] == "The title is 121 characters; Pinterest allows 100. Shorten it by 21."
    with pytest.raises(ValidationError, match="121 characters"):
        save_draft(store, None, fields, actor=editor())
    rules = {r["rule"]: r for r in lint(fields)}
    assert not rules["title_length"]["ok"] and "121/100" in rules["title_length"]["message"]


def test_empty_alt_text_is_one_warning_not_a_warning_and_two_ticks():
    rules = {r["rule"]: r["ok"] for r in lint({"title": "Pasta", "description": "Quick pasta."})}
    assert rules["alt_text_length"] is False
    assert "alt_text_not_copy" not in rules and "alt_text_start" not in rules


def test_a_too_small_image_is_not_also_sharp_and_gets_no_useless_fix(tmp_path, make_image):
    path = tmp_path / "tiny.png"
    path.write_bytes(make_image(size=(50, 50), fmt="PNG"))
    report = check_path(path)
    lines = checklist(report)
    assert ("error", "The image is 50×50 px; Pinterest needs at least 100×100.") in lines
    assert not any("sharp" in text for _, text in lines)
    assert available_fixes(report) == []  # padding or cropping a 50×50 image leaves it too small
    wide = tmp_path / "wide.jpg"
    wide.write_bytes(make_image(size=(1200, 800)))
    assert available_fixes(check_path(wide)) == ["pad_2x3", "crop_2x3"]
