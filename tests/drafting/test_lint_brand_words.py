"""The linter flags every word the brand avoids, in every field, however it is spelled.

The rule (studio.drafts.voice.find_avoided): case is ignored; the entry's last word may be plural or
possessive; a hyphen joins words like a space; an avoided word inside a hyphenated compound taints the
compound. A longer word that merely contains the entry is another word.
"""

from __future__ import annotations

import pytest

from studio.drafts import BrandVoice, lint

GOOD = {
    "title": "Autumn soup recipe: roasted squash in 30 minutes",
    "description": "This autumn soup recipe turns roasted squash into a silky dinner. Ginger and lime keep it bright.",
    "alt_text": "A white bowl of orange soup topped with seeds, on a wooden board beside a spoon.",
    "keywords": "autumn soup recipe",
}
VOICE = BrandVoice(words_avoid=["cheap", "amazing", "must have", "party"])


def brand_words(fields: dict, voice: BrandVoice = VOICE) -> dict:
    return next(r for r in lint({**GOOD, **fields}, voice=voice) if r["rule"] == "brand_words")


def test_the_issue_s_title_names_both_words():
    rule = brand_words({"title": "Amazing cheap autumn soup recipe"})
    assert not rule["ok"]
    assert "“amazing”" in rule["message"] and "“cheap”" in rule["message"], rule["message"]


@pytest.mark.parametrize(
    "written",
    [
        "Amazing",
        "AMAZING",
        "amazing-looking",
        "cheaps",
        "cheap-ish",
        "super-cheap",
        "cheap's",
        "cheap’s",
        "Must-have",
        "must have",
        "must-haves",
        "parties",
        "party's",
    ],
)
def test_case_plural_possessive_and_hyphen_variants_are_flagged(written):
    rule = brand_words({"title": f"Autumn soup recipe: a {written} bowl"})
    assert not rule["ok"], f"{written!r} slipped through"


@pytest.mark.parametrize("written", ["cheapskate", "amazingly", "cheaper", "partying", "must"])
def test_other_words_that_contain_an_entry_are_not_flagged(written):
    assert brand_words({"title": f"Autumn soup recipe: a {written} bowl"})["ok"]


@pytest.mark.parametrize(
    ("field", "name"), [("title", "title"), ("description", "description"), ("alt_text", "alt text")]
)
def test_every_field_is_checked_and_named(field, name):
    fields = {field: GOOD[field] + " Cheap-ish."}
    rule = brand_words(fields)
    assert not rule["ok"] and f"in the {name}" in rule["message"], rule["message"]


def test_each_word_is_named_with_every_field_it_appears_in():
    rule = brand_words(
        {
            "title": "Amazing autumn soup recipe",
            "description": GOOD["description"] + " Cheaps for everyone.",
            "alt_text": "An amazing-looking bowl, a cheap spoon.",
        }
    )
    message = rule["message"]
    assert "“amazing” in the title and alt text" in message, message
    assert "“cheap” in the description and alt text" in message, message


def test_clean_copy_passes():
    assert brand_words({})["ok"]


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        ("Amazing cheap autumn soup", "Autumn soup"),
        ("An amazing-looking cake", "A cake"),
        ("Quick, cheap soup for two", "Quick soup for two"),
        ("Soup, cheap.", "Soup."),
        ("A must-have mug (cheap)", "A mug"),
    ],
)
def test_taking_avoided_words_out_mends_the_sentence(text, mended):
    from studio.drafts.voice import without_avoided  # what the offline drafter does to the notes

    assert without_avoided(text, VOICE.words_avoid) == mended
