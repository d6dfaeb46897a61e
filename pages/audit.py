"""Audit (owners): who signed in (or failed to), changed the team, settings, API keys or webhooks, published
early or overrode a guardrail. Filter by action, person and dates; export what matches as CSV
(spreadsheet-safe). Entries are shown as text, never as Markdown: they quote what people typed."""

from datetime import date, timedelta

import streamlit as st

from pages_support.ui import current_actor, require_password, store
from studio import people

require_password()
SHOWN = 200  # rows on the page; the CSV has every match

st.title("🧾 Audit")
if not people.may(current_actor(), people.Permission.AUDIT):
    st.info("Only owners read the audit log.")
    st.stop()


def export(filters: dict, total: int) -> str:
    """Every entry the filters match, as formula-safe CSV."""
    own = store()
    try:
        return people.audit_csv(people.audit_entries(own, **filters, limit=total))
    finally:
        own.close()


db = store()
try:
    users = people.list_users(db)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    action = row.selectbox(
        "Action", [""] + [a.value for a in people.AuditAction], key="audit_action", format_func=lambda a: a or "any"
    )
    people_refs = {"": "anyone", "anonymous": "nobody signed in (failed sign-ins)"}
    people_refs |= {f"user:{u.id}": f"{u.name} <{u.email}>" for u in users}
    person = row.selectbox("Person", list(people_refs), key="audit_person", format_func=people_refs.get)
    dates = row.date_input("Between", value=(), key="audit_dates", max_value=date.today() + timedelta(days=1))
    since = dates[0].isoformat() if len(dates) >= 1 else None
    until = (dates[1] + timedelta(days=1)).isoformat() if len(dates) == 2 else None  # the last day included
    filters = {"action": action or None, "actor": person or None, "since": since, "until": until}
    total = people.audit_count(db, **filters)
    entries = people.audit_entries(db, **filters, limit=SHOWN)
    st.caption(
        f"{total} matching entr{'y' if total == 1 else 'ies'}"
        + (f", the latest {SHOWN} shown" if total > SHOWN else "")
    )
    if entries:
        st.dataframe(
            [
                {
                    "When (UTC)": entry.at[:19].replace("T", " "),
                    "Who": entry.actor_name or entry.actor_ref,
                    "Action": entry.action,
                    "Target": entry.target,
                    "Detail": ", ".join(f"{key}: {value}" for key, value in sorted(entry.detail.items())),
                }
                for entry in entries
            ],
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Download CSV",
            lambda: export(filters, total),  # built when clicked (its own connection: another thread)
            file_name="pinstudio-audit.csv",
            mime="text/csv",
            key="audit_csv",
        )
finally:
    db.close()
