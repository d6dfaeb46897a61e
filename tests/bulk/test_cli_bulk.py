"""`pinstudio import-csv` / `export-csv`: the row report, JSON shape and exit codes are a contract."""

from __future__ import annotations

import json

import jsonschema
import pytest

from studio.bulk.csv_format import PINTEREST_HEADER, parse, write
from studio.cli import main
from studio.drafts.lifecycle import approve
from studio.models import DraftStatus
from studio.services import open_store
from tests.support.people import reviewer

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")

ISSUE = {
    "type": "object",
    "required": ["column", "code", "message", "fix"],
    "properties": {k: {"type": "string"} for k in ("column", "code", "message", "fix")},
}
REPORT = {
    "type": "object",
    "required": ["file", "format", "delimiter", "board_source", "summary", "rows"],
    "properties": {
        "summary": {"type": "object", "required": ["rows", "valid", "invalid", "to_draft"]},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["row", "ok", "draft_id", "needs_drafting", "fields", "errors", "warnings"],
                "properties": {
                    "row": {"type": "integer"},
                    "ok": {"type": "boolean"},
                    "errors": {"type": "array", "items": ISSUE},
                    "warnings": {"type": "array", "items": ISSUE},
                },
            },
        },
    },
}


def csv_file(tmp_path, host, rows_extra: list[dict], name="pins.csv"):
    rows = [
        {
            "title": f"Pin {n}",
            "media_url": host.url(f"p{n}.jpg"),
            "board": "Recipes",
            "description": f"About {n}.",
            "link": f"https://example.com/{n}",
            **extra,
        }
        for n, extra in enumerate(rows_extra)
    ]
    path = tmp_path / name
    path.write_text(write(rows), encoding="utf-8")
    return path


def run_json(capsys, *args) -> tuple[int, dict]:
    code = main([*map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def drafts(settings):
    store = open_store(settings.db_path)
    try:
        return store.list_drafts()
    finally:
        store.close()


def test_dry_run_reports_rows_and_saves_nothing(capsys, tmp_path, host, settings):
    path = csv_file(tmp_path, host, [{}, {"link": "http://insecure.example"}])
    code, data = run_json(capsys, "import-csv", path, "--dry-run")
    jsonschema.validate(data, REPORT)
    assert code == 1
    assert data["summary"] == {"rows": 2, "valid": 1, "invalid": 1, "to_draft": 0, "imported": 0}
    bad = data["rows"][1]
    assert bad["row"] == 3 and bad["errors"][0]["column"] == "Link" and bad["errors"][0]["fix"]
    assert drafts(settings) == []


def test_import_saves_valid_rows_into_review_and_exits_1_if_any_row_is_invalid(capsys, tmp_path, host, settings):
    # the row to draft has no link, so the drafter has no landing page to fetch (no network in tests)
    path = csv_file(tmp_path, host, [{}, {"title": "", "description": "", "link": ""}, {"board": ""}])
    code, data = run_json(capsys, "import-csv", path)
    assert code == 1
    assert data["summary"]["imported"] == 1 and data["summary"]["drafted"] == 1
    saved = drafts(settings)
    assert len(saved) == 2 and {d.status for d in saved} == {DraftStatus.IN_REVIEW}
    assert {r["draft_id"] for r in data["rows"][:2]} == {d.id for d in saved}


def test_all_valid_exits_0_with_a_human_report(capsys, tmp_path, host):
    path = csv_file(tmp_path, host, [{}, {}])
    assert main(["import-csv", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OK  row 2: Pin 0 → draft #1" in out and "2 rows: 2 valid, 0 invalid; imported 2." in out


def test_unreadable_file_is_an_error_line_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Title,Media URL,Pinterest board\nCafé,https://x.example/a.jpg,Food\n".encode("latin-1"))
    assert main(["import-csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: The file isn't UTF-8") and "Traceback" not in err
    assert main(["import-csv", str(tmp_path / "nope.csv")]) == 2


def test_export_writes_split_files_and_a_backup(capsys, tmp_path, host, settings):
    path = csv_file(tmp_path, host, [{}, {}, {}])
    main(["import-csv", str(path)])
    capsys.readouterr()
    store = open_store(settings.db_path)
    for d in store.list_drafts():
        approve(store, d.id, actor=reviewer("rev"))
    store.close()
    out = tmp_path / "export"
    code, data = run_json(capsys, "export-csv", "--out", out, "--max-rows", "2", "--backup")
    assert code == 0 and data["rows"] == 3 and len(data["files"]) == 2
    first = parse((out / data["files"][0].split("/")[-1]).read_bytes())
    assert first.columns == list(PINTEREST_HEADER) and len(first.rows) == 2
    assert sorted(p.split("/")[-1] for p in data["backup"]) == ["backup.json", "drafts.csv", "history.csv"]


@pytest.mark.parametrize(
    "args, says",
    [
        (["--status", "approve"], "invalid choice: 'approve'"),
        (["--max-rows", "500"], "1 to 100 pins per file"),
        (["--max-rows", "0"], "1 to 100 pins per file"),
    ],
)
def test_export_options_out_of_range_are_usage_errors(capsys, tmp_path, args, says):
    with pytest.raises(SystemExit) as stop:
        main(["export-csv", "--out", str(tmp_path / "out"), *args])
    assert stop.value.code == 2  # a typo in a status must not export nothing with exit 0
    assert says in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_a_misspelled_column_is_named_with_the_column_it_meant(capsys, tmp_path, host):
    path = tmp_path / "typo.csv"
    path.write_text(
        f"Title,Media URL,Pinterest board,Descripton\r\nPin,{host.url('p0.jpg')},Recipes,Tasty.\r\n", encoding="utf-8"
    )
    _code, data = run_json(capsys, "import-csv", path, "--dry-run")
    assert data["ignored_columns"] == ["Descripton"]
    assert data["rows"][0]["needs_drafting"]  # its description would otherwise vanish without a word
    main(["import-csv", str(path), "--dry-run"])
    assert "“Descripton” → “Description”" in capsys.readouterr().out
