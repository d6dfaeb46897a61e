"""Streamlit pieces the pages share (settings and the store per run, panels, cards, the password gate).

They live outside `pages/` because Streamlit lists every file in `pages/` as a page: `pages/` holds only
the screens app.py puts in its navigation. Like the pages, these modules are thin and import only the
faces of studio packages.
"""
