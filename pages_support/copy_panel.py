"""Compose page, right column: the pin's copy, drafting (all fields or one, with alternatives),
the SEO lint beside the fields, the LLM log, saving and submitting."""

from __future__ import annotations

import streamlit as st

from pages_support import carousel_slides
from pages_support.trends import trend_ideas
from pages_support.ui import action, board_input, current_actor, error_text, errors_shown, flash, services, store
from studio.accounts import require_known_board
from studio.config import Settings
from studio.drafting import BatchItem, CallLog, draft_batch, save_composed
from studio.drafts import LIMITS, BrandVoice, count_label, get_cover, lint, shorten, too_long_reasons
from studio.errors import StudioError
from studio.storage import Store
from studio.text import escape_markdown as md

FIELDS = ("title", "description", "alt_text", "topic", "keywords", "link", "board", "account")
COPY_FIELDS = ("title", "description", "alt_text")
LABELS = {"title": "Title", "description": "Description", "alt_text": "Alt text"}
TITLE_HEIGHT = 68  # px: two lines, Streamlit's smallest text area; 100 characters fit in two lines of the column


def load_draft(draft_id: int) -> None:
    draft = store().get_draft(draft_id)
    for name in FIELDS:
        st.session_state[name] = getattr(draft, name)
    st.session_state.update(draft_id=draft.id, draft_version=draft.version, media_id=draft.media_id)
    for key in ("cover_offset_s", "cover_media_id"):
        st.session_state.pop(key, None)
    if cover := get_cover(store(), draft.id, draft.media_id):
        st.session_state.update(cover_offset_s=cover["offset_s"], cover_media_id=cover["cover_media_id"])
        st.session_state[f"cover_at_{draft.media_id}"] = float(cover["offset_s"])
    _clear_drafting_state()


def new_pin() -> None:
    for name in FIELDS:
        st.session_state[name] = ""
    for key in ("draft_id", "draft_version", "media_id", "drafted_by"):
        st.session_state.pop(key, None)
    _clear_drafting_state()


def _clear_drafting_state() -> None:
    for key in ("llm_call_ids", "trimmed", *(f"alts_{f}" for f in COPY_FIELDS)):
        st.session_state.pop(key, None)


def _request_args() -> dict:
    state = st.session_state
    return {
        "media_id": state.get("media_id"),
        "topic": state.get("topic") or "",
        "keywords": state.get("keywords") or "",
        "link": state.get("link") or "",
        "board": state.get("board") or "",  # nothing picked yet: draft without a board
        "fresh": bool(state.get("fresh_ideas")),
        "draft_id": state.get("draft_id"),
    }


@action
def _on_draft_copy(cfg: Settings, field: str | None = None) -> None:
    """Draft all fields (or one); a failure leaves the fields being edited exactly as they were."""
    state = st.session_state
    n = int(state.get("n_alternatives") or 1)
    args = _request_args()
    if field:
        args.update(field=field, current={f: state.get(f, "") for f in COPY_FIELDS})
    db = store()
    if slides := carousel_slides.for_drafting(db, state.get("draft_id")):
        args["slides"] = slides  # a carousel's copy is drafted for the carousel, not for its first image
    try:
        service = services().drafting(db)
        results = service.alternatives(n, **args)
    except StudioError as exc:
        state["action_error"] = error_text(exc.message, exc.fix)
        return
    first = results[0].output
    for name in [field] if field else COPY_FIELDS:
        state[name] = getattr(first, name)
        options = list(dict.fromkeys(getattr(r.output, name) for r in results))
        state[f"alts_{name}"] = options if len(options) > 1 else []
    state["drafted_by"] = f"{first.provider} / {first.model}"
    state["trimmed"] = sorted(set(first.trimmed))
    state["llm_call_ids"] = [*state.get("llm_call_ids", []), *(r.call_id for r in results if r.call_id)]
    if not state.get("keywords"):
        state["keywords"] = ", ".join(first.keywords)
    if any(r.cached for r in results):
        state["drafting_note"] = (
            "Served from the log (same request as before). Tick “Fresh ideas” to ask the model again."
        )
    if not args["board"]:
        state["drafting_note"] = (
            "No board picked: drafted without one. Pick a board and draft again for copy that fits it."
        )
    if state.get("draft_id") and field in (None, "alt_text"):
        carousel_slides.draft_missing(db, service, state["draft_id"])


@action
def _on_pick(field: str) -> None:
    st.session_state[field] = st.session_state[f"pick_{field}"]


@action
def _on_save(submit: bool = False) -> None:
    state = st.session_state
    db = store()  # callbacks run on another thread than the one that opened the page's store
    fields = {name: state.get(name) or "" for name in FIELDS}
    fields["media_id"] = state.get("media_id")
    if not state.get("draft_id") and state.get("drafted_by"):
        fields["provider"], _, fields["model"] = state["drafted_by"].partition(" / ")
    try:
        require_known_board(db, fields["board"], fields["account"] or None)
        draft = save_composed(
            db,
            state.get("draft_id"),
            fields,
            actor=current_actor(),
            expected_version=state.get("draft_version"),
            submit=submit,
            llm_call_ids=state.get("llm_call_ids", []),
            cover_offset_s=state.get("cover_offset_s"),
            cover_media_id=state.get("cover_media_id"),
        )
    except StudioError as exc:
        state["action_error"] = error_text(exc.message, exc.fix)
        return
    state.pop("llm_call_ids", None)
    state.update(draft_id=draft.id, draft_version=draft.version)
    flash(f"Draft #{draft.id} {'submitted for review' if submit else 'saved'}.")


def render_draft_picker(db: Store) -> None:
    st.subheader("Drafts")
    if st.button("➕ New pin", key="new_pin", width="stretch"):
        new_pin()
        st.rerun()
    open_drafts = {d.id: d for d in db.list_drafts(["draft", "rejected", "in_review", "approved", "failed"], limit=50)}
    if open_drafts:
        choice = st.selectbox(
            "Open a draft",
            [None, *open_drafts],
            key="open_draft",
            format_func=lambda i: (
                "—" if i is None else f"#{i} {open_drafts[i].title[:40]} ({open_drafts[i].status.value})"
            ),
        )
        if choice and choice != st.session_state.get("draft_id"):
            load_draft(choice)
            st.rerun()


def account_input(db: Store) -> None:
    """Which connected Pinterest account publishes the pin (shown once there are several)."""
    from studio.accounts import list_accounts

    names = [a.name for a in list_accounts(db)]
    current = st.session_state.get("account") or ""
    if len(names) < 2 and not current:
        return  # none or one: the pin publishes as the only (default) account
    options = ["", *names] + ([current] if current not in names and current else [])
    st.session_state["account"] = current
    st.selectbox(
        "Pinterest account",
        options,
        key="account",
        format_func=lambda n: n or (f"default ({names[0]})" if names else "default"),
    )


def render(db: Store, cfg: Settings) -> None:
    state = st.session_state
    drafter = None
    with errors_shown():
        drafter = services().drafter()
    if draft_id := state.get("draft_id"):
        st.caption(f"Editing draft #{draft_id} (version {state.get('draft_version')})")
    st.text_input("Topic or product notes", key="topic")
    st.text_input("Target keywords (comma-separated, primary first)", key="keywords")
    trend_ideas(db, cfg)  # Pinterest Trends keyword ideas for the topic (analytics)
    st.text_input("Destination link", key="link", placeholder="https://example.com/page")
    account_input(db)
    board_input(db, "board", account=state.get("account") or None)
    offline = bool(drafter and drafter.name == "offline")
    label = "offline template" if offline else (f"{drafter.name} · {drafter.model}" if drafter else "—")
    no_media = drafter is None or not state.get("media_id")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.button(
        f"✨ Draft copy ({label})",
        key="draft_copy",
        on_click=_on_draft_copy,
        args=(cfg,),
        disabled=no_media,
        help="Writes title, description and alt text from your notes, the link and the image.",
    )
    c2.number_input("Alternatives", min_value=1, max_value=5, value=3, key="n_alternatives")
    # on its own line: squeezed beside the button, its label was cut to "Fresh i…"
    st.checkbox("Fresh ideas", key="fresh_ideas", help="Ask the model again instead of reusing the logged answer.")
    if drafted_by := state.get("drafted_by"):
        note = " — a template, not an AI model." if drafted_by.startswith("offline") else ""
        st.caption(f"Drafted by {drafted_by}{note}")
    if note := state.pop("drafting_note", None):
        st.caption(note)
    if err := state.pop("action_error", None):
        st.error(err)

    llm = None if offline or no_media else label
    _field("title", cfg, disabled=no_media, llm=llm)  # across the column, wrapped: a long title shows whole
    fields_col, lint_col = st.columns([3, 2], gap="medium")
    with fields_col:
        for name in COPY_FIELDS[1:]:
            _field(name, cfg, disabled=no_media, llm=llm)
    with lint_col:
        _lint(db, cfg)
    too_long = too_long_reasons({name: state.get(name, "") for name in COPY_FIELDS})
    if too_long:  # nothing is cut behind the user's back: saving waits until the text fits
        st.error("**Can't save yet.** " + " ".join(too_long), icon="✂️")
    c1, c2 = st.columns(2)
    c1.button("💾 Save draft", key="save", on_click=_on_save, width="stretch", disabled=bool(too_long))
    c2.button(
        "📨 Submit for review",
        key="submit",
        on_click=_on_save,
        kwargs={"submit": True},
        type="primary",
        width="stretch",
        disabled=bool(too_long),
    )
    _llm_log(db)
    _batch(db, cfg)


@action
def _one_line(name: str) -> None:
    """A title is one line: a line break typed or pasted into its box becomes a space."""
    text = st.session_state.get(name) or ""
    if "\n" in text or "\r" in text:
        st.session_state[name] = " ".join(text.split())


@action
def _on_shorten(name: str) -> None:
    st.session_state[name] = shorten(st.session_state.get(name, ""), LIMITS[name])


def _field(name: str, cfg: Settings, *, disabled: bool, llm: str | None) -> None:
    """One copy field with its length count, regenerate button and the alternatives to pick from.

    No max_chars: Streamlit would drop a longer paste or cut typing mid-word without a word said."""
    head, button = st.columns([5, 1], vertical_alignment="bottom")
    with head:
        if name == "title":  # a box that wraps: a one-line input hid most of a long title
            st.text_area(LABELS[name], key=name, height=TITLE_HEIGHT, on_change=_one_line, args=(name,))
        else:
            st.text_area(LABELS[name], key=name, height=120 if name == "description" else 90)
        text = st.session_state.get(name, "") or ""
        if len(text) > LIMITS[name]:
            st.markdown(
                f":red[**{count_label(text, name)}** characters — {len(text) - LIMITS[name]} over Pinterest's limit]"
            )
            c1, c2 = st.columns(2)
            c1.button(
                "✂️ Shorten",
                key=f"shorten_{name}",
                on_click=_on_shorten,
                args=(name,),
                help="Cut at the last sentence or word that fits; nothing mid-word.",
            )
            if llm:
                c2.button(
                    f"✨ Rewrite shorter ({llm})",
                    key=f"llm_shorten_{name}",
                    on_click=_on_draft_copy,
                    args=(cfg, name),
                    help="Ask the model for a new version within the limit.",
                )
        elif text:
            st.caption(f"{count_label(text, name)} characters")
    button.button(
        "🔄",
        key=f"regen_{name}",
        on_click=_on_draft_copy,
        args=(cfg, name),
        disabled=disabled,
        help=f"Regenerate only the {LABELS[name].lower()}",
    )
    if options := st.session_state.get(f"alts_{name}"):
        st.radio(
            f"Alternatives for the {LABELS[name].lower()}",
            options,
            format_func=md,  # radio options are Markdown: drafted text is shown as typed
            key=f"pick_{name}",
            index=None,
            on_change=_on_pick,
            args=(name,),
            label_visibility="collapsed",
        )


def _lint(db: Store, cfg: Settings) -> None:
    """The SEO rules on whatever is in the fields now: drafted, picked or typed."""
    state = st.session_state
    st.markdown("**Pinterest SEO check**")
    fields = {name: state.get(name, "") for name in FIELDS} | {"media_id": state.get("media_id")}
    if not any(fields[f] for f in COPY_FIELDS):
        st.caption("Draft or write the copy to see the checks.")
        return
    results = lint(
        fields,
        voice=BrandVoice.from_settings(cfg),
        store=db,
        draft_id=state.get("draft_id"),
        trimmed=state.get("trimmed", []),
    )
    for rule in results:
        st.markdown(f"{'✅' if rule['ok'] else '⚠️'} {md(rule['message'])}")


def _llm_log(db: Store) -> None:
    state = st.session_state
    log = CallLog(db)
    calls = log.for_draft(state["draft_id"]) if state.get("draft_id") else []
    seen = {c["id"] for c in calls}
    calls += [log.get(i) for i in state.get("llm_call_ids", []) if i not in seen]
    if not calls:
        return
    with st.expander(f"LLM log for this draft ({len(calls)} call{'s' * (len(calls) != 1)})"):
        for call in calls:
            status = f"❌ {call['error']}" if call["error"] else "✅"
            st.markdown(
                f"**#{call['id']}** {call['created_at'][:19]} · {call['provider']} / {call['model']} · "
                f"{call['prompt_tokens']}+{call['completion_tokens']} tokens · {call['latency_ms']:.0f} ms {status}"
            )
            st.json({"prompt": call["prompt"], "response": call["response"]}, expanded=False)


def _batch(db: Store, cfg: Settings) -> None:
    """Draft and save many pins at once; progress as each lands; Stop keeps what is saved."""
    media = db.list_media(limit=200)
    if len(media) < 2:
        return
    with st.expander("📚 Draft many pins at once"):
        labels = {m.id: f"#{m.id} {m.original_name or m.sha256[:8]}" for m in media}
        picked = st.multiselect("Media", list(labels), format_func=labels.get, key="batch_media")
        c1, c2 = st.columns(2)
        topic = c1.text_input("Topic (shared)", key="batch_topic")
        keywords = c2.text_input("Keywords (shared)", key="batch_keywords")
        link = c1.text_input("Link (shared)", key="batch_link")
        board = c2.text_input("Board (shared)", key="batch_board")
        start, stop = st.columns(2)
        stop.button("⏹ Stop", key="batch_stop", help="Stops what hasn't started; finished drafts stay saved.")
        if start.button(f"✨ Draft {len(picked)} pins", key="batch_start", disabled=not picked, type="primary"):
            bar = st.progress(0.0, text="Starting…")

            def progress(done: int, total: int, outcome) -> None:
                bar.progress(
                    done / total,
                    text=f"{done}/{total} · #{outcome.item.media_id} " + ("saved" if outcome.ok else "failed"),
                )

            items = [BatchItem(media_id=i, topic=topic, keywords=keywords, link=link, board=board) for i in picked]
            with errors_shown():
                report = draft_batch(
                    services().drafting(db),
                    items,
                    concurrency=cfg.llm_concurrency,
                    on_progress=progress,
                    actor=current_actor(),
                )
                st.session_state["batch_report"] = (
                    f"Saved {report.saved} draft(s), {report.failed} failed, in {report.seconds:.1f} s.",
                    [f"#{o.item.media_id}: {o.error}" for o in report.outcomes if not o.ok],
                )
        if summary := st.session_state.get("batch_report"):
            st.success(summary[0])
            for line in summary[1]:
                st.warning(md(line))
