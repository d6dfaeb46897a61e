"""Text from outside (pin copy, board names, CSV cells, LLM answers) made safe to show.

Streamlit renders most strings as Markdown: a title like `![x](http://tracker/p.png)` would load a
remote image and `[Verify](https://phish.example)` would become a link. Pages pass user text through
`escape_markdown` (or show it with `st.text`) so it is seen as typed.

Every CSV the studio writes (bulk exports, backups, the audit log) passes each cell through
`neutralise`, so a spreadsheet never runs one as a formula.

Text that may reach a terminal (CSV cells, what the HTTP API receives, what the CLI prints) passes through
`strip_controls`, so a title can't move the cursor, erase a line or recolour what follows it.
"""

from __future__ import annotations

import re

# Every character CommonMark (and Streamlit's extensions: ~strike~, $math$, :emoji:) gives a meaning.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): =, +, -, @, and tab/CR which
# some spreadsheets skip before looking for one. `defusedcsv` covers = + - @ | % but not tab/CR, so
# the rule lives here, used by every CSV the studio writes (bulk exports, analytics tables).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")  # "-5" or "+1,000.5" are values, not formulas

# ANSI/VT escape sequences (CSI ... final byte; OSC ... BEL or ST; other ESC x) and every C0/C1
# control character except tab and newline: text that a terminal would obey.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LONE_CR = re.compile(r"\r(?!\n)")

__all__ = ["FORMULA_START", "escape_markdown", "looks_like_formula", "neutralise", "strip_controls", "unneutralise"]


def escape_markdown(text: object) -> str:
    """`text` as literal Markdown: each character that Markdown would interpret is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))


def neutralise(value: str) -> str:
    """`value` made inert for a spreadsheet: a formula-like start gets a leading apostrophe."""
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise` (our own exports re-import as they were typed)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not _NUMBER.match(value[1:]):
        return value[1:]
    return value


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START) and not _NUMBER.match(value)


def strip_controls(value: str) -> str:
    """Terminal escape sequences and control characters removed (tab, newline and CRLF kept; a lone CR,
    which lets a terminal overwrite what was printed, becomes a newline)."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", _LONE_CR.sub("\n", value)))
