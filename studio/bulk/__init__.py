"""Bulk: Pinterest's bulk-create CSV (and our extended one) in and out, full backups, and resumable batch
operations over many drafts.

May import: every studio feature package (it is the top feature layer) except cli.
"""

from studio.bulk import batch
from studio.bulk.csv_format import COLUMN_FOR_FIELD, EXTENDED_HEADER, FIELD_FOR_COLUMN, PINTEREST_HEADER
from studio.bulk.errors import CsvFormatError
from studio.bulk.exporter import backup_csvs, backup_json, export_pinterest_csv, write_backup
from studio.bulk.importer import (
    ImportReport,
    errors_csv,
    import_valid_rows,
    preview_csv,
    revalidate,
    wait_for_import,
)
from studio.bulk.media_check import MediaChecker
from studio.bulk.patch import PATCHABLE, AccountPinUpdater, missing_alt_text, pin_changes, updater_for
from studio.bulk.review import BULK_ACTIONS, BulkResult, bulk, check_bulk_request
from studio.bulk.rows import Preview, RowIssue, RowReport
from studio.bulk.slides import carousel_from_designs, draft_carousel_alt_texts
from studio.bulk.tables import migrations

__all__ = [
    "BULK_ACTIONS",
    "COLUMN_FOR_FIELD",
    "EXTENDED_HEADER",
    "FIELD_FOR_COLUMN",
    "PATCHABLE",
    "PINTEREST_HEADER",
    "AccountPinUpdater",
    "BulkResult",
    "CsvFormatError",
    "ImportReport",
    "MediaChecker",
    "Preview",
    "RowIssue",
    "RowReport",
    "backup_csvs",
    "backup_json",
    "batch",
    "bulk",
    "carousel_from_designs",
    "check_bulk_request",
    "draft_carousel_alt_texts",
    "errors_csv",
    "export_pinterest_csv",
    "import_valid_rows",
    "migrations",
    "missing_alt_text",
    "pin_changes",
    "preview_csv",
    "revalidate",
    "updater_for",
    "wait_for_import",
    "write_backup",
]
