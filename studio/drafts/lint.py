"""The SEO linter: Pinterest's copy rules, run on every draft from any source (LLM, template, hand edit).

`lint(fields, ...)` runs `RULES` (each a function of the copy returning its `Check`s) and returns
`[{rule, ok, message}]`, one line per rule, in a stable order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlparse

from studio import constraints
from studio.drafts.voice import BrandVoice, avoided_in_fields, avoided_message
from studio.storage import Store

# Link shorteners hide the destination; Pinterest treats them as spam-like (Pinterest community
# guidelines on "misleading links"). The common public ones:
SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "rb.gy",
        "tiny.cc",
        "lnkd.in",
        "s.id",
        "t.ly",
        "bl.ink",
        "soo.gd",
        "v.gd",
        "shorte.st",
        "adf.ly",
        "linktr.ee",
        "amzn.to",
        "youtu.be",
        "fb.me",
        "trib.al",
        "dlvr.it",
    }
)
KEYWORD_EARLY_CHARS = 150  # "keyword early": within roughly the first sentence of the description
KEYWORD_MAX_REPEATS = 2  # a keyword more than twice reads as stuffing
ALT_COPY_SIMILARITY = 0.9  # alt text this close to the title/description is a copy, not a description
SENTENCES = (1, 3)
BAD_ALT_STARTS = ("image of", "picture of", "photo of", "an image of", "a picture of", "a photo of")


def keyword_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.replace(";", ",").split(",") if k.strip()]
    return [str(k).strip() for k in (value or []) if str(k).strip()]


@dataclass(frozen=True)
class Check:
    """One rule's verdict on the copy: `message` says what passed, or what to change."""

    rule: str
    ok: bool
    message: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "ok": bool(self.ok), "message": self.message}


@dataclass(frozen=True)
class PinCopy:
    """The fields the rules read, trimmed, with the keywords as a list (the first one is the target)."""

    title: str
    description: str
    alt_text: str
    link: str
    keywords: list[str]
    voice: BrandVoice

    @classmethod
    def of(cls, fields: dict, voice: BrandVoice) -> PinCopy:
        def text(name: str) -> str:
            return (fields.get(name) or "").strip()

        keywords = keyword_list(fields.get("keywords"))
        return cls(text("title"), text("description"), text("alt_text"), text("link"), keywords, voice)

    @property
    def primary(self) -> str:
        return self.keywords[0].lower() if self.keywords else ""


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text or "").strip().lower()


def count_sentences(text: str) -> int:
    text = re.sub(r"#\w+", "", text or "").strip()
    return len([s for s in re.split(r"(?<=[.!?])\s+", text) if re.search(r"\w", s)])


# --- the rules, in the order lint() reports them: each returns its checks (none when it doesn't apply) ------
def title_length(copy: PinCopy) -> list[Check]:
    title = copy.title
    said = f"Title is {len(title)}/{constraints.TITLE_MAX} characters." if title else "Title is empty."
    return [Check("title_length", 0 < len(title) <= constraints.TITLE_MAX, said)]


def title_keyword(copy: PinCopy) -> list[Check]:
    if not copy.primary:
        return [Check("title_keyword", False, "No target keyword given: add one so the title can lead with it.")]
    keyword, visible = copy.keywords[0], constraints.TITLE_FEED_VISIBLE
    pos = copy.title.lower().find(copy.primary)
    if pos >= 0 and pos + len(copy.primary) <= visible:
        return [Check("title_keyword", True, f"“{keyword}” is in the first {visible} characters of the title.")]
    said = f"Put “{keyword}” in the first {visible} characters of the title (that's what shows in feeds)."
    return [Check("title_keyword", False, said)]


def description_length(copy: PinCopy) -> list[Check]:
    desc = copy.description
    said = f"Description is {len(desc)}/{constraints.DESCRIPTION_MAX} characters." if desc else "Description is empty."
    return [Check("description_length", 0 < len(desc) <= constraints.DESCRIPTION_MAX, said)]


def description_sentences(copy: PinCopy) -> list[Check]:
    n = count_sentences(copy.description)
    said = f"Description has {n} sentence{'s' * (n != 1)} (aim for 1–3 natural sentences)."
    return [Check("description_sentences", SENTENCES[0] <= n <= SENTENCES[1], said)]


def description_keyword_early(copy: PinCopy) -> list[Check]:
    if not copy.primary:
        return []
    keyword = copy.keywords[0]
    if copy.primary in copy.description.lower()[:KEYWORD_EARLY_CHARS]:
        return [Check("description_keyword_early", True, f"“{keyword}” appears early in the description.")]
    return [Check("description_keyword_early", False, f"Mention “{keyword}” in the first sentence of the description.")]


def keyword_stuffing(copy: PinCopy) -> list[Check]:
    text = f"{copy.title} {copy.description}".lower()
    stuffed = [k for k in copy.keywords if len(re.findall(re.escape(k.lower()), text)) > KEYWORD_MAX_REPEATS]
    if not stuffed:
        return [Check("keyword_stuffing", True, "No keyword repeated more than twice.")]
    said = f"“{stuffed[0]}” is repeated more than twice: Pinterest reads that as stuffing."
    return [Check("keyword_stuffing", False, said)]


def hashtags(copy: PinCopy) -> list[Check]:
    tags = re.findall(r"(?<!\w)#\w+", copy.description)
    if copy.voice.hashtags:
        return [Check("hashtags", True, f"{len(tags)} hashtag(s); the brand voice allows them.")]
    if not tags:
        return [Check("hashtags", True, "No hashtags.")]
    said = f"Remove the hashtags ({', '.join(tags[:3])}): the brand voice doesn't use them."
    return [Check("hashtags", False, said)]


def alt_text(copy: PinCopy) -> list[Check]:
    """Empty alt text is one problem, said once: its copy and wording checks would pass vacuously."""
    alt = copy.alt_text
    if not alt:
        said = "Alt text is empty: describe what the image shows for people using screen readers."
        return [Check("alt_text_length", False, said)]
    copy_of = next(
        (
            name
            for name, other in (("title", copy.title), ("description", copy.description))
            if other and SequenceMatcher(None, _norm(alt), _norm(other)).ratio() >= ALT_COPY_SIMILARITY
        ),
        None,
    )
    bad_start = alt.lower().startswith(BAD_ALT_STARTS)
    return [
        Check(
            "alt_text_length",
            len(alt) <= constraints.ALT_TEXT_MAX,
            f"Alt text is {len(alt)}/{constraints.ALT_TEXT_MAX} characters.",
        ),
        Check(
            "alt_text_not_copy",
            not copy_of,
            f"Alt text copies the {copy_of}: describe what is visible instead."
            if copy_of
            else "Alt text describes the image in its own words.",
        ),
        Check(
            "alt_text_start",
            not bad_start,
            "Don't start alt text with “image of”: screen readers already say it's an image."
            if bad_start
            else "Alt text starts with what is shown.",
        ),
    ]


def brand_words(copy: PinCopy) -> list[Check]:
    if not copy.voice.words_avoid:
        return []
    fields = {"title": copy.title, "description": copy.description, "alt text": copy.alt_text}
    avoided = avoided_in_fields(fields, copy.voice.words_avoid)
    return [Check("brand_words", not avoided, avoided_message(avoided))]


def link(copy: PinCopy) -> list[Check]:
    if not copy.link:
        return [Check("link_https", True, "No destination link (optional, but links drive traffic).")]
    parsed = urlparse(copy.link)
    host = (parsed.hostname or "").lower().removeprefix("www.")
    https = parsed.scheme == "https" and bool(host)
    shortened = host in SHORTENERS
    return [
        Check(
            "link_https",
            https,
            "Link uses https."
            if https
            else "Use an https:// link: Pinterest may warn people away from insecure links.",
        ),
        Check(
            "link_not_shortener",
            not shortened,
            f"{host} is a link shortener: Pinterest treats hidden destinations as spam. Paste the full address."
            if shortened
            else "Link goes straight to the destination.",
        ),
    ]


Rule = Callable[[PinCopy], list[Check]]
RULES: tuple[Rule, ...] = (
    title_length,
    title_keyword,
    description_length,
    description_sentences,
    description_keyword_early,
    keyword_stuffing,
    hashtags,
    alt_text,
    brand_words,
    link,
)


def lint(
    fields: dict,
    *,
    voice: BrandVoice | None = None,
    store: Store | None = None,
    draft_id: int | None = None,
    trimmed: Iterable[str] = (),
) -> list[dict]:
    """Check pin copy against Pinterest's SEO rules; one {rule, ok, message} per rule."""
    copy = PinCopy.of(fields, voice or BrandVoice())
    checks = [check for rule in RULES for check in rule(copy)]
    checks += [_trimmed(field) for field in trimmed]
    if store is not None:
        checks += _duplicate_rules(store, copy.title, copy.link, fields.get("media_id"), draft_id)
    return [check.as_dict() for check in checks]


def _trimmed(field: str) -> Check:
    """The model's answer for `field` was cut to fit (drafting says which): a person should read it."""
    said = (
        f"The model's {field.replace('_', ' ')} was too long even after a retry and was cut "
        "at a word boundary: read it before publishing."
    )
    return Check(f"{field}_trimmed", False, said)


def _duplicate_rules(store: Store, title: str, link: str, media_id: Any, draft_id: int | None) -> list[Check]:
    """No two drafts share a title, or a link + image pair: Pinterest treats repeats as spam."""
    same_title = store.draft_with_title(title, excluding=draft_id) if title else None
    same_pair = store.draft_with_link_and_media(link, media_id, excluding=draft_id) if link and media_id else None
    return [
        Check(
            "unique_title",
            not same_title,
            "No other draft has this title."
            if not same_title
            else f"Draft #{same_title} already has this title: make each pin's title unique.",
        ),
        Check(
            "unique_link_image",
            not same_pair,
            "No other draft pairs this link with this image."
            if not same_pair
            else f"Draft #{same_pair} already pins this image to this link: change one of them.",
        ),
    ]


def passed(results: list[dict]) -> bool:
    return all(r["ok"] for r in results)
