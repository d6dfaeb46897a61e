"""`pinstudio run` for a team: no tracebacks shown beyond loopback, and a warning when there is no TLS."""

from __future__ import annotations

import pytest

from studio.cli import main
from studio.cli import run as run_cli


class _Proc:
    def wait(self, timeout=None) -> int:
        return 0

    def terminate(self) -> None:
        pass


@pytest.fixture
def launched(monkeypatch):
    """The Streamlit command `pinstudio run` would start (the process itself is not started)."""
    commands: list[list[str]] = []
    monkeypatch.setattr(run_cli.subprocess, "Popen", lambda cmd, **kw: commands.append(cmd) or _Proc())
    monkeypatch.delenv("STREAMLIT_SERVER_SSL_CERT_FILE", raising=False)
    return commands


def flag(command: list[str], name: str) -> str | None:
    return command[command.index(name) + 1] if name in command else None


def test_a_team_bind_hides_tracebacks_and_warns_without_tls(launched, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_PASSWORD", "a long team password")
    monkeypatch.setattr(run_cli, "tls_configured", lambda: False)
    assert main(["run", "--no-worker", "--no-api", "--host", "0.0.0.0", "--port", "8599"]) == 0
    assert flag(launched[0], "--client.showErrorDetails") == "none"
    err = capsys.readouterr().err
    assert "without TLS" in err and "sslCertFile" in err


def test_loopback_keeps_developer_details_and_no_warning(launched, capsys):
    assert main(["run", "--no-worker", "--no-api", "--port", "8599"]) == 0
    assert flag(launched[0], "--client.showErrorDetails") is None
    assert "TLS" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("variable", "value"), [("STUDIO_TRUSTED_PROXIES", "127.0.0.1"), ("STUDIO_PASSWORD", "a long team password")]
)
def test_loopback_behind_a_proxy_or_for_a_team_hides_tracebacks(launched, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)  # the README's reverse proxy: it binds 127.0.0.1, others browse
    assert main(["run", "--no-worker", "--no-api", "--port", "8599"]) == 0
    assert flag(launched[0], "--client.showErrorDetails") == "none"


def test_tls_is_seen_in_streamlit_config_or_environment(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[server]\nsslCertFile = "/etc/ssl/studio.pem"\nsslKeyFile = "/etc/ssl/studio.key"\n')
    assert run_cli.tls_configured({}, [config])
    assert run_cli.tls_configured({"STREAMLIT_SERVER_SSL_CERT_FILE": "/c.pem"}, [])
    assert not run_cli.tls_configured({}, [tmp_path / "missing.toml"])
    assert run_cli.bind_warning("0.0.0.0", tls=True) is None and run_cli.bind_warning("127.0.0.1", tls=False) is None


def test_a_team_bind_starts_without_a_shared_password_once_an_owner_account_exists(launched, monkeypatch, capsys):
    from studio import people
    from studio.preferences import load_settings
    from studio.services import open_store

    assert main(["run", "--no-worker", "--no-api", "--host", "0.0.0.0", "--port", "8599"]) == 2
    assert "pinstudio users add" in capsys.readouterr().err
    store = open_store(load_settings().db_path)
    people.add_user(store, "olga@example.com", "Olga", "owner", actor=people.Actor.cli("tests"))
    store.close()
    monkeypatch.setattr(run_cli, "tls_configured", lambda: True)
    assert main(["run", "--no-worker", "--no-api", "--host", "0.0.0.0", "--port", "8599"]) == 0
    assert flag(launched[0], "--server.address") == "0.0.0.0"
