"""History: published and failed pins, with every request sent and Pinterest's answers."""

import streamlit as st

from pages._metrics import pin_metrics
from pages._ui import settings, store
from studio.publishing import jobs

cfg = settings()
db = store()
st.title("📜 History")

recent = jobs.list_jobs(db, limit=200)
if not recent:
    st.info("Nothing published yet. Published and failed pins appear here with the exact request sent.")

ICON = {"published": "📌", "failed": "❌", "needs_attention": "⚠️"}
for job in recent:
    draft = db.get_draft(job["draft_id"]) if job["draft_id"] else None
    title = (
        draft.title
        if draft
        else (job["payload"] or {}).get("platforms", {}).get("pinterest", {}).get("title") or "(payload)"
    )
    with st.expander(
        f"{ICON.get(job['status'], '⏳')} job #{job['id']} · {title} · {job['status']} · {job['backend']}"
    ):
        if job["pin_id"]:
            st.write(f"Pin: `{job['pin_id']}` — {job['pin_url']}")
            pin_metrics(db, pin_id=job["pin_id"])  # sparkline + totals once analytics synced it
        if job["error_message"]:
            st.error(f"**{job['error_message']}** {job.get('error_fix') or ''}".strip())
        st.caption(
            f"Created {job['created_at']} · {job['attempts'] or 0} HTTP attempts"
            + (f" · resolved by {job['resolved_by']}" if job.get("resolved_by") else "")
        )
        sent = jobs.requests_sent(db, job["id"])
        if sent:
            st.dataframe(
                [
                    {
                        "at": a["at"],
                        "step": a["step"],
                        "request": f"{a['method']} {a['url']}",
                        "HTTP": a["http_status"],
                        "Pinterest code": a["pinterest_code"],
                        "x-pinterest-rid": a["request_id"],
                        "outcome": a["outcome"],
                        "message": a["message"],
                    }
                    for a in sent
                ],
                hide_index=True,
            )
        if job["request"]:
            st.json(job["request"], expanded=False)
