"""One reading of "when" for every door: a wall-clock time in the user's zone (pages' pickers, the CLI's
`--at`, with or without an offset), as UTC, with the same refusal for a time the clocks skip and the same
explanation for a time they pass twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from studio.errors import ValidationError
from studio.scheduling.schedule import to_utc, zone


@dataclass(frozen=True)
class When:
    """A moment as UTC, and what a person should be told about how their wall-clock time was read ("" if nothing)."""

    utc: datetime
    note: str = ""


def wall_clock(day: date, at: time, tz: str) -> When:
    """`day` `at` in `tz`: refused when the clocks skip it (to_utc's message); the first of the two when they
    go back, said so in `note`."""
    utc = to_utc(day, at, tz)
    local = datetime.combine(day, at.replace(second=0, microsecond=0))
    first, second = (local.replace(tzinfo=zone(tz), fold=fold) for fold in (0, 1))
    if first.utcoffset() == second.utcoffset():
        return When(utc)
    later = second.astimezone(UTC).astimezone(zone(tz))
    note = (
        f"{day:%Y-%m-%d} {at:%H:%M} happens twice in {tz} (the clocks go back): this is the first of the two "
        f"{at:%H:%M}s, {first:%H:%M %Z} (UTC{_offset(first)}). For the second, {later:%H:%M %Z}, "
        f"give the offset: {local:%Y-%m-%dT%H:%M}{_offset(later)}."
    )
    return When(utc, note)


def parse_when(text: str, tz: str) -> When:
    """`YYYY-MM-DDTHH:MM` in `tz` (as `wall_clock`), or with an offset (+01:00, Z): that exact moment."""
    try:
        parsed = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(
            f"'{text}' is not a date and time.",
            fix="Write it as YYYY-MM-DDTHH:MM, e.g. 2027-03-01T09:30 (optionally with an offset like +01:00).",
            code="bad_time",
        ) from None
    if parsed.tzinfo is not None:
        return When(parsed.astimezone(UTC))
    return wall_clock(parsed.date(), parsed.time(), tz)


def _offset(moment: datetime) -> str:
    """`-05:00` for an aware moment (ISO 8601's form, which `--at` accepts)."""
    text = f"{moment:%z}"
    return f"{text[:3]}:{text[3:]}"
