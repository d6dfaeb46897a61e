"""Settings: edit the studio's preferences (you, brand voice, LLM, guardrails), saved in the data dir and in
effect on the next click; environment variables still win, and say so. The raw configuration is under
"Advanced".

Sections are independent blocks: another panel adds itself with one call where marked."""

from zoneinfo import available_timezones

import streamlit as st

from pages_support import brand_kit as brand_kit_panel
from pages_support.api_keys import api_keys_section
from pages_support.ui import action, current_actor, error_text, require_password, settings, show_error, store
from studio.drafting import check_connection
from studio.errors import StudioError
from studio.preferences import EDITABLE, env_locked, load_preferences, save_preferences

# A first visit to this page's URL is served from pages/ without app.py's gate: check it here too.
require_password()
cfg = settings()
locked = env_locked()
saved = load_preferences(cfg.data_dir)
st.title("⚙️ Settings")
if done := st.session_state.pop("_settings_saved", None):
    st.success(done, icon="✅")

# Widget keys: the LLM ones keep the names the connection test uses.
KEYS = {"reviewer": "reviewer_name", "llm_provider": "llm_provider", "openai_base_url": "llm_base_url"}
KEYS["llm_model"] = "llm_model"
TIMEZONES = sorted(available_timezones())
PROVIDERS = ["auto", "openai", "offline"]
WEEK_STARTS = {
    "auto": "As your browser's language (else the time zone)",
    "monday": "Monday",
    "sunday": "Sunday",
    "saturday": "Saturday",
}


def key_of(field: str) -> str:
    return KEYS.get(field, f"pref_{field}")


def widget(pref) -> None:
    """One preference: its input, or its value and the variable that sets it."""
    field, key = pref.field, key_of(pref.field)
    value = getattr(cfg, field)
    env = locked.get(field)
    note = f"Set by `{env}` in the environment, which wins over what is saved here." if env else None
    if pref.secret:
        kept = "saved in the vault" if field in saved else ("set" if value else "not set")
        st.text_input(
            pref.label,
            type="password",
            key=key,
            disabled=bool(env),
            help=note,
            placeholder=f"{kept}; type a new one to replace it",
        )
    elif field == "llm_provider":
        st.selectbox(pref.label, PROVIDERS, index=PROVIDERS.index(value), key=key, help=note)
    elif field == "timezone":
        options = TIMEZONES if value in TIMEZONES else [value, *TIMEZONES]
        st.selectbox(pref.label, options, index=options.index(value), key=key, disabled=bool(env), help=note)
    elif field == "week_start":
        st.selectbox(
            pref.label,
            list(WEEK_STARTS),
            index=list(WEEK_STARTS).index(value),
            format_func=WEEK_STARTS.get,
            key=key,
            disabled=bool(env),
            help=note or "From the time zone: Sunday in the Americas, Monday elsewhere.",
        )
    elif isinstance(value, bool):
        st.checkbox(pref.label, value=value, key=key, disabled=bool(env), help=note)
    elif isinstance(value, int):
        st.number_input(pref.label, value=value, min_value=0, step=1, key=key, disabled=bool(env), help=note)
    else:  # the LLM endpoint and model stay editable to test other values; saving skips what env sets
        testable = field in ("openai_base_url", "llm_model")
        st.text_input(pref.label, value=value or "", key=key, disabled=bool(env) and not testable, help=note)
    if env:
        st.caption(f"🔒 {note}")


def section(group: str) -> None:
    for pref in EDITABLE:
        if pref.group == group:
            widget(pref)


@action
def save() -> None:
    ss = st.session_state
    changes = {}
    for pref in EDITABLE:
        key = key_of(pref.field)
        if pref.field in locked or key not in ss:
            continue
        value = ss[key]
        if pref.secret:
            if value:
                changes[pref.field] = value
                ss[key] = ""  # a key never lingers in the form
        elif pref.field == "openai_base_url":
            changes[pref.field] = value.strip() or None
        else:
            changes[pref.field] = value
    own = store(cfg)  # a callback: its own connection
    try:
        still_env = save_preferences(cfg, changes, actor=current_actor(), store=own)
    except StudioError as exc:
        ss["_settings_error"] = error_text(exc.message, exc.fix)
        return
    finally:
        own.close()
    ss["_settings_saved"] = "Saved. In effect now, no restart needed." + (
        f" Still set by the environment: {', '.join(still_env)}." if still_env else ""
    )


if message := st.session_state.pop("_settings_error", None):
    st.error(message)

# --- you -------------------------------------------------------------------------------------
st.subheader("You")
section("You")

# --- brand voice ------------------------------------------------------------------------------
st.subheader("Brand voice")
st.caption("Every draft follows it, and the SEO check flags words to avoid and hashtags.")
section("Brand voice")

# --- LLM for drafting -----------------------------------------------------------------------------
st.subheader("LLM for drafting")
st.caption(
    "Ollama, LM Studio, vLLM and llama.cpp work through their OpenAI-compatible URL. "
    "Test the values below before saving them."
)
section("LLM")
provider = st.session_state.get("llm_provider", cfg.llm_provider)
base_url = st.session_state.get("llm_base_url", cfg.openai_base_url or "")
model = st.session_state.get("llm_model", cfg.llm_model)
# the configured key only ever goes to the configured URL: another URL is tested with this key, or none
typed_key = st.text_input("API key for this test (only sent to the URL above)", type="password", key="llm_test_key")
effective = cfg.model_copy(update={"llm_provider": provider, "openai_base_url": base_url or None})
st.caption(
    f"Effective provider: **{effective.effective_llm_provider()}** · timeout {cfg.llm_timeout_s:g} s · "
    f"{cfg.llm_max_retries} retries · vision {cfg.llm_vision}"
)
if st.button("🔌 Test connection", key="test_connection"):
    with st.spinner("Contacting the LLM server…"):
        try:
            st.success(
                check_connection(
                    cfg,
                    provider=effective.effective_llm_provider(),
                    model=model,
                    base_url=base_url or None,
                    api_key=typed_key or None,
                ),
                icon="✅",
            )
        except StudioError as exc:
            show_error(exc)

# --- guardrails -------------------------------------------------------------------------------
st.subheader("Guardrails")
st.caption("Limits that keep an account clear of Pinterest's spam flags when scheduling.")
section("Guardrails")

st.button("💾 Save settings", key="settings_save", type="primary", on_click=save)

# --- panels added by other features (one call each) ----------------------------------------------
api_keys_section()
brand_kit_panel.render(store(), cfg)

# --- advanced ---------------------------------------------------------------------------------
with st.expander("Advanced: every variable and its effective value"):
    st.caption(
        "Environment variables (or a `.env` file) set these and win over the values saved above; "
        "the others need a restart. Secrets are masked."
    )
    st.table([{"setting": k, "value": v} for k, v in cfg.public_view().items()])
