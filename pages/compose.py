"""Compose: bring an image, draft its copy, edit, save, submit for review."""

import streamlit as st

from pages_support import (
    autosave_note,
    carousel_compose,
    carousel_slides,
    copy_panel,
    fresh_pins,
    media_panel,
    notes_panel,
)
from pages_support.ui import errors_shown, may_or_say, require_password, settings, show_flash, store
from studio.people import Permission

# A first visit to this page's URL is served from pages/ without app.py's gate: check it here too.
require_password()
cfg = settings()
db = store()
st.title("✏️ Compose a pin")
show_flash()
if not may_or_say(Permission.COMPOSE):  # a viewer reads pins on Review and History
    st.stop()
with errors_shown():
    autosave_note.restore(db)  # back from another page, Back or a reload: the unsaved copy returns
autosave_note.note(db, cfg)

with st.sidebar:
    copy_panel.render_draft_picker(db)
notes_panel.render(db)  # reviewers' notes: the reason at the top, the thread in the sidebar

left, right = st.columns([2, 3], gap="large")
with left:
    media_panel.render(db, cfg)
with right:
    copy_panel.render(db, cfg)
    carousel_slides.render(db, cfg)  # a carousel draft: each slide's alt text

carousel_compose.render(db, cfg)  # a carousel from several photos, slide by slide
fresh_pins.render(db, cfg)
with errors_shown():
    autosave_note.keep(db)  # what is typed now, kept per person and photo until it is saved
