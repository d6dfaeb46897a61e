"""One CSV row as the preview shows it: its fields, errors and warnings (each with the column and
the fix), and the whole file's preview."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, Field

from studio import constraints
from studio.bulk.csv_format import COLUMN_FOR_FIELD, EXTENDED_HEADER

NOT_CHECKED = "nothing yet (no synced boards, no drafts)"
ERRORS_CSV_COLUMNS = ("Row", "Errors", "Fix")  # what our errors CSV adds; it comes back fixed
TEXT_LIMITS = {
    "title": constraints.TITLE_MAX,
    "description": constraints.DESCRIPTION_MAX,
    "alt_text": constraints.ALT_TEXT_MAX,
    "link": constraints.LINK_MAX,
}


class RowIssue(BaseModel):
    column: str
    code: str
    message: str
    fix: str = ""


class RowReport(BaseModel):
    row: int  # the spreadsheet row (the header is row 1)
    fields: dict[str, str]
    errors: list[RowIssue] = Field(default_factory=list)
    warnings: list[RowIssue] = Field(default_factory=list)
    media_kind: str = ""
    draft_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_drafting(self) -> bool:
        return not self.fields.get("title") or not self.fields.get("description")

    def error(self, field: str, code: str, message: str, fix: str = "") -> None:
        self.errors.append(RowIssue(column=COLUMN_FOR_FIELD.get(field, field), code=code, message=message, fix=fix))

    def warn(self, field: str, code: str, message: str, fix: str = "") -> None:
        self.warnings.append(RowIssue(column=COLUMN_FOR_FIELD.get(field, field), code=code, message=message, fix=fix))

    def to_dict(self) -> dict:
        return {
            "row": self.row,
            "ok": self.ok,
            "draft_id": self.draft_id,
            "needs_drafting": self.needs_drafting,
            "fields": self.fields,
            "errors": [i.model_dump() for i in self.errors],
            "warnings": [i.model_dump() for i in self.warnings],
        }


class Preview(BaseModel):
    file_name: str = ""
    kind: str = "pinterest"
    delimiter: str = ","
    had_bom: bool = False
    columns: int = 0
    board_source: str = ""  # "synced boards", "boards seen on drafts" or NOT_CHECKED
    ignored_columns: list[str] = Field(default_factory=list)
    rows: list[RowReport] = Field(default_factory=list)

    @property
    def valid(self) -> list[RowReport]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]

    def summary(self) -> dict:
        return {
            "rows": len(self.rows),
            "valid": len(self.valid),
            "invalid": len(self.invalid),
            "to_draft": sum(r.ok and r.needs_drafting for r in self.rows),
            "imported": sum(r.draft_id is not None for r in self.rows),
        }

    def column_note(self) -> str:
        """What the file's unknown columns mean for the user (a misspelled column is silently empty
        otherwise), with the column it most likely meant; "" when every column is known."""
        unknown = [c for c in self.ignored_columns if c not in ERRORS_CSV_COLUMNS]
        if not unknown:
            return ""
        guesses = []
        for column in unknown:
            close = difflib.get_close_matches(
                column.casefold(), [h.casefold() for h in EXTENDED_HEADER], n=1, cutoff=0.7
            )
            if close:
                guesses.append(f"“{column}” → “{next(h for h in EXTENDED_HEADER if h.casefold() == close[0])}”")
        return (
            f"Column{'s' * (len(unknown) > 1)} not used: {', '.join(unknown)}. "
            + (f"Rename {', '.join(guesses)} if that is what you meant; " if guesses else "")
            + "the columns we read are: "
            + ", ".join(EXTENDED_HEADER)
            + "."
        )
