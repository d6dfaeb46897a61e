"""A real Pinterest publisher on the fake Pinterest (the `fake` fixture), with retries and waits shrunk to
milliseconds."""

from __future__ import annotations

import random

import httpx

from studio.pinterest import RequestPacer, RetryPolicy
from studio.pinterest.tokens import SettingsTokenSource
from studio.publishing import AccountReady
from studio.publishing.pinterest import PinterestPublisher
from tests.fakes.pinterest import FakePinterest


def fast_retry(max_attempts: int = 4) -> RetryPolicy:
    return RetryPolicy(max_attempts=max_attempts, base_s=0.01, cap_s=0.05, rng=random.Random(1))


def make_publisher(fake: FakePinterest, settings, *, timeout_s: float = 5.0, **overrides) -> PinterestPublisher:
    """A real PinterestPublisher on the fake, with waits shrunk to milliseconds."""
    cfg = settings.model_copy(
        update={
            "pinterest_api_base": fake.base,
            "pinterest_app_id": fake.app_id,
            "pinterest_access_token": _secret(fake.access_token),
            "pinterest_refresh_token": _secret(fake.refresh_token),
            "pinterest_app_secret": _secret(fake.app_secret),
        }
    )
    http = httpx.Client(timeout=timeout_s)
    options = dict(
        api_base=fake.base,
        timeout_s=timeout_s,
        retry=fast_retry(),
        limiter=RequestPacer(0),
        processing_timeout_s=2.0,
        poll_base_s=0.01,
        poll_cap_s=0.05,
        board_ttl_s=60,
        reconcile_grace_s=0.05,
    )
    options.update(overrides)
    return PinterestPublisher(http, SettingsTokenSource(cfg, http), **options)


def _secret(value: str):
    from pydantic import SecretStr

    return SecretStr(value)


class PostedPublisher:
    """A backend that 'posts' without a network: the real publish service records its job as for any other
    (pin `pin_id`, at Pinterest's pin link)."""

    name = "pinterest"

    def __init__(self, pin_id: str = "1234567890") -> None:
        self.pin_id = pin_id
        self.account_ready: AccountReady | None = None

    def publish(self, request, *, media_format=None, progress=None):
        from studio.publishing import PublishOutcome

        progress.step("creating_pin")
        call = {"step": "create_pin", "method": "POST", "url": "https://api.pinterest.com/v5/pins", "json": {}}
        url = f"https://www.pinterest.com/pin/{self.pin_id}/"
        return PublishOutcome(pin_id=self.pin_id, pin_url=url, requests=[call], response={"id": self.pin_id})
