"""`pinstudio users`: JSON shapes, exit codes (0 done, 2 refused), and the operator recorded as `cli:<os user>`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from studio import people
from studio.cli import main
from studio.cli.users import ROLES
from tests.support.env import ROOT


def run_json(capsys, *args: str) -> tuple[int, object]:
    code = main(["users", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_the_cli_roles_are_the_studio_roles():
    assert tuple(role.value for role in people.Role) == ROLES


def test_add_prints_the_one_time_password_once_and_it_works(capsys, store, monkeypatch):
    monkeypatch.setenv("USER", "alice")
    monkeypatch.setenv("LOGNAME", "alice")
    code, added = run_json(capsys, "add", "--email", "Olga@Example.com", "--name", "Olga", "--role", "owner")
    assert code == 0
    assert set(added) == {
        "id",
        "email",
        "name",
        "role",
        "created_at",
        "last_seen_at",
        "disabled",
        "must_change_password",
        "one_time_password",
    }
    assert (added["email"], added["role"], added["must_change_password"]) == ("olga@example.com", "owner", True)
    assert people.authenticate(store, "olga@example.com", added["one_time_password"]).id == added["id"]
    code, listed = run_json(capsys, "list")
    assert code == 0 and [u["email"] for u in listed] == ["olga@example.com"]
    assert "one_time_password" not in listed[0] and added["one_time_password"] not in json.dumps(listed)
    [entry] = people.audit_entries(store, action="user_added")
    assert entry.actor_ref == "cli:alice"


def test_role_changes_disable_enable_and_reset(capsys, store):
    run_json(capsys, "add", "--email", "olga@example.com", "--name", "Olga", "--role", "owner")
    code, ed = run_json(capsys, "add", "--email", "ed@example.com", "--name", "Ed", "--role", "editor")
    assert code == 0
    code, changed = run_json(capsys, "set-role", "ED@example.com", "reviewer")
    assert code == 0 and changed["role"] == "reviewer"
    code, disabled = run_json(capsys, "disable", "ed@example.com")
    assert code == 0 and disabled["disabled"] is True
    code, enabled = run_json(capsys, "enable", "ed@example.com")
    assert code == 0 and enabled["disabled"] is False
    code, reset = run_json(capsys, "reset-password", "ed@example.com")
    assert code == 0 and reset["one_time_password"] != ed["one_time_password"]
    assert people.authenticate(store, "ed@example.com", reset["one_time_password"]).must_change_password


def test_refusals_exit_2_with_the_error_as_json(capsys):
    code, refused = run_json(capsys, "add", "--email", "ed@example.com", "--name", "Ed", "--role", "editor")
    assert code == 2 and refused["error"]["code"] == "owner_first"
    run_json(capsys, "add", "--email", "olga@example.com", "--name", "Olga", "--role", "owner")
    code, refused = run_json(capsys, "set-role", "olga@example.com", "viewer")
    assert code == 2 and refused["error"]["code"] == "last_owner"
    code, refused = run_json(capsys, "disable", "nobody@example.com")
    assert code == 2 and refused["error"]["code"] == "not_found"
    code, refused = run_json(capsys, "add", "--email", "not-an-email", "--name", "X", "--role", "viewer")
    assert code == 2 and refused["error"]["code"] == "invalid_email"


def test_usage_errors_exit_2(capsys):
    for argv in (["users"], ["users", "set-role", "olga@example.com", "admin"], ["users", "add", "--email", "x"]):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        assert code == 2, argv
    assert "error:" in capsys.readouterr().err


def test_text_output_without_json(capsys):
    assert main(["users", "list"]) == 0
    assert "No users yet" in capsys.readouterr().out
    assert main(["users", "add", "--email", "olga@example.com", "--name", "Olga", "--role", "owner"]) == 0
    out = capsys.readouterr().out
    assert "Added Olga <olga@example.com> as owner." in out and "shown once" in out
    assert main(["users", "disable", "olga@example.com"]) == 2
    assert capsys.readouterr().err.startswith("error: Olga is the only active owner")


def test_the_installed_command(data_dir):
    """The real entry point, in its own process (argon2 at its real cost)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [
        sys.executable,
        "-m",
        "studio",
        "users",
        "add",
        "--email",
        "o@example.com",
        "--name",
        "O",
        "--role",
        "owner",
    ]
    done = subprocess.run([*args, "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["one_time_password"]
    listed = subprocess.run(
        [sys.executable, "-m", "studio", "users", "list", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["email"] == "o@example.com"
