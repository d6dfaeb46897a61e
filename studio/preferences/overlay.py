"""The settings the studio reads: the environment's, with the saved preferences filling what it leaves unset."""

from __future__ import annotations

from studio.config import Settings, env_file, environment_settings
from studio.preferences.store import LLM_KEY_FIELD, stored_values


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment (and `.env`, or the file named by STUDIO_ENV_FILE;
    an empty STUDIO_ENV_FILE reads no file), then the values saved in the studio (data dir
    `preferences.json`) for what the environment leaves unset; keyword arguments win over both.

    A key from the environment is never sent to an LLM endpoint saved in the studio: with a saved endpoint,
    the LLM key is the one saved with it (or none)."""
    settings = environment_settings(**overrides)
    # Values saved on the Settings page fill what neither the environment nor the caller set.
    stored = stored_values(settings, skip=settings.model_fields_set)
    if not stored:
        return settings
    merged = {**stored, **overrides}
    if "openai_base_url" in stored and LLM_KEY_FIELD not in stored and LLM_KEY_FIELD not in overrides:
        merged[LLM_KEY_FIELD] = None  # the environment's key stays with the environment's endpoint
    return Settings(_env_file=env_file(), **merged)  # type: ignore[call-arg]
