"""Guardrails against Pinterest spam flags: may this pin go out at time T?

One rule for every path a pin takes to Pinterest: Publish now, bulk publish, `pinstudio publish --draft`, the
HTTP API, approving an API draft, scheduling and the worker. What counts as "going out" is the same everywhere
(`outgoing`): pins already published (at the time they went out), pins scheduled (at their time) and pins
being published right now (a queued or running job, at the time it was queued).

The rules: a daily cap per account (UTC days), a minimum spacing between two pins of an account, no repeat of
the same link or image on the same board within `repeat_days` (before or after), and at most
`max_boards_per_pin` boards for one link or image. A URL shortener is a warning only.

An override is explicit, needs a reviewer (`Permission.APPROVE`), and is audited
(`AuditAction.GUARDRAIL_OVERRIDDEN`) by the action that goes ahead with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel

from studio import people
from studio.config import Settings
from studio.drafts import SHORTENERS
from studio.errors import GuardrailError
from studio.models import Draft, DraftStatus, iso
from studio.people import Actor, AuditAction, Permission
from studio.publishing import jobs
from studio.storage import Store

# The guardrails a time can clear (waiting helps); the others need another image, link or board.
TIME_GUARDRAILS = frozenset({"daily_cap", "min_spacing"})


class Guardrail(BaseModel):
    code: str
    message: str
    blocking: bool = True  # False: a warning that never stops a schedule


@dataclass(frozen=True)
class Outgoing:
    """A pin that reached or is about to reach Pinterest, and when."""

    draft: Draft
    at: datetime
    state: Literal["published", "scheduled", "publishing"]

    def said(self) -> str:
        """ "pin #4, scheduled for 2026-12-09 10:00 UTC" — what the refusal names."""
        when = f"{self.at:%Y-%m-%d %H:%M} UTC"
        label = {"published": f"published {when}", "scheduled": f"scheduled for {when}"}
        return f"pin #{self.draft.id}, " + label.get(self.state, f"being published now (queued {when})")


def is_shortened(link: str) -> bool:
    host = (urlparse(link).hostname or "").lower().removeprefix("www.")
    return host in SHORTENERS


def _minute(at: datetime) -> datetime:
    """Times are compared to the minute: a worker that takes a few seconds to post doesn't break the spacing."""
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def outgoing_at(draft: Draft, flying: dict[int, str]) -> Outgoing | None:
    """When this pin goes out, or None (not published, scheduled, nor being published)."""
    if draft.id in flying and draft.status is DraftStatus.APPROVED:
        return Outgoing(draft, datetime.fromisoformat(flying[draft.id]), "publishing")
    if draft.status is DraftStatus.PUBLISHED:
        return Outgoing(draft, datetime.fromisoformat(draft.updated_at or draft.scheduled_at or iso()), "published")
    if draft.status is DraftStatus.APPROVED and draft.scheduled_at:
        return Outgoing(draft, datetime.fromisoformat(draft.scheduled_at), "scheduled")
    return None


def _in_flight(store: Store, flying: dict[int, str], draft: Draft) -> list[Draft]:
    others = [store.get_draft(draft_id) for draft_id in flying if draft_id != draft.id]
    return [d for d in others if d.status is DraftStatus.APPROVED]


def _shares(draft: Draft, other: Draft) -> bool:
    return bool((draft.link and other.link == draft.link) or (draft.media_id and other.media_id == draft.media_id))


def outgoing(
    store: Store,
    draft: Draft,
    start: datetime,
    end: datetime,
    extra: Sequence[Outgoing] = (),
    *,
    gone_only: bool = False,
) -> list[Outgoing]:
    """The account's other pins going out between `start` and `end`, in time order. `extra`: pins planned but
    not written yet (what approving a selection would do), counted as if they were."""
    flying = jobs.in_flight(store)
    found = {d.id: d for d in store.pins_for_account_between(draft.account, iso(start), iso(end), exclude_id=draft.id)}
    found.update({d.id: d for d in _in_flight(store, flying, draft) if (d.account or "") == (draft.account or "")})
    pins = [pin for d in found.values() if (pin := outgoing_at(d, flying))]
    pins += [pin for pin in extra if pin.draft.id != draft.id and (pin.draft.account or "") == (draft.account or "")]
    pins = _gone(store, pins) if gone_only else pins
    return sorted((pin for pin in pins if start <= pin.at < end), key=lambda pin: (pin.at, pin.draft.id))


def sharing(
    store: Store, draft: Draft, since: datetime, extra: Sequence[Outgoing] = (), *, gone_only: bool = False
) -> list[Outgoing]:
    """Other pins going out with the same link or image, since `since` (published, scheduled or publishing)."""
    flying = jobs.in_flight(store)
    found = {d.id: d for d in store.pins_sharing(draft, iso(since))}
    found.update({other.id: other for other in _in_flight(store, flying, draft) if _shares(draft, other)})
    pins = [pin for d in found.values() if (pin := outgoing_at(d, flying))]
    pins += [pin for pin in extra if pin.draft.id != draft.id and _shares(draft, pin.draft)]
    pins = _gone(store, pins) if gone_only else pins
    return sorted((pin for pin in pins if pin.at >= since), key=lambda pin: (pin.at, pin.draft.id))


def scheduled_with_override(store: Store, draft: Draft) -> bool:
    """Was this pin's current (or last) schedule set with the guardrails overridden?"""
    for event in reversed(store.events(draft.id)):
        if event.action in ("scheduled", "rescheduled") and event.detail.get("at") == draft.scheduled_at:
            return bool(event.detail.get("override"))
    return False


def _gone(store: Store, pins: list[Outgoing]) -> list[Outgoing]:
    """What counts against a pin going out at its scheduled time: pins published or being published, except
    those scheduled with an override (the override accepted being near the others; neither side is refused
    again at its time)."""
    return [pin for pin in pins if pin.state != "scheduled" and not scheduled_with_override(store, pin.draft)]


def check_pin(
    store: Store,
    draft: Draft,
    when: datetime,
    settings: Settings,
    *,
    extra: Sequence[Outgoing] = (),
    gone_only: bool = False,
) -> list[Guardrail]:
    """Every guardrail the pin would break if it went out at `when` (aware), warnings included. `gone_only`:
    count only pins published or being published (a pin going out at its scheduled time was weighed against
    the scheduled ones when it was scheduled, with a reviewer's override if any)."""
    when = when.astimezone(UTC)
    return [
        *_daily_cap_and_spacing(store, draft, when, settings, extra, gone_only),
        *_repeats(store, draft, when, settings, extra, gone_only),
        *_shortener(draft),
    ]


def spacing_clears_at(
    store: Store, draft: Draft, when: datetime, settings: Settings, *, extra: Sequence[Outgoing] = ()
) -> datetime:
    """The first time at or after `when` that is `min_spacing_minutes` past every pin near `when`."""
    spacing = timedelta(minutes=settings.min_spacing_minutes)
    near = [p for p in outgoing(store, draft, when - spacing, when + spacing, extra) if _near(p.at, when, spacing)]
    return max([when, *(_minute(p.at) + spacing for p in near)])


def repeat_clears_at(
    store: Store, draft: Draft, when: datetime, settings: Settings, *, extra: Sequence[Outgoing] = ()
) -> datetime:
    """The first time at or after `when` that is `repeat_days` past every pin repeating this one's link or image
    on its board."""
    window = timedelta(days=settings.repeat_days)
    close = [p for p in sharing(store, draft, when - window, extra) if abs(p.at - when) < window]
    same_board = [p for p in close if p.draft.board.lower() == draft.board.lower()]
    return max([when, *(_minute(p.at) + window + timedelta(minutes=1) for p in same_board)])


def _near(at: datetime, when: datetime, spacing: timedelta) -> bool:
    return abs(_minute(at) - _minute(when)) < spacing


def _daily_cap_and_spacing(
    store: Store, draft: Draft, when: datetime, settings: Settings, extra: Sequence[Outgoing], gone_only: bool
) -> list[Guardrail]:
    spacing = timedelta(minutes=settings.min_spacing_minutes)
    day_start = when.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)
    start, end = min(day_start, when - spacing), max(day_end, when + spacing)
    return time_rules(outgoing(store, draft, start, end, extra, gone_only=gone_only), when, settings)


def time_rules(window: Sequence[Outgoing], when: datetime, settings: Settings) -> list[Guardrail]:
    """The daily cap and the spacing at `when` (UTC), given the account's pins going out around it (at least its
    UTC day and `min_spacing_minutes` either side): in memory, so the next free time can try many times."""
    found = []
    spacing = timedelta(minutes=settings.min_spacing_minutes)
    day_start = when.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)
    same_day = [pin for pin in window if day_start <= pin.at < day_end]
    if len(same_day) >= settings.daily_cap:
        published = sum(pin.state == "published" for pin in same_day)
        found.append(
            Guardrail(
                code="daily_cap",
                message=(
                    f"{len(same_day)} pins already go out on {when:%Y-%m-%d} (UTC) on this account "
                    f"({published} published, {len(same_day) - published} scheduled or publishing); "
                    f"the daily cap is {settings.daily_cap}. Pick another day."
                ),
            )
        )
    near = [pin for pin in window if _near(pin.at, when, spacing)]
    if near:
        found.append(
            Guardrail(
                code="min_spacing",
                message=(
                    f"Another pin goes out within {settings.min_spacing_minutes} minutes of this one "
                    f"({near[0].said()}). Leave at least {settings.min_spacing_minutes} minutes between pins."
                ),
            )
        )
    return found


def _repeats(
    store: Store, draft: Draft, when: datetime, settings: Settings, extra: Sequence[Outgoing], gone_only: bool
) -> list[Guardrail]:
    found = []
    window = timedelta(days=settings.repeat_days)
    recent = sharing(store, draft, when - window, extra, gone_only=gone_only)
    close = [pin for pin in recent if abs(pin.at - when) < window]
    same_board = [pin for pin in close if pin.draft.board.lower() == draft.board.lower()]
    if same_board:
        first = same_board[0]
        what = "link" if draft.link and first.draft.link == draft.link else "image"
        found.append(
            Guardrail(
                code="repeat_pin",
                message=(
                    f"The same {what} goes to '{draft.board}' within {settings.repeat_days} days of this pin "
                    f"({first.said()}). Wait, or use a new image or link."
                ),
            )
        )
    every = sharing(store, draft, datetime(1970, 1, 1, tzinfo=UTC), extra, gone_only=gone_only)
    boards = {pin.draft.board.lower() for pin in every} | {draft.board.lower()}
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
    return found


def _shortener(draft: Draft) -> list[Guardrail]:
    if not (draft.link and is_shortened(draft.link)):
        return []
    return [
        Guardrail(
            code="url_shortener",
            blocking=False,
            message="The link uses a URL shortener, which Pinterest may treat as spam. Use the full address.",
        )
    ]


def require_clear(
    store: Store,
    settings: Settings,
    draft: Draft,
    when: datetime,
    *,
    actor: Actor,
    override: bool = False,
    gone_only: bool = False,
    fix: str = "Pick another time, or override the guardrails (a reviewer's choice; it is logged).",
) -> tuple[list[str], list[Guardrail]]:
    """Refuse (GuardrailError, code = the first guardrail's) unless the pin clears every guardrail at `when`,
    or `override` is set by a reviewer. Returns the codes overridden (the caller audits them with its write,
    `audit_override`) and the warnings."""
    found = check_pin(store, draft, when, settings, gone_only=gone_only)
    blocking = [g for g in found if g.blocking]
    if blocking and not override:
        raise GuardrailError(
            "This pin breaks a guardrail: " + " ".join(g.message for g in blocking),
            fix=fix,
            code=blocking[0].code,
            guardrails=[g.code for g in blocking],
        )
    if blocking:
        people.require(actor, Permission.APPROVE)  # overriding is a reviewer's decision
    return [g.code for g in blocking], [g for g in found if not g.blocking]


def audit_override(store: Store, actor: Actor, draft_id: int, codes: list[str], when: datetime) -> None:
    """The audit line of a guardrail override (written with the action it let through)."""
    people.audit(store, actor, AuditAction.GUARDRAIL_OVERRIDDEN, f"draft:{draft_id}", guardrails=codes, at=iso(when))
