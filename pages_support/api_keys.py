"""The Settings page's "HTTP API" section: create, list and revoke API keys (a new key is shown once)."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import current_actor, errors_shown, settings, store
from studio.api import create_key, list_keys, revoke_key
from studio.people import DEFAULT_SCOPES, SCOPE_LABELS, Scope


def api_keys_section() -> None:
    cfg = settings()
    st.subheader("HTTP API keys")
    st.caption(
        f"Postproxy clients (the official SDKs, a CMS, automation tools) post pins through "
        f"`http://localhost:{cfg.api_port}/api` with `Authorization: Bearer KEY`. Keys are stored hashed: "
        "a new key is shown once. A key's posts wait in Review unless it has the posts:publish scope; "
        "a key sees only its own posts and webhooks unless it has admin."
    )
    db = store()
    try:
        made = st.session_state.pop("api_key_made", None)
        if made:
            st.success(f"Key **{made['name']}** ({made['id']}) — copy it now, it won't be shown again:", icon="🔑")
            st.code(made["key"], language=None)
        with st.form("api_key_form", clear_on_submit=True, border=False):
            c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
            name = c1.text_input("Name of the new key", placeholder="e.g. cms", key="api_key_name")
            scopes = c2.multiselect(
                "Scopes",
                [scope.value for scope in Scope],
                default=[scope.value for scope in DEFAULT_SCOPES],
                format_func=lambda scope: f"{scope}: {SCOPE_LABELS[Scope(scope)]}",
                key="api_key_scopes",
            )
            if c3.form_submit_button("🔑 Create key"):
                with errors_shown():
                    st.session_state["api_key_made"] = create_key(db, name, actor=current_actor(), scopes=scopes)
                    st.rerun()
        keys = list_keys(db)
        if not keys:
            st.info("No API keys yet.")
        for k in keys:
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            state = (
                f"revoked {k['revoked_at'][:16]}"
                if k["revoked_at"]
                else f"last used {(k['last_used_at'] or 'never')[:16]}"
            )
            scopes = " ".join(k["scopes"])
            c1.text(f"{k['name']} · {k['id']} · {k['prefix']}… · {scopes} · created {k['created_at'][:16]} · {state}")
            if not k["revoked_at"] and c2.button("Revoke", key=f"revoke_{k['id']}"):
                with errors_shown():
                    revoke_key(db, k["id"], actor=current_actor())
                    st.rerun()
    finally:
        db.close()
