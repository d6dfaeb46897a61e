"""Compose page, right column: the pin's copy, drafting, saving and submitting."""

from __future__ import annotations

import streamlit as st

from pages._ui import errors_shown, flash, reviewer, store
from studio.config import Settings
from studio.drafting import get_drafter
from studio.errors import StudioError
from studio.storage import Store
from studio.workflow import draft_copy, save_draft, submit_for_review

FIELDS = ("title", "description", "alt_text", "topic", "keywords", "link", "board")


def load_draft(draft_id: int) -> None:
    draft = store().get_draft(draft_id)
    for name in FIELDS:
        st.session_state[name] = getattr(draft, name)
    st.session_state.update(draft_id=draft.id, draft_version=draft.version, media_id=draft.media_id)


def new_pin() -> None:
    for name in FIELDS:
        st.session_state[name] = ""
    for key in ("draft_id", "draft_version", "media_id", "drafted_by"):
        st.session_state.pop(key, None)


def _on_draft_copy(cfg: Settings) -> None:
    state = st.session_state
    try:
        out = draft_copy(store(), get_drafter(cfg), media_id=state.get("media_id"), topic=state.get("topic", ""),
                         keywords=state.get("keywords", ""), link=state.get("link", ""),
                         board=state.get("board", ""), data_dir=cfg.data_dir)
    except StudioError as exc:
        state["action_error"] = f"**{exc.message}** {exc.fix}"
        return
    state.update(title=out.title, description=out.description, alt_text=out.alt_text,
                 drafted_by=f"{out.provider} / {out.model}")
    if not state.get("keywords"):
        state["keywords"] = ", ".join(out.keywords)


def _on_save(submit: bool = False) -> None:
    state = st.session_state
    db = store()  # callbacks run on another thread than the one that opened the page's store
    fields = {name: state.get(name, "") for name in FIELDS}
    fields["media_id"] = state.get("media_id")
    if not state.get("draft_id") and state.get("drafted_by"):
        fields["provider"], _, fields["model"] = state["drafted_by"].partition(" / ")
    try:
        draft = save_draft(db, state.get("draft_id"), fields, actor=reviewer(),
                           expected_version=state.get("draft_version"))
        if submit:
            draft = submit_for_review(db, draft.id, actor=reviewer())
    except StudioError as exc:
        state["action_error"] = f"**{exc.message}** {exc.fix}"
        return
    state.update(draft_id=draft.id, draft_version=draft.version)
    flash(f"Draft #{draft.id} {'submitted for review' if submit else 'saved'}.")


def render_draft_picker(db: Store) -> None:
    st.subheader("Drafts")
    if st.button("➕ New pin", key="new_pin", width="stretch"):
        new_pin()
        st.rerun()
    open_drafts = {d.id: d for d in db.list_drafts(["draft", "rejected", "in_review", "approved", "failed"], limit=50)}
    if open_drafts:
        choice = st.selectbox("Open a draft", [None, *open_drafts], key="open_draft",
                              format_func=lambda i: "—" if i is None else
                              f"#{i} {open_drafts[i].title[:40]} ({open_drafts[i].status.value})")
        if choice and choice != st.session_state.get("draft_id"):
            load_draft(choice)
            st.rerun()


def render(db: Store, cfg: Settings) -> None:
    drafter = None
    with errors_shown():
        drafter = get_drafter(cfg)
    if draft_id := st.session_state.get("draft_id"):
        st.caption(f"Editing draft #{draft_id} (version {st.session_state.get('draft_version')})")
    st.text_input("Topic or product notes", key="topic")
    st.text_input("Target keywords (comma-separated)", key="keywords")
    st.text_input("Destination link", key="link", placeholder="https://example.com/page")
    st.text_input("Board", key="board", placeholder="Board name or id")
    label = "offline template" if drafter and drafter.name == "offline" else (drafter.name if drafter else "—")
    st.button(f"✨ Draft copy ({label})", key="draft_copy", on_click=_on_draft_copy, args=(cfg,),
              disabled=drafter is None or not st.session_state.get("media_id"),
              help="Writes title, description and alt text from your notes and the image.")
    if drafted_by := st.session_state.get("drafted_by"):
        note = " — a template, not an AI model." if drafted_by.startswith("offline") else ""
        st.caption(f"Drafted by {drafted_by}{note}")
    st.text_input("Title", key="title", max_chars=100)
    st.text_area("Description", key="description", max_chars=500, height=120)
    st.text_area("Alt text", key="alt_text", max_chars=500, height=90)
    c1, c2 = st.columns(2)
    c1.button("💾 Save draft", key="save", on_click=_on_save, width="stretch")
    c2.button("📨 Submit for review", key="submit", on_click=_on_save, kwargs={"submit": True},
              type="primary", width="stretch")
    if err := st.session_state.pop("action_error", None):
        st.error(err)
