"""The Publisher protocol and the backend registry keyed by `STUDIO_PUBLISHER`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx
from pydantic import BaseModel, Field

from studio.config import Settings
from studio.errors import ValidationError
from studio.pinterest import TokenSource
from studio.publishing.payload import PublishRequest
from studio.storage import Store

# Whether an account (None: the default one) may publish, or must be reconnected first. The accounts
# package answers; the composition root hands the answer in (BackendDeps), so publishing reads no
# accounts table.
AccountReady = Callable[[Store, str | None], bool]


class PublishOutcome(BaseModel):
    """What a backend reports after publishing one pin."""

    pin_id: str
    pin_url: str
    dry_run: bool = False
    requests: list[dict] = Field(default_factory=list, description="the HTTP requests sent, in order")
    response: dict = Field(default_factory=dict)


class Progress(Protocol):
    """What a backend reports while it works; a publish job implements it (see jobs.py)."""

    checkpoint: dict  # what an earlier, interrupted run already did (media id, create start...)

    def step(self, state: str, **checkpoint: object) -> None: ...

    def attempt(self, record: dict) -> None: ...

    def upload_progress(self, sent: int, total: int) -> None: ...


class NullProgress:
    """Progress that remembers only the checkpoint (a publish outside any job)."""

    def __init__(self) -> None:
        self.checkpoint: dict = {}
        self.attempts: list[dict] = []

    def step(self, state: str, **checkpoint: object) -> None:
        self.checkpoint.update(checkpoint)

    def attempt(self, record: dict) -> None:
        self.attempts.append(record)

    def upload_progress(self, sent: int, total: int) -> None:
        pass


class Publisher(Protocol):
    name: str
    # Set on a backend that publishes as a connected account: a job that meets "reconnect required" on a
    # flagged account waits for the reconnection instead of failing. None: the backend knows no account.
    account_ready: AccountReady | None

    def publish(
        self, request: PublishRequest, *, media_format: str | None = None, progress: Progress | None = None
    ) -> PublishOutcome: ...


@dataclass(frozen=True)
class BackendDeps:
    """What a backend factory is handed. Factories build nothing that does I/O of their own: the
    composition root (studio.services) opens the store, picks the account's tokens and the saved key."""

    settings: Settings
    http: httpx.Client
    tokens: TokenSource | None = None  # pinterest: the account's tokens (or PINTEREST_ACCESS_TOKEN's)
    postproxy_key: str = ""  # postproxy: POSTPROXY_API_KEY, else the key saved on the Accounts page
    account_ready: AccountReady | None = None  # pinterest: is an account flagged "reconnect needed"?


Factory = Callable[[BackendDeps], Publisher]
# What callers are handed to get a publisher: (backend or None for the effective one, account or None for
# the default one) -> Publisher. studio.services.Services.publisher is the one implementation.
Publishers = Callable[[str | None, str | None], Publisher]
_REGISTRY: dict[str, Factory] = {}


def register_publisher(name: str) -> Callable[[Factory], Factory]:
    def inner(factory: Factory) -> Factory:
        _REGISTRY[name] = factory
        return factory

    return inner


def get_publisher(deps: BackendDeps, name: str) -> Publisher:
    """The backend registered under `name`, built from `deps`."""
    import studio.publishing.dry_run
    import studio.publishing.pinterest
    import studio.publishing.postproxy  # noqa: F401

    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValidationError(
            f"There is no publisher called '{name}'.",
            fix=f"Use one of: {', '.join(sorted(_REGISTRY))}.",
            code="unknown_backend",
        ) from None
    return factory(deps)


def effective_backend(
    settings: Settings, *, connected_accounts: bool = False, saved_postproxy_key: bool = False
) -> str:
    """`auto` picks Pinterest when an account is connected on the Accounts page (even with no
    PINTEREST_ACCESS_TOKEN in the environment), else Postproxy when a key was saved there."""
    name = settings.effective_publisher()
    if settings.publisher == "auto" and name == "dry-run":
        if connected_accounts:
            return "pinterest"
        if saved_postproxy_key:
            return "postproxy"
    return name
