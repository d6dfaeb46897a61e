"""CSV cells can't run as spreadsheet formulas in anything we export, re-import as typed, and can't
drive a terminal once imported."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from studio.bulk import tables
from studio.bulk.csv_format import PINTEREST_HEADER, parse, write
from studio.bulk.exporter import backup_csvs, export_pinterest_csv
from studio.bulk.importer import errors_csv, preview_csv
from studio.bulk.rows import Preview, RowIssue, RowReport
from studio.drafts.lifecycle import approve, save_draft
from studio.media.assets import ingest_path
from tests.support.media import make_image
from tests.support.people import editor, reviewer

FORMULAS = {
    "title": '=HYPERLINK("https://evil.example","Open")',
    "description": "+cmd|' /C calc'!A0",
    "alt_text": "@SUM(1+1)*cmd|' /C calc'!A0",
    "keywords": "-2+3+cmd|' /C calc'!A0",
}


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert(text: str) -> None:
    for row in cells(text):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_pinterest_export_and_backup_neutralise_formulas_and_round_trip(store, data_dir, tmp_path):
    media, _ = ingest_path(store, data_dir, make_image(tmp_path / "a.jpg", (300, 450)))
    tables.remember_media_url(store, media.id, "https://cdn.example/a.jpg")
    fields = {**FORMULAS, "board": "Recipes", "link": "https://example.com/1", "media_id": media.id}
    draft = save_draft(store, None, fields, actor=editor())
    approve(store, draft.id, actor=reviewer("@admin"))
    exported = export_pinterest_csv(store, now=datetime(2030, 1, 1, tzinfo=UTC)).texts[0]
    assert_inert(exported)
    row = cells(exported)[1]
    assert row[PINTEREST_HEADER.index("Title")] == "'" + FORMULAS["title"]  # shown as text in a spreadsheet
    # our importer reads its own export back as typed
    back = parse(exported).rows[0].values
    assert back["title"] == FORMULAS["title"] and back["description"] == FORMULAS["description"]
    for text in backup_csvs(store).values():
        assert_inert(text)
    assert FORMULAS["alt_text"] in json.dumps(parse(backup_csvs(store)["drafts.csv"]).rows[0].values)


def test_errors_csv_neutralises_formulas():
    report = RowReport(row=2, fields={"title": "=1+1", "board": "@x", "media_url": "-1-1"})
    report.errors.append(RowIssue(column="Title", code="x", message="=bad", fix="+fix"))
    assert_inert(errors_csv(Preview(file_name="a.csv", rows=[report], columns=3)))


def test_numbers_stay_numbers():
    text = write([{"title": "-5", "keywords": "+1,000.5"}])
    assert cells(text)[1][0] == "-5" and cells(text)[1][PINTEREST_HEADER.index("Keywords")] == "+1,000.5"


def test_import_warns_about_formula_like_titles_and_descriptions(store):
    data = write([{"title": "=1+1", "description": "@home", "media_url": "https://cdn.example/a.jpg",
                   "board": "Recipes"}]).replace("'=", "=").replace("'@", "@")  # fmt: skip
    preview = preview_csv(store, data.encode(), file_name="p.csv", media=None)
    codes = [(w.column, w.code) for w in preview.rows[0].warnings]
    assert ("Title", "formula_like") in codes and ("Description", "formula_like") in codes


def test_terminal_control_sequences_are_stripped_on_import():
    title = "\x1b]8;;https://evil.example\x07Click\x1b]8;;\x07 \x1b[2J\x1b[31mred\x1b[0m\x9b1m\x07\x08 me\rX"
    text = (
        "Title,Media URL,Pinterest board,Description\r\n"
        + write(
            [{"title": title, "media_url": "https://cdn.example/a.jpg", "board": "B\x1b[8m", "description": "a\tb\nc"}],
            ("Title", "Media URL", "Pinterest board", "Description"),
            one_line=False,
        ).split("\r\n", 1)[1]
    )
    values = parse(text).rows[0].values
    assert values["title"] == "Click red me\nX" and values["board"] == "B"
    assert values["description"] == "a\tb\nc"  # tab and newline mean something in a description
