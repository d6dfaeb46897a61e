"""Start Streamlit for the studio (`python -m pages_support.serve run app.py ...`, as `pinstudio run` does).

Streamlit treats an app with a `pages/` folder beside its script as a legacy multipage app until some
session calls st.navigation: a fresh server's first page load listed every file of `pages/` in the sidebar
("app", "dashboard", ...) until app.py's navigation replaced it. Turning that mode off before the server
starts means no session ever sees the file list. (pages_support/ui.py turns it off too, for a server started
with plain `streamlit run app.py`.)
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # checked by tests/ui/test_streamlit_contract.py
    sys.exit(main(prog_name="streamlit"))
