"""Fixtures for the browser tests: each drives the real studio in a headless Chromium (`tests.support.browser`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM
from tests.support.env import in_ci


@pytest.fixture(autouse=True)
def chromium() -> None:
    """Browser tests run in CI, always; on a dev machine without Chromium they say why they skip."""
    if Path(CHROMIUM).exists():
        return
    if in_ci():
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs this test")
