"""Text from outside (pin copy, board names, CSV cells, LLM answers) made safe to show.

Streamlit renders most strings as Markdown: a title like `![x](http://tracker/p.png)` would load a
remote image and `[Verify](https://phish.example)` would become a link. Pages pass user text through
`escape_markdown` (or show it with `st.text`) so it is seen as typed.
"""

from __future__ import annotations

import re

# Every character CommonMark (and Streamlit's extensions: ~strike~, $math$, :emoji:) gives a meaning.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")

__all__ = ["escape_markdown"]


def escape_markdown(text: object) -> str:
    """`text` as literal Markdown: each character that Markdown would interpret is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))
