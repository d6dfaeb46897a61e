"""Preferences: the settings a user edits in the studio (brand voice, LLM, time zone, guardrails,
reviewer name), saved in the data dir, secrets encrypted with the vault.

Why a package beside `config.py` rather than inside it: `Settings` stays the one description of what can
be configured (and the README table); this package only stores values for some of its fields.
`preferences.load_settings` lays them under the environment (so `config` builds on nothing of studio):
a variable set in the environment (or `.env`) always wins, and the Settings page says which ones do. Every
page reads settings per run, so a saved value takes effect on the next click, without a restart; the CLI
and the worker read them at start.

Only owners save preferences (`studio.people`), each change audited by name. A new LLM endpoint or provider
forgets the saved LLM key unless it is entered again, and a key from the environment is never sent to an
endpoint saved here (`load_settings`).

May import: studio core (config, errors, secrets), studio.storage, studio.people. Nothing else of studio.
"""

from studio.preferences.overlay import load_settings
from studio.preferences.store import (
    EDITABLE,
    PREFERENCES_FILE,
    Preference,
    env_locked,
    load_preferences,
    save_preferences,
    stored_values,
)

__all__ = [
    "EDITABLE",
    "PREFERENCES_FILE",
    "Preference",
    "env_locked",
    "load_preferences",
    "load_settings",
    "save_preferences",
    "stored_values",
]
