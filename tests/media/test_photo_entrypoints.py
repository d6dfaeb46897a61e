"""Never a traceback: a file whose decoder raises something unusual (NotImplementedError) answers
`unreadable` with its message from every media entry point (issue #17 item 3)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from studio.cli import main
from studio.errors import MediaError
from studio.media import check_bytes, ingest_bytes, run_fix
from tests.support.env import ROOT
from tests.support.photos import make_odd_decoder_file


def test_check_reports_unreadable_with_the_decoders_message(tmp_path, capsys):
    path = make_odd_decoder_file(tmp_path / "texture.dds")
    code = main(["check", "--json", str(path)])
    out, err = capsys.readouterr()
    report = json.loads(out)[0]
    assert code == 1 and "Traceback" not in err
    assert report["errors"][0]["code"] == "unreadable"
    assert "Unimplemented pixel format" in report["errors"][0]["message"]
    assert check_bytes(path.read_bytes()).errors[0].code == "unreadable"


def test_fix_answers_unreadable(tmp_path, capsys):
    path = make_odd_decoder_file(tmp_path / "texture.dds")
    code = main(["fix", "--to-pinterest", "--json", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert json.loads(out)["after"]["errors"][0]["code"] == "unreadable"
    with pytest.raises(MediaError) as refused:
        run_fix("convert_jpeg", path, tmp_path)
    assert refused.value.code == "unreadable" and "NotImplementedError" in refused.value.message


def test_draft_answers_unreadable(tmp_path, capsys):
    path = make_odd_decoder_file(tmp_path / "texture.dds")
    code = main(["draft", "--media", str(path), "--topic", "desk lamp"])
    _out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and "can't be read" in err


def test_publish_answers_unreadable(tmp_path, capsys):
    path = make_odd_decoder_file(tmp_path / "texture.dds")
    payload = tmp_path / "pin.json"
    payload.write_text(json.dumps({"media": [str(path)], "platforms": {"pinterest": {"board_id": "1"}}}))
    code = main(["publish", "--json", str(payload)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert json.loads(out)["error"]["code"] == "unreadable"


def test_compose_upload_shows_the_problem_not_a_traceback(settings, tmp_path):
    data = make_odd_decoder_file(tmp_path / "texture.dds").read_bytes()
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60).run()
    at.file_uploader(key="upload").upload("texture.dds", data, "image/x-dds").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(e.value for e in at.error)
    assert "can't be read" in shown
    with pytest.raises(MediaError) as refused:
        ingest_bytes(None, settings.data_dir, data, "texture.dds")  # refused before the store is touched
    assert refused.value.code == "unreadable"
