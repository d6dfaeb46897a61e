"""Pinterest Trends keyword ideas (GET /trends/keywords/{region}/top/{trend_type}; works in the sandbox),
cached a day per region, type and topic words so Compose asks at most once a day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from studio.analytics import tables
from studio.analytics.sync import Clock
from studio.errors import ValidationError
from studio.models import utcnow
from studio.storage import Store

if TYPE_CHECKING:
    from studio.pinterest import PinterestAPI

# SPEC: TrendsSupportedRegion and TrendType enums.
REGIONS = (
    "US", "CA", "DE", "FR", "ES", "IT", "DE+AT+CH", "GB+IE", "IT+ES+PT+GR+MT", "PL+RO+HU+SK+CZ",
    "SE+DK+FI+NO", "NL+BE+LU", "AR", "BR", "CO", "MX", "MX+AR+CO+CL", "AU+NZ",
)  # fmt: skip
TREND_TYPES = ("growing", "monthly", "yearly", "seasonal")
CACHE_FOR = timedelta(days=1)
# Words that would match every trend: left out of the include_keywords filter.
STOPWORDS = frozenset(
    ["the", "and", "for", "with", "from", "your", "you", "our", "how", "what", "this", "that", "are", "best",
     "new", "into", "ideas"]
)  # fmt: skip
LIMIT = 20


def topic_words(topic: str) -> list[str]:
    """Up to 5 distinct words of 3+ letters: the `include_keywords` filter."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]{3,}", topic or "") if w.lower() not in STOPWORDS]
    return list(dict.fromkeys(words))[:5]


def keyword_ideas(
    store: Store,
    api: PinterestAPI,
    *,
    topic: str,
    region: str = "US",
    trend_type: str = "growing",
    clock: Clock = utcnow,
    cached_only: bool = False,
) -> dict | None:
    """`{keywords: [{keyword, pct_growth_wow, pct_growth_mom, pct_growth_yoy}], fetched_at, cached}`."""
    if region not in REGIONS:
        raise ValidationError(
            f"Pinterest Trends has no region “{region}”.",
            fix="Use one of: " + ", ".join(REGIONS) + ".",
            code="bad_region",
        )
    if trend_type not in TREND_TYPES:
        raise ValidationError(
            f"Unknown trend type “{trend_type}”.", fix="Use " + ", ".join(TREND_TYPES) + ".", code="bad_trend_type"
        )
    words = topic_words(topic)
    key = f"trends:{region}:{trend_type}:{','.join(words)}"
    now = clock()
    hit = tables.cache_get(store, key)
    if hit and datetime.fromisoformat(hit[0]) + CACHE_FOR > now:
        return {**hit[1], "cached": True}
    if cached_only:
        return None
    params: dict = {"limit": LIMIT}
    if words:
        params["include_keywords"] = words
    body = api.call("GET", f"/trends/keywords/{region}/top/{trend_type}", step="trends", params=params)
    ideas = [
        {k: t.get(k) for k in ("keyword", "pct_growth_wow", "pct_growth_mom", "pct_growth_yoy")}
        for t in body.get("trends") or []
        if t.get("keyword")
    ]
    value = {
        "keywords": ideas,
        "fetched_at": now.astimezone(UTC).isoformat(),
        "region": region,
        "trend_type": trend_type,
    }
    tables.cache_put(store, key, now.astimezone(UTC).isoformat(), value)
    return {**value, "cached": False}
