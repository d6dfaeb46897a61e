"""The Publisher protocol and the backend registry keyed by `STUDIO_PUBLISHER`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel, Field

from studio.config import Settings
from studio.errors import ValidationError
from studio.publishing.payload import PublishRequest


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

    def publish(
        self, request: PublishRequest, *, media_format: str | None = None, progress: Progress | None = None
    ) -> PublishOutcome: ...


# A factory builds a backend from settings, for a connected account (None: the default one).
Factory = Callable[[Settings, "str | None"], Publisher]
_REGISTRY: dict[str, Factory] = {}


def register_publisher(name: str) -> Callable:
    def inner(factory: Factory) -> Factory:
        _REGISTRY[name] = factory
        return factory

    return inner


def get_publisher(settings: Settings, name: str | None = None, *, account: str | None = None) -> Publisher:
    """The backend named (or the settings' effective one), publishing as `account` when given."""
    import studio.publishing.dry_run  # noqa: F401  (registers the built-in backends)

    for optional in ("studio.publishing.pinterest", "studio.publishing.postproxy"):
        try:
            __import__(optional)
        except ImportError:
            pass
    name = name or effective_backend(settings)
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValidationError(
            f"There is no publisher called '{name}'.",
            fix=f"Use one of: {', '.join(sorted(_REGISTRY))}.",
            code="unknown_backend",
        ) from None
    return factory(settings, account)


def effective_backend(settings: Settings) -> str:
    """`auto` picks Pinterest when an account is connected on the Accounts page (even with no
    PINTEREST_ACCESS_TOKEN in the environment), else Postproxy when a key was saved there."""
    name = settings.effective_publisher()
    if settings.publisher == "auto" and name == "dry-run":
        from studio.accounts.connected import list_accounts, postproxy_keys
        from studio.storage import Store

        if settings.db_path.exists():
            store = Store.open(settings.db_path)
            try:
                if list_accounts(store):
                    return "pinterest"
                if postproxy_keys(store):
                    return "postproxy"
            finally:
                store.close()
    return name
