"""Fixtures for the browser tests: each drives the real studio in a headless Chromium (`tests.support.browser`)."""

from __future__ import annotations

import warnings
from pathlib import Path

import httpx
import pytest

from tests.support.browser import CHROMIUM, chromium_browser, studio_server
from tests.support.env import in_ci
from tests.support.people import PASSWORD, TEAM, add_person, sso_secrets


def _need_chromium() -> None:
    """Browser tests run in CI, always; on a dev machine without Chromium they say why they skip."""
    if Path(CHROMIUM).exists():
        return
    if in_ci():
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs this test")


@pytest.fixture(autouse=True)
def chromium() -> None:
    _need_chromium()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; each test opens contexts of its own (`tests.support.browser.new_page`)."""
    _need_chromium()
    with chromium_browser() as shared:
        yield shared


@pytest.fixture(scope="module")
def team_studio(tmp_path_factory):
    """One studio for the module with a team of four (`tests.support.people.TEAM`, password `PASSWORD`):
    (base URL, data dir). Tests that change someone's role or password add a person of their own."""
    _need_chromium()
    data_dir = tmp_path_factory.mktemp("team")
    for role, (email, name) in TEAM.items():
        add_person(data_dir, email, name, role, PASSWORD)
    env = {
        "STUDIO_DATA_DIR": str(data_dir),
        "STUDIO_ENV_FILE": "",
        "STUDIO_LLM_PROVIDER": "offline",
        "STUDIO_PUBLISHER": "dry-run",
    }
    with studio_server(env) as base:
        yield base, data_dir


@pytest.fixture(scope="module")
def sso_studio(tmp_path_factory):
    """A studio whose single sign-on is a real OpenID Connect provider on loopback (`oidc-provider-mock`),
    set up in a secrets file as `.streamlit/secrets.toml` would be: (base URL, provider URL, data dir).
    The provider knows `rita` (Rita Reviewer's verified email, in another case), `stranger` (a verified
    email with no studio account) and `mallory` (Rita's email, unverified)."""
    _need_chromium()
    with warnings.catch_warnings():  # it imports Authlib's older API, whose warning filter says "always"...
        import authlib.deprecate  # noqa: F401

        warnings.simplefilter("ignore", DeprecationWarning)  # ...so this one goes in front of it
        from oidc_provider_mock import run_server_in_thread

    data_dir = tmp_path_factory.mktemp("sso")
    add_person(data_dir, *TEAM["owner"], "owner", PASSWORD)
    add_person(data_dir, *TEAM["reviewer"], "reviewer", PASSWORD)
    with run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        for sub, claims in {
            "rita": {"email": "Rita@Example.com", "email_verified": True, "name": "Rita R."},
            "stranger": {"email": "stranger@example.com", "email_verified": True, "name": "A Stranger"},
            "mallory": {"email": "rita@example.com", "email_verified": False, "name": "Mallory"},
        }.items():
            httpx.put(f"{issuer}/users/{sub}", json=claims).raise_for_status()
        secrets = data_dir / "secrets.toml"
        secrets.write_text(sso_secrets(issuer))
        env = {
            "STUDIO_DATA_DIR": str(data_dir),
            "STUDIO_ENV_FILE": "",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_PUBLISHER": "dry-run",
            "STREAMLIT_SECRETS_FILES": str(secrets),
        }
        with studio_server(env) as base:
            yield base, issuer, data_dir
