"""The bulk family of errors (under `studio.errors.ValidationError`)."""

from __future__ import annotations

from studio.errors import ValidationError


class CsvFormatError(ValidationError):
    """The file as a whole can't be read as a bulk CSV (encoding, header)."""

    code = "csv_format"
