"""The brand voice: tone, words to use and avoid, language, hashtags. Drafting writes with it; the linter checks it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from studio.config import Settings


class BrandVoice(BaseModel):
    """How the brand sounds; from Settings, overridable per experiment variant."""

    tone: str = "friendly, helpful, concrete"
    words_use: list[str] = Field(default_factory=list)
    words_avoid: list[str] = Field(default_factory=list)
    language: str = "English"
    hashtags: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> BrandVoice:
        return cls(
            tone=settings.brand_tone,
            words_use=split_words(settings.brand_words_use),
            words_avoid=split_words(settings.brand_words_avoid),
            language=settings.brand_language,
            hashtags=settings.brand_hashtags,
        )


def split_words(text: str) -> list[str]:
    return [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]


# --- words the brand avoids -------------------------------------------------------------------
# A word is a run of letters and digits, with inner apostrophes ("it's"). Hyphens join words into one
# compound ("cheap-ish"); an avoided word inside a compound taints the whole compound.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen
_COMPOUND = re.compile(rf"[^\W_]+(?:['{_HYPHENS}][^\W_]+)*")


@dataclass(frozen=True)
class AvoidedWord:
    """One place where copy uses a word the brand avoids: the list's entry and the text as written."""

    entry: str
    found: str
    start: int
    end: int


def word_forms(word: str) -> set[str]:
    """The spellings of `word` (lower case) the avoid list covers: itself, plurals and the possessive."""
    forms = {word, f"{word}s", f"{word}es", f"{word}'s"}
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        forms.add(f"{word[:-1]}ies")  # party → parties
    return forms


def _entry_words(entry: str) -> list[str]:
    return _WORD.findall(_plain(entry).lower())


def _plain(text: str) -> str:
    return (text or "").replace("\u2019", "'")  # a typographic apostrophe is an apostrophe


def find_avoided(text: str, words_avoid: Iterable[str]) -> list[AvoidedWord]:
    """Every use in `text` of a word (or phrase) from the avoid list, in reading order.

    Matching ignores case; the last word of an entry may be plural or possessive ("cheaps", "party" →
    "parties", "cheap's"); words of a phrase may be joined by spaces or hyphens ("must have" matches
    "must-have"); a match inside a hyphenated compound covers the compound ("cheap-ish", "super-cheap").
    A longer word that merely contains the entry ("cheapskate", "amazingly", "cheaper") is another word.
    """
    text = _plain(text)
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    compounds = [(m.start(), m.end()) for m in _COMPOUND.finditer(text)]
    entries = [(entry, words) for entry in words_avoid if (words := _entry_words(entry))]
    found: list[AvoidedWord] = []
    for i in range(len(tokens)):
        for entry, words in entries:
            end = _match_at(text, tokens, i, words)
            if end is None:
                continue
            start = tokens[i][1]
            start, end = next(((s, e) for s, e in compounds if s <= start < e and e >= end), (start, end))
            found.append(AvoidedWord(entry, text[start:end], start, end))
    return found


def _match_at(text: str, tokens: list[tuple[str, int, int]], i: int, words: list[str]) -> int | None:
    """Where the phrase `words` ends if it starts at token `i`; None if it doesn't."""
    if i + len(words) > len(tokens):
        return None
    run = tokens[i : i + len(words)]
    for k, (word, (token, _start, _end)) in enumerate(zip(words, run)):
        last = k == len(words) - 1
        if token != word and not (last and token in word_forms(word)):
            return None
        if k and text[run[k - 1][2] : run[k][1]].strip(_HYPHENS + " \t\n") != "":
            return None  # the phrase's words must be neighbours (spaces or hyphens between them)
    return run[-1][2]


def without_avoided(text: str, words_avoid: Iterable[str]) -> str:
    """`text` with every avoided word (and its compound) taken out, the sentence mended around the gap:
    a comma that now leads nowhere goes, "a"/"an" agrees with the next word, a capital stays a capital."""
    hits = find_avoided(text, words_avoid)
    if not hits:
        return text
    out, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start >= pos:
            out.append(text[pos : hit.start] + _GAP)
        pos = max(pos, hit.end)
    mended = _mend("".join(out) + text[pos:])
    if text[:1].isupper():
        mended = mended[:1].upper() + mended[1:]
    return mended


_GAP = "\x00"  # where a word was taken out, until the sentence is mended
_VOWEL_SOUND = re.compile(r"(?i)(?!u[^aeiou][aeiou]|one|eu)[aeiou]|hour|honest|honou?r")


def _mend(text: str) -> str:
    # "quick, cheap soup" → "quick soup"; "soup, cheap." → "soup."; then "cheap, quick soup" → "quick soup"
    text = re.sub(rf",((?:\s*{_GAP})+)(?=\s+\w|\s*[.;:!?…)]|\s*$)", r"\1", text)
    text = re.sub(rf"{_GAP}[\s{_GAP}]*,", _GAP, text)
    text = re.sub(
        rf"\b([Aa])n?((?:\s*{_GAP})+\s*)(?=(\w+))",
        lambda m: m.group(1) + ("n" if _VOWEL_SOUND.match(m.group(3)) else "") + m.group(2),
        text,
    )
    text = re.sub(rf"[ \t]*{_GAP}[ \t{_GAP}]*", " ", text)
    text = re.sub(r"[ \t]+([,.;:!?…)])", r"\1", text)
    text = re.sub(r"\([ \t]*\)", "", text)
    text = re.sub(r"^[\s,;:&-]*(?:(?:and|or|&)\s+)?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?:\s+(?:and|or|&))?[\s,;:&-]*$", "", text, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", text)


def avoided_in_fields(fields: dict[str, str], words_avoid: Iterable[str]) -> dict[str, list[str]]:
    """Each avoided entry used in the copy → the fields it appears in (in the order given)."""
    words_avoid = list(words_avoid)
    where: dict[str, list[str]] = {}
    for field, text in fields.items():
        for hit in find_avoided(text, words_avoid):
            if field not in where.setdefault(hit.entry, []):
                where[hit.entry].append(field)
    return where


def avoided_message(where: dict[str, list[str]]) -> str:
    """The linter's sentence naming every avoided word and where it is."""
    if not where:
        return "No words the brand avoids."
    parts = [f"“{entry}” in the {_and(fields)}" for entry, fields in where.items()]
    them = "them" if len(parts) > 1 else "it"
    return f"Replace {_and(parts)}: the brand voice avoids {them}."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
