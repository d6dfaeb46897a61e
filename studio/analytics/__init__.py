"""Analytics: pin and account metrics synced from Pinterest and kept after its 90-day window, the reports
built on them, and what they teach the drafter, the slot planner and experiments; Trends keyword ideas.

May import: studio core, studio.people, studio.pinterest, studio.accounts, studio.drafting, studio.scheduling (a
layer beside bulk, under the CLI). Drafting never imports it: importing this face registers `grounding` with drafting.
"""

from studio.analytics import tables
from studio.analytics.calendar import calendar_with_results
from studio.analytics.errors import AnalyticsError, BadAnswer
from studio.analytics.glance import (
    BREAKDOWN_LABELS,
    PERCENT_COLUMNS,
    TREND_STATUSES,
    csv_text,
    label,
    readable,
    shown,
    trend_points,
    what_changed,
)
from studio.analytics.learn import compare_variants, experiment_results, grounding
from studio.analytics.report import (
    BREAKDOWNS,
    SORTS,
    WEEKDAYS,
    apply_slots,
    breakdown,
    compare_periods,
    ctr,
    final_only,
    percent,
    period,
    pin_cards,
    pin_table,
    suggest_slots,
    top_pins,
    totals_by_day,
)
from studio.analytics.service import ENV_ACCOUNT, account_names, analytics_api, daily_hook, due, sync_all
from studio.analytics.sync import (
    LOOKBACK_DAYS,
    SANDBOX_NOTE,
    ReadBudget,
    is_sandbox,
    requests_for,
    sync_account,
)
from studio.analytics.tables import has_data, migrations, sync_state
from studio.analytics.trends import REGIONS, TREND_TYPES, keyword_ideas
from studio.drafting import register_grounding

register_grounding(grounding)  # drafts learn from results wherever analytics is loaded (app.py, the CLI)

__all__ = [
    "BREAKDOWNS",
    "BREAKDOWN_LABELS",
    "ENV_ACCOUNT",
    "LOOKBACK_DAYS",
    "PERCENT_COLUMNS",
    "REGIONS",
    "SANDBOX_NOTE",
    "SORTS",
    "TREND_STATUSES",
    "TREND_TYPES",
    "WEEKDAYS",
    "AnalyticsError",
    "BadAnswer",
    "ReadBudget",
    "account_names",
    "analytics_api",
    "apply_slots",
    "breakdown",
    "calendar_with_results",
    "compare_periods",
    "compare_variants",
    "csv_text",
    "ctr",
    "daily_hook",
    "due",
    "experiment_results",
    "final_only",
    "grounding",
    "has_data",
    "is_sandbox",
    "keyword_ideas",
    "label",
    "migrations",
    "percent",
    "period",
    "pin_cards",
    "pin_table",
    "readable",
    "requests_for",
    "shown",
    "suggest_slots",
    "sync_account",
    "sync_all",
    "sync_state",
    "tables",
    "top_pins",
    "totals_by_day",
    "trend_points",
    "what_changed",
]
