"""Reading and writing data_dir/preferences.json; secrets in it are vault ciphertext, never plain."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic import ValidationError as PydanticError

from studio import people
from studio.config import Settings
from studio.config import env_file as default_env_file
from studio.errors import StudioError, ValidationError
from studio.people import Actor, AuditAction, Permission
from studio.storage import Store

PREFERENCES_FILE = "preferences.json"


@dataclass(frozen=True)
class Preference:
    field: str  # the Settings field
    label: str
    group: str
    secret: bool = False


EDITABLE: tuple[Preference, ...] = (
    Preference("reviewer", "Your name (in history while nobody signs in)", "You"),
    Preference("timezone", "Time zone", "You"),
    Preference("week_start", "Weeks start on", "You"),
    Preference("brand_tone", "Tone", "Brand voice"),
    Preference("brand_words_use", "Words to use (comma-separated)", "Brand voice"),
    Preference("brand_words_avoid", "Words to avoid (comma-separated)", "Brand voice"),
    Preference("brand_language", "Language", "Brand voice"),
    Preference("brand_hashtags", "Allow hashtags", "Brand voice"),
    Preference("llm_provider", "Provider", "LLM"),
    Preference("openai_base_url", "Endpoint (base URL)", "LLM"),
    Preference("llm_model", "Model", "LLM"),
    Preference("openai_api_key", "API key", "LLM", secret=True),
    Preference("daily_cap", "Pins per account per day", "Guardrails"),
    Preference("min_spacing_minutes", "Minutes between two pins", "Guardrails"),
    Preference("repeat_days", "Days before the same link or image may repeat on a board", "Guardrails"),
    Preference("max_boards_per_pin", "Boards one image or link may go to", "Guardrails"),
    Preference("slot_jitter_minutes", "Random minutes added to a posting slot", "Guardrails"),
)
_BY_FIELD = {p.field: p for p in EDITABLE}
# Where the LLM key is sent: changing either one forgets a saved key unless it is entered again with it.
LLM_ENDPOINT_FIELDS = ("openai_base_url", "llm_provider")
LLM_KEY_FIELD = "openai_api_key"


def _path(data_dir: Path) -> Path:
    return Path(data_dir) / PREFERENCES_FILE


def load_preferences(data_dir: Path) -> dict[str, Any]:
    """What was saved: {field: value}; secrets stay as {"vault": ciphertext}. A missing file is empty."""
    path = _path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # a damaged file must not stop the studio; saving again rewrites it
    return {k: v for k, v in raw.items() if k in _BY_FIELD} if isinstance(raw, dict) else {}


def stored_values(settings: Settings, skip: set[str]) -> dict[str, Any]:
    """Saved values for the fields not in `skip` (those the environment or the caller set), secrets decrypted."""
    saved = load_preferences(settings.data_dir)
    values: dict[str, Any] = {}
    for field, value in saved.items():
        if field in skip:
            continue
        if _BY_FIELD[field].secret:
            if not isinstance(value, dict) or not value.get("vault"):
                continue
            try:
                from studio.secrets import vault_for

                values[field] = vault_for(settings).decrypt(value["vault"])
            except StudioError:
                continue  # unreadable with this key: as if unset (the Settings page asks to enter it again)
        else:
            values[field] = value
    return values


def env_locked(env_file: str | None = None) -> dict[str, str]:
    """Editable fields set by the environment (or `.env`): {field: variable}. Those win over saved values."""
    if env_file is None:
        env_file = default_env_file()
    from_env = Settings(_env_file=env_file).model_fields_set  # type: ignore[call-arg]
    return {f: Settings.model_fields[f].alias or f for f in _BY_FIELD if f in from_env}


def save_preferences(settings: Settings, changes: dict[str, Any], *, actor: Actor, store: Store) -> list[str]:
    """Validate and save edited values (owners only; each changed setting's name is audited, never its value);
    returns the variables that still override some of them.

    An empty secret keeps the saved one; `None` for a secret forgets it. A new LLM endpoint or provider forgets
    the saved LLM key unless a key is entered in the same save: a key is never sent somewhere new unasked."""
    people.require(actor, Permission.SETTINGS)
    unknown = sorted(set(changes) - set(_BY_FIELD))
    if unknown:
        raise ValidationError(
            f"These can't be set in the studio: {', '.join(unknown)}.",
            fix="Set them as environment variables.",
            code="not_editable",
        )
    saved = load_preferences(settings.data_dir)
    plain = {k: v for k, v in changes.items() if not _BY_FIELD[k].secret}
    try:  # the same rules as the environment's: a bad value is refused with its field
        checked = Settings(_env_file=None, **{**settings.model_dump(), **plain})  # type: ignore[call-arg]
    except PydanticError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else "value"
        label = _BY_FIELD[field].label if field in _BY_FIELD else field
        raise ValidationError(
            f"{label}: {first['msg']}.", fix="Correct that value and save again.", code="bad_setting"
        ) from None
    if "timezone" in plain:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(checked.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                f"'{checked.timezone}' is not a time zone we know.",
                fix="Use a name like Europe/Paris or America/New_York.",
                code="bad_timezone",
            ) from None
    changed = [f for f in plain if getattr(checked, f) != getattr(settings, f)]
    for field in plain:
        saved[field] = getattr(checked, field)
    moved = any(f in LLM_ENDPOINT_FIELDS for f in changed) and not _entered(changes.get(LLM_KEY_FIELD))
    if moved and saved.pop(LLM_KEY_FIELD, None) is not None:
        changed.append(LLM_KEY_FIELD)
    for field, value in changes.items():
        if not _BY_FIELD[field].secret:
            continue
        if value is None:
            saved.pop(field, None)
            changed.append(field)
        elif _entered(value):
            from studio.secrets import vault_for

            saved[field] = {"vault": vault_for(settings).encrypt(_text(value).strip())}
            changed.append(field)
    path = _path(settings.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(saved, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    for field in dict.fromkeys(changed):
        people.audit(store, actor, AuditAction.SETTING_CHANGED, field, key=field)
    locked = env_locked()
    return [locked[f] for f in changes if f in locked]


def _text(value: Any) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value or "")


def _entered(value: Any) -> bool:
    """A secret typed in this save (an empty field keeps the saved one)."""
    return value is not None and bool(_text(value).strip())
