"""The Drafter protocol and the provider registry keyed by `STUDIO_LLM_PROVIDER`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel, Field

from studio.config import Settings
from studio.errors import DraftingError


class DraftInput(BaseModel):
    """What the user tells us about a pin, plus what we know of its media."""

    topic: str = ""
    keywords: list[str] = Field(default_factory=list)
    link: str = ""
    board: str = ""
    media_facts: dict = Field(default_factory=dict)
    image_path: str | None = None  # for vision-capable providers (a video's cover frame)
    landing: dict = Field(default_factory=dict)  # the link's page title/description, when fetched
    field: str | None = None  # regenerate only this field ("title", "description", "alt_text")
    current: dict = Field(default_factory=dict)  # the copy being edited, for a one-field rewrite
    variant: int = 0  # alternative number; a different number asks for a different angle
    notes: str = ""  # extra prompt instructions (experiments)
    nonce: str = ""  # set to ask for fresh ideas: changes the request, so the cache misses
    grounding: dict = Field(default_factory=dict)  # what worked on this board: {board, titles, keywords, pins}
    # A carousel pin: one entry per slide, in order ({position, title, media_facts, image_path}); the
    # answer then holds the carousel's title and description and one alt text per slide.
    slides: list[dict] = Field(default_factory=list)


class DraftOutput(BaseModel):
    """Pin copy as a provider returns it."""

    title: str
    description: str
    alt_text: str
    keywords: list[str] = Field(default_factory=list)
    slide_alt_texts: list[str] = Field(default_factory=list)  # a carousel's: one per slide, in order
    provider: str = ""
    model: str = ""
    trimmed: list[str] = Field(default_factory=list)  # fields cut to fit as a last resort
    prompt: list = Field(default_factory=list)  # the messages sent (images elided), for the log
    response: str = ""  # the model's raw answer(s), for the log
    usage: dict = Field(default_factory=dict)  # prompt_tokens / completion_tokens
    latency_ms: float = 0.0
    calls: int = 0  # HTTP requests it took (fallbacks and repairs count)


class Drafter(Protocol):
    name: str
    model: str

    def draft(self, request: DraftInput) -> DraftOutput: ...


_REGISTRY: dict[str, Callable[[Settings], Drafter]] = {}


def register_drafter(name: str) -> Callable:
    """Register a factory `fn(settings) -> Drafter` under a provider name."""

    def inner(factory: Callable[[Settings], Drafter]) -> Callable[[Settings], Drafter]:
        _REGISTRY[name] = factory
        return factory

    return inner


def get_drafter(settings: Settings) -> Drafter:
    """The drafter the settings ask for (`auto` resolves by available credentials)."""
    import studio.drafting.offline

    try:
        import studio.drafting.openai_compat  # noqa: F401
    except ImportError:  # the provider module arrives with the LLM feature
        pass
    name = settings.effective_llm_provider()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise DraftingError(
            f"There is no drafting provider called '{name}'.",
            fix=f"Set STUDIO_LLM_PROVIDER to one of: {', '.join(sorted(_REGISTRY))}, auto.",
        ) from None
    return factory(settings)
