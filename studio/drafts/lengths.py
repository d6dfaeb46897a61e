"""Pinterest's length limits on pin copy: what is over, by how much, and shortening that keeps whole words.

Nothing here cuts what a user typed on its own: the page shows the count ("121/100"), saving is refused
with the reason (validate_fields), and shortening happens only when the user asks for it.
"""

from __future__ import annotations

import re

from studio import constraints

LIMITS = {
    "title": constraints.TITLE_MAX,
    "description": constraints.DESCRIPTION_MAX,
    "alt_text": constraints.ALT_TEXT_MAX,
}
LABELS = {"title": "title", "description": "description", "alt_text": "alt text"}
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_TRAILING = " \t\n,;:-–—/&("  # never end on a dangling joiner


def count_label(text: str, field: str) -> str:
    """`121/100` for a field's current text."""
    return f"{len(text or '')}/{LIMITS[field]}"


def over_limit(fields: dict) -> list[tuple[str, int, int]]:
    """(field, length, limit) for every copy field longer than Pinterest allows, in page order."""
    return [(f, len(fields.get(f) or ""), limit) for f, limit in LIMITS.items() if len(fields.get(f) or "") > limit]


def too_long_reasons(fields: dict) -> list[str]:
    """Why the copy can't be saved yet, one sentence per field that is too long."""
    return [
        f"The {LABELS[f]} is {n} characters; Pinterest allows {limit}. Shorten it by {n - limit}."
        for f, n, limit in over_limit(fields)
    ]


def shorten(text: str, limit: int) -> str:
    """Fit `text` into `limit` characters without cutting a word: at the last sentence end when that
    keeps most of it, else at the last space. A single word longer than the limit is cut as a last resort."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= limit]
    if ends and ends[-1] >= limit * 0.6:
        return text[: ends[-1]].rstrip()
    space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    cut = head[:space] if space > 0 else text[:limit]
    return cut.rstrip(_TRAILING) or text[:limit]
