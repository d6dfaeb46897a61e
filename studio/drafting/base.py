"""The Drafter protocol and the provider registry keyed by `STUDIO_LLM_PROVIDER`."""

from __future__ import annotations

from typing import Callable, Protocol

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
    image_path: str | None = None  # for vision-capable providers


class DraftOutput(BaseModel):
    """Pin copy as a provider returns it."""

    title: str
    description: str
    alt_text: str
    keywords: list[str] = Field(default_factory=list)
    provider: str = ""
    model: str = ""


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
    import studio.drafting.offline  # noqa: F401  (registers the built-in providers)

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
