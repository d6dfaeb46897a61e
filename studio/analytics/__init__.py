"""Analytics: pin and account metrics synced from Pinterest and kept after its 90-day window, the reports
built on them, and what they teach the drafter, the slot planner and experiments; Trends keyword ideas.

May import: studio core, studio.pinterest, studio.accounts, studio.drafting, studio.scheduling (a layer beside
bulk, under the CLI). Drafting never imports it: importing this face registers `grounding` with drafting.
"""

from studio.analytics import tables
from studio.analytics.learn import compare_variants, experiment_results, grounding
from studio.analytics.report import (
    BREAKDOWNS,
    SORTS,
    WEEKDAYS,
    apply_slots,
    breakdown,
    compare_periods,
    ctr,
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
    AnalyticsError,
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
    "ENV_ACCOUNT",
    "LOOKBACK_DAYS",
    "REGIONS",
    "SANDBOX_NOTE",
    "SORTS",
    "TREND_TYPES",
    "WEEKDAYS",
    "AnalyticsError",
    "ReadBudget",
    "account_names",
    "analytics_api",
    "apply_slots",
    "breakdown",
    "compare_periods",
    "compare_variants",
    "ctr",
    "daily_hook",
    "due",
    "experiment_results",
    "grounding",
    "has_data",
    "is_sandbox",
    "keyword_ideas",
    "migrations",
    "period",
    "pin_cards",
    "pin_table",
    "requests_for",
    "suggest_slots",
    "sync_account",
    "sync_all",
    "sync_state",
    "tables",
    "top_pins",
    "totals_by_day",
]
