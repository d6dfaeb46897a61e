"""Pinterest's analytics answers checked against the shapes its OpenAPI description gives them, before anything
is stored: a pin whose answer is unreadable (a truncated body, numbers sent as strings) is reported and skipped,
the other pins are stored, and the skipped pin is asked for again on the next sync.

Shapes (SPEC): GET /pins/{pin_id}/analytics answers a PinAnalyticsResponse, `{name: {daily_metrics: [{date,
data_status, metrics: {METRIC: number}}], ...}}`; GET /pins/analytics a BulkPinAnalyticsResponse, `{pin_id:
PinAnalyticsResponse}`; GET /user_account/analytics an AnalyticsResponse, `{name: {daily_metrics: [...]}}`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AllowInfNan, BaseModel, ConfigDict, Strict, TypeAdapter, field_validator
from pydantic import ValidationError as PydanticError

from studio.analytics.errors import BadAnswer

FIX = "Nothing of it was stored; the next sync asks for it again."
READY = "READY"  # SPEC DataStatus: the only state Pinterest will not revise; PROCESSING, ESTIMATE… may change
# A metric is a JSON number: "12" or true are not numbers, and NaN/Infinity are not JSON. (Whole numbers come
# back as floats; SQLite's INTEGER columns store them as integers again.)
Number = Annotated[float, Strict(), AllowInfNan(False)]


class DailyMetrics(BaseModel):
    """One day of a pin or of the account (SPEC AnalyticsDailyMetrics)."""

    model_config = ConfigDict(extra="ignore")

    date: str
    data_status: str = READY  # an unknown future state counts as not final
    metrics: dict[str, Number | None] = {}

    @field_validator("date")
    @classmethod
    def _iso_day(cls, value: str) -> str:
        if len(value) != 10:
            raise ValueError("a date is YYYY-MM-DD")
        date.fromisoformat(value)  # raises ValueError on "2026-02-30"
        return value

    @property
    def final(self) -> bool:
        return self.data_status == READY


class MetricsSeries(BaseModel):
    """SPEC PinAnalyticsMetricsResponse / AnalyticsMetricsResponse: only the part we store is checked."""

    model_config = ConfigDict(extra="ignore")

    daily_metrics: list[DailyMetrics] = []


_SERIES_BY_NAME = TypeAdapter(dict[str, MetricsSeries])  # PinAnalyticsResponse and AnalyticsResponse
_BY_PIN = TypeAdapter(dict[str, object])  # BulkPinAnalyticsResponse, each pin then checked on its own


def _reason(exc: PydanticError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    return f"Pinterest's answer is not in the documented shape (at {where}: {first['msg']})."


def series_days(body: object, prefer: str = "all") -> list[DailyMetrics]:
    """The daily records of one PinAnalyticsResponse or AnalyticsResponse, oldest first."""
    try:
        answer = _SERIES_BY_NAME.validate_python(body)
    except PydanticError as exc:
        raise BadAnswer(_reason(exc), fix=FIX) from None
    series = answer.get(prefer) or next(iter(answer.values()), None)
    return sorted(series.daily_metrics, key=lambda d: d.date) if series else []


def answers_by_pin(body: object, asked: list[str]) -> tuple[dict[str, list[DailyMetrics]], dict[str, str]]:
    """A BulkPinAnalyticsResponse split per asked pin: `({pin_id: days}, {pin_id: why it was refused})`.
    Pins Pinterest left out are in neither (they have no data yet); pins nobody asked for are ignored."""
    try:
        by_pin = _BY_PIN.validate_python(body)
    except PydanticError as exc:
        return {}, dict.fromkeys(asked, _reason(exc))
    good: dict[str, list[DailyMetrics]] = {}
    bad: dict[str, str] = {}
    for pin_id in asked:
        if pin_id not in by_pin:
            continue
        try:
            good[pin_id] = series_days(by_pin[pin_id])
        except BadAnswer as exc:
            bad[pin_id] = exc.message
    return good, bad
