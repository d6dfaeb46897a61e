"""Designs: every template with short, long, Arabic, Japanese and emoji titles fits, reads and passes the checks."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageDraw

from studio.design import AA_NORMAL, CANVAS, SAFE_MARGINS, all_templates, fonts, get_template, render_design
from studio.errors import ValidationError
from studio.media import check_bytes
from tests.support.media import make_image

TITLES = {
    "short": "Basil Pesto",
    "long": (
        "Ten genuinely useful tips for better photography at home with nothing but your phone, a window and "
        "a little patience: light, framing, angles, editing, and sharing the results with friends and family!!"
    )[:200],
    "arabic": "أفضل عشر نصائح للتصوير الفوتوغرافي في المنزل",
    "japanese": "写真をもっと上手に撮るための十のコツ",
    "emoji": "Summer salads 🥗🌞 everyone loves 😍",
}
TEMPLATES = sorted(all_templates())


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    return make_image(tmp_path_factory.mktemp("src") / "photo.jpg", size=(600, 900))


def _inside_safe_area(box) -> bool:
    W, H = CANVAS
    return (
        box[0] >= SAFE_MARGINS["left"]
        and box[1] >= SAFE_MARGINS["top"]
        and box[2] <= W - SAFE_MARGINS["right"]
        and box[3] <= H - SAFE_MARGINS["bottom"]
    )


def test_long_title_is_200_characters():
    assert len(TITLES["long"]) == 200


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("kind", list(TITLES))
def test_every_template_fits_reads_and_passes_the_checks(photo, template, kind):
    design = render_design([str(photo)], TITLES[kind], template, subtitle="Weeknight recipes", cta="Read more")
    assert (design.width, design.height) == CANVAS
    assert design.text_fits, design.boxes
    has_text = bool(get_template(template).text)
    assert (design.contrast is not None) == has_text
    for box in design.boxes:
        assert box["contrast"] >= AA_NORMAL, box
        assert box["ink"] and _inside_safe_area(box["ink"]), (box["field"], box["ink"])
    report = check_bytes(design.data, "design.jpg")
    assert report.ok and not report.warnings, [i.message for i in report.errors + report.warnings]


def test_the_title_is_actually_drawn_in_every_script(photo):
    """Each script goes to a face that has its glyphs: nothing falls back to empty boxes."""
    assert {f for f, _ in fonts.runs(TITLES["arabic"], "noto-sans")} == {"noto-sans-arabic"}
    assert {f for f, _ in fonts.runs("写真のコツ", "noto-sans")} == {"noto-sans-cjk"}
    assert ("openmoji", "🥗🌞") in fonts.runs("salads 🥗🌞 now", "noto-sans")
    with_text = render_design([str(photo)], TITLES["japanese"], "panel-solid")
    without = render_design([str(photo)], "x", "panel-solid")
    assert with_text.data != without.data and with_text.boxes[0]["lines"][0].startswith("写真")


def test_same_inputs_give_byte_identical_output(photo):
    first = render_design([str(photo)], TITLES["emoji"], "panel-blur", subtitle="s")
    second = render_design([str(photo)], TITLES["emoji"], "panel-blur", subtitle="s")
    assert first.data == second.data
    assert first.provenance == second.provenance
    assert first.provenance["template"] == "panel-blur" and first.provenance["fonts"]
    assert all(len(f["sha256"]) == 64 for f in first.provenance["fonts"])


def test_busy_background_gets_a_darker_or_lighter_panel(tmp_path):
    """A black-and-white checkerboard gives any text colour poor contrast until a scrim goes behind it."""
    src = tmp_path / "checker.png"
    img = Image.new("RGB", (500, 750), "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, 750, 25):
        for x in range(0, 500, 25):
            if (x // 25 + y // 25) % 2:
                draw.rectangle((x, y, x + 24, y + 24), fill="black")
    img.save(src)
    tpl_dir = tmp_path / "data" / "templates"
    tpl_dir.mkdir(parents=True)
    (tpl_dir / "bare.json").write_text(
        json.dumps(
            {"name": "bare", "text": [{"field": "title", "box": [0.1, 0.3, 0.8, 0.3], "max_size": 80, "min_size": 30}]}
        )
    )
    design = render_design([str(src)], "Checkered tablecloth picnic", "bare", data_dir=tmp_path / "data")
    assert design.boxes[0]["scrim_steps"] > 0
    assert design.contrast >= AA_NORMAL


def test_user_templates_come_from_the_data_dir_and_bad_ones_are_explained(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "broken.json").write_text(
        json.dumps({"name": "broken", "text": [{"field": "title", "box": [0.5, 0.5, 0.9, 0.2]}]})
    )
    with pytest.raises(ValidationError) as err:
        all_templates(tmp_path)
    assert err.value.code == "invalid_template" and "broken.json" in err.value.message
    (folder / "broken.json").write_text(json.dumps({"name": "mine", "text": []}))
    assert all_templates(tmp_path)["mine"].source == "user"


def test_text_that_cannot_fit_is_cut_and_reported(photo, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "tiny.json").write_text(
        json.dumps(
            {"name": "tiny", "text": [{"field": "title", "box": [0.1, 0.3, 0.8, 0.05], "max_size": 40, "min_size": 36}]}
        )
    )
    design = render_design([str(photo)], TITLES["long"], "tiny", data_dir=tmp_path)
    assert not design.text_fits and design.boxes[0]["lines"][-1].endswith("…")


def test_unknown_template_and_missing_image_are_explained(photo, tmp_path):
    with pytest.raises(ValidationError) as err:
        render_design([str(photo)], "t", "nope")
    assert err.value.code == "unknown_template" and "band-bottom" in err.value.fix
    with pytest.raises(ValidationError) as err:
        render_design([str(tmp_path / "missing.jpg")], "t", "band-top")
    assert err.value.code == "media_not_found"
