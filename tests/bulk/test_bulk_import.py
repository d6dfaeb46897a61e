"""CSV import: the preview validates every row (row number + fix) before anything is saved, then
valid rows become drafts in the review queue; rows without copy are drafted by the LLM."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from studio.bulk import tables
from studio.bulk.csv_format import EXTENDED_HEADER, PINTEREST_HEADER, parse, write
from studio.bulk.importer import errors_csv, import_valid_rows, preview_csv, revalidate
from studio.bulk.media_check import MediaChecker
from studio.drafting import get_drafter
from studio.drafting.service import DraftingService
from studio.drafts.lifecycle import save_draft
from studio.models import DraftStatus
from tests.fakes.media_host import MediaHost
from tests.support.media import make_image, make_video
from tests.support.people import editor

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")


@pytest.fixture
def host(tmp_path):
    root = tmp_path / "cdn"
    for i in range(6):
        make_image(root / f"pin{i}.jpg", (300, 450), colour=(40 * i, 90, 60))
    make_image(root / "tiny.jpg", (60, 60))
    (root / "notes.jpg").write_text("not an image at all")
    with MediaHost(root) as server:
        yield server


@pytest.fixture
def media(data_dir):
    with httpx.Client(timeout=5) as http:
        yield MediaChecker(http, data_dir / "bulk", concurrency=4)


def csv_text(rows: list[dict]) -> bytes:
    return write(rows, PINTEREST_HEADER, one_line=False).encode()


def row(host, n: int, **fields) -> dict:
    base = {
        "title": f"Pin number {n}",
        "media_url": host.url(f"pin{n}.jpg"),
        "board": "Recipes",
        "description": f"Description {n}.",
        "link": f"https://example.com/{n}",
    }
    return {**base, **fields}


def codes(report) -> set[str]:
    return {i.code for i in report.errors}


def test_a_dry_run_check_reads_headers_keeps_no_download_and_still_refuses_what_they_show(store, host, data_dir):
    rows = [row(host, 0), row(host, 1, media_url=host.url("tiny.jpg")), row(host, 2, media_url=host.url("notes.jpg"))]
    with httpx.Client(timeout=5) as http:
        media = MediaChecker(http, data_dir / "bulk", dry_run=True)
        preview = preview_csv(store, csv_text(rows), file_name="pins.csv", media=media)
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].ok and by_row[2].media_kind == "image"
    assert codes(by_row[3]) == {"media_image_too_small"} and codes(by_row[4]) == {"media_unreadable"}
    assert [p for p in (data_dir / "bulk").rglob("*") if p.is_file()] == []  # nothing kept to clean up


def test_preview_reports_each_problem_with_its_row_and_fix_and_saves_nothing(store, host, media):
    rows = [
        row(host, 0),
        row(host, 1, media_url=host.url("missing.jpg")),
        row(host, 2, media_url=host.url("tiny.jpg")),
        row(host, 3, media_url=host.url("notes.jpg")),
        row(host, 4, link="http://example.com/insecure", title="x" * 101),
        row(host, 5, board="", publish_date="2001-01-01"),
        {**row(host, 6, media_url=""), "publish_date": "6/1/2030 9:30"},
    ]
    preview = preview_csv(store, csv_text(rows), file_name="pins.csv", media=media)
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].ok and by_row[2].media_kind == "image"
    assert codes(by_row[3]) == {"media_download_failed"}
    assert codes(by_row[4]) == {"media_image_too_small"}
    assert "100×100" in by_row[4].errors[0].message and by_row[4].errors[0].fix
    assert codes(by_row[5]) == {"media_unreadable"}
    assert codes(by_row[6]) == {"link_not_https", "text_too_long"}
    assert codes(by_row[7]) == {"board_required", "date_in_past"}
    assert codes(by_row[8]) == {"media_required", "excel_date"}
    assert "2030-06-01T09:30:00" in next(i.fix for i in by_row[8].errors if i.code == "excel_date")
    assert all(i.fix for r in preview.invalid for i in r.errors)
    assert preview.summary() == {"rows": 7, "valid": 1, "invalid": 6, "to_draft": 0, "imported": 0}
    assert store.count_drafts() == {} and store.list_media() == []


def test_video_rows_are_checked_as_videos_and_imported(store, settings, host, media):
    make_video(host.root / "clip.mp4", seconds=5)
    make_video(host.root / "short.mp4", seconds=1)
    rows = [
        row(host, 0, media_url=host.url("clip.mp4"), thumbnail="2"),
        row(host, 1, media_url=host.url("short.mp4")),
        row(host, 2, thumbnail="https://cdn.example/c.jpg"),
    ]
    preview = preview_csv(store, csv_text(rows), media=media)
    clip, short, image = preview.rows
    assert clip.ok and clip.media_kind == "video"
    assert codes(short) == {"media_video_too_short"}
    assert "thumbnail_ignored" in {i.code for i in image.warnings}
    import_valid_rows(store, settings, preview, media=media, actor=editor())
    assert store.get_media(store.get_draft(clip.draft_id).media_id).kind == "video"
    assert tables.pin_facts(store)[clip.draft_id]["thumbnail"] == "2"


def test_an_unquoted_separator_inside_a_cell_is_caught_with_the_quoting_fix(store, host, media):
    text = (
        f"Title;Media URL;Pinterest board;Description\nSoup;{host.url('pin0.jpg')};Recipes;Warm; easy; cheap\n"
    ).encode()
    preview = preview_csv(store, text, media=media)
    assert preview.delimiter == ";"
    report = preview.rows[0]
    assert codes(report) == {"extra_cells"} and "double quotes" in report.errors[0].fix


def test_duplicates_within_the_file_and_against_the_store(store, host, media):
    save_draft(
        store, None, {"title": "Already here", "link": "https://example.com/old", "board": "Recipes"}, actor=editor()
    )
    rows = [
        row(host, 0),
        row(host, 1, title="pin NUMBER 0"),
        row(host, 2, link="https://example.com/0"),
        row(host, 3, title="Already here"),
        row(host, 4, link="https://example.com/old"),
    ]
    preview = preview_csv(store, csv_text(rows), media=media)
    r = {x.row: x for x in preview.rows}
    assert r[2].ok
    assert codes(r[3]) == {"duplicate_title"} and "Row 2" in r[3].errors[0].message
    assert codes(r[4]) == {"duplicate_link"} and "Row 2" in r[4].errors[0].message
    assert codes(r[5]) == {"title_exists"} and "#1" in r[5].errors[0].message
    assert codes(r[6]) == {"link_exists"}


def test_unknown_board_against_boards_seen_on_drafts_suggests_the_close_one(store, host, media):
    save_draft(store, None, {"title": "Seed", "board": "Recipes"}, actor=editor())
    preview = preview_csv(
        store,
        csv_text([row(host, 0, board="recipes"), row(host, 1, board="Recipies"), row(host, 2, board="Garden")]),
        media=media,
    )
    assert preview.board_source == "boards seen on drafts"
    first, typo, other = preview.rows
    assert first.ok and first.fields["board"] == "Recipes"  # case-insensitive, spelled as known
    assert codes(typo) == {"unknown_board"} and "“Recipes”" in typo.errors[0].fix
    assert "(boards seen on drafts)" in typo.errors[0].message
    assert codes(other) == {"unknown_board"}


def test_unknown_board_against_the_synced_board_list(store, host, media):
    save_draft(store, None, {"title": "Seed", "board": "Old board"}, actor=editor())  # seen on drafts, but not synced
    store.db["boards"].insert({"account": "brand", "id": "901", "name": "Spring Recipes", "deleted_at": None})
    preview = preview_csv(
        store, csv_text([row(host, 0, board="Spring recipes"), row(host, 1, board="Old board")]), media=media
    )
    assert preview.board_source == "synced boards"
    assert preview.rows[0].ok and codes(preview.rows[1]) == {"unknown_board"}
    assert "(synced boards)" in preview.rows[1].errors[0].message


def test_synced_boards_check_the_account_and_the_section(store, host, media):
    store.db["boards"].insert_all(
        [
            {"account": "brand", "id": "901", "name": "Spring Recipes", "deleted_at": None},
            {"account": "shop", "id": "902", "name": "Products", "deleted_at": None},
        ]
    )
    store.db["board_sections"].insert(
        {"account": "brand", "board_id": "901", "id": "77", "name": "Salads", "deleted_at": None}
    )
    rows = [
        row(host, 0, board="Spring Recipes", account="brand", board_section="salads"),
        row(host, 1, board="Products", account="brand"),
        row(host, 2, board="Spring Recipes", board_section="Soups"),
        row(host, 3, board="Products", account="nobody"),
    ]
    preview = preview_csv(store, write(rows, EXTENDED_HEADER).encode(), media=media)
    ok, wrong_account, wrong_section, no_account = preview.rows
    assert ok.ok and ok.fields["board_section"] == "Salads"
    assert codes(wrong_account) == {"unknown_board"}  # "Products" belongs to another account
    assert codes(wrong_section) == {"unknown_section"} and "Spring Recipes" in wrong_section.errors[0].message
    assert codes(no_account) == {"unknown_account"}


def test_no_board_list_at_all_warns_instead_of_refusing(store, host, media):
    preview = preview_csv(store, csv_text([row(host, 0, board="Anything")]), media=media)
    assert preview.rows[0].ok
    assert "boards_not_checked" in {i.code for i in preview.rows[0].warnings}


def test_import_lands_valid_rows_in_review_and_downloads_each_url_once(store, settings, host, media):
    rows = [
        row(host, 0, keywords="salad, summer"),
        row(host, 1, publish_date="2031-05-01T08:00:00"),
        row(host, 2, link="ftp://bad"),
    ]
    preview = preview_csv(store, csv_text(rows), file_name="pins.csv", media=media)
    report = import_valid_rows(store, settings, preview, media=media, actor=editor("ana"))
    assert (report.imported, report.drafted, report.failed) == (2, 0, 0)
    drafts = sorted(store.list_drafts(), key=lambda d: d.id)
    assert [d.status for d in drafts] == [DraftStatus.IN_REVIEW] * 2
    assert drafts[0].title == "Pin number 0" and drafts[0].keywords == "salad, summer"
    assert drafts[0].author == "ana" and drafts[0].media_id is not None
    assert preview.rows[0].draft_id == drafts[0].id and preview.rows[2].draft_id is None
    assert tables.pin_facts(store)[drafts[1].id]["publish_date"] == "2031-05-01T08:00:00"
    assert tables.media_urls(store)[drafts[0].media_id] == host.url("pin0.jpg")
    assert host.hits["pin0.jpg"] == 1  # the preview's download was reused by the import
    downloads = settings.data_dir / "bulk" / "downloads"
    assert len(list(downloads.glob("*.bin"))) == 1  # only the invalid row's, kept while it can be fixed
    media.release_all()
    assert not list(downloads.glob("*.bin"))


def test_rows_without_copy_are_drafted_by_the_llm_and_keep_what_the_csv_gave(store, settings, host, media):
    rows = [row(host, 0, title="", description=""), row(host, 1, description="", alt_text="ignored"), row(host, 2)]
    preview = preview_csv(store, csv_text(rows), media=media)
    assert preview.summary()["to_draft"] == 2
    assert "will_draft" in {i.code for i in preview.rows[0].warnings}
    stages = []
    offline = DraftingService(store, get_drafter(settings), data_dir=settings.data_dir, landing=None)  # no network
    report = import_valid_rows(
        store,
        settings,
        preview,
        media=media,
        drafting=offline,
        on_progress=lambda stage, n, t: stages.append((stage, n, t)),
        actor=editor(),
    )
    assert (report.imported, report.drafted) == (1, 2)
    assert ("draft", 2, 2) in stages
    drafted = store.get_draft(preview.rows[0].draft_id)
    kept = store.get_draft(preview.rows[1].draft_id)
    assert drafted.title and drafted.description and drafted.provider == "offline"
    assert kept.title == "Pin number 1" and kept.description  # its own title, the model's description
    assert {drafted.status, kept.status} == {DraftStatus.IN_REVIEW}


def test_cancel_stops_the_import_and_keeps_what_was_done(store, settings, host, media):
    preview = preview_csv(store, csv_text([row(host, n) for n in range(4)]), media=media)
    cancel = threading.Event()

    def progress(stage, n, total):
        if n == 2:
            cancel.set()

    report = import_valid_rows(
        store, settings, preview, media=media, on_progress=progress, cancel=cancel, actor=editor()
    )
    assert report.imported == 2 and report.cancelled == 2
    assert store.count_drafts() == {"in_review": 2}
    again = import_valid_rows(store, settings, preview, media=media, actor=editor())  # the rest, later
    assert again.imported == 2 and store.count_drafts() == {"in_review": 4}


class WordsAlike:
    """A drafter that words alike pins alike, whatever their pictures show (a real model can)."""

    name, model = "offline", "words-alike"

    def __init__(self, settings):
        self.inner = get_drafter(settings)

    def draft(self, request):
        return self.inner.draft(request.model_copy(update={"media_facts": {}}))


def test_drafted_titles_that_repeat_are_flagged_on_their_rows(store, settings, host, media):
    rows = [row(host, n, title="", description="", keywords="squash soup") for n in range(3)]
    preview = preview_csv(store, csv_text(rows), media=media)
    offline = DraftingService(store, WordsAlike(settings), data_dir=settings.data_dir, landing=None)
    report = import_valid_rows(store, settings, preview, media=media, drafting=offline, actor=editor())
    assert report.drafted == 3
    titles = [store.get_draft(r.draft_id).title for r in preview.rows]
    assert len(set(titles)) == 1  # the offline drafter words alike pins alike (a real model can too)
    flagged = [r.row for r in preview.rows if "drafted_title_repeats" in {w.code for w in r.warnings}]
    assert flagged == [2, 3, 4]  # each shares it with the others
    assert "Re-draft the title" in preview.rows[-1].warnings[-1].fix


class PageStopped(BaseException):
    """What Streamlit raises inside a running script when the user clicks Stop (a rerun)."""


def test_a_stop_while_drafting_lands_what_was_drafted_and_resuming_makes_no_second_copy(store, settings, host, media):
    preview = preview_csv(store, csv_text([row(host, n, title="", description="") for n in range(4)]), media=media)
    offline = DraftingService(store, get_drafter(settings), data_dir=settings.data_dir, landing=None)

    def progress(stage, n, total):
        if stage == "draft" and n == 1:
            raise PageStopped()

    with pytest.raises(PageStopped):  # the stop still reaches the page, after the batch is tidy
        import_valid_rows(
            store,
            settings,
            preview,
            media=media,
            drafting=offline,
            on_progress=progress,
            cancel=threading.Event(),
            actor=editor(),
        )
    landed = [r.draft_id for r in preview.rows if r.draft_id]
    assert landed and store.count_drafts() == {"in_review": len(landed)}  # nothing drafted is left outside review
    import_valid_rows(store, settings, preview, media=media, drafting=offline, actor=editor())  # "Import" again
    assert store.count_drafts() == {"in_review": 4}
    assert len({r.draft_id for r in preview.rows}) == 4


def test_fixing_rows_in_the_editor_and_revalidating(store, host, media):
    preview = preview_csv(store, csv_text([row(host, 0), row(host, 1, link="http://x.example", board="")]), media=media)
    assert len(preview.invalid) == 1
    fixed = revalidate(store, preview, [{"row": 3, "link": "https://x.example/ok", "board": "Recipes"}], media=media)
    assert not fixed.invalid and fixed.rows[1].fields["link"] == "https://x.example/ok"


def test_revalidating_after_a_partial_import_keeps_imported_rows(store, settings, host, media):
    preview = preview_csv(store, csv_text([row(host, 0), row(host, 1, link="http://x.example")]), media=media)
    import_valid_rows(store, settings, preview, media=media, actor=editor())
    fixed = revalidate(store, preview, [{"row": 3, "link": "https://x.example/ok"}], media=media)
    assert fixed.rows[0].ok and fixed.rows[0].draft_id is not None  # not a duplicate of its own draft
    assert fixed.rows[1].ok and fixed.rows[1].draft_id is None
    again = revalidate(store, preview, [{"row": 3, "title": "Pin number 0", "link": "https://x.example/ok"}])
    assert codes(again.rows[1]) == {"title_exists"}
    assert import_valid_rows(store, settings, fixed, media=media, actor=editor()).imported == 1
    assert store.count_drafts() == {"in_review": 2}


def test_errors_csv_lists_row_errors_and_fixes_and_can_be_uploaded_again(store, host, media):
    preview = preview_csv(store, csv_text([row(host, 0), row(host, 1, link="http://x.example")]), media=media)
    text = errors_csv(preview)
    again = parse(text.encode())
    assert again.kind == "extended" and len(again.rows) == 1
    assert set(again.ignored_columns) == {"Row", "Errors", "Fix"}
    assert "https://" in text and "Link:" in text
    assert again.rows[0].values["title"] == "Pin number 1"


def test_ten_thousand_rows_validate_with_each_url_fetched_once(store, host, media):
    rows = [row(host, n % 6, title=f"Pin {n}", link=f"https://example.com/p/{n}") for n in range(10_000)]
    started = time.perf_counter()
    preview = preview_csv(store, csv_text(rows), media=media)
    elapsed = time.perf_counter() - started
    assert len(preview.rows) == 10_000 and not preview.invalid
    assert sum(host.hits.values()) == 6
    assert elapsed < 30
