"""The built-in offline drafter keeps the brand voice set in Settings (words to avoid, words to use, tone),
and ten pictures on one topic get ten drafts that don't read alike."""

from __future__ import annotations

import io
import itertools
import re
from difflib import SequenceMatcher

import pytest
from PIL import Image, ImageDraw

from studio.drafting import service_for
from studio.drafts import BrandVoice
from studio.drafts.lint import count_sentences
from studio.media.assets import ingest_image
from studio.preferences import load_settings

NOTES = "Amazing cheap autumn soup!!! Great for cold nights"
MAX_MEAN_SIMILARITY = 0.6  # difflib ratio of two drafts' title + description, averaged over every pair


def two_tone(size: tuple[int, int], back: str, front: str) -> bytes:
    img = Image.new("RGB", size, back)
    w, h = size
    ImageDraw.Draw(img).ellipse((w * 0.2, h * 0.2, w * 0.8, h * 0.7), fill=front)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


# Ten pictures a marketer might upload for one soup campaign: other colours, shapes and file names.
PICTURES = [
    ("IMG_2043.jpg", (1000, 1500), "#c8581e", "#f2c14e"),
    ("squash-bowl.jpg", (1000, 1500), "#f2c14e", "#6b4226"),
    ("DSC_0001.jpg", (1500, 1000), "#2b3a55", "#e8d5b5"),
    ("soup_on_the_table.jpg", (1200, 1200), "#3e7c3a", "#d9ead3"),
    ("PXL_20240101_120000.jpg", (1000, 1500), "#dc2828", "#ffffff"),
    ("bread-and-soup.jpg", (1000, 1500), "#f5f0e6", "#8c5a32"),
    ("photo.jpg", (1080, 1080), "#1e325a", "#f096b4"),
    ("ladle-closeup.jpg", (1000, 1500), "#101010", "#e6d7b9"),
    ("IMG_9.jpg", (1600, 900), "#823caa", "#f0dc32"),
    ("pumpkin-spoon.jpg", (1000, 1500), "#f08c1e", "#3cb4b4"),
]


@pytest.fixture
def pictures(store, data_dir):
    return [ingest_image(store, data_dir, two_tone(size, back, front), name)[0] for name, size, back, front in PICTURES]


def drafting(store, monkeypatch, **brand: str):
    for name, value in brand.items():
        monkeypatch.setenv(f"STUDIO_BRAND_{name.upper()}", value)
    return service_for(store, load_settings())


def words_of(copy) -> str:
    return f"{copy.title} {copy.description} {copy.alt_text}"


def failing(result) -> dict:
    return {r["rule"]: r["message"] for r in result.lint if not r["ok"]}


def test_words_to_avoid_never_reach_the_draft(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, words_avoid="amazing, cheap")
    result = service.draft(media_id=pictures[0].id, topic=NOTES, keywords="autumn soup")
    copy = result.output
    assert not re.search(r"amazing|cheap", words_of(copy), re.IGNORECASE), words_of(copy)
    assert "autumn soup" in copy.title.lower() and "!" not in copy.title
    assert "brand_words" not in failing(result) and "title_keyword" not in failing(result)


def test_notes_made_only_of_avoided_words_fall_back_to_the_keyword(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, words_avoid="amazing, cheap")
    copy = service.draft(media_id=pictures[0].id, topic="Amazing cheap…", keywords="autumn soup").output
    assert "autumn soup" in copy.title.lower() and "…" not in copy.title


def test_words_to_use_are_worked_in(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, words_use="homemade, slow-cooked")
    for picture in pictures[:3]:
        copy = service.draft(media_id=picture.id, topic="Autumn soup", keywords="autumn soup").output
        said = copy.description.lower()
        assert "homemade" in said and "slow-cooked" in said, copy.description


def test_a_playful_tone_may_exclaim_once(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, tone="playful, cheeky")
    for picture in pictures[:4]:
        result = service.draft(media_id=picture.id, topic=NOTES, keywords="autumn soup")
        copy = result.output
        assert copy.description.count("!") == 1 and "!" not in copy.title + copy.alt_text, words_of(copy)
        assert "description_sentences" not in failing(result)


@pytest.mark.parametrize("tone", ["calm", "professional", "friendly, helpful, concrete"])
def test_other_tones_never_exclaim_even_when_the_notes_shout(store, monkeypatch, pictures, tone):
    service = drafting(store, monkeypatch, tone=tone)
    for picture in pictures[:4]:
        copy = service.draft(media_id=picture.id, topic=NOTES, keywords="autumn soup").output
        assert "!" not in words_of(copy), words_of(copy)


def test_a_professional_tone_uses_no_contractions(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, tone="professional", words_use="seasonal")
    for picture in pictures:
        copy = service.draft(media_id=picture.id, topic="Autumn soup", keywords="autumn soup").output
        assert not re.search(r"\w'(s|ll|re|ve|d)\b", words_of(copy)), words_of(copy)


def test_a_concise_tone_writes_short_titles_and_two_sentences(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, tone="concise", words_use="homemade")
    for picture in pictures:
        copy = service.draft(
            media_id=picture.id,
            topic="Slow-roasted butternut squash and ginger soup with toasted seeds for chilly autumn evenings",
            keywords="autumn soup, squash soup, ginger soup",
            link="https://example.com/soup",
        ).output
        assert len(copy.title) <= 60 and count_sentences(copy.description) <= 2, (copy.title, copy.description)


def test_a_detailed_tone_writes_three_sentences(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, tone="detailed")
    copy = service.draft(media_id=pictures[0].id, topic="Autumn soup", keywords="autumn soup").output
    assert count_sentences(copy.description) == 3, copy.description


def test_ten_pictures_on_one_topic_get_drafts_that_do_not_read_alike(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch)
    results = [service.draft(media_id=p.id, topic="Autumn soup", keywords="autumn soup") for p in pictures]
    copies = [r.output for r in results]
    assert len({c.title for c in copies}) == len(pictures), [c.title for c in copies]
    texts = [f"{c.title} {c.description}" for c in copies]
    ratios = [SequenceMatcher(None, a, b).ratio() for a, b in itertools.combinations(texts, 2)]
    assert sum(ratios) / len(ratios) < MAX_MEAN_SIMILARITY, texts
    for result in results:  # varied, and still by the rules
        assert not failing(result), (result.output.title, failing(result))


def test_the_same_picture_and_voice_give_the_same_draft(store, monkeypatch, pictures):
    service = drafting(store, monkeypatch, tone="playful")
    first = service.draft(media_id=pictures[1].id, topic="Autumn soup", keywords="autumn soup").output
    again = service.draft(media_id=pictures[1].id, topic="Autumn soup", keywords="autumn soup", fresh=True).output
    assert (again.title, again.description, again.alt_text) == (first.title, first.description, first.alt_text)


def test_changing_the_voice_drafts_afresh_instead_of_serving_the_old_copy(store, monkeypatch, pictures):
    before = drafting(store, monkeypatch).draft(media_id=pictures[2].id, topic=NOTES, keywords="autumn soup")
    assert "amazing" in words_of(before.output).lower()
    after = drafting(store, monkeypatch, words_avoid="amazing").draft(
        media_id=pictures[2].id, topic=NOTES, keywords="autumn soup"
    )
    assert not after.cached and "amazing" not in words_of(after.output).lower()


def test_an_experiment_variant_s_tone_reaches_the_offline_drafter(settings):
    from studio.drafting.experiments import Variant, variant_drafter

    drafter = variant_drafter(settings, Variant(tone="playful"))
    assert drafter.voice == BrandVoice.from_settings(settings).model_copy(update={"tone": "playful"})
