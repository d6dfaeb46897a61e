"""Sync pin and account metrics from Pinterest into SQLite, kept after Pinterest forgets them.

Requests (the fewest we found; `n` pins of which `v` are videos, `P` = ceil(n / 250)):
  backfill and daily top-up alike: P list pages (GET /pins?pin_metrics=true, org_read)
  + ceil((n - v) / 100) + ceil(v / 100) bulk calls (GET /pins/analytics, 100 pins, ≤ 90 days each)
  + 1 GET /user_account/analytics + 1 GET /user_account/analytics/top_pins.
  Without the (beta) bulk endpoint: n per-pin calls instead of the bulk ones.
A top-up asks only for the days after each pin's last final day, so one call still covers a batch.
Every answer is checked against the spec's shapes first (answers.py): a pin whose answer is bad, or whose call
failed after retries, is reported and asked for again next time; the other pins are stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from studio.analytics import tables
from studio.analytics.answers import BadAnswer, DailyMetrics, answers_by_pin, series_days
from studio.config import PINTEREST_SANDBOX, Settings
from studio.errors import StudioError
from studio.models import iso, utcnow
from studio.pinterest import RequestPacer
from studio.publishing import jobs
from studio.storage import Store

if TYPE_CHECKING:
    from studio.pinterest import PinterestAPI

Clock = Callable[[], datetime]
LOOKBACK_DAYS = 90  # SPEC: start_date "Cannot be more than 90 days back from today"
BULK_MAX_PINS = 100  # SPEC: GET /pins/analytics pin_ids maxItems 100
PAGE_SIZE = 250  # SPEC: page_size maximum of GET /pins
SANDBOX_NOTE = "Pinterest's sandbox has no analytics endpoints; metrics sync only against the production API."


def is_sandbox(api_base: str) -> bool:
    return api_base.rstrip("/") == PINTEREST_SANDBOX or "api-sandbox." in api_base


@dataclass
class ReadBudget:
    """The analytics read budget: a request cap per sync (Trial apps get 1,000 analytics calls a day) and a
    rate under the org_analytics category's 60 per minute per user (docs/pinterest.md §10)."""

    max_requests: int = 900
    limiter: RequestPacer = field(default_factory=lambda: RequestPacer(0))
    used: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadBudget:
        return cls(settings.analytics_max_requests, RequestPacer(settings.analytics_read_rate))

    def call(self, api: PinterestAPI, path: str, step: str, params: dict) -> dict:
        if self.used >= self.max_requests:
            raise BudgetSpent()
        self.used += 1
        self.limiter.acquire()
        try:
            return api.call("GET", path, step=step, params=params)
        finally:
            self.limiter.done()


class BudgetSpent(Exception):
    """The per-sync request cap is reached; the next sync carries on from the stored progress."""


def _kind(pin: dict) -> str:
    media_type = (pin.get("media") or {}).get("media_type") or ""
    if media_type == "video" or pin.get("creative_type") == "VIDEO":
        return "video"
    if media_type.startswith("multiple"):
        return "carousel"
    return "image"


def _thumbnail(pin: dict) -> str:
    media = pin.get("media") or {}
    images = media.get("images") or {}
    for size in ("400x300", "600x", "236x", "150x150", "1200x", "originals"):
        if (images.get(size) or {}).get("url"):
            return images[size]["url"]
    if media.get("cover_image_url"):
        return media["cover_image_url"]
    items = media.get("items") or []
    return (items[0].get("images", {}).get("600x", {}) or {}).get("url", "") if items else ""


def _created(pin: dict) -> str:
    raw = (pin.get("created_at") or "").replace("Z", "")
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=UTC).isoformat()
    except ValueError:
        return ""


def import_pins(store: Store, budget: ReadBudget, api: PinterestAPI, account: str, now: str) -> list[dict]:
    """Every pin of the account (ours and the ones the studio did not publish), with 90-day/lifetime totals."""
    from studio.accounts import list_boards

    boards = {b["id"]: b["name"] for b in list_boards(store, account, include_deleted=True)}
    ours = {
        str(j["pin_id"]): j["draft_id"] for j in jobs.list_jobs(store, ["published"], limit=1_000_000) if j["pin_id"]
    }
    pins: list[dict] = []
    bookmark = None
    while True:
        params: dict = {"page_size": PAGE_SIZE, "pin_metrics": "true"}
        if bookmark:
            params["bookmark"] = bookmark
        page = budget.call(api, "/pins", "analytics_list_pins", params)
        items = page.get("items")
        if not isinstance(items, list) or not all(isinstance(p, dict) and p.get("id") for p in items):
            raise BadAnswer("Pinterest's list of pins is not in the documented shape.", fix="Try the sync again later.")
        pins += items
        bookmark = page.get("bookmark")
        if not bookmark:
            break
    rows = []
    for pin in pins:
        pin_id = str(pin["id"])
        draft_id = ours.get(pin_id)
        keywords = ""
        if draft_id is not None:
            try:
                keywords = store.get_draft(int(draft_id)).keywords or ""
            except StudioError:
                draft_id = None
        metrics = pin.get("pin_metrics") or {}
        rows.append(
            {
                "pin_id": pin_id,
                "account": account,
                "board_id": str(pin.get("board_id") or ""),
                "board_name": boards.get(str(pin.get("board_id") or ""), ""),
                "title": pin.get("title") or "",
                "description": pin.get("description") or "",
                "link": pin.get("link") or "",
                "kind": _kind(pin),
                "thumbnail": _thumbnail(pin),
                "created_at": _created(pin),
                "draft_id": draft_id,
                "keywords": keywords,
                "source": "studio" if draft_id is not None else "imported",
                "metrics_90d": json.dumps(metrics.get("90d")) if metrics.get("90d") else None,
                "metrics_lifetime": json.dumps(metrics.get("lifetime_metrics"))
                if metrics.get("lifetime_metrics")
                else None,
                "updated_at": now,
            }
        )
    with store.atomic():
        tables.upsert_pins(store, rows)
    return rows


def _daily_rows(pin_id: str, days: list[DailyMetrics]) -> tuple[list[dict], str | None]:
    """Rows of one pin's checked answer and its last final day (days after a non-final one don't count as done)."""
    rows, final_through, broken = [], None, False
    for item in days:
        row: dict[str, Any] = {"pin_id": pin_id, "day": item.date, "data_status": item.data_status}
        for name, col in {**tables.PIN_METRICS, **tables.VIDEO_METRICS}.items():
            if item.metrics.get(name) is not None:
                row[col] = item.metrics[name]
        rows.append(row)
        broken = broken or not item.final
        final_through = final_through if broken else item.date
    return rows, final_through


def _metric_types(kind: str) -> list[str]:
    return [*tables.PIN_METRICS, *(tables.VIDEO_METRICS if kind == "video" else [])]


def sync_account(
    store: Store,
    api: PinterestAPI,
    account: str,
    *,
    settings: Settings,
    clock: Clock = utcnow,
    budget: ReadBudget | None = None,
) -> dict:
    """Bring one account's metrics up to yesterday: `{account, pins, days, requests, rows_written}`, plus
    `partial: true` and `failed_pins: [{pin_id, reason}]` when some pins' answers failed (the others are stored;
    those pins are asked for again on the next sync)."""
    result: dict[str, Any] = {"account": account, "pins": 0, "days": 0, "requests": 0, "rows_written": 0}
    if is_sandbox(settings.pinterest_api_base):
        return {**result, "note": SANDBOX_NOTE}
    budget = budget or ReadBudget.from_settings(settings)
    today = clock().astimezone(UTC).date()
    last = today - timedelta(days=1)  # today is still being counted
    earliest = today - timedelta(days=LOOKBACK_DAYS)
    state = tables.sync_state(store, account)
    tables.save_sync_state(store, account, started_at=iso(clock()), last_error=None)
    fetched_days: set[str] = set()
    failed: list[dict] = []
    complete = True
    try:
        import_pins(store, budget, api, account, iso(clock()))
        pins = tables.pins_of(store, account)
        result["pins"] = len(pins)
        result["rows_written"] += _sync_pins(store, api, budget, pins, state, earliest, last, fetched_days, failed)
        result["rows_written"] += _sync_account_daily(store, api, budget, account, state, earliest, last, fetched_days)
        top = budget.call(
            api,
            "/user_account/analytics/top_pins",
            "analytics_top_pins",
            {
                "start_date": str(max(earliest, today - timedelta(days=30))),
                "end_date": str(last),
                "sort_by": "OUTBOUND_CLICK",
                "num_of_pins": 50,
            },
        )
        top_ids = [str(p["pin_id"]) for p in top.get("pins") or [] if isinstance(p, dict) and p.get("pin_id")]
        tables.save_sync_state(store, account, top_pins=json.dumps(top_ids))
    except BudgetSpent:
        complete = False
    except StudioError as exc:
        tables.save_sync_state(store, account, last_error=str(exc))
        raise
    finally:
        result["requests"] = budget.used
        result["days"] = len(fetched_days)
    if not complete:
        result["note"] = f"Stopped at the request budget ({budget.max_requests}); the next sync carries on."
    if failed:  # the others are stored; these pins are asked for again on the next sync
        result.update(partial=True, failed_pins=failed)
    tables.save_sync_state(store, account, finished_at=iso(clock()), last_result=json.dumps(result))
    return result


def _start(pin: dict, earliest: date) -> date:
    start = earliest
    if pin.get("synced_through"):
        start = max(start, date.fromisoformat(pin["synced_through"]) + timedelta(days=1))
    if pin.get("created_at"):
        start = max(start, datetime.fromisoformat(pin["created_at"]).date())
    return start


# Failures that are not about one pin: the next pins would fail the same way, so the sync stops (and resumes).
ACCOUNT_WIDE = {"token_invalid", "reconnect_required", "missing_scopes", "rate_limited", "network_error", "timeout"}


PIN_GONE = {"pinterest_50", "pinterest_404"}  # deleted on Pinterest: nothing to sync (the bulk call omits them)


def _failed(exc: StudioError, pin_ids: list[str], failed: list[dict]) -> None:
    """Report these pins (the others carry on), unless the failure is the account's."""
    if exc.code in ACCOUNT_WIDE:
        raise exc
    if exc.code in PIN_GONE:
        return  # its stored days stay; there are no new ones to fetch
    failed += [{"pin_id": pin_id, "reason": exc.message} for pin_id in pin_ids]


def _sync_pins(store, api, budget, pins, state, earliest, last, fetched_days, failed) -> int:
    groups: dict[tuple[str, date], list[str]] = {}
    for pin in pins:
        start = _start(pin, earliest)
        if start <= last:
            groups.setdefault((pin["kind"] if pin["kind"] == "video" else "image", start), []).append(pin["pin_id"])
    written = 0
    bulk = state.get("bulk_supported")
    for (kind, start), ids in sorted(groups.items(), key=lambda g: g[0][1]):
        params = {"start_date": str(start), "end_date": str(last), "metric_types": _metric_types(kind)}
        for i in range(0, len(ids), BULK_MAX_PINS):
            batch = ids[i : i + BULK_MAX_PINS]
            if bulk != 0:
                try:
                    body = budget.call(api, "/pins/analytics", "analytics_pins", {**params, "pin_ids": batch})
                except StudioError as exc:
                    if bulk is None and not exc.retryable and exc.code not in ACCOUNT_WIDE:
                        bulk = 0  # beta endpoint not open to this app: per pin from now on
                        tables.save_sync_state(store, state["account"], bulk_supported=0)
                    else:
                        _failed(exc, batch, failed)
                        continue
                else:
                    if bulk is None:
                        bulk = 1
                        tables.save_sync_state(store, state["account"], bulk_supported=1)
                    good, bad = answers_by_pin(body, batch)
                    failed += [{"pin_id": pin_id, "reason": reason} for pin_id, reason in bad.items()]
                    written += _store(store, good, fetched_days)
            if bulk == 0:
                written += _sync_one_by_one(store, api, budget, batch, params, fetched_days, failed)
    return written


def _sync_one_by_one(store, api, budget, batch, params, fetched_days, failed) -> int:
    """The per-pin path: each pin's answer is checked and stored on its own, a bad one reported and skipped."""
    written = 0
    for pin_id in batch:
        try:
            days = series_days(budget.call(api, f"/pins/{pin_id}/analytics", "analytics_pin", params))
        except StudioError as exc:
            _failed(exc, [pin_id], failed)
            continue
        written += _store(store, {pin_id: days}, fetched_days)
    return written


def _store(store: Store, answers: dict[str, list[DailyMetrics]], fetched_days: set[str]) -> int:
    """One batch's checked rows and progress in one transaction: a crash leaves whole batches or nothing."""
    written = 0
    with store.atomic():
        for pin_id, days in answers.items():
            rows, final_through = _daily_rows(str(pin_id), days)
            fetched_days.update(r["day"] for r in rows)
            written += tables.upsert_daily(store, rows)
            if final_through:
                tables.set_synced_through(store, [str(pin_id)], final_through)
    return written


def _sync_account_daily(store, api, budget, account, state, earliest, last, fetched_days) -> int:
    start = earliest
    if state.get("account_synced_through"):
        start = max(start, date.fromisoformat(state["account_synced_through"]) + timedelta(days=1))
    if start > last:
        return 0
    body = budget.call(
        api,
        "/user_account/analytics",
        "analytics_account",
        {"start_date": str(start), "end_date": str(last), "metric_types": list(tables.ACCOUNT_METRICS)},
    )
    rows, through, broken = [], None, False
    for item in series_days(body):  # a bad answer stores nothing and fails the account (it is one answer)
        metrics = {c: item.metrics.get(n) for n, c in tables.ACCOUNT_METRICS.items()}
        rows.append({"account": account, "day": item.date, "data_status": item.data_status, **metrics})
        broken = broken or not item.final
        through = through if broken else item.date
    with store.atomic():
        written = tables.upsert_account_daily(store, rows)
        if through:
            tables.save_sync_state(store, account, account_synced_through=through)
    fetched_days.update(r["day"] for r in rows)
    return written


def requests_for(pins: int, videos: int = 0, *, bulk: bool = True) -> int:
    """The formula in this module's docstring (a top-up costs the same as a backfill)."""
    pages = max(1, math.ceil(pins / PAGE_SIZE))
    per_pin = math.ceil((pins - videos) / BULK_MAX_PINS) + math.ceil(videos / BULK_MAX_PINS) if bulk else pins
    return pages + per_pin + 2
