"""The offline drafter: deterministic template copy, no network. Default without a key.

It keeps the brand voice as an LLM is asked to: words to avoid never appear (they are taken out of the
notes), words to use are worked in, and the tone picks the phrases, the punctuation and the length
(studio.drafting.tone). Each media's facts (colours, shape, kind, length, file name) choose the details
and the phrasing, so ten pictures on one topic get ten different drafts; the same inputs always give the
same copy.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlparse

from studio import constraints
from studio.config import Settings
from studio.drafting import phrasebook as phrases
from studio.drafting.base import DraftInput, DraftOutput, register_drafter
from studio.drafting.tone import ToneStyle, tone_style
from studio.drafts import BrandVoice, find_avoided, without_avoided

COLOUR_NAMES = {
    (0, 0, 0): "black",
    (255, 255, 255): "white",
    (128, 128, 128): "grey",
    (220, 40, 40): "red",
    (240, 140, 30): "orange",
    (240, 220, 50): "yellow",
    (50, 160, 70): "green",
    (40, 90, 200): "blue",
    (130, 60, 170): "purple",
    (240, 150, 180): "pink",
    (140, 90, 50): "brown",
    (30, 50, 90): "navy",
    (60, 180, 180): "teal",
    (230, 215, 185): "beige",
}
FALLBACK_TOPIC = "Fresh idea"


def colour_name(hex_colour: str) -> str:
    """The nearest plain-English name of a #rrggbb colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return min(COLOUR_NAMES.items(), key=lambda kv: sum((a - c) ** 2 for a, c in zip(kv[0], (r, g, b))))[1]


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary so the text fits `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut[:limit]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Lower-case the first letter of a phrase ("Autumn soup"), not of "DIY shelves" or "iPhone"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


@dataclass(frozen=True)
class Look:
    """What the drafter can say about a media file, from its facts."""

    kind: str  # "image" or "video"
    palette: str  # "orange and beige"; "colourful" when unknown
    shape: str  # "portrait", "landscape", "square" or ""
    seconds: int  # a video's length, 0 for an image
    subject: str  # words from the file name ("squash bowl"), "" when it says nothing
    seed: int  # a stable number from the facts: which phrasings this media gets


def look_of(facts: dict, *, known_words: str, avoid: list[str]) -> Look:
    """The media's look; `known_words` (topic, keywords) are left out of the subject, and so are avoided words."""
    colours = list(dict.fromkeys(colour_name(c) for c in facts.get("dominant_colours") or []))[:2]
    orientation = str(facts.get("orientation") or "")
    shape = next((s for s in ("portrait", "landscape", "square") if orientation.startswith(s)), "")
    seconds = round(float(facts.get("duration_s") or 0))
    kind = "video" if seconds or facts.get("kind") == "video" else "image"
    fingerprint = json.dumps(facts, sort_keys=True, default=str).encode()
    return Look(
        kind=kind,
        palette=" and ".join(colours) if colours else "colourful",
        shape=shape,
        seconds=seconds,
        subject=file_subject(str(facts.get("file_name") or ""), known_words=known_words, avoid=avoid),
        seed=int.from_bytes(hashlib.sha256(fingerprint).digest()[:4], "big"),
    )


def file_subject(name: str, *, known_words: str, avoid: list[str]) -> str:
    """Up to three telling words of a file name ("Squash_bowl-top.jpg" → "squash bowl top")."""
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", PurePath(name).stem)
    known = {w.lower() for w in re.findall(r"\w+", known_words)}
    words = [
        w
        for w in (w.lower() for w in re.findall(r"[^\W\d_]+", stem))
        if len(w) > 2 and w not in phrases.FILE_NAME_NOISE and w not in known and not find_avoided(w, avoid)
    ]
    return " ".join(list(dict.fromkeys(words))[:3])


def first_clause(notes: str) -> str:
    """The notes' first sentence or line, without the shouting: what the pin is about."""
    # a full stop ends a sentence after a word of 3+ small letters ("soup. Great"), not "St. Ives"
    first = re.split(r"(?<=[a-z]{3}\.)\s+(?=[A-Z])|(?<=[!?…])\s+|\n", notes.strip(), maxsplit=1)[0]
    return re.sub(r"\s+", " ", first.replace("!", "")).strip(" .?…,;:-–—")


class OfflineDrafter:
    """Writes copy from templates in the brand voice; honest that it isn't an LLM."""

    name = "offline"
    model = "template-v2"

    def __init__(self, voice: BrandVoice | None = None) -> None:
        self.voice = voice or BrandVoice()

    def fingerprint(self) -> dict:
        """The voice changes the copy: part of the cache key."""
        return {"voice": self.voice.model_dump()}

    def draft(self, request: DraftInput) -> DraftOutput:
        avoid = self.voice.words_avoid
        style = tone_style(self.voice.tone)
        keywords = [k.strip() for k in request.keywords if k.strip()]
        keywords = keywords or list(request.grounding.get("keywords") or [])[:3]  # the board's best, from analytics
        keywords = [k for k in (without_avoided(k, avoid) for k in keywords) if re.search(r"\w", k)]
        topic = without_avoided(first_clause(request.topic), avoid)
        topic = topic if re.search(r"\w", topic) else (keywords[0] if keywords else FALLBACK_TOPIC)
        primary = keywords[0] if keywords else topic
        look = look_of({**request.media_facts}, known_words=f"{request.topic} {' '.join(keywords)}", avoid=avoid)
        lead = capitalise(topic)
        if primary.lower() not in lead.lower():
            lead = f"{capitalise(primary)}: {lead}"
        writer = _Writer(self.voice, style, look, request.variant)
        output = DraftOutput(
            title=writer.title(lead),
            description=clip(
                writer.description(lead, keywords, request.link, request.board), constraints.DESCRIPTION_MAX
            ),
            alt_text=clip(writer.alt_text(topic), constraints.ALT_TEXT_MAX),
            keywords=keywords or [primary],
            provider=self.name,
            model=self.model,
        )
        if request.slides:  # a carousel: its own title and description, each slide's alt text from its look
            from studio.drafting.carousel import offline_carousel

            return offline_carousel(self.voice, style, request, output, lead=lead, topic=topic)
        return output


class _Writer:
    """One draft's phrasing: the tone's register, the media's look, the alternative's number."""

    def __init__(self, voice: BrandVoice, style: ToneStyle, look: Look, variant: int) -> None:
        self.voice, self.style, self.look = voice, style, look
        self.register = style.register
        self.variant = variant

    def pick(self, options: list[str] | tuple[str, ...], aspect: str) -> str:
        """One of `options` for this media and alternative: each aspect (hook, pitch...) turns on its own."""
        if not options:
            return ""
        turn = int.from_bytes(hashlib.sha256(f"{self.look.seed}:{aspect}".encode()).digest()[:4], "big")
        return options[(turn + self.variant) % len(options)]

    def title(self, lead: str) -> str:
        """Lead (keyword first), a detail of this media, a hook; the hook then the detail go if it's too long."""
        lead = clip(lead, self.style.title_max)
        look = self.look
        details = [f" in {look.palette}"] if look.palette != "colourful" else []
        if look.subject:
            details.append(f", {look.subject} edition")
        if look.kind == "video":
            details.append(f" in {look.seconds} seconds" if look.seconds else " on video")
        detail = self.pick(details, "detail")
        hooks = [*phrases.TITLE_HOOKS[self.register], *(f"the {word} way" for word in self.voice.words_use[:3])]
        hook = self.pick(hooks, "hook")
        joint = " — " if ":" in lead else ": "
        forms = [f"{lead}{detail}{joint}{hook}"]
        if ":" not in lead:  # the hook may lead, while the keyword still shows in feeds
            forms.append(f"{capitalise(hook)}: {lower_first(lead)}{detail}")
        forms = [
            f for f in forms if lower_first(lead)[:12].lower() in f[: constraints.TITLE_FEED_VISIBLE].lower()
        ] or forms
        for candidate in (self.pick(forms, "form"), forms[0], f"{lead}{detail}", lead):
            if len(candidate) <= self.style.title_max:
                return candidate
        return lead

    def description(self, lead: str, keywords: list[str], link: str, board: str) -> str:
        """The lead with a pitch, then (as the tone's length allows) the voice's words, the look, a way on."""
        pitch = self.pick(phrases.PITCHES[self.register], "pitch")
        opener = self.pick(phrases.OPENERS[1:] if ":" in lead else phrases.OPENERS, "opener")
        first = opener.format(lead=lead.rstrip("."), lead_lower=lower_first(lead), pitch=pitch, Pitch=capitalise(pitch))
        first += "!" if self.style.exclaim else "."
        voice, look, way_on = self.voice_line(), self.look_line(), self.way_on(keywords[1:4], link, board)
        filler = "Save it for reference." if self.register == "formal" else "Save it for later."
        ranked = [s for s in (voice, way_on, look) if s]  # most important first: the tone may keep fewer
        while len(ranked) + 1 < self.style.min_sentences:
            ranked.append(filler)
        kept = ranked[: self.style.max_sentences - 1]
        order = (voice, look) if self.pick(["voice first", "look first"], "order") == "voice first" else (look, voice)
        return " ".join([first, *(s for s in (*order, way_on, filler) if s in kept)])

    def voice_line(self) -> str:
        words = self.voice.words_use[:3]
        if not words:
            return ""
        listed = _listed(words)
        line = self.pick(phrases.VOICE_LINES[self.register], "voice")
        return capitalise(line.format(words=listed, Words=capitalise(listed))) + "."

    def way_on(self, more: list[str], link: str, board: str) -> str:
        domain = urlparse(link).netloc.removeprefix("www.") if link else ""
        if domain:
            return phrases.READ_ON[self.register].format(domain=domain) + "."
        if more:
            return phrases.MORE_KEYWORDS[self.register].format(keywords=_listed(more)) + "."
        if board:
            return phrases.SAVE_TO[self.register].format(board=board) + "."
        return ""

    def look_line(self) -> str:
        look = self.look
        values = {
            "palette": look.palette,
            "Palette": capitalise(look.palette),
            "framing": phrases.FRAMING.get(look.shape, "framed to stand out"),
            "shape": phrases.SHAPES.get(look.shape, "bold"),
            "seconds": look.seconds,
            "subject": look.subject,
        }
        if look.kind == "video" and look.seconds:
            return self.pick(phrases.VIDEO_LINES, "look").format(**values) + "."
        lines = [*phrases.IMAGE_LINES, *([phrases.SUBJECT_LINE] if look.subject else [])]
        return self.pick(lines, "look").format(**values) + "."

    def alt_text(self, topic: str) -> str:
        """What is visible: the media's length, shape, kind and colours, and what it illustrates."""
        look = self.look
        seconds = f"{look.seconds}-second " if look.kind == "video" and look.seconds else ""
        shape = f"{look.shape} " if look.shape else ""
        first = seconds or shape or look.kind
        article = "An" if re.match(r"[aeiou]|8|1[18](?!\d)", first) else "A"
        return f"{article} {seconds}{shape}{look.kind} in {look.palette} tones illustrating {lower_first(topic)}."


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@register_drafter("offline")
def _offline(settings: Settings) -> OfflineDrafter:
    return OfflineDrafter(BrandVoice.from_settings(settings))
