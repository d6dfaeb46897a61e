"""The brand voice: tone, words to use and avoid, language, hashtags. Drafting writes with it; the linter checks it."""

from __future__ import annotations

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
