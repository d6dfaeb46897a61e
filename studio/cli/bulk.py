"""`pinstudio import-csv` and `pinstudio export-csv`: Pinterest's bulk-create CSV from the shell.

`import-csv --json` prints `{file, format, delimiter, board_source, dry_run, ignored_columns, summary,
rows: [{row, ok, draft_id, needs_drafting, fields, errors: [{column, code, message, fix}], warnings}]}`.
Exit codes: 0 every row valid (and imported unless --dry-run), 1 any row invalid or the file
unreadable, 2 a usage error (no such file, an unknown --status, --max-rows outside 1–100).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.cli.common import fail, open_store, operator, print_json, services, settings
from studio.errors import StudioError
from studio.models import DraftStatus


def register(subparsers) -> None:
    p = subparsers.add_parser("import-csv", help="validate a Pinterest bulk CSV and import its valid rows as drafts")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="validate and report only; save nothing")
    p.add_argument("--json", action="store_true", help="print the row report as JSON")
    # Kept so older scripts still run: the drafts are recorded as the operator (cli:<os user>), never a typed name.
    p.add_argument("--actor", default="", help=argparse.SUPPRESS)
    p.set_defaults(handler=import_csv)

    e = subparsers.add_parser("export-csv", help="write Pinterest bulk-create CSV file(s) of approved pins")
    e.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        choices=[s.value for s in DraftStatus],
        help="pins with this status (repeatable; default approved; one of: "
        + ", ".join(s.value for s in DraftStatus)
        + ")",
    )
    e.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder for the files (default .)")
    e.add_argument("--max-rows", type=_rows_per_file, default=100, help="pins per file, 1 to 100 (default 100)")
    e.add_argument("--backup", action="store_true", help="also write backup.json, drafts.csv and history.csv")
    e.add_argument("--json", action="store_true", help="print the result as JSON")
    e.set_defaults(handler=export_csv)


def _rows_per_file(value: str) -> int:
    """--max-rows: a bad number is a usage error (exit 2), caught before anything runs."""
    if not value.isdigit() or not 1 <= int(value) <= 100:
        raise argparse.ArgumentTypeError(f"{value!r}: Pinterest takes 1 to 100 pins per file")
    return int(value)


def import_csv(args) -> int:
    from studio.bulk import MediaChecker, import_valid_rows, preview_csv
    from studio.media import default_client

    if not args.file.is_file():
        return fail(f"There is no file at {args.file}. Check the path.", code=2)
    cfg = settings()
    store = open_store(cfg)
    try:
        _env_token_account(store, cfg)
        with default_client(cfg.http_timeout_s) as http:
            media = MediaChecker(http, cfg.data_dir / "bulk", dry_run=args.dry_run)
            try:
                preview = preview_csv(
                    store,
                    args.file.read_bytes(),
                    file_name=args.file.name,
                    media=media,
                    on_media_progress=_progress("checking media"),
                )
            except StudioError as exc:
                if args.json:
                    print_json({"file": str(args.file), "error": exc.to_dict()})
                return fail(exc)
            report = None
            if not args.dry_run and preview.valid:
                report = import_valid_rows(
                    store,
                    cfg,
                    preview,
                    media=media,
                    actor=operator(),
                    on_progress=lambda stage, n, t: _progress(stage)(n, t),
                )
            media.release_all()  # downloads of rows left out are not kept
    finally:
        store.close()
    out = {
        "file": str(args.file),
        "format": preview.kind,
        "delimiter": preview.delimiter,
        "board_source": preview.board_source,
        "dry_run": args.dry_run,
        "ignored_columns": preview.ignored_columns,
        "summary": preview.summary(),
        "rows": [r.to_dict() for r in preview.rows],
    }
    if report is not None:
        out["summary"].update(imported=report.imported, drafted=report.drafted, failed=report.failed)
    if args.json:
        print_json(out)
    else:
        _print_rows(preview, out["summary"], args.dry_run)
    return 1 if preview.invalid else 0


def _env_token_account(store, cfg) -> None:
    """PINTEREST_ACCESS_TOKEN alone is a connected account: its boards are what the CSV is checked against."""
    if not cfg.pinterest_access_token:
        return
    from studio.accounts import ensure_env_account

    svc = services(cfg)
    try:
        ensure_env_account(store, svc.vault, svc.http, cfg, open_store=svc.store)
    except StudioError as exc:
        print(f"warning: boards of PINTEREST_ACCESS_TOKEN's account not loaded: {exc.message}", file=sys.stderr)


def _progress(stage: str):
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r  {stage}… {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def _print_rows(preview, summary: dict, dry_run: bool) -> None:
    print(
        f"{preview.file_name}: {preview.kind} CSV, '{preview.delimiter}'-separated; board names checked "
        f"against: {preview.board_source}."
    )
    if note := preview.column_note():
        print(f"warning: {note}")
    for r in preview.rows:
        mark = "OK " if r.ok else "ERR"
        where = f"draft #{r.draft_id}" if r.draft_id else ("will be drafted" if r.ok and r.needs_drafting else "")
        print(f"{mark} row {r.row}: {r.fields.get('title') or '(no title)'}" + (f" → {where}" if where else ""))
        for i in r.errors:
            print(f"    error   {i.column or 'row'}: {i.message} Fix: {i.fix}")
        for i in r.warnings:
            print(f"    warning {i.column or 'row'}: {i.message}")
    verb = "would import" if dry_run else "imported"
    done = summary["valid"] if dry_run else summary.get("imported", 0) + summary.get("drafted", 0)
    print(f"{summary['rows']} rows: {summary['valid']} valid, {summary['invalid']} invalid; {verb} {done}.")


def export_csv(args) -> int:
    from studio.bulk import export_pinterest_csv, write_backup

    cfg = settings()
    store = open_store(cfg)
    try:
        result = export_pinterest_csv(
            store,
            args.out,
            statuses=args.status or ["approved"],
            max_rows=args.max_rows,
            public_base_url=cfg.public_base_url,
        )
        backup = write_backup(store, args.out) if args.backup else []
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "files": [str(p) for p in result.files],
                "rows": result.rows,
                "skipped": result.skipped,
                "warnings": result.warnings,
                "backup": [str(p) for p in backup],
            }
        )
    else:
        for path in result.files:
            print(path)
        for path in backup:
            print(path)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"{result.rows} pin(s) in {len(result.files)} file(s).", file=sys.stderr)
    return 0
