"""What a person reads in a Streamlit element whose text the page escaped (`studio.text.escape_markdown`)."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\(.)")


def read(markdown: str) -> str:
    """`markdown` as rendered text: escapes undone, bold markers dropped."""
    return _ESCAPED.sub(r"\1", re.sub(r"(?<!\\)\*\*", "", markdown))
