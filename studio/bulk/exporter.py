"""Exports: Pinterest's bulk-create CSV of approved pins (for uploading through Pinterest itself),
and a full backup of drafts and their history (CSV and JSON) with secrets left out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from studio.bulk import tables
from studio.bulk.csv_format import EXTENDED_HEADER, PINTEREST_HEADER, format_date, write
from studio.bulk.importer import RowReport, _check_text
from studio.errors import ValidationError
from studio.models import Draft, iso, utcnow
from studio.publishing import jobs
from studio.storage import Store

PINTEREST_MAX_ROWS = 100  # Pinterest's bulk-create upload takes at most 100 pins per file (issue 8; vendor guides).
# Vendor guides (e.g. pinbuddy.net's CSV format guide, 2026) say Pin Builder refuses publish dates more
# than 14 days ahead; Pinterest's API docs say nothing about the CSV, so this only warns.
PUBLISH_WINDOW = timedelta(days=14)
# Keys never written to a backup, at any depth: tokens, keys, passwords, auth headers.
SECRET_KEYS = re.compile(r"token|secret|password|api_key|apikey|authorization|credential|cookie", re.I)


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the same files' contents, for downloads
    rows: int = 0
    skipped: list[dict] = field(default_factory=list)  # {draft_id, reason}
    warnings: list[str] = field(default_factory=list)


def _all_drafts(store: Store, statuses: Iterable[str]) -> list[Draft]:
    return sorted(store.list_drafts(list(statuses), limit=1_000_000), key=lambda d: d.id)


CAROUSEL_REASON = (
    "it is a carousel of {n} images, and Pinterest's bulk-create CSV takes one image or video per row "
    "(publish it from the Publish page or with `pinstudio publish`)"
)


def pinterest_rows(
    store: Store,
    statuses: Iterable[str] = ("approved",),
    *,
    now: datetime | None = None,
    public_base_url: str | None = None,
) -> tuple[list[dict], list[dict], list[str]]:
    """(rows by field, skipped pins with the reason, warnings) for the bulk-create CSV.

    With `public_base_url` (STUDIO_PUBLIC_BASE_URL), media that has no public link of its own (uploaded
    from a computer, or fixed in the studio) gets one: the API server serves stored media read-only there."""
    now = now or utcnow()
    facts, urls = tables.pin_facts(store), tables.media_urls(store)
    rows, skipped = [], []
    alt, sections, far = [], [], []
    from studio.design import carousel_counts  # the carousel table belongs to studio.design

    carousels = carousel_counts(store)
    for d in _all_drafts(store, statuses):
        if d.id in carousels:
            skipped.append({"draft_id": d.id, "reason": CAROUSEL_REASON.format(n=carousels[d.id])})
            continue
        extra = facts.get(d.id, {})
        url = urls.get(d.media_id) if d.media_id else None
        if not url and d.media_id and public_base_url:
            url = f"{public_base_url.rstrip('/')}/media/{Path(store.get_media(d.media_id).path).name}"
        if not url:
            skipped.append({"draft_id": d.id, "reason": _no_url_reason(store, d.media_id, urls)})
            continue
        when = d.scheduled_at or extra.get("publish_date") or ""
        date = format_date(when) if when else ""
        if date and date < format_date(now):
            date = ""  # Pinterest refuses past dates; an empty one publishes on upload
        row = {
            "title": d.title,
            "media_url": url,
            "board": d.board,
            "thumbnail": extra.get("thumbnail") or "",
            "description": d.description,
            "link": d.link,
            "publish_date": date,
            "keywords": d.keywords,
        }
        check = RowReport(row=0, fields={k: v or "" for k, v in row.items()})
        _check_text(check)
        if check.errors:
            skipped.append({"draft_id": d.id, "reason": "; ".join(i.message for i in check.errors)})
            continue
        if date and date > format_date(now + PUBLISH_WINDOW):
            far.append(d.id)
        if d.alt_text:
            alt.append(d.id)
        if d.board_section:
            sections.append(d.id)
        rows.append({**row, "draft_id": d.id})
    warnings = []
    if alt:
        warnings.append(
            f"Pinterest's CSV has no alt text column: the alt text of {len(alt)} pin(s) "
            f"(#{_ids(alt)}) won't be uploaded. Add it afterwards with “Fix published pins”."
        )
    if sections:
        warnings.append(
            f"Pinterest's CSV has no board section column: {len(sections)} pin(s) (#{_ids(sections)}) "
            "will land on the board itself, not in their section."
        )
    if far:
        warnings.append(
            f"{len(far)} pin(s) (#{_ids(far)}) are dated more than 14 days ahead; Pinterest's uploader "
            "may refuse them. Export those closer to their date, or let the studio publish them."
        )
    if skipped:
        warnings.append(
            f"{len(skipped)} pin(s) left out: "
            + "; ".join(f"#{s['draft_id']} {s['reason']}" for s in skipped[:5])
            + ("…" if len(skipped) > 5 else ".")
        )
    if any("public" in str(s["reason"]) for s in skipped):
        warnings.append(NO_PUBLIC_URL_HELP)
    return rows, skipped, warnings


NO_PUBLIC_URL_HELP = (
    "Why: Pinterest's bulk CSV can't carry files — Pinterest downloads each pin's image or video from a public "
    "web address, and a file on your computer (or in the studio's data folder) has none. What works: publish "
    "those pins through the studio (Publish page or schedule), or set STUDIO_PUBLIC_BASE_URL to the public "
    "address of the studio's API server (which serves stored media read-only under /media/) and export again."
)


def _no_url_reason(store: Store, media_id: int | None, urls: dict[int, str]) -> str:
    if media_id is None:
        return "it has no image or video"
    source = store.get_media(media_id).source_id
    while source is not None:  # a fix makes a new file; the CSV's URL still serves the old one
        if source in urls:
            return "its media was fixed in the studio, so the CSV's public URL no longer serves the pinned file"
        source = store.get_media(source).source_id
    return "its media was uploaded from a computer and has no public URL for Pinterest to fetch"


def _ids(ids: list[int]) -> str:
    return ", #".join(map(str, ids[:10])) + ("…" if len(ids) > 10 else "")


def split_rows(rows: list[dict], max_rows: int = PINTEREST_MAX_ROWS) -> list[list[dict]]:
    """Files of at most `max_rows`, no title or link twice in a file (Pinterest rejects repeats)."""
    files: list[tuple[list[dict], set, set]] = []
    for row in rows:
        title, link = row["title"].strip().lower(), row["link"]
        for chunk, titles, links in files:
            if len(chunk) < max_rows and title not in titles and (not link or link not in links):
                break
        else:
            chunk, titles, links = [], set(), set()
            files.append((chunk, titles, links))
        chunk.append(row)
        titles.add(title)
        if link:
            links.add(link)
    return [chunk for chunk, _t, _l in files]


def export_pinterest_csv(
    store: Store,
    out_dir: Path | None = None,
    *,
    statuses: Iterable[str] = ("approved",),
    max_rows: int = PINTEREST_MAX_ROWS,
    now: datetime | None = None,
    public_base_url: str | None = None,
) -> ExportResult:
    """Write (when `out_dir` is given) and return the bulk-create CSV file(s)."""
    if not 1 <= max_rows <= PINTEREST_MAX_ROWS:
        raise ValidationError(
            f"A file can hold 1 to {PINTEREST_MAX_ROWS} pins, not {max_rows}.",
            fix=f"Pick a number up to {PINTEREST_MAX_ROWS}.",
            code="bad_max_rows",
        )
    rows, skipped, warnings = pinterest_rows(store, statuses, now=now, public_base_url=public_base_url)
    result = ExportResult(rows=len(rows), skipped=skipped, warnings=warnings)
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    chunks = split_rows(rows, max_rows)
    if len(chunks) > -(-len(rows) // max_rows):
        result.warnings.append(_repeats_warning(rows, len(chunks)))
    for n, chunk in enumerate(chunks, 1):
        text = write(chunk, PINTEREST_HEADER)
        result.texts.append(text)
        if out_dir is not None:
            path = Path(out_dir) / f"pinterest-bulk-{stamp}-{n:02d}-of-{len(chunks):02d}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            result.files.append(path)
    return result


def _repeats_warning(rows: list[dict], files: int) -> str:
    """Why the export needs more files than its size asks for: repeated titles or links."""
    seen: dict[str, list[int]] = {}
    for row in rows:
        seen.setdefault(row["title"].strip().lower(), []).append(row["draft_id"])
        if row["link"]:
            seen.setdefault(row["link"], []).append(row["draft_id"])
    repeats = sorted((ids for ids in seen.values() if len(ids) > 1), key=len, reverse=True)
    worst = repeats[0] if repeats else []
    return (
        f"Some pins repeat a title or link, and Pinterest refuses repeats within one file, so the export "
        f"needs {files} files: up to {len(worst)} pins share one (#{_ids(worst)}). Give them their own "
        "titles and links on the Review page to upload in fewer files."
    )


# --- backup -----------------------------------------------------------------------------
def scrub(value: Any) -> Any:
    """A copy with every secret-looking key removed, at any depth."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if not SECRET_KEYS.search(str(k))}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def backup(store: Store) -> dict:
    """Every draft with its history, publish jobs and CSV facts, and every media record."""
    facts, urls = tables.pin_facts(store), tables.media_urls(store)
    history: dict[int, list] = {}
    for event in store.all_events():
        history.setdefault(event.draft_id, []).append(
            {"at": event.at, "actor": event.actor, "action": event.action, "detail": event.detail}
        )
    jobs_by_draft: dict[int, list] = {}
    for job in jobs.all_jobs(store):
        keep = {
            k: job.get(k)
            for k in (
                "id",
                "backend",
                "status",
                "pin_id",
                "pin_url",
                "error_code",
                "error_message",
                "attempts",
                "created_at",
                "updated_at",
            )
        }
        jobs_by_draft.setdefault(job["draft_id"], []).append(keep)
    drafts = []
    for d in _all_drafts(store, []):
        drafts.append(
            {
                **d.model_dump(mode="json"),
                "media_url": urls.get(d.media_id or -1, ""),
                "csv": {k: v for k, v in facts.get(d.id, {}).items() if k != "draft_id"},
                "history": history.get(d.id, []),
                "publish_jobs": jobs_by_draft.get(d.id, []),
            }
        )
    media = [
        {**{k: v for k, v in m.model_dump(mode="json").items()}, "url": urls.get(m.id, "")}
        for m in store.list_media(limit=1_000_000)
    ]
    return scrub({"format": "pinstudio-backup", "version": 1, "exported_at": iso(), "drafts": drafts, "media": media})


def backup_json(store: Store) -> str:
    return json.dumps(backup(store), indent=2, ensure_ascii=False, default=str)


BACKUP_DRAFT_COLUMNS = (
    "Id",
    "Status",
    "Version",
    "Author",
    "Created at",
    "Updated at",
    "Scheduled at",
    *EXTENDED_HEADER,
)
BACKUP_HISTORY_COLUMNS = ("Draft", "At", "Actor", "Action", "Detail")


def backup_csvs(store: Store) -> dict[str, str]:
    """`drafts.csv` (our extended columns plus status and dates) and `history.csv` (one event a line)."""
    data = backup(store)
    drafts, history = [], []
    for d in data["drafts"]:
        drafts.append(
            {
                "Id": d["id"],
                "Status": d["status"],
                "Version": d["version"],
                "Author": d["author"],
                "Created at": d["created_at"],
                "Updated at": d["updated_at"],
                "Scheduled at": format_date(d["scheduled_at"]) if d.get("scheduled_at") else "",
                "title": d["title"],
                "media_url": d["media_url"],
                "board": d["board"],
                "thumbnail": d["csv"].get("thumbnail", ""),
                "description": d["description"],
                "link": d["link"],
                "publish_date": d["csv"].get("publish_date", ""),
                "keywords": d["keywords"],
                "alt_text": d["alt_text"],
                "board_section": d["board_section"],
                "account": d["account"],
                "topic": d["topic"],
            }
        )
        for e in d["history"]:
            history.append(
                {
                    "Draft": d["id"],
                    "At": e["at"],
                    "Actor": e["actor"],
                    "Action": e["action"],
                    "Detail": json.dumps(e["detail"], ensure_ascii=False, default=str),
                }
            )
    return {
        "drafts.csv": write(drafts, BACKUP_DRAFT_COLUMNS, one_line=False),
        "history.csv": write(history, BACKUP_HISTORY_COLUMNS, one_line=False),
    }


def write_backup(store: Store, out_dir: Path) -> list[Path]:
    """backup.json, drafts.csv and history.csv in `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "backup.json"]
    paths[0].write_text(backup_json(store), encoding="utf-8")
    for name, text in backup_csvs(store).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths
