"""`pinstudio draft`: the JSON contract and exit codes, as a subprocess like a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.openai_server import DEFAULT_REPLY, FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[2]


def run_here(capsys, *args: str) -> subprocess.CompletedProcess:
    """The same command in this process (fast); exit code, stdout and stderr as a subprocess gives them."""
    from studio.cli import main

    try:
        code = main(["draft", *args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", "draft", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def image(tmp_path, make_image) -> Path:
    path = tmp_path / "soup.jpg"
    path.write_bytes(make_image())
    return path


def test_offline_draft_json_contract(image, capsys):
    proc = run_here(
        capsys,
        "--media",
        str(image),
        "--topic",
        "Cosy autumn soup",
        "--keywords",
        "autumn soup, squash",
        "--link",
        "https://example.com/soup",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"id", "title", "description", "alt_text", "keywords", "lint", "provider", "model"}
    assert out["provider"] == "offline" and out["id"] >= 1 and "autumn soup" in out["title"].lower()
    assert all(set(r) == {"rule", "ok", "message"} for r in out["lint"])
    assert any(r["rule"] == "link_https" and r["ok"] for r in out["lint"])


def test_llm_draft_through_a_local_server(image):
    with FakeOpenAIServer() as server:
        env = {"STUDIO_LLM_PROVIDER": "openai", "OPENAI_BASE_URL": server.base_url, "STUDIO_LLM_MODEL": "m1"}
        proc = run("--media", str(image), "--keywords", "autumn soup recipe", "--json", env=env)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out["title"] == DEFAULT_REPLY["title"] and out["provider"] == "openai" and out["model"] == "m1"
        human = run("--media", str(image), "--keywords", "autumn soup recipe", env=env)
        assert human.returncode == 0 and "from cache" in human.stdout and len(server.requests) == 1


def test_failed_drafting_exits_1_without_traceback(image):
    with FakeOpenAIServer(mode="401") as server:
        proc = run(
            "--media",
            str(image),
            "--json",
            env={
                "STUDIO_LLM_PROVIDER": "openai",
                "OPENAI_BASE_URL": server.base_url,
                "OPENAI_API_KEY": "sk-wrong-secret-1234",
                "STUDIO_LLM_RETRIES": "0",
            },
        )
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and "OPENAI_API_KEY" in proc.stderr
    assert "Traceback" not in proc.stderr and "sk-wrong-secret" not in proc.stderr


def test_usage_errors_exit_2(image, tmp_path, capsys):
    assert run_here(capsys).returncode == 2
    missing = run_here(capsys, "--media", str(tmp_path / "nope.jpg"))
    assert missing.returncode == 2 and "no file" in missing.stderr
    assert run_here(capsys, "--media", str(image), "--link", "example.com").returncode == 2


def test_unreadable_media_exits_1(tmp_path, capsys):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    proc = run_here(capsys, "--media", str(bad))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


def test_many_media_are_drafted_as_a_batch(tmp_path, make_image, monkeypatch, capsys):
    paths = []
    for i in range(3):
        path = tmp_path / f"p{i}.png"
        path.write_bytes(make_image(size=(200, 300), fmt="PNG", color=(i * 40, 10, 10)))
        paths.append(str(path))
    with FakeOpenAIServer() as server:
        server.script = ["500"]
        args = [a for p in paths for a in ("--media", p)]
        for name, value in {
            "STUDIO_LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "STUDIO_LLM_RETRIES": "0",
        }.items():
            monkeypatch.setenv(name, value)
        proc = run_here(capsys, *args, "--keywords", "soup", "--json")
    assert proc.returncode == 1  # one item failed; the others are saved
    out = json.loads(proc.stdout)
    assert len([o for o in out if "id" in o]) == 2 and len([o for o in out if "error" in o]) == 1
    assert "[3/3]" in proc.stderr
