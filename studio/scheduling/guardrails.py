"""Guardrails against Pinterest spam flags, checked whenever a pin is scheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from pydantic import BaseModel

from studio.config import Settings
from studio.drafts import SHORTENERS
from studio.models import Draft, iso
from studio.storage import Store


class Guardrail(BaseModel):
    code: str
    message: str
    blocking: bool = True  # False: a warning that never stops a schedule


def is_shortened(link: str) -> bool:
    host = (urlparse(link).hostname or "").lower().removeprefix("www.")
    return host in SHORTENERS


def check_schedule(store: Store, draft: Draft, when: datetime, settings: Settings) -> list[Guardrail]:
    """Every guardrail the pin would break if published at `when` (UTC-aware)."""
    found: list[Guardrail] = []
    when = when.astimezone(UTC)
    day_start = when.replace(hour=0, minute=0, second=0, microsecond=0)
    same_day = store.pins_for_account_between(
        draft.account, iso(day_start), iso(day_start + timedelta(days=1)), exclude_id=draft.id
    )
    if len(same_day) >= settings.daily_cap:
        found.append(
            Guardrail(
                code="daily_cap",
                message=(
                    f"{len(same_day)} pins are already planned for {when:%Y-%m-%d} (UTC) on this account; "
                    f"the daily cap is {settings.daily_cap}. Pick another day."
                ),
            )
        )
    spacing = timedelta(minutes=settings.min_spacing_minutes)
    near = [d for d in same_day if d.scheduled_at and abs(datetime.fromisoformat(d.scheduled_at) - when) < spacing]
    if near:
        found.append(
            Guardrail(
                code="min_spacing",
                message=(
                    f"Pin #{near[0].id} goes out within {settings.min_spacing_minutes} minutes of this one. "
                    f"Leave at least {settings.min_spacing_minutes} minutes between pins."
                ),
            )
        )
    since = iso(when - timedelta(days=settings.repeat_days))
    sharing = store.pins_sharing(draft, since)
    same_board = [d for d in sharing if d.board.lower() == draft.board.lower()]
    if same_board:
        what = "link" if draft.link and same_board[0].link == draft.link else "image"
        found.append(
            Guardrail(
                code="repeat_pin",
                message=(
                    f"The same {what} was pinned to '{draft.board}' in the last {settings.repeat_days} days "
                    f"(pin #{same_board[0].id}). Wait, or use a new image or link."
                ),
            )
        )
    boards = {d.board.lower() for d in store.pins_sharing(draft, "0000")} | {draft.board.lower()}
    if len(boards) > settings.max_boards_per_pin:
        found.append(
            Guardrail(
                code="too_many_boards",
                message=(
                    f"This image or link would be on {len(boards)} boards; keep it to "
                    f"{settings.max_boards_per_pin} at most."
                ),
            )
        )
    if draft.link and is_shortened(draft.link):
        found.append(
            Guardrail(
                code="url_shortener",
                blocking=False,
                message=("The link uses a URL shortener, which Pinterest may treat as spam. Use the full address."),
            )
        )
    return found
