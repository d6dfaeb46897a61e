"""The SEO linter on good and bad copy, from any source."""

from __future__ import annotations

from studio.drafting.prompts import BrandVoice
from studio.drafts.lint import lint, passed
from tests.support.people import editor

GOOD = {
    "title": "Autumn soup recipe: roasted squash in 30 minutes",
    "description": "This autumn soup recipe turns roasted squash into a silky dinner. Ginger and lime keep it bright.",
    "alt_text": "A white bowl of orange soup topped with seeds, on a wooden board beside a spoon.",
    "link": "https://example.com/recipes/squash-soup",
    "keywords": "autumn soup recipe, squash soup",
}


def failing(results: list[dict]) -> dict[str, str]:
    return {r["rule"]: r["message"] for r in results if not r["ok"]}


def test_good_copy_passes_every_rule():
    results = lint(GOOD)
    assert passed(results), failing(results)
    assert all(r["message"] for r in results)


def test_long_title_and_late_keyword():
    bad = {**GOOD, "title": "A very long and winding introduction before the autumn soup recipe " + "x" * 40}
    fails = failing(lint(bad))
    assert "title_length" in fails and "/100" in fails["title_length"]
    assert "title_keyword" in fails and "first 40" in fails["title_keyword"]


def test_description_rules():
    stuffed = {
        **GOOD,
        "description": "Autumn soup recipe. Best autumn soup recipe! Autumn soup recipe ideas. "
        "More. Even more. #soup #autumn",
    }
    fails = failing(lint(stuffed))
    assert {"description_sentences", "keyword_stuffing", "hashtags"} <= set(fails)
    assert "#soup" in fails["hashtags"]
    assert "hashtags" not in failing(lint(stuffed, voice=BrandVoice(hashtags=True)))
    late = {**GOOD, "description": "x " * 100 + "autumn soup recipe."}
    assert "description_keyword_early" in failing(lint(late))


def test_alt_text_rules():
    assert "alt_text_not_copy" in failing(lint({**GOOD, "alt_text": GOOD["title"]}))
    assert "alt_text_start" in failing(lint({**GOOD, "alt_text": "Image of a bowl of soup"}))
    assert "alt_text_length" in failing(lint({**GOOD, "alt_text": ""}))


def test_link_rules():
    assert "link_https" in failing(lint({**GOOD, "link": "http://example.com/soup"}))
    fails = failing(lint({**GOOD, "link": "https://bit.ly/3abc"}))
    assert "link_not_shortener" in fails and "bit.ly" in fails["link_not_shortener"]


def test_brand_words_to_avoid_and_trimmed_flag():
    fails = failing(
        lint({**GOOD, "title": "Cheap autumn soup recipe"}, voice=BrandVoice(words_avoid=["cheap"]), trimmed=["title"])
    )
    assert "brand_words" in fails and "title_trimmed" in fails


def test_duplicates_in_the_store(store):
    media = store.add_media(sha256="a" * 64, kind="image", path="media/a.jpg")
    first = store.create_draft(media_id=media.id, actor=editor(), **{k: v for k, v in GOOD.items()})
    # the draft itself is not its own duplicate
    assert passed(lint({**GOOD, "media_id": media.id}, store=store, draft_id=first.id))
    fails = failing(lint({**GOOD, "title": GOOD["title"].upper(), "media_id": media.id}, store=store))
    assert f"#{first.id}" in fails["unique_title"] and f"#{first.id}" in fails["unique_link_image"]
