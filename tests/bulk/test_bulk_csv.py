"""The bulk CSV format: Pinterest's header and ours, BOM, semicolons, quoting, dates, encodings."""

from __future__ import annotations

import csv
import io
import time

import pytest

from studio.bulk.csv_format import (
    EXTENDED_HEADER,
    PINTEREST_HEADER,
    CsvFormatError,
    format_date,
    parse,
    parse_date,
    write,
)
from studio.errors import ValidationError


def test_pinterest_template_header_is_read_in_its_order():
    text = (
        ",".join(PINTEREST_HEADER) + "\nSummer salad,https://cdn.example/a.jpg,Recipes,,Fresh and green.,"
        'https://example.com/salad,2030-06-01T09:30:00,"salad, summer"\n'
    )
    parsed = parse(text.encode())
    assert parsed.kind == "pinterest" and parsed.delimiter == ","
    row = parsed.rows[0]
    assert row.row == 2  # the header is row 1, as in a spreadsheet
    assert row.values == {
        "title": "Summer salad",
        "media_url": "https://cdn.example/a.jpg",
        "board": "Recipes",
        "thumbnail": "",
        "description": "Fresh and green.",
        "link": "https://example.com/salad",
        "publish_date": "2030-06-01T09:30:00",
        "keywords": "salad, summer",
    }


def test_extended_header_adds_alt_text_section_account_topic_in_any_order_and_case():
    header = ["topic", "ALT TEXT", *PINTEREST_HEADER, "Board section", "Account"]
    body = [
        "weeknight dinners",
        "A bowl of greens",
        "T",
        "https://cdn.example/a.jpg",
        "Recipes",
        "",
        "D",
        "https://example.com",
        "",
        "",
        "Salads",
        "brand",
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, body])
    parsed = parse(out.getvalue().encode())
    assert parsed.kind == "extended"
    values = parsed.rows[0].values
    assert values["alt_text"] == "A bowl of greens" and values["board_section"] == "Salads"
    assert values["account"] == "brand" and values["topic"] == "weeknight dinners"


def test_bom_and_semicolons_and_quoted_newlines_and_quotes():
    text = (
        "\ufeffTitle;Media URL;Pinterest board;Description\r\n"
        '"Tips; tricks";https://cdn.example/a.jpg;Home;"Line one\r\nline two with ""quotes"""\r\n'
        "Second;https://cdn.example/b.jpg;Home;plain\r\n"
    )
    parsed = parse(text.encode("utf-8"))
    assert parsed.had_bom and parsed.delimiter == ";"
    first, second = parsed.rows
    assert first.values["title"] == "Tips; tricks"
    assert first.values["description"] == 'Line one\r\nline two with "quotes"'
    assert (first.row, second.row) == (2, 3)
    assert second.values["title"] == "Second"


def test_missing_required_columns_name_them_and_the_template():
    with pytest.raises(CsvFormatError) as err:
        parse(b"Title,Image,Board\nA,b,c\n")
    assert "Media URL, Pinterest board" in err.value.message
    assert ",".join(PINTEREST_HEADER) in err.value.fix


def test_non_utf8_bytes_give_the_line_and_how_to_save_as_utf8():
    data = "Title,Media URL,Pinterest board\nCafé crème,https://x.example/a.jpg,Food\n".encode("cp1252")
    with pytest.raises(CsvFormatError) as err:
        parse(data)
    assert err.value.code == "not_utf8"
    assert "line 2" in err.value.message and "0xE9" in err.value.message
    assert "CSV UTF-8" in err.value.fix


def test_spreadsheet_binaries_and_empty_files_are_refused():
    with pytest.raises(CsvFormatError, match="NUL"):
        parse(b"PK\x03\x04\x00\x00binary xlsx")
    with pytest.raises(CsvFormatError, match="empty"):
        parse(b"\xef\xbb\xbf  \n")


def test_unknown_columns_are_reported_as_ignored_and_blank_lines_skipped():
    parsed = parse(b"Title,Media URL,Pinterest board,Price\nA,https://x/a.jpg,B,12\n,,,\n\nC,https://x/c.jpg,B,1\n")
    assert parsed.ignored_columns == ["Price"]
    assert [r.row for r in parsed.rows] == [2, 5]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2030-06-01", "2030-06-01T00:00:00"),
        ("2030-06-01T09:30:00", "2030-06-01T09:30:00"),
        ("2030-06-01T09:30:00Z", "2030-06-01T09:30:00"),
    ],
)
def test_iso_dates_are_utc(value, expected):
    assert format_date(parse_date(value)) == expected


@pytest.mark.parametrize(
    "value, hint",
    [
        ("6/1/2030 9:30", "2030-06-01T09:30:00"),  # Excel, US locale
        ("25/12/2030", "2030-12-25T00:00:00"),  # Excel, day first: only one reading is a real date
        ("2030-06-01 09:30", "2030-06-01T09:30:00"),  # Excel re-saving an ISO date
        ("47635", "2030-06-01T00:00:00"),  # an Excel serial number
        ("6/1/30 9:30 PM", "2030-06-01T21:30:00"),
    ],
)
def test_excel_mangled_dates_are_refused_with_the_iso_spelling(value, hint):
    with pytest.raises(ValidationError) as err:
        parse_date(value)
    assert err.value.code == "excel_date"
    assert hint in err.value.fix


def test_ambiguous_excel_date_offers_both_readings():
    with pytest.raises(ValidationError) as err:
        parse_date("3/4/2030")
    assert "2030-03-04T00:00:00" in err.value.fix and "2030-04-03T00:00:00" in err.value.fix


@pytest.mark.parametrize("value", ["tomorrow", "2030-02-30", "2030-13-01T00:00:00"])
def test_nonsense_dates(value):
    with pytest.raises(ValidationError):
        parse_date(value)


def test_write_is_rfc4180_one_line_per_pin():
    text = write([{"title": 'Say "hi", friend', "description": "two\nlines", "link": "https://e.com"}])
    lines = text.split("\r\n")
    assert lines[0] == ",".join(PINTEREST_HEADER)
    assert lines[1] == '"Say ""hi"", friend",,,,two lines,https://e.com,,'
    assert text.endswith("\r\n") and len(lines) == 3
    back = parse(text.encode())
    assert back.rows[0].values["title"] == 'Say "hi", friend'


def test_extended_write_round_trips():
    row = {
        f: f"value {i}"
        for i, f in enumerate(
            (
                "title",
                "media_url",
                "board",
                "thumbnail",
                "description",
                "link",
                "publish_date",
                "keywords",
                "alt_text",
                "board_section",
                "account",
                "topic",
            )
        )
    }
    parsed = parse(write([row], EXTENDED_HEADER).encode())
    assert parsed.kind == "extended" and parsed.rows[0].values == row


def test_ten_thousand_rows_parse_quickly():
    header = ",".join(PINTEREST_HEADER)
    body = "\n".join(
        f'Pin {i},https://cdn.example/{i}.jpg,Board,,"Desc, {i}",https://e.com/{i},,' for i in range(10_000)
    )
    started = time.perf_counter()
    parsed = parse(f"{header}\n{body}\n".encode())
    assert len(parsed.rows) == 10_000 and parsed.rows[-1].row == 10_001
    assert parsed.rows[-1].values["description"] == "Desc, 9999"
    assert time.perf_counter() - started < 5


def test_a_header_without_rows_says_so():
    with pytest.raises(CsvFormatError) as err:
        parse((",".join(PINTEREST_HEADER) + "\r\n\r\n").encode())
    assert err.value.code == "no_rows" and "no pins under it" in err.value.message
