"""Pinterest's bulk-create CSV and our extended one: decoding, dialect, headers, dates, writing.

Nothing here touches the store or the network: bytes in, rows out (and rows in, text out).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from studio.bulk.errors import CsvFormatError
from studio.errors import ValidationError
from studio.text import looks_like_formula as looks_like_formula  # the CSV cell rule lives in studio.text
from studio.text import neutralise, strip_controls, unneutralise

# Pinterest's bulk-create template, in its order (Pinterest Help Center, "Create Pins in bulk").
PINTEREST_HEADER = (
    "Title",
    "Media URL",
    "Pinterest board",
    "Thumbnail",
    "Description",
    "Link",
    "Publish date",
    "Keywords",
)
# Ours adds what Pinterest's CSV can't carry; a Pinterest-only file is still a valid extended file.
EXTENDED_HEADER = PINTEREST_HEADER + ("Alt text", "Board section", "Account", "Topic")
FIELD_FOR_COLUMN = {
    "Title": "title",
    "Media URL": "media_url",
    "Pinterest board": "board",
    "Thumbnail": "thumbnail",
    "Description": "description",
    "Link": "link",
    "Publish date": "publish_date",
    "Keywords": "keywords",
    "Alt text": "alt_text",
    "Board section": "board_section",
    "Account": "account",
    "Topic": "topic",
}
COLUMN_FOR_FIELD = {v: k for k, v in FIELD_FOR_COLUMN.items()}
# Without these a row can't become a pin; Title/Description may be blank (the LLM drafts them).
REQUIRED_COLUMNS = ("Title", "Media URL", "Pinterest board")
ISO_FIX = "Write it as 2027-03-15T14:00:00 or 2027-03-15 (UTC); in Excel format the column as Text first."
# csv's default 128 KB field cap would refuse a pathological cell with a bare csv.Error; 1 MB is
# far above any legal pin field and still bounded.
FIELD_LIMIT = 1024 * 1024


@dataclass
class CsvRow:
    """One data row: its spreadsheet row number (the header is row 1) and its values by field."""

    row: int
    values: dict[str, str]
    cells: int = 0  # how many cells the row had (to catch rows with more cells than columns)


@dataclass
class ParsedCsv:
    rows: list[CsvRow]
    kind: str  # "pinterest" or "extended"
    delimiter: str
    had_bom: bool
    columns: list[str]
    ignored_columns: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text (BOM stripped) and whether a BOM was there; other encodings are refused clearly."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), bom
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise CsvFormatError(
            f"The file isn't UTF-8 text: line {line} has a byte (0x{bad}) that UTF-8 doesn't allow "
            "(often an accent saved by Excel as 'CSV (Comma delimited)' or Latin-1).",
            fix="Save it again as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8; Google Sheets: "
            "File > Download > CSV), then upload it again.",
            code="not_utf8",
        ) from None


def detect_delimiter(text: str) -> str:
    """Comma or semicolon (Excel in many European locales), judged on the header line."""
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)  # delimiters inside quotes don't count
    return ";" if outside.count(";") > outside.count(",") else ","


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().casefold()


_KNOWN = {_norm(c): c for c in EXTENDED_HEADER}


def parse(data: bytes | str) -> ParsedCsv:
    """Read a bulk CSV; raises CsvFormatError for problems with the whole file."""
    text, bom = decode(data) if isinstance(data, bytes) else (data.lstrip("\ufeff"), data.startswith("\ufeff"))
    if "\x00" in text:
        raise CsvFormatError(
            "The file contains NUL bytes, so it isn't a text CSV (is it an .xlsx?).",
            fix="Export the sheet as 'CSV UTF-8' and upload that file.",
            code="not_csv",
        )
    if not text.strip():
        raise CsvFormatError(
            "The file is empty.",
            fix="Use Pinterest's template: the header row, then one row per pin.",
            code="empty_csv",
        )
    delimiter = detect_delimiter(text)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    number = 1
    try:
        header = next(reader)
        columns = [_KNOWN.get(_norm(h), h.strip()) for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise CsvFormatError(
                f"The header row lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)} "
                f"(found: {', '.join(h.strip() for h in header if h.strip()) or 'nothing'}).",
                fix="Make the first row Pinterest's header: " + ",".join(PINTEREST_HEADER) + ".",
                code="missing_columns",
            )
        dupes = sorted({c for c in columns if c in _KNOWN.values() and columns.count(c) > 1})
        if dupes:
            raise CsvFormatError(
                f"The header names {', '.join(dupes)} twice.", fix="Delete the extra column.", code="duplicate_columns"
            )
        rows: list[CsvRow] = []
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue  # blank lines (Excel leaves some at the end)
            values = {
                # control characters out (a cell must not drive a terminal), then our own neutralising undone
                FIELD_FOR_COLUMN[c]: unneutralise(strip_controls(cells[i] if i < len(cells) else "").strip())
                for i, c in enumerate(columns)
                if c in FIELD_FOR_COLUMN
            }
            rows.append(CsvRow(number, values, len(cells)))
    except csv.Error as exc:
        raise CsvFormatError(
            f"The CSV can't be read near row {number + 1} ({exc}).",
            fix='Check the quotes in that row: a cell with a quote inside must be written with doubled quotes ("").',
            code="bad_csv",
        ) from None
    if not rows:
        raise CsvFormatError(
            "The file has the header row but no pins under it.",
            fix="Add one row per pin under the header, then upload it again.",
            code="no_rows",
        )
    extended = any(c in columns for c in EXTENDED_HEADER[len(PINTEREST_HEADER) :])
    ignored = [c for c in columns if c not in FIELD_FOR_COLUMN and c]
    return ParsedCsv(rows, "extended" if extended else "pinterest", delimiter, bom, columns, ignored)


# --- dates ------------------------------------------------------------------------------
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?(Z|[+-]00:?00)?$")
_ISO_SPACE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{1,2}:\d{2}(:\d{2})?)$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)  # Excel's day 0 (1900 leap-year bug included)


def parse_date(value: str) -> datetime:
    """A publish date as UTC. ISO (`YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD`) only; Excel's rewrites
    of dates are refused with the ISO spelling they most likely meant."""
    value = value.strip()
    if _ISO.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(f"“{value}” is not a real date.", fix=ISO_FIX, code="bad_date") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    if m := _ISO_SPACE.match(value):
        hint = f"{m.group(1)}T{m.group(2) if m.group(3) else m.group(2) + ':00'}"
        raise ValidationError(
            f"“{value}” looks like a date Excel re-formatted (a space instead of T).",
            fix=f"Write it as {hint} (UTC); in Excel format the column as Text first.",
            code="excel_date",
        )
    if m := _SLASHED.match(value):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        hour, minute, second = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
        if m.group(7):
            hour = hour % 12 + (12 if m.group(7).lower() == "pm" else 0)
        readings = []
        for month, day in ((a, b), (b, a)):  # US month/day first, then day/month
            try:
                readings.append(datetime(year, month, day, hour, minute, second))
            except ValueError:
                pass
        spelled = sorted({r.strftime("%Y-%m-%dT%H:%M:%S") for r in readings})
        hint = (
            (
                f"Write it as {spelled[0]}"
                if len(spelled) == 1
                else "Write it as " + " or ".join(spelled) + " (we can't tell month from day)"
            )
            if spelled
            else "Write it as an ISO date"
        )
        raise ValidationError(
            f"“{value}” is a date in Excel's local format, not ISO.",
            fix=f"{hint} (UTC); in Excel format the column as Text first.",
            code="excel_date",
        )
    if _SERIAL.match(value):
        guess = EXCEL_EPOCH + timedelta(days=float(value))
        raise ValidationError(
            f"“{value}” is an Excel date serial number, not a date.",
            fix=f"Write it as {guess:%Y-%m-%dT%H:%M:%S} (UTC); in Excel format the column as Text first.",
            code="excel_date",
        )
    raise ValidationError(f"“{value}” is not a date we can read.", fix=ISO_FIX, code="bad_date")


def format_date(value: datetime | str | None) -> str:
    """UTC `YYYY-MM-DDTHH:MM:SS`, the spelling Pinterest's template uses."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


# --- cells from and to spreadsheets ----------------------------------------------------------
# --- writing ----------------------------------------------------------------------------
def write(rows: list[dict[str, str]], columns: tuple[str, ...] = PINTEREST_HEADER, *, one_line: bool = True) -> str:
    """RFC 4180 text (CRLF, quotes only where needed) with `columns` as the header.

    `rows` are keyed by field name; with `one_line` newlines inside cells become spaces, so each
    pin is one physical line (Pinterest's uploader reads it line by line). Every cell that a
    spreadsheet would run as a formula is neutralised (a leading apostrophe; `parse` removes it)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = str(row.get(FIELD_FOR_COLUMN.get(column, column), "") or "")
            cells.append(neutralise(re.sub(r"\s*[\r\n]+\s*", " ", value) if one_line else value))
        writer.writerow(cells)
    return out.getvalue()
