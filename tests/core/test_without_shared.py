"""A clone without ../shared: the publishing tests still run (validation off, said once); CI=true
keeps the spec required. And `pinstudio run` honours STREAMLIT_SERVER_PORT as Streamlit users expect."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from studio.cli.run import chosen_port
from studio.errors import ValidationError
from studio.preferences import load_settings
from tests.support.env import ROOT

# A test on the fake Pinterest that used to skip without the spec.
ONE_PUBLISH_TEST = "tests/accounts/test_accounts_cli.py::test_connect_then_list_accounts_and_boards"


def pytest_run(*, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PINTEREST_OPENAPI_SPEC": "/nonexistent/openapi.json"}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_PUBLISH_TEST, "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_publishing_tests_run_without_the_spec_and_say_so_once():
    proc = pytest_run(ci=False)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "1 passed" in proc.stdout and "skipped" not in proc.stdout
    assert proc.stdout.count("request validation off") == 1


def test_ci_still_requires_the_spec():
    proc = pytest_run(ci=True)
    assert proc.returncode != 0
    assert "CI=true" in proc.stdout and "1 passed" not in proc.stdout


def test_run_honours_streamlit_server_port(monkeypatch):
    monkeypatch.delenv("STUDIO_PORT", raising=False)
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8611")
    assert chosen_port(None, load_settings()) == 8611
    assert chosen_port(9001, load_settings()) == 9001  # --port wins
    monkeypatch.setenv("STUDIO_PORT", "8700")
    assert chosen_port(None, load_settings()) == 8700  # the studio's own variable wins
    monkeypatch.delenv("STUDIO_PORT")
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "http")
    with pytest.raises(ValidationError, match="not a port number"):
        chosen_port(None, load_settings())
    monkeypatch.delenv("STREAMLIT_SERVER_PORT")
    assert chosen_port(None, load_settings()) == 8501
