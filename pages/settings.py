"""Settings: who you are in this session, the LLM connection, the brand voice, and the effective
configuration (secrets masked)."""

import streamlit as st

from pages import _brand_kit as brand_kit_panel
from pages._api_keys import api_keys_section
from pages._ui import require_password, settings, store
from studio.drafting import check_connection
from studio.errors import StudioError

# A first visit to this page's URL is served from pages/ without app.py's gate: check it here too.
require_password()
cfg = settings()
st.title("⚙️ Settings")

st.text_input("Your name (recorded on every review action)", key="reviewer_name")

st.subheader("LLM for drafting")
st.caption(
    "Set these with `STUDIO_LLM_PROVIDER`, `STUDIO_LLM_MODEL` and `OPENAI_BASE_URL` (plus `OPENAI_API_KEY` "
    "when the endpoint needs one) in `.env`, then restart. Ollama, LM Studio, vLLM and llama.cpp work "
    "through their OpenAI-compatible URL. Below you can test other values before saving them."
)
providers = ["auto", "openai", "offline"]
c1, c2, c3 = st.columns([1, 1, 2])
provider = c1.selectbox("Provider", providers, index=providers.index(cfg.llm_provider), key="llm_provider")
model = c2.text_input("Model", value=cfg.llm_model, key="llm_model")
base_url = c3.text_input(
    "Base URL",
    value=cfg.openai_base_url or "",
    key="llm_base_url",
    placeholder="https://api.openai.com/v1 (default) or http://localhost:11434/v1",
)
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
            st.error(f"**{exc.message}** {exc.fix}".strip())

st.subheader("Brand voice")
st.caption(
    "Every draft follows it, and the SEO check flags words to avoid and hashtags. Set with the "
    "`STUDIO_BRAND_*` variables."
)
st.table(
    [
        {"setting": "Tone (STUDIO_BRAND_TONE)", "value": cfg.brand_tone},
        {"setting": "Words to use (STUDIO_BRAND_WORDS_USE)", "value": cfg.brand_words_use or "—"},
        {"setting": "Words to avoid (STUDIO_BRAND_WORDS_AVOID)", "value": cfg.brand_words_avoid or "—"},
        {"setting": "Language (STUDIO_BRAND_LANGUAGE)", "value": cfg.brand_language},
        {"setting": "Hashtags allowed (STUDIO_BRAND_HASHTAGS)", "value": "yes" if cfg.brand_hashtags else "no"},
    ]
)

api_keys_section()
brand_kit_panel.render(store(), cfg)

st.subheader("Effective configuration")
st.caption("Set these with environment variables or a `.env` file, then restart. Secrets are masked.")
st.table([{"setting": k, "value": v} for k, v in cfg.public_view().items()])
