"""The analytics family of errors (under `studio.errors.StudioError`)."""

from __future__ import annotations

from studio.errors import StudioError


class AnalyticsError(StudioError):
    """Metrics could not be synced from Pinterest or read back."""

    code = "analytics_error"


class BadAnswer(AnalyticsError):
    """One answer that is not in the documented shape: nothing of it is stored."""

    code = "bad_answer"
