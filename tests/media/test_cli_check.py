"""`pinstudio check` / `pinstudio fix`: the JSON shape and exit codes are a stable interface."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from studio.cli import main
from tests.fakes.media_server import MediaServer
from tests.support.media import make_image, make_video, truncate

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")

ISSUE = {
    "type": "object",
    "required": ["code", "message", "fix"],
    "additionalProperties": False,
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "fix": {"type": "string"}},
}
REPORT_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["source", "kind", "ok", "errors", "warnings", "facts"],
        "properties": {
            "source": {"type": "string"},
            "kind": {"enum": ["image", "video", "unknown"]},
            "ok": {"type": "boolean"},
            "errors": {"type": "array", "items": ISSUE},
            "warnings": {"type": "array", "items": ISSUE},
            "facts": {
                "type": "object",
                "required": [
                    "bytes",
                    "format",
                    "container",
                    "width",
                    "height",
                    "duration_s",
                    "fps",
                    "video_codec",
                    "audio_codec",
                    "frames",
                ],
            },
        },
    },
}


def run_json(capsys, *args) -> tuple[int, list[dict]]:
    code = main(["check", "--json", *map(str, args)])
    out = capsys.readouterr().out
    data = json.loads(out)
    jsonschema.validate(data, REPORT_LIST)
    return code, data


def test_good_inputs_exit_0_even_with_warnings(capsys, tmp_path):
    image = make_image(tmp_path / "sq.jpg", (1200, 1200))
    video = make_video(tmp_path / "v.mp4")
    code, data = run_json(capsys, image, video)
    assert code == 0 and [r["kind"] for r in data] == ["image", "video"]
    assert data[0]["ok"] and data[0]["warnings"][0]["code"] == "aspect_ratio_not_recommended"
    assert data[1]["facts"]["video_codec"] == "h264" and data[1]["facts"]["width"] == 160
    assert data[0]["source"] == str(image)


def test_any_error_exits_1_and_every_input_gets_a_report(capsys, tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes.mp4").write_text("hello")
    bad = truncate(make_video(tmp_path / "v.mp4"), 0.3)
    inputs = [
        make_image(tmp_path / "ok.jpg"),
        tmp_path / "empty.png",
        tmp_path / "notes.mp4",
        bad,
        tmp_path / "missing.gif",
        "ftp://example.com/a.jpg",
    ]
    code, data = run_json(capsys, *inputs)
    assert code == 1 and len(data) == len(inputs)
    assert [r["errors"][0]["code"] if r["errors"] else None for r in data] == [
        None,
        "empty_file",
        "unreadable",
        "unreadable",
        "not_found",
        "download_failed",
    ]


def test_urls_are_fetched_and_judged_by_content(capsys, tmp_path):
    jpeg = make_image(tmp_path / "a.jpg").read_bytes()
    with MediaServer({"/pin.webp": jpeg, "/big": ("stream", 10 * 1024 * 1024)}) as srv:
        code, data = run_json(capsys, srv.url + "/pin.webp", srv.url + "/nothing")
    assert code == 1
    assert data[0]["ok"] and data[0]["facts"]["format"] == "JPEG" and data[0]["source"].endswith("/pin.webp")
    assert data[1]["errors"][0]["code"] == "download_failed"


def test_pin_mode_adds_set_rules(capsys, tmp_path):
    code, data = run_json(capsys, "--pin", make_image(tmp_path / "a.jpg"), make_video(tmp_path / "v.mp4"))
    assert code == 1 and {e["code"] for e in data[0]["errors"]} == {"mixed_media", "too_many_media"}


def test_human_output(capsys, tmp_path):
    assert main(["check", str(make_video(tmp_path / "v.mp4", seconds=2))]) == 1
    out = capsys.readouterr().out
    assert "video_too_short" in out and "Fix:" in out


def test_usage_errors_exit_2(capsys):
    for argv in (["check"], ["check", "--bogus", "x"], ["fix", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2


def test_fix_to_pinterest(capsys, tmp_path):
    src = make_video(tmp_path / "clip.webm", vcodec="libvpx-vp9", acodec=None, container="webm")
    out = tmp_path / "ready.mp4"
    assert main(["fix", str(src), "--to-pinterest", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] == ["transcode"] and result["after"]["ok"] and not result["before"]["ok"]
    assert out.exists() and src.exists()
    short = make_video(tmp_path / "short.mp4", seconds=2)
    assert main(["fix", str(short), "--to-pinterest"]) == 1
    assert "No fix can help" in capsys.readouterr().out


def test_installed_command_never_prints_a_traceback(tmp_path):
    (tmp_path / "junk.jpg").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "check", "--json", str(tmp_path / "junk.jpg"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [r["errors"][0]["code"] for r in json.loads(proc.stdout)] == ["unreadable", "not_found"]
