"""`pinstudio design` and the Design panel refuse a photo `pinstudio check` refuses as too small: same rule,
same code, same words (issue 25)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from studio.drafts import save_draft
from studio.media import ingest_path
from studio.services import open_store
from tests.support.cli import pinstudio
from tests.support.media import make_image
from tests.support.people import editor
from tests.support.shown import read

ROOT = Path(__file__).resolve().parents[2]


def _check_says(capsys, path: Path) -> dict:
    checked = pinstudio(capsys, "check", str(path), "--json")
    assert checked.returncode != 0, checked
    (report,) = json.loads(checked.stdout)
    (issue,) = [i for i in report["errors"] if i["code"] == "image_too_small"]
    return issue


def test_design_refuses_a_1x1_photo_with_checks_code_and_words(tmp_path, capsys):
    tiny = make_image(tmp_path / "dot.jpg", size=(1, 1))
    issue = _check_says(capsys, tiny)
    out = tmp_path / "designs"
    result = pinstudio(capsys, "design", "--media", str(tiny), "--title", "Dot", "--all", "--out", str(out))
    assert result.returncode == 2, result
    assert issue["message"] in result.stderr and "1×1" in result.stderr
    assert not list(out.glob("*.jpg"))  # no design made


def test_the_design_panel_refuses_it_too(tmp_path, capsys, settings):
    tiny = make_image(tmp_path / "dot.jpg", size=(1, 1))
    issue = _check_says(capsys, tiny)
    store = open_store(settings.db_path)
    asset, _ = ingest_path(store, settings.data_dir, tiny)
    draft = save_draft(store, None, {"media_id": asset.id, "title": "Dot", "board": "Recipes"}, actor=editor())
    store.close()
    at = AppTest.from_file(str(ROOT / "pages" / "compose.py"), default_timeout=60)
    at.session_state["draft_id"] = draft.id
    at.run()
    at.multiselect(key="fresh_templates").set_value(["band-top"]).run()
    at.button(key="fresh_make").click().run()
    assert not at.exception
    assert any(issue["message"] in read(box.value) for box in at.error), [box.value for box in at.error]
    assert not [c for c in at.checkbox if c.key and c.key.startswith("fresh_pick_")]
