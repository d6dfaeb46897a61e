"""`pinstudio publish / jobs / resume` as a user runs them: real process, fake Pinterest on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.env import ROOT


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def payload(tmp_path, **pin) -> str:
    body = {
        "post": {"body": "10 Tips for Better Photography"},
        "profiles": ["pinterest"],
        "media": ["https://example.com/image.jpg"],
        "platforms": {
            "pinterest": {
                "title": "10 Tips for Better Photography",
                "cover_url": None,
                "destination_link": "https://example.com/blog/photography-tips",
                "thumb_offset": None,
                **pin,
            }
        },
    }
    path = tmp_path / "pin.json"
    path.write_text(json.dumps(body))
    return str(path)


def test_publish_payload_to_pinterest_prints_the_contract(fake, tmp_path):
    env = {"PINTEREST_API_BASE": fake.base, "PINTEREST_ACCESS_TOKEN": fake.access_token}
    result = cli("publish", payload(tmp_path, board_name="Board 255"), "--backend", "pinterest", "--json", env=env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"job_id", "status", "pin_id", "pin_url", "attempts", "error"}
    assert out["status"] == "published" and out["pin_id"] in fake.pins and out["error"] is None
    listed = json.loads(cli("jobs", "--json", env=env).stdout)
    assert listed[0]["job_id"] == out["job_id"] and listed[0]["status"] == "published"


def test_invalid_payload_exits_2_and_sends_nothing(fake, tmp_path):
    env = {"PINTEREST_API_BASE": fake.base, "PINTEREST_ACCESS_TOKEN": fake.access_token}
    result = cli("publish", payload(tmp_path), "--backend", "pinterest", env=env)  # no board
    assert result.returncode == 2 and "No board is chosen" in result.stderr
    assert "Traceback" not in result.stderr and fake.requests == []
    as_json = cli("publish", payload(tmp_path), "--backend", "pinterest", "--json", env=env)
    out = json.loads(as_json.stdout)
    assert as_json.returncode == 2 and out["status"] == "invalid" and out["job_id"] is None
    assert out["error"]["code"] == "board_required" and fake.requests == []


def test_failed_publish_exits_1_with_the_error(fake, tmp_path):
    env = {"PINTEREST_API_BASE": fake.base, "PINTEREST_ACCESS_TOKEN": fake.access_token}
    result = cli("publish", payload(tmp_path, board_name="No such board"), "--backend", "pinterest", "--json", env=env)
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["code"] == "board_not_found"


def test_dry_run_records_the_request(tmp_path):
    result = cli("publish", payload(tmp_path, board_id="987654321"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pin_id"].startswith("dryrun-")


def test_resume_with_nothing_to_do(tmp_path):
    result = cli("resume")
    assert result.returncode == 0 and "Nothing to resume" in result.stdout


def test_cli_killed_mid_create_then_resume_makes_exactly_one_pin(fake, tmp_path):
    """SIGKILL while Pinterest is still creating the pin; `pinstudio resume` finishes without a duplicate."""
    import signal
    import time

    env = {
        **os.environ,
        "PINTEREST_API_BASE": fake.base,
        "PINTEREST_ACCESS_TOKEN": fake.access_token,
        "STUDIO_PUBLISH_RECONCILE_GRACE": "1.5",
        "STUDIO_PUBLISH_BACKOFF_BASE": "0.01",
    }
    fake.delay("POST", "/pins", seconds=0.8)  # the pin appears 0.8 s after the request arrives
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studio",
            "publish",
            payload(tmp_path, board_id=fake.boards[0]["id"]),
            "--backend",
            "pinterest",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not fake.calls("POST", "/pins") and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert fake.pins == {}  # killed before Pinterest finished
    listed = json.loads(cli("jobs", "--json", env=env).stdout)
    assert listed[0]["status"] == "creating_pin"
    result = cli("resume", "--json", env=env)
    assert result.returncode == 0, result.stderr
    (done,) = json.loads(result.stdout)
    assert done["status"] == "published" and list(fake.pins) == [done["pin_id"]]
    assert len(fake.calls("POST", "/pins")) == 1
