"""`pinstudio publish / jobs / resume` as a user runs them: real process, fake Pinterest on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.publish_helpers import fake  # noqa: F401  (fixture)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def payload(tmp_path, **pin) -> str:
    body = {"post": {"body": "10 Tips for Better Photography"}, "profiles": ["pinterest"],
            "media": ["https://example.com/image.jpg"],
            "platforms": {"pinterest": {"title": "10 Tips for Better Photography", "cover_url": None,
                                        "destination_link": "https://example.com/blog/photography-tips",
                                        "thumb_offset": None, **pin}}}
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
