"""Exports: Pinterest's bulk-create CSV (split, unique, warned) that imports back to the same pins,
and a backup of drafts and history without secrets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from studio.bulk import tables
from studio.bulk.csv_format import PINTEREST_HEADER, parse, write
from studio.bulk.exporter import backup_csvs, backup_json, export_pinterest_csv, write_backup
from studio.bulk.importer import import_valid_rows, preview_csv
from studio.bulk.media_check import MediaChecker
from studio.drafts.lifecycle import approve, save_draft
from studio.errors import ValidationError
from studio.media.assets import ingest_path
from studio.media.fixes import apply_fix
from studio.publishing import jobs
from studio.services import open_store
from studio.storage import Store
from tests.fakes.media_host import MediaHost
from tests.support.media import make_image
from tests.support.people import editor, person, reviewer

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def asset(store, data_dir, tmp_path):
    path = make_image(tmp_path / "a.jpg", (300, 450))
    media, _ = ingest_path(store, data_dir, path)
    tables.remember_media_url(store, media.id, "https://cdn.example/a.jpg")
    return media


def approved(store, asset, n: int, **fields) -> int:
    base = {
        "title": f"Pin {n}",
        "description": f"About pin {n}.",
        "link": f"https://example.com/{n}",
        "board": "Recipes",
        "media_id": asset.id,
    }
    draft = save_draft(store, None, {**base, **fields}, actor=editor())
    approve(store, draft.id, actor=reviewer("rev"))
    return draft.id


def test_files_hold_at_most_100_pins_with_the_exact_header(store, asset, tmp_path):
    for n in range(250):
        approved(store, asset, n)
    result = export_pinterest_csv(store, tmp_path / "out", now=NOW)
    assert result.rows == 250 and [len(parse(t).rows) for t in result.texts] == [100, 100, 50]
    assert [p.name.endswith(f"-{i:02d}-of-03.csv") for i, p in enumerate(result.files, 1)] == [True] * 3
    for path in result.files:
        raw = path.read_bytes()
        assert raw.startswith(",".join(PINTEREST_HEADER).encode() + b"\r\n")  # exact, no BOM
        assert raw.count(b"\r\n") == len(parse(raw).rows) + 1  # one line per pin


def test_split_is_configurable_and_keeps_titles_and_links_unique_per_file(store, asset):
    for n in range(4):
        approved(store, asset, n)
    approved(store, asset, 10, title="Pin 0")  # same title as pin 0
    approved(store, asset, 11, link="https://example.com/1")  # same link as pin 1
    result = export_pinterest_csv(store, max_rows=3, now=NOW)
    assert sum(len(parse(t).rows) for t in result.texts) == 6
    for text in result.texts:
        rows = [r.values for r in parse(text).rows]
        assert len(rows) <= 3
        assert len({r["title"].lower() for r in rows}) == len(rows)
        assert len({r["link"] for r in rows}) == len(rows)
    assert not any("repeat a title" in w for w in result.warnings)  # 6 pins in files of 3: 2 files anyway
    with pytest.raises(ValidationError):
        export_pinterest_csv(store, max_rows=101)


def test_many_pins_with_one_title_are_explained_not_just_split(store, asset):
    ids = [approved(store, asset, n, title="Soup") for n in range(5)]  # e.g. copy drafted alike
    result = export_pinterest_csv(store, now=NOW)
    assert len(result.texts) == 5
    assert any(
        "needs 5 files: up to 5 pins share one (#" + ", #".join(map(str, ids)) + ")" in w for w in result.warnings
    )


def test_warnings_for_what_pinterests_csv_cannot_carry(store, asset, data_dir, tmp_path):
    approved(store, asset, 1, alt_text="A bowl of soup on a table", description="Line one.\nLine two.")
    approved(store, asset, 2, board_section="Soups")
    local, _ = ingest_path(store, data_dir, make_image(tmp_path / "local.jpg", (300, 451)))
    local_id = approved(store, local, 3)
    result = export_pinterest_csv(store, now=NOW)
    text = " ".join(result.warnings)
    assert "no alt text column" in text and "#1" in text
    assert "no board section column" in text and "#2" in text
    assert result.skipped == [
        {
            "draft_id": local_id,
            "reason": "its media was uploaded from a computer and has no public URL for Pinterest to fetch",
        }
    ]
    rows = parse(result.texts[0]).rows
    assert [r.values["title"] for r in rows] == ["Pin 1", "Pin 2"]
    fixed = apply_fix(store, data_dir, asset, "pad_2x3")
    save_draft(store, 2, {"media_id": fixed.id}, actor=editor())
    approve(store, 2, actor=reviewer())
    again = export_pinterest_csv(store, now=NOW)
    assert {
        "draft_id": 2,
        "reason": "its media was fixed in the studio, so the CSV's public URL no longer serves the pinned file",
    } in again.skipped
    assert rows[0].values["description"] == "Line one. Line two."


def test_dates_are_utc_and_past_dates_left_empty(store, asset):
    first = approved(store, asset, 1)
    second = approved(store, asset, 2)
    tables.remember_pin(store, first, publish_date="2031-02-03T04:05:06")
    tables.remember_pin(store, second, publish_date="2020-01-01T00:00:00")
    result = export_pinterest_csv(store, now=NOW)
    dates = {r.values["title"]: r.values["publish_date"] for r in parse(result.texts[0]).rows}
    assert dates == {"Pin 1": "2031-02-03T04:05:06", "Pin 2": ""}
    assert any("more than 14 days ahead" in w and f"#{first}" in w for w in result.warnings)


def test_export_then_import_gives_the_same_pins(store, settings, tmp_path, monkeypatch):
    root = tmp_path / "cdn"
    rows = []
    for n in range(5):
        make_image(root / f"p{n}.jpg", (300, 450), colour=(50 * n, 20, 20))
    with MediaHost(root) as host, httpx.Client(timeout=5) as http:
        for n in range(5):
            rows.append(
                {
                    "title": f"Soup {n}",
                    "media_url": host.url(f"p{n}.jpg"),
                    "board": "Recipes",
                    "description": f"Warm soup number {n}.",
                    "link": f"https://example.com/soup/{n}",
                    "publish_date": f"2031-01-0{n + 1}T10:00:00" if n % 2 else "",
                    "keywords": "soup, winter",
                }
            )
        media = MediaChecker(http, settings.data_dir / "bulk")
        first = preview_csv(store, write(rows).encode(), media=media)
        import_valid_rows(store, settings, first, media=media, actor=editor())
        for d in store.list_drafts():
            approve(store, d.id, actor=reviewer("rev"))
        exported = export_pinterest_csv(store, tmp_path / "out")
        assert len(exported.files) == 1 and exported.rows == 5

        other_dir = tmp_path / "other"
        monkeypatch.setenv("STUDIO_DATA_DIR", str(other_dir))
        from studio.preferences import load_settings

        other_settings = load_settings()
        other = open_store(other_settings.db_path)
        media2 = MediaChecker(http, other_dir / "bulk")
        second = preview_csv(other, exported.files[0].read_bytes(), media=media2)
        assert not second.invalid
        import_valid_rows(other, other_settings, second, media=media2, actor=editor())

    def pins(s: Store) -> list[tuple]:
        facts = tables.pin_facts(s)
        return sorted(
            (
                d.title,
                d.description,
                d.link,
                d.board,
                d.keywords,
                facts[d.id]["publish_date"],
                s.get_media(d.media_id).sha256,
            )
            for d in s.list_drafts()
        )

    assert pins(other) == pins(store) and len(pins(store)) == 5
    other.close()


def test_backup_has_drafts_and_history_and_no_secrets(store, asset, tmp_path, monkeypatch):
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", "pina_SUPERSECRET")
    draft_id = approved(store, asset, 1)
    store.add_event(draft_id, person("worker"), "publish_note", {"access_token": "pina_SUPERSECRET", "note": "kept"})
    job = jobs.insert_job(store, draft_id, "pinterest", {"headers": {"Authorization": "Bearer pina_SUPERSECRET"}})
    jobs.update_job(store, job, status="published", pin_id="123")
    text = backup_json(store)
    assert "SUPERSECRET" not in text
    data = json.loads(text)
    draft = data["drafts"][0]
    assert [e["action"] for e in draft["history"]][:2] == ["created", "status:in_review"]
    assert draft["history"][-1]["detail"] == {"note": "kept"}
    assert draft["publish_jobs"][0]["pin_id"] == "123" and draft["media_url"] == "https://cdn.example/a.jpg"
    csvs = backup_csvs(store)
    assert "SUPERSECRET" not in "".join(csvs.values())
    assert parse(csvs["drafts.csv"]).rows[0].values["title"] == "Pin 1"
    paths = write_backup(store, tmp_path / "backup")
    assert sorted(p.name for p in paths) == ["backup.json", "drafts.csv", "history.csv"]
