"""For the analytics tests: a movable clock, settings pointed at a fake Pinterest, known data in the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from studio.analytics import tables
from studio.drafting import ExperimentInput, Variant, promote, start_experiment
from studio.media import ingest_image
from studio.preferences import load_settings
from tests.support.env import ROOT
from tests.support.people import editor


class Clock:
    """An injectable clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)


def fake_settings(fake, **overrides):
    return load_settings(
        PINTEREST_API_BASE=fake.base,
        PINTEREST_ACCESS_TOKEN=fake.access_token,
        STUDIO_ANALYTICS_READ_RATE=0,
        STUDIO_PUBLISH_BACKOFF_BASE=0.01,
        STUDIO_PUBLISH_BACKOFF_CAP=0.05,
        **overrides,
    )


def seed_known(store, pins: list[dict], days: list[str]) -> None:
    """Pins with given metadata and per-day metrics: each pin dict carries `daily` = (impr, save, out), and
    optionally `not_final`: days Pinterest is still counting (data_status PROCESSING)."""
    now = datetime.now(UTC).isoformat()
    tables.upsert_pins(
        store,
        [
            {
                "pin_id": p["pin_id"],
                "account": p.get("account", "shop"),
                "board_name": p.get("board", "Recipes"),
                "title": p.get("title", ""),
                "kind": p.get("kind", "image"),
                "created_at": p.get("created_at", "2026-01-05T09:00:00+00:00"),
                "keywords": p.get("keywords", ""),
                "draft_id": p.get("draft_id"),
                "source": "studio" if p.get("draft_id") else "imported",
                "updated_at": now,
            }
            for p in pins
        ],
    )
    rows = []
    for p in pins:
        impression, save, outbound = p["daily"]
        for day in days:
            status = "PROCESSING" if day in p.get("not_final", ()) else "READY"
            rows.append(
                {"pin_id": p["pin_id"], "day": day, "impression": impression, "save": save, "pin_click": 0,
                 "outbound_click": outbound, "data_status": status}
            )  # fmt: skip
    tables.upsert_daily(store, rows)
    store.db.conn.commit()


def page(name: str) -> AppTest:
    """A page of the studio under AppTest."""
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


def recent_days(n: int) -> list[str]:
    """The last `n` days before today (UTC), newest first."""
    today = datetime.now(UTC).date()
    return [str(today - timedelta(days=d)) for d in range(1, n + 1)]


def published_variants(store, settings, make_image) -> tuple[int, list[int]]:
    """An experiment with two variants promoted to drafts: (experiment id, [draft ids])."""
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "soup.jpg")
    exp = start_experiment(
        store,
        settings,
        media_id=asset.id,
        variants=[
            Variant(label="Plain", keywords="hearty stew"),
            Variant(label="Bold", keywords="winter soup", tone="bold"),
        ],
        base=ExperimentInput(topic="Winter soup", board="Recipes"),
        actor=editor(),
    )
    drafts = [promote(store, exp["id"], run["id"], actor=editor()).id for run in exp["runs"]]
    assert len(set(drafts)) == 2
    return exp["id"], drafts
