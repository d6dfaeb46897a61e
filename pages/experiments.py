"""Experiments: compare 2–4 drafting variants for one media asset and promote the winner."""

import streamlit as st

from pages_support.metrics import experiment_results
from pages_support.ui import (
    current_actor,
    error_text,
    errors_shown,
    flash,
    may_or_say,
    require_password,
    settings,
    show_flash,
    store,
)
from studio.drafting import (
    MAX_VARIANTS,
    MIN_VARIANTS,
    ExperimentInput,
    Variant,
    get_experiment,
    list_experiments,
    promote,
    run_experiment,
    start_experiment,
    variant_label,
)
from studio.errors import StudioError
from studio.media import thumbnail
from studio.people import Permission
from studio.text import escape_markdown

# A first visit to this page's URL is served from pages/ without app.py's gate: check it here too.
require_password()
cfg = settings()
db = store()
st.title("⚗️ Experiments")
if not may_or_say(Permission.DRAFT):  # every experiment drafts copy
    st.stop()
offline = cfg.effective_llm_provider() == "offline"
st.caption(
    (
        "Drafter: offline template (no AI model: set OPENAI_API_KEY or OPENAI_BASE_URL to compare models)."
        if offline
        else f"Drafter: {cfg.effective_llm_provider()} · default model {cfg.llm_model}."
    )
    + " Same media, different settings, side by side; the best one becomes a draft in one click."
)
show_flash()

past = list_experiments(db)
with st.sidebar:
    st.subheader("Past experiments")
    picked = st.selectbox(
        "Open an experiment",
        [None, *[e["id"] for e in past]],
        key="experiment_pick",
        format_func=lambda i: "—" if i is None else next(f"#{e['id']} {e['name']}" for e in past if e["id"] == i),
    )
    if picked and picked != st.session_state.get("experiment_id"):
        st.session_state["experiment_id"] = picked

media = db.list_media(limit=200)
with st.expander("New experiment", expanded=not st.session_state.get("experiment_id")):
    if not media:
        st.info("No media yet: add an image on the Compose page first.")
    else:
        labels = {m.id: f"#{m.id} {m.original_name or m.sha256[:8]}" for m in media}
        media_id = st.selectbox("Media", list(labels), format_func=labels.get, key="exp_media")
        c1, c2 = st.columns(2)
        topic = c1.text_input("Topic or product notes", key="exp_topic")
        keywords = c2.text_input("Target keywords (primary first)", key="exp_keywords")
        link = c1.text_input("Destination link", key="exp_link", placeholder="https://example.com/page")
        board = c2.text_input("Board", key="exp_board")
        n = st.number_input("Variants", min_value=MIN_VARIANTS, max_value=MAX_VARIANTS, value=2, key="exp_n")
        variants = []
        for i, col in enumerate(st.columns(int(n))):
            with col:
                st.markdown(f"**Variant {chr(65 + i)}**")
                variants.append(
                    Variant(
                        label=chr(65 + i),
                        model=st.text_input(
                            "Model",
                            key=f"exp_model_{i}",
                            placeholder="(offline template)" if offline else cfg.llm_model,
                            disabled=offline,
                        ),
                        temperature=st.slider("Temperature", 0.0, 1.5, 0.7, 0.1, key=f"exp_temp_{i}"),
                        tone=st.text_input("Tone", key=f"exp_tone_{i}", placeholder=cfg.brand_tone),
                        keywords=st.text_input("Keywords", key=f"exp_kw_{i}", placeholder="(as above)"),
                        notes=st.text_area("Prompt notes", key=f"exp_notes_{i}", height=70),
                    )
                )
        if st.button("⚗️ Generate all", key="exp_generate", type="primary"):
            with st.spinner("Drafting every variant…"), errors_shown():
                exp = start_experiment(
                    db,
                    cfg,
                    media_id=media_id,
                    variants=variants,
                    base=ExperimentInput(topic=topic, keywords=keywords, link=link, board=board),
                    actor=current_actor(),
                )
                st.session_state["experiment_id"] = exp["id"]

if experiment_id := st.session_state.get("experiment_id"):
    exp = None
    with errors_shown():
        exp = get_experiment(db, experiment_id)
    if exp:
        st.subheader(f"#{exp['id']} {exp['name']}")
        c1, c2 = st.columns([1, 1])
        fresh = c2.checkbox("Fresh ideas (don't reuse logged answers)", key="exp_fresh")
        if c1.button("🔁 Re-run", key="exp_rerun"):
            with st.spinner("Drafting every variant…"), errors_shown():
                exp = run_experiment(db, cfg, exp["id"], fresh=fresh, actor=current_actor())
        if exp["promoted_draft_id"]:
            st.success(f"Promoted to draft #{exp['promoted_draft_id']}. Open it on the Compose page.", icon="🏆")
        image = None
        try:
            image = thumbnail(cfg.data_dir, db.get_media(exp["media_id"]))
        except (StudioError, OSError):
            pass
        runs = exp["runs"]
        if not runs:
            st.info("Not generated yet: press Re-run.")
        for col, run in zip(st.columns(max(1, len(runs))), runs):
            variant = exp["variants"][run["variant"]]
            with col, st.container(border=True):
                st.markdown(
                    f"**Variant {escape_markdown(variant.label or run['variant'] + 1)}** · "
                    f"{escape_markdown(variant_label(cfg, variant, run['output']))} · t={variant.temperature:g}"
                )
                if image:
                    st.image(str(image), width="stretch")
                if run["error"]:
                    st.error(error_text(run["error"]))
                    continue
                out = run["output"]
                st.markdown(f"#### {escape_markdown(out['title'])}")
                st.text(out["description"])
                st.caption(f"Alt text: {escape_markdown(out['alt_text'])}")
                ok = sum(r["ok"] for r in run["lint"])
                st.markdown(f"**SEO check: {ok}/{len(run['lint'])} pass**")
                for rule in run["lint"]:
                    if not rule["ok"]:
                        st.markdown(f"⚠️ {escape_markdown(rule['message'])}")  # it quotes the keywords as typed
                cost = (
                    "from the log, no new tokens"
                    if run["cached"]
                    else f"{run['prompt_tokens']}+{run['completion_tokens']} tokens · {run['latency_ms']:.0f} ms"
                )
                st.caption(f"{out['provider']} / {out['model']} · {cost}")
                if st.button("🏆 Promote to draft", key=f"promote_{run['id']}"):
                    with errors_shown():
                        draft = promote(db, exp["id"], run["id"], actor=current_actor())
                        done = (
                            "already has this copy"
                            if draft.id == exp["promoted_draft_id"]
                            else f"created from variant {variant.label}"
                        )
                        flash(f"Draft #{draft.id} {done}.", "🏆")
                        st.rerun()
        experiment_results(db, exp["id"])  # real results of the published variants (analytics)
