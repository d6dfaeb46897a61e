"""Regenerate the README's screenshots: a real studio on a throwaway data dir, in headless Chromium.
(Install Debian's fonts-noto-color-emoji first, or the page icons show as boxes.)

    .venv/bin/python docs/screenshots.py            # every screenshot
    .venv/bin/python docs/screenshots.py calendar   # only these (home, compose, review, calendar)
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.analytics import tables  # noqa: E402
from studio.drafting import service_for  # noqa: E402
from studio.drafting.offline import OfflineDrafter  # noqa: E402
from studio.drafts.lifecycle import approve, save_draft, submit_for_review  # noqa: E402
from studio.media.samples import add_samples, sample_topic  # noqa: E402
from studio.preferences import load_settings  # noqa: E402
from studio.publishing import publish_draft  # noqa: E402
from studio.scheduling import add_slot, add_to_queue  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.support.browser import calendar_board, chromium_page, open_studio, studio_server  # noqa: E402
from tests.support.people import editor, reviewer  # noqa: E402
from tests.support.publishing import PostedPublisher  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
BOARDS = ["Autumn recipes", "Home ideas", "Travel"]


def seed(data_dir: Path) -> None:
    store = open_store(data_dir / "studio.db")
    samples = add_samples(store, data_dir)
    for i, asset in enumerate(samples * 3):  # a grid's worth of pins
        service = service_for(store, load_settings(data_dir=data_dir), drafter=OfflineDrafter())
        copy = service.draft(
            media_id=asset.id,
            topic=sample_topic(asset.original_name),
            keywords="autumn recipes, soup" if i == 0 else "",
            link=f"https://example.com/blog/{i}",
            board=BOARDS[i % len(BOARDS)],
        ).output
        draft = save_draft(
            store,
            None,
            {
                "title": copy.title,
                "description": copy.description,
                "alt_text": copy.alt_text,
                "link": f"https://example.com/blog/{i}",
                "board": BOARDS[i % len(BOARDS)],
                "media_id": asset.id,
                "provider": "offline",
            },
            actor=editor("ana"),
        )
        if i % 4 != 3:
            submit_for_review(store, draft.id, actor=editor("ana"))
        if i in (1, 2, 6):  # three different images: the guardrails allow each once per board
            approve(store, draft.id, actor=reviewer("rita"))
    settings = load_settings(data_dir=data_dir)
    for weekday in range(7):  # one shared set of posting slots
        add_slot(store, "", weekday, "09:00", "UTC", actor=reviewer("rita"))
        add_slot(store, "", weekday, "18:30", "UTC", actor=reviewer("rita"))
    went_out = store.list_drafts(["approved"])[-1]  # one pin published today, synced with its first metrics
    publish_draft(store, PostedPublisher("9001"), went_out.id, data_dir, actor=reviewer("rita"))
    for draft in store.list_drafts(["approved"]):
        add_to_queue(store, settings, draft.id, actor=reviewer("rita"))
    now = datetime.now(UTC)
    day_before, two_days_before = ((now - timedelta(days=n)).isoformat() for n in (1, 2))
    synced = [
        {"pin_id": "9001", "title": went_out.title, "created_at": now.isoformat(), "draft_id": went_out.id},
        {"pin_id": "9002", "title": "Cinnamon rolls for slow Sundays", "created_at": day_before},
        {"pin_id": "9003", "title": "A reading nook in ten steps", "created_at": two_days_before},
    ]  # fmt: skip
    tables.upsert_pins(
        store,
        [
            {**pin, "account": "shop", "board_name": BOARDS[n], "source": "studio" if n == 0 else "imported",
             "updated_at": now.isoformat()}
            for n, pin in enumerate(synced)
        ],
    )  # fmt: skip
    day = str(now.date())
    tables.upsert_daily(
        store,
        [
            {"pin_id": pin["pin_id"], "day": day, "impression": 120 * (n + 2), "save": 4 + n, "pin_click": 3,
             "outbound_click": 2 + n, "data_status": "READY"}
            for n, pin in enumerate(synced)
        ],
    )  # fmt: skip
    store.db.conn.commit()
    store.close()


def main() -> None:
    only = set(sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        seed(data_dir)
        env = {
            "STUDIO_DATA_DIR": str(data_dir),
            "STUDIO_ENV_FILE": "",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_PUBLISHER": "dry-run",
        }
        with studio_server(env) as base, chromium_page(viewport=(1400, 900)) as page:
            page.set_default_timeout(120_000)  # a busy machine renders slowly
            open_studio(page, base)
            for name, path, ready in [
                ("home", "", "Pinstudio"),
                ("compose", "compose", "Compose a pin"),
                ("review", "review", "selected"),
                ("calendar", "calendar", "Times in UTC"),
                ("calendar_month", "calendar", "Times in UTC"),
            ]:
                if only and name.split("_")[0] not in only:
                    continue
                page.goto(f"{base}/{path}")
                page.get_by_text(ready).first.wait_for()
                if name == "review":
                    page.locator(".pin-card img").first.wait_for()
                    page.wait_for_function("[...document.images].every(i => i.complete)", polling=200, timeout=120_000)
                if name.startswith("calendar"):
                    if name == "calendar_month":
                        page.get_by_text("Month", exact=True).click()
                        calendar_board(page).locator(".fc-dayGridMonth-view").wait_for()
                    calendar_board(page).locator(".fc-event").first.wait_for()
                if name == "compose":
                    page.get_by_label("…or pick stored media").click()
                    page.get_by_role("option").first.click()
                    page.get_by_role("button", name="Draft copy").click()
                    page.get_by_text("Drafted by").wait_for()
                page.mouse.move(5, 5)  # no tooltip in the picture
                page.wait_for_timeout(1500)
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"wrote {OUT / f'{name}.png'}")


if __name__ == "__main__":
    main()
