"""The SEO linter: Pinterest's copy rules, run on every draft from any source (LLM, template, hand edit).

`lint(fields, ...)` returns `[{rule, ok, message}]`, one line per rule, in a stable order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlparse

from studio import constraints as C
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


def _rule(rule: str, ok: bool, message: str) -> dict:
    return {"rule": rule, "ok": bool(ok), "message": message}


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text or "").strip().lower()


def count_sentences(text: str) -> int:
    text = re.sub(r"#\w+", "", text or "").strip()
    return len([s for s in re.split(r"(?<=[.!?])\s+", text) if re.search(r"\w", s)])


def lint(
    fields: dict,
    *,
    voice: BrandVoice | None = None,
    store: Store | None = None,
    draft_id: int | None = None,
    trimmed: Iterable[str] = (),
) -> list[dict]:
    """Check pin copy against Pinterest's SEO rules; one {rule, ok, message} per rule."""
    voice = voice or BrandVoice()
    title = (fields.get("title") or "").strip()
    desc = (fields.get("description") or "").strip()
    alt = (fields.get("alt_text") or "").strip()
    link = (fields.get("link") or "").strip()
    keywords = keyword_list(fields.get("keywords"))
    primary = keywords[0].lower() if keywords else ""
    results = [
        _rule(
            "title_length",
            0 < len(title) <= C.TITLE_MAX,
            f"Title is {len(title)}/{C.TITLE_MAX} characters." if title else "Title is empty.",
        ),
    ]
    if primary:
        pos = title.lower().find(primary)
        results.append(
            _rule(
                "title_keyword",
                pos >= 0 and pos + len(primary) <= C.TITLE_FEED_VISIBLE,
                f"“{keywords[0]}” is in the first {C.TITLE_FEED_VISIBLE} characters of the title."
                if pos >= 0 and pos + len(primary) <= C.TITLE_FEED_VISIBLE
                else f"Put “{keywords[0]}” in the first {C.TITLE_FEED_VISIBLE} characters of the title "
                "(that's what shows in feeds).",
            )
        )
    else:
        results.append(_rule("title_keyword", False, "No target keyword given: add one so the title can lead with it."))
    n = count_sentences(desc)
    results += [
        _rule(
            "description_length",
            0 < len(desc) <= C.DESCRIPTION_MAX,
            f"Description is {len(desc)}/{C.DESCRIPTION_MAX} characters." if desc else "Description is empty.",
        ),
        _rule(
            "description_sentences",
            SENTENCES[0] <= n <= SENTENCES[1],
            f"Description has {n} sentence{'s' * (n != 1)} (aim for 1–3 natural sentences).",
        ),
    ]
    if primary:
        early = primary in desc.lower()[:KEYWORD_EARLY_CHARS]
        results.append(
            _rule(
                "description_keyword_early",
                early,
                f"“{keywords[0]}” appears early in the description."
                if early
                else f"Mention “{keywords[0]}” in the first sentence of the description.",
            )
        )
    stuffed = [
        k for k in keywords if len(re.findall(re.escape(k.lower()), f"{title} {desc}".lower())) > KEYWORD_MAX_REPEATS
    ]
    results.append(
        _rule(
            "keyword_stuffing",
            not stuffed,
            "No keyword repeated more than twice."
            if not stuffed
            else f"“{stuffed[0]}” is repeated more than twice: Pinterest reads that as stuffing.",
        )
    )
    tags = re.findall(r"(?<!\w)#\w+", desc)
    results.append(
        _rule(
            "hashtags",
            voice.hashtags or not tags,
            f"{len(tags)} hashtag(s); the brand voice allows them."
            if voice.hashtags
            else (
                "No hashtags."
                if not tags
                else f"Remove the hashtags ({', '.join(tags[:3])}): the brand voice doesn't use them."
            ),
        )
    )
    copy_of = next(
        (
            name
            for name, other in (("title", title), ("description", desc))
            if alt and other and SequenceMatcher(None, _norm(alt), _norm(other)).ratio() >= ALT_COPY_SIMILARITY
        ),
        None,
    )
    alt_rules = [
        _rule(
            "alt_text_length",
            0 < len(alt) <= C.ALT_TEXT_MAX,
            f"Alt text is {len(alt)}/{C.ALT_TEXT_MAX} characters."
            if alt
            else "Alt text is empty: describe what the image shows for people using screen readers.",
        ),
        _rule(
            "alt_text_not_copy",
            not copy_of,
            "Alt text describes the image in its own words."
            if not copy_of
            else f"Alt text copies the {copy_of}: describe what is visible instead.",
        ),
        _rule(
            "alt_text_start",
            not alt.lower().startswith(BAD_ALT_STARTS),
            "Alt text starts with what is shown."
            if not alt.lower().startswith(BAD_ALT_STARTS)
            else "Don't start alt text with “image of”: screen readers already say it's an image.",
        ),
    ]
    # Empty alt text is one problem, said once: its copy and wording checks would pass vacuously.
    results += alt_rules if alt else alt_rules[:1]
    avoided = avoided_in_fields({"title": title, "description": desc, "alt text": alt}, voice.words_avoid)
    if voice.words_avoid:
        results.append(_rule("brand_words", not avoided, avoided_message(avoided)))
    results += _link_rules(link)
    for field in trimmed:
        results.append(
            _rule(
                f"{field}_trimmed",
                False,
                f"The model's {field.replace('_', ' ')} was too long even after a retry and was cut "
                "at a word boundary: read it before publishing.",
            )
        )
    if store is not None:
        results += _duplicate_rules(store, title, link, fields.get("media_id"), draft_id)
    return results


def _link_rules(link: str) -> list[dict]:
    if not link:
        return [_rule("link_https", True, "No destination link (optional, but links drive traffic).")]
    parsed = urlparse(link)
    host = (parsed.hostname or "").lower().removeprefix("www.")
    https = parsed.scheme == "https" and bool(host)
    return [
        _rule(
            "link_https",
            https,
            "Link uses https."
            if https
            else "Use an https:// link: Pinterest may warn people away from insecure links.",
        ),
        _rule(
            "link_not_shortener",
            host not in SHORTENERS,
            "Link goes straight to the destination."
            if host not in SHORTENERS
            else f"{host} is a link shortener: Pinterest treats hidden destinations as spam. Paste the full address.",
        ),
    ]


def _duplicate_rules(store: Store, title: str, link: str, media_id: Any, draft_id: int | None) -> list[dict]:
    """No two drafts share a title, or a link + image pair: Pinterest treats repeats as spam."""
    same_title = store.draft_with_title(title, excluding=draft_id) if title else None
    same_pair = store.draft_with_link_and_media(link, media_id, excluding=draft_id) if link and media_id else None
    return [
        _rule(
            "unique_title",
            not same_title,
            "No other draft has this title."
            if not same_title
            else f"Draft #{same_title} already has this title: make each pin's title unique.",
        ),
        _rule(
            "unique_link_image",
            not same_pair,
            "No other draft pairs this link with this image."
            if not same_pair
            else f"Draft #{same_pair} already pins this image to this link: change one of them.",
        ),
    ]


def passed(results: list[dict]) -> bool:
    return all(r["ok"] for r in results)
