"""Regenerate the README's screenshots: a real studio on a throwaway data dir, in headless Chromium.
(Install Debian's fonts-noto-color-emoji first, or the page icons show as boxes.)

    .venv/bin/python docs/screenshots.py                            # all of them
    .venv/bin/python docs/screenshots.py compose-carousel analytics # only these
    .venv/bin/python docs/screenshots.py calendar                   # calendar.png and calendar_month.png
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.analytics import tables as analytics_tables  # noqa: E402
from studio.drafting import service_for  # noqa: E402
from studio.drafting.offline import OfflineDrafter  # noqa: E402
from studio.drafts.lifecycle import approve, save_draft, submit_for_review  # noqa: E402
from studio.media.samples import add_samples, sample_image_bytes, sample_topic  # noqa: E402
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
    publish_draft(store, PostedPublisher("9001"), went_out.id, settings, actor=reviewer("rita"))
    for draft in store.list_drafts(["approved"]):
        add_to_queue(store, settings, draft.id, actor=reviewer("rita"))
    seed_went_out(store, went_out)
    store.close()


def seed_went_out(store, went_out) -> None:
    """For the calendar: the pin published today and two pins posted on Pinterest itself, synced with metrics."""
    now = datetime.now(UTC)
    day_before, two_days_before = ((now - timedelta(days=n)).isoformat() for n in (1, 2))
    synced = [
        {"pin_id": "9001", "title": went_out.title, "created_at": now.isoformat(), "draft_id": went_out.id},
        {"pin_id": "9002", "title": "Cinnamon rolls for slow Sundays", "created_at": day_before},
        {"pin_id": "9003", "title": "A reading nook in ten steps", "created_at": two_days_before},
    ]  # fmt: skip
    analytics_tables.upsert_pins(
        store,
        [
            {**pin, "account": "shop", "board_name": BOARDS[n], "source": "studio" if n == 0 else "imported",
             "updated_at": now.isoformat()}
            for n, pin in enumerate(synced)
        ],
    )  # fmt: skip
    analytics_tables.upsert_daily(
        store,
        [
            {"pin_id": pin["pin_id"], "day": str(now.date()), "impression": 120 * (n + 2), "save": 4 + n,
             "pin_click": 3, "outbound_click": 2 + n, "data_status": "READY"}
            for n, pin in enumerate(synced)
        ],
    )  # fmt: skip
    store.db.conn.commit()


ANALYTICS_PINS = [  # title, board, daily impressions, outbound CTR
    ("Cosy autumn soup in 30 minutes", "Autumn recipes", 1800, 0.031),
    ("Roasted squash soup with ginger", "Autumn recipes", 1300, 0.024),
    ("Minimal desk setup for small rooms", "Home ideas", 2100, 0.012),
    ("Spring garden path ideas", "Home ideas", 900, 0.018),
    ("A weekend in Lisbon on a budget", "Travel", 1500, 0.022),
    ("Slow mornings: a reading nook", "Home ideas", 700, 0.009),
    ("Apple crumble for a crowd", "Autumn recipes", 1100, 0.027),
    ("Three days in the Dolomites", "Travel", 1250, 0.016),
]
CAROUSEL_PHOTOS = [  # name, colours, slide title, slide description
    ("squash.jpg", ("#d0632a", "#f5c95a"), "Roast the squash", "Halve it, oil it, 40 minutes at 200 °C."),
    ("ginger.jpg", ("#7a9a3a", "#efe3b0"), "Add the ginger", "A thumb of fresh ginger, grated into the pot."),
    ("bowl.jpg", ("#8c2f1b", "#f6d6a8"), "Serve it hot", "Blend smooth and top with toasted seeds."),
]


def seed_analytics(data_dir: Path) -> None:
    """Sixty days of metrics for a handful of pins (the last two still being counted), posted at varied times."""
    store = open_store(data_dir / "studio.db")
    rng = random.Random(7)
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=d) for d in range(1, 61)]
    analytics_tables.upsert_pins(
        store,
        [
            {"pin_id": str(900 + i), "account": "default", "board_name": board, "title": title, "kind": "image",
             "created_at": f"2026-0{1 + i % 6}-{10 + i}T{7 + (i * 5) % 14:02d}:00:00+00:00", "keywords": "",
             "source": "imported", "updated_at": datetime.now(UTC).isoformat()}
            for i, (title, board, _reach, _ctr) in enumerate(ANALYTICS_PINS)
        ],
    )  # fmt: skip
    rows = []
    for i, (_title, _board, reach, ctr) in enumerate(ANALYTICS_PINS):
        for day in days:
            growth = 1 + 0.6 * (60 - (today - day).days) / 60  # the account grows over the period
            impressions = int(reach * growth * rng.uniform(0.7, 1.3))
            rows.append(
                {"pin_id": str(900 + i), "day": str(day), "impression": impressions,
                 "save": int(impressions * rng.uniform(0.004, 0.01)), "pin_click": int(impressions * 0.02),
                 "outbound_click": int(impressions * ctr * rng.uniform(0.8, 1.2)),
                 "data_status": "PROCESSING" if (today - day).days <= 2 else "READY"}
            )  # fmt: skip
    analytics_tables.upsert_daily(store, rows)
    store.db.conn.commit()  # the table module's writes leave the commit to their caller
    store.close()


def compose_carousel(page, base: str, photos: list[str]) -> None:
    """Compose with three photos uploaded at once as a carousel, each slide's title typed, its copy drafted."""
    page.goto(f"{base}/compose")
    page.get_by_text("Compose a pin").first.wait_for()
    page.get_by_text("Carousel: several photos in one pin").click()
    page.locator('[class*="st-key-carousel_upload"] input[type="file"]').set_input_files(photos)
    slides = page.locator('[class*="st-key-car_slide_"]')
    slides.nth(2).wait_for()
    page.get_by_label("Topic or product notes").fill("Roasted squash soup")
    page.get_by_label("Topic or product notes").press("Tab")
    for n, (_name, _colours, title, description) in enumerate(CAROUSEL_PHOTOS, 1):
        for label, text in ((f"Slide {n} title", title), (f"Slide {n} description", description)):
            box = page.get_by_label(label, exact=True)
            box.fill(text)
            box.press("Tab")
            page.wait_for_timeout(700)
    page.get_by_role("button", name="Draft carousel copy").click()
    page.get_by_text("Drafted for the carousel").wait_for()
    page.wait_for_function("[...document.images].every(i => i.complete)", polling=200, timeout=120_000)
    page.get_by_text("Carousel: several photos in one pin").scroll_into_view_if_needed()


def optimise(path: Path, width: int = 1280) -> None:
    """At most `width` px wide, 256 colours: a screenshot of a page stays sharp and small."""
    from PIL import Image

    with Image.open(path) as img:
        img.load()
    if img.width > width:
        img = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
    img.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def main(only: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        seed(data_dir)
        seed_analytics(data_dir)
        photos = []
        for name, colours, *_copy in CAROUSEL_PHOTOS:
            photos.append(str(data_dir / name))
            Path(photos[-1]).write_bytes(sample_image_bytes((1000, 1500), colours, "JPEG"))
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
                if only and name not in only and name.split("_")[0] not in only:
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
        with studio_server(env) as base, chromium_page(viewport=(1280, 1000)) as page:
            page.set_default_timeout(120_000)
            open_studio(page, base)
            if not only or "compose-carousel" in only:
                page.set_viewport_size({"width": 1280, "height": 2600})  # the whole carousel section in view
                compose_carousel(page, base, photos)
                page.mouse.move(5, 5)
                page.wait_for_timeout(1500)
                shot = OUT / "compose-carousel.png"
                page.locator('[data-testid="stExpander"]').filter(has_text="several photos in one pin").screenshot(
                    path=str(shot)
                )
                optimise(shot)
                print(f"wrote {shot}")
            if not only or "analytics" in only:
                page.set_viewport_size({"width": 1280, "height": 1000})
                page.goto(f"{base}/analytics")
                page.get_by_text("What changed.").wait_for()
                page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for()
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
                shot = OUT / "analytics.png"
                page.screenshot(path=str(shot))
                optimise(shot)
                print(f"wrote {shot}")


if __name__ == "__main__":
    main(sys.argv[1:])
