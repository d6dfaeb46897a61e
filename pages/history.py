"""History: each publish told as a story (the pin, its board, when, the steps in words, the link);
the exact requests sent stay one click away."""

import streamlit as st

from pages_support.metrics import pin_metrics
from pages_support.ui import action, settings, store
from studio.errors import StudioError
from studio.media import thumbnail
from studio.publishing import jobs, story
from studio.text import escape_markdown

cfg = settings()
db = store()
st.title("📜 History")

# The newest 20 first, more on demand; each story's requests are drawn only when opened: a fresh tab drew 200
# stories, each with a table and the raw request, before showing anything (bench/bench_cold_tab.py).
PAGE = 20
shown = st.session_state.get("history_shown", PAGE)
recent = jobs.list_jobs(db, limit=shown + 1)
if not recent:
    st.info("Nothing published yet. Each pin you publish (or dry-run) appears here with what happened.")

for job in recent[:shown]:
    told = story(db, job, cfg.timezone)
    with st.container(border=True):
        image, words = st.columns([1, 4], gap="medium")
        with image:
            try:
                if told.media_id:
                    st.image(str(thumbnail(cfg.data_dir, db.get_media(told.media_id))), width="stretch")
            except (OSError, StudioError):
                st.caption("No preview")
        with words:
            st.markdown(f"{told.icon} **{escape_markdown(told.title)}**")
            where = f"Board **{escape_markdown(told.board)}** · " if told.board else ""
            st.markdown(f"{told.headline} · {where}{told.when}")
            if told.steps:
                st.caption(told.steps)
            if told.pin_url:
                st.markdown(f"[Open the pin on Pinterest]({told.pin_url})")
            if job["pin_id"] and not told.dry_run:
                pin_metrics(db, pin_id=job["pin_id"])  # sparkline + totals once analytics synced it
            if told.dry_run:
                st.caption("🧪 Dry run: the studio recorded the requests instead of sending them.")
            if told.error:
                st.error(escape_markdown(told.error))
            for note in told.notes:
                st.caption(escape_markdown(note))
            requests = st.expander(
                f"Requests sent (job #{told.job_id} · {job['backend']})",
                key=f"history_req_{job['id']}",
                on_change="rerun",
            )
            with requests:
                if not requests.open:
                    continue
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
if len(recent) > shown:
    st.button(
        f"Show {PAGE} more",
        key="history_more",
        on_click=action(lambda: st.session_state.update(history_shown=shown + PAGE)),
    )
