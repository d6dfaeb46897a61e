"""Compose under AppTest: the uploader says Pinterest's two limits, the server lets a 2 GB video through,
and the title stays one line in its wrapping box."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio import constraints

ROOT = Path(__file__).resolve().parents[2]


def compose() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)


def test_the_uploader_says_the_image_and_the_video_limit(settings):
    at = compose().run()
    assert not at.exception
    said = " ".join(c.value for c in at.caption)
    assert "images up to 20 MB" in said and "videos up to 2 GB" in said, said
    assert "200" not in said


def test_streamlit_accepts_uploads_as_large_as_pinterest_s_video_limit():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] * constraints.MB >= constraints.VIDEO_MAX_BYTES


def test_a_line_break_in_the_title_becomes_a_space(settings):
    at = compose().run()
    at.text_area(key="title").input("Autumn soup\nin 30 minutes").run()
    assert not at.exception
    assert at.text_area(key="title").value == "Autumn soup in 30 minutes"
