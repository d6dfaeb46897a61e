"""What a brand voice's tone asks of template copy: its register (the phrases used), its punctuation and its length.

The tone is free text ("friendly, helpful, concrete", "calm and professional", "playful, short"); words in it
choose the rules, documented in the README (Brand voice):

- register: playful words → lively phrases and one exclamation mark (ending the description's first sentence);
  calm or formal words → no exclamation mark anywhere (formal copy also has no contractions); otherwise
  friendly, and no exclamation mark either. Calm or formal wins over playful ("playful but professional").
- length: concise words → a title of at most 60 characters and at most 2 description sentences; detailed
  words → always 3 sentences; otherwise 2 or 3, as there is something to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio import constraints


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLAYFUL = _words("playful fun witty cheeky bubbly energetic enthusiastic excited upbeat cheerful bold quirky lively")
CALM = _words("calm serene gentle soft soothing relaxed quiet mindful understated peaceful")
FORMAL = _words(
    "professional formal serious corporate authoritative expert elegant luxury luxurious sophisticated refined"
)
CONCISE = _words("concise short brief minimal minimalist punchy crisp direct terse")
DETAILED = _words("detailed informative thorough educational descriptive explanatory")
CONCISE_TITLE_MAX = 60  # a concise title says it in little more than what shows in feeds


@dataclass(frozen=True)
class ToneStyle:
    """The rules template copy follows for one tone."""

    register: str = "friendly"  # "friendly", "playful", "calm" or "formal": which phrases are used
    exclaim: bool = False  # one exclamation mark allowed (ending the description's first sentence)
    title_max: int = constraints.TITLE_MAX
    max_sentences: int = 3
    min_sentences: int = 1


def tone_style(tone: str) -> ToneStyle:
    """The style a free-text tone asks for (unknown words leave the friendly default)."""
    words = set(re.findall(r"[a-z]+", (tone or "").lower()))
    if words & FORMAL:
        register = "formal"
    elif words & CALM:
        register = "calm"
    elif words & PLAYFUL:
        register = "playful"
    else:
        register = "friendly"
    concise = bool(words & CONCISE)
    return ToneStyle(
        register=register,
        exclaim=register == "playful",
        title_max=CONCISE_TITLE_MAX if concise else constraints.TITLE_MAX,
        max_sentences=2 if concise else 3,
        min_sentences=3 if (words & DETAILED and not concise) else 1,
    )
