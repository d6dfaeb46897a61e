"""CSV import: a preview where every row is validated (with its row number and the fix), then the
valid rows become drafts in the review queue; rows without copy are drafted by the LLM in a batch."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from studio import constraints, people
from studio.bulk import tables
from studio.bulk.boards import board_list, check_board
from studio.bulk.csv_format import (
    COLUMN_FOR_FIELD,
    EXTENDED_HEADER,
    FIELD_FOR_COLUMN,
    parse,
    parse_date,
    write,
)
from studio.bulk.media_check import MediaCheck, MediaChecker
from studio.bulk.rows import NOT_CHECKED, TEXT_LIMITS, Preview, RowIssue, RowReport
from studio.config import Settings
from studio.drafts import save_draft, submit_for_review
from studio.errors import StudioError
from studio.media import ingest_path
from studio.models import utcnow
from studio.people import Actor, Permission
from studio.storage import Store
from studio.text import looks_like_formula

if TYPE_CHECKING:
    from studio.drafting import DraftingService

__all__ = [
    "TEXT_LIMITS",
    "ImportReport",
    "Preview",
    "RowIssue",
    "RowReport",
    "errors_csv",
    "import_valid_rows",
    "preview_csv",
    "revalidate",
    "validate_rows",
]
DRAFT_FIELDS = ("title", "description", "alt_text", "link", "board", "board_section", "topic", "keywords", "account")


# --- validation -------------------------------------------------------------------------
def _check_text(report: RowReport) -> None:
    f = report.fields
    for name, limit in TEXT_LIMITS.items():
        value = f.get(name, "")
        if len(value) > limit:
            report.error(
                name,
                "text_too_long",
                f"{COLUMN_FOR_FIELD[name]} is {len(value)} characters; Pinterest allows {limit}.",
                f"Shorten it by {len(value) - limit} characters.",
            )
    link = f.get("link", "")
    if link:
        parsed = urlparse(link)
        if parsed.scheme != "https" or not parsed.netloc:
            report.error(
                "link",
                "link_not_https",
                f"The link “{link[:60]}” is not an https:// web address.",
                "Use the full address starting with https://, e.g. https://example.com/page.",
            )
    for name in ("title", "description"):
        if looks_like_formula(f.get(name, "")):
            report.warn(
                name,
                "formula_like",
                f"The {name} starts with “{f[name][0]}”: a spreadsheet opening it would read a formula.",
                "Start it with a word instead (the studio's own CSVs add an apostrophe so it can't run).",
            )
    if not f.get("title") and not f.get("description"):
        report.warn(
            "title",
            "will_draft",
            "No title or description: the LLM will draft them.",
            "Fill them in to use your own copy.",
        )
    elif report.needs_drafting:
        missing = "title" if not f.get("title") else "description"
        report.warn(
            missing, "will_draft", f"No {missing}: the LLM will draft it.", f"Fill in the {missing} to use your own."
        )


def _check_required(report: RowReport, columns: int) -> None:
    f = report.fields
    if not f.get("media_url"):
        report.error(
            "media_url",
            "media_required",
            "The Media URL is empty.",
            "Paste the public link to the pin's image or video.",
        )
    elif urlparse(f["media_url"]).scheme not in constraints.LINK_SCHEMES or not urlparse(f["media_url"]).netloc:
        report.error(
            "media_url",
            "media_url_invalid",
            f"“{f['media_url'][:60]}” is not a web link.",
            "Use a public link starting with https:// (upload local files on the Compose page).",
        )
    if not f.get("board"):
        report.error("board", "board_required", "The Pinterest board is empty.", "Type the board's name.")


def _check_date(report: RowReport, now: datetime) -> None:
    value = report.fields.get("publish_date", "")
    if not value:
        return
    try:
        when = parse_date(value)
    except StudioError as exc:
        report.error("publish_date", exc.code, exc.message, exc.fix)
        return
    if when < now:
        report.error(
            "publish_date",
            "date_in_past",
            f"The publish date {value} is in the past.",
            "Use a future date (UTC), or leave it empty to schedule later.",
        )
    report.fields["publish_date"] = when.strftime("%Y-%m-%dT%H:%M:%S")


def _check_media(report: RowReport, check: MediaCheck | None) -> None:
    if check is None:
        return
    report.media_kind = check.kind
    for issue in check.errors:
        report.error("media_url", f"media_{issue.code}", issue.message, issue.fix)
    for issue in check.warnings:
        report.warn("media_url", f"media_{issue.code}", issue.message, issue.fix)
    if report.fields.get("thumbnail") and check.kind == "image":
        report.warn("thumbnail", "thumbnail_ignored", "Thumbnails only apply to video pins.", "Leave it empty.")


def _check_duplicates(rows: list[RowReport], store: Store) -> None:
    titles = store.first_drafts_by_title()
    links = store.first_drafts_by_link()
    seen_titles: dict[str, int] = {}
    seen_links: dict[str, int] = {}
    for report in rows:
        title = report.fields.get("title", "").strip().lower()
        link = report.fields.get("link", "")
        if title:
            if title in seen_titles:
                report.error(
                    "title",
                    "duplicate_title",
                    f"Row {seen_titles[title]} has the same title.",
                    "Give each pin its own title (Pinterest treats repeats as spam).",
                )
            elif title in titles:
                report.error(
                    "title",
                    "title_exists",
                    f"Draft #{titles[title]} already has this title.",
                    "Give this pin a different title, or delete the row if it was imported before.",
                )
            seen_titles.setdefault(title, report.row)
        if link:
            if link in seen_links:
                report.error(
                    "link",
                    "duplicate_link",
                    f"Row {seen_links[link]} links to the same page.",
                    "Give each pin its own link, or drop one of the rows.",
                )
            elif link in links:
                report.error(
                    "link",
                    "link_exists",
                    f"Draft #{links[link]} already links to this page.",
                    "Use another link, or delete the row if it was imported before.",
                )
            seen_links.setdefault(link, report.row)


def validate_rows(
    store: Store,
    rows: list[tuple[int, dict[str, str], int]],
    *,
    columns: int,
    media: MediaChecker | None,
    now: datetime | None = None,
    on_media_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[RowReport], str]:
    """Validate `(row number, fields, cell count)` rows together (duplicates span rows)."""
    now = now or utcnow()
    boards = board_list(store)
    source = boards.source
    reports = []
    for number, fields, cells in rows:
        clean = {name: str(fields.get(name) or "").strip() for name in FIELD_FOR_COLUMN.values()}
        report = RowReport(row=number, fields=clean)
        if cells > columns:
            report.error(
                "",
                "extra_cells",
                f"The row has {cells} cells but the header has {columns} columns.",
                "A cell with a comma or semicolon inside must be in double quotes.",
            )
        _check_required(report, columns)
        _check_text(report)
        _check_date(report, now)
        check_board(report, boards)
        reports.append(report)
    if source == NOT_CHECKED:
        for report in reports:
            report.warn(
                "board",
                "boards_not_checked",
                "No synced board list and no drafts yet: board names can't be checked.",
                "Sync your boards on the Settings page to check them.",
            )
    _check_duplicates(reports, store)
    if media is not None:
        urls = [r.fields["media_url"] for r in reports if not any(i.column == "Media URL" for i in r.errors)]
        checks = media.check_all(urls, on_media_progress)
        for report in reports:
            _check_media(report, checks.get(report.fields.get("media_url", "")))
    return reports, source


def preview_csv(
    store: Store,
    data: bytes | str,
    *,
    file_name: str = "",
    media: MediaChecker | None = None,
    now: datetime | None = None,
    on_media_progress: Callable[[int, int], None] | None = None,
) -> Preview:
    """Parse and validate a whole file; raises CsvFormatError when the file itself can't be read."""
    parsed = parse(data)
    rows = [(r.row, r.values, r.cells) for r in parsed.rows]
    reports, source = validate_rows(
        store, rows, columns=len(parsed.columns), media=media, now=now, on_media_progress=on_media_progress
    )
    return Preview(
        file_name=file_name,
        kind=parsed.kind,
        delimiter=parsed.delimiter,
        had_bom=parsed.had_bom,
        columns=len(parsed.columns),
        board_source=source,
        ignored_columns=parsed.ignored_columns,
        rows=reports,
    )


def revalidate(
    store: Store,
    preview: Preview,
    edited: list[dict],
    *,
    media: MediaChecker | None = None,
    now: datetime | None = None,
) -> Preview:
    """Replace rows by their row number with edited fields and validate the rows not imported yet
    again (imported rows are in the store now, so duplicates of them are still caught)."""
    by_row = {int(e["row"]): e for e in edited}
    pending = [r for r in preview.rows if r.draft_id is None]
    rows = [(r.row, {**r.fields, **{k: v for k, v in by_row.get(r.row, {}).items() if k != "row"}}, 0) for r in pending]
    reports, source = validate_rows(store, rows, columns=preview.columns, media=media, now=now)
    fresh = {r.row: r for r in reports}
    merged = [fresh.get(r.row, r) for r in preview.rows]
    return preview.model_copy(update={"rows": merged, "board_source": source})


def wait_for_import(lock: threading.Lock, timeout_s: float) -> bool:
    """A stopped import finishes its current row (or the LLM calls in flight) in the background: wait
    for it, so counts are true and the same rows can't be imported twice. False at the timeout."""
    if lock.acquire(timeout=timeout_s):
        lock.release()
        return True
    return False


def errors_csv(preview: Preview) -> str:
    """The invalid rows in our extended CSV, with the row number, the errors and the fixes, to fix
    in a spreadsheet and upload again."""
    rows = []
    for r in preview.invalid:
        rows.append(
            {
                **r.fields,
                "Row": str(r.row),
                "Errors": " | ".join(f"{i.column or 'row'}: {i.message}" for i in r.errors),
                "Fix": " | ".join(i.fix for i in r.errors if i.fix),
            }
        )
    return write(rows, ("Row", *EXTENDED_HEADER, "Errors", "Fix"), one_line=False)


# --- import -----------------------------------------------------------------------------
class ImportReport(BaseModel):
    import_id: int
    imported: int = 0
    drafted: int = 0
    failed: int = 0
    cancelled: int = 0
    rows: list[RowReport] = Field(default_factory=list)


Progress = Callable[[str, int, int], None]


def import_valid_rows(
    store: Store,
    settings: Settings,
    preview: Preview,
    *,
    media: MediaChecker,
    actor: Actor,
    drafting: DraftingService | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Store each valid row's media and make it a draft in the review queue; rows missing copy are
    drafted in one batch (`drafting`: a DraftingService; built from settings when omitted)."""
    people.require(actor, Permission.COMPOSE)  # before any row is fetched or stored
    cancel = cancel or threading.Event()
    valid = [r for r in preview.rows if r.ok and r.draft_id is None]
    import_id = tables.record_import(store, preview.file_name, actor.name, len(preview.rows), len(preview.invalid))
    report = ImportReport(import_id=import_id, rows=preview.rows)
    to_draft: list[tuple[RowReport, int]] = []
    for n, row in enumerate(valid, 1):
        if cancel.is_set():
            break
        try:
            media.check_one(row.fields["media_url"])  # any download happens before the write lock is taken
            with store.atomic():  # a row is imported whole or not at all (and one commit is fast)
                media_id = _store_media(store, settings.data_dir, media, row.fields["media_url"])
                if not row.needs_drafting:
                    draft = save_draft(store, None, {**_draft_fields(row), "media_id": media_id}, actor=actor)
                    _land(store, row, draft.id, import_id, actor)
            if row.needs_drafting:
                to_draft.append((row, media_id))
            else:
                report.imported += 1
        except StudioError as exc:
            row.draft_id = None
            row.error("", f"import_{exc.code}", exc.message, exc.fix)
            report.failed += 1
        if on_progress:
            on_progress("import", n, len(valid))
    if to_draft and not cancel.is_set():
        _draft_rows(store, settings, to_draft, report, import_id, actor, drafting, on_progress, cancel)
    report.cancelled = sum(1 for r in valid if r.ok and r.draft_id is None)
    tables.count_imported(store, import_id, report.imported + report.drafted)
    return report


def _draft_fields(row: RowReport) -> dict[str, str]:
    return {k: row.fields.get(k, "") for k in DRAFT_FIELDS}


def _store_media(store: Store, data_dir: Path, media: MediaChecker, url: str) -> int:
    check = media.check_one(url)
    if not check.ok or check.path is None:
        issue = check.errors[0] if check.errors else None
        raise StudioError(
            issue.message if issue else "The media could not be fetched.",
            fix=issue.fix if issue else "Check the link.",
            code="media_failed",
        )
    name = Path(urlparse(url).path).name or "media"
    asset, _dup = ingest_path(store, data_dir, check.path, name)
    tables.remember_media_url(store, asset.id, url)
    media.release(url)
    return asset.id


def _land(store: Store, row: RowReport, draft_id: int, import_id: int, actor: Actor) -> None:
    """Into the review queue, keeping what the CSV said that a draft has no column for."""
    submit_for_review(store, draft_id, actor=actor)
    tables.remember_pin(
        store,
        draft_id,
        media_url=row.fields.get("media_url", ""),
        thumbnail=row.fields.get("thumbnail", ""),
        publish_date=row.fields.get("publish_date", ""),
        import_id=import_id,
        row=row.row,
    )
    row.draft_id = draft_id


def _draft_rows(
    store: Store,
    settings: Settings,
    to_draft: list[tuple[RowReport, int]],
    report: ImportReport,
    import_id: int,
    actor: Actor,
    drafting: DraftingService | None,
    on_progress: Progress | None,
    cancel: threading.Event,
) -> None:
    """One drafting batch for the rows without copy; each drafted row then lands like the others."""
    from studio.drafting import BatchItem, draft_batch, service_for

    service = drafting or service_for(store, settings)
    items = [
        BatchItem(
            media_id=mid,
            topic=row.fields.get("topic") or row.fields.get("title", ""),
            keywords=row.fields.get("keywords", ""),
            link=row.fields.get("link", ""),
            board=row.fields.get("board", ""),
        )
        for row, mid in to_draft
    ]
    rows_for = {id(item): row for item, (row, _mid) in zip(items, to_draft)}

    stopped: list[BaseException] = []

    def progress(done: int, total: int, _outcome) -> None:
        if on_progress and not stopped:
            try:
                on_progress("draft", done, total)
            except BaseException as exc:  # the page stopped (Streamlit rerun) or Ctrl-C
                # Held until the drafts made so far are in the review queue: raised inside the
                # batch, they would stay outside it and be drafted a second time on resume.
                stopped.append(exc)
                cancel.set()

    batch = draft_batch(
        service, items, concurrency=settings.llm_concurrency, on_progress=progress, cancel=cancel, actor=actor
    )
    _land_drafted(store, batch.outcomes, rows_for, report, import_id, actor)
    if stopped:
        raise stopped[0]


def _warn_repeated_title(store: Store, row: RowReport, draft_id: int, title: str) -> None:
    """The preview caught repeated titles in the file; a drafted one is only known now."""
    same = store.draft_with_title(title, excluding=draft_id)
    if same is not None:
        row.warn(
            "title",
            "drafted_title_repeats",
            f"The drafted title “{title[:60]}” is the same as draft #{same}'s.",
            "Re-draft the title (Batch operations → Re-draft a field) or edit it in review: Pinterest "
            "treats repeats as spam, and an export needs one file per repeat.",
        )


def _land_drafted(
    store: Store, outcomes: list, rows_for: dict, report: ImportReport, import_id: int, actor: Actor
) -> None:
    """Each drafted row, with the CSV's own words, into the review queue."""
    for outcome in outcomes:
        row = rows_for[id(outcome.item)]
        if not outcome.ok or outcome.draft_id is None:
            row.error(
                "",
                "drafting_failed",
                f"The copy could not be drafted: {outcome.error}",
                "Fill in the title and description yourself, or retry the import of this row.",
            )
            report.failed += 1
            continue
        try:  # the CSV's own words win over the model's
            given = {k: v for k, v in _draft_fields(row).items() if v}
            with store.atomic():
                saved = save_draft(store, outcome.draft_id, given, actor=actor)
                _land(store, row, outcome.draft_id, import_id, actor)
            report.drafted += 1
            _warn_repeated_title(store, row, saved.id, saved.title)
        except StudioError as exc:
            row.error("", f"import_{exc.code}", exc.message, exc.fix)
            report.failed += 1
