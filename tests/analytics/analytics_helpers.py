"""Helpers for the analytics tests: a movable clock, settings pointed at the fake, known data in the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from studio.analytics import tables
from studio.preferences import load_settings


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
    """Pins with given metadata and per-day metrics: each pin dict carries `daily` = (impr, save, out)."""
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
            rows.append(
                {"pin_id": p["pin_id"], "day": day, "impression": impression, "save": save, "pin_click": 0,
                 "outbound_click": outbound}
            )  # fmt: skip
    tables.upsert_daily(store, rows)
    store.db.conn.commit()
