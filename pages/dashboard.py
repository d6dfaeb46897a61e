"""Home: what needs attention today."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from pages_support.metrics import week_vs_week
from pages_support.signin import single_person_mode
from pages_support.ui import services, settings, store
from studio.drafts import dashboard
from studio.models import iso
from studio.publishing import dry_run_draft_ids, jobs, published_counts
from studio.scheduling import local_time, worker_status
from studio.text import escape_markdown

cfg = settings()
db = store()
tz = cfg.timezone
st.title("📌 Pinstudio")
if single_person_mode():
    st.caption("👤 Single-person mode on this computer; add people with `pinstudio users add` or the Team page.")

data = dashboard(db)
counts = published_counts(db, data["counts"])  # dry runs counted apart from real pins
if not any(counts.values()):
    st.info(
        "Welcome! Start on **Compose**: upload an image (or add the sample images), press *Draft copy*, "
        "and submit it for review. Then approve it on **Review** and publish it on **Publish**."
    )

cols = st.columns(7)
for col, (status, label, help_text) in zip(
    cols,
    [
        ("draft", "Drafts", None),
        ("in_review", "In review", None),
        ("approved", "Approved", None),
        ("published", "Published", "Pins actually posted to Pinterest."),
        ("dry_run", "Dry runs", "Pins run through the dry-run publisher: nothing was posted."),
        ("rejected", "Rejected", None),
        ("failed", "Failed", None),
    ],
):
    col.metric(label, counts.get(status, 0), help=help_text)

week_vs_week(db)  # metrics of the last 7 days against the 7 before (analytics)
status = worker_status(db)
st.caption(
    ("🟢 worker running" if status["alive"] else "🟠 no worker running — scheduled pins wait")
    + f" · drafter: {cfg.effective_llm_provider()} · publisher: {services().backend()}"
)

now = datetime.now(UTC)
today_start = now.astimezone(local_time(iso(), tz).tzinfo).replace(hour=0, minute=0, second=0, microsecond=0)
left, right = st.columns(2)
with left:
    st.subheader("Today")
    today = db.scheduled_between(iso(today_start), iso(today_start + timedelta(days=1)))
    if not today:
        st.caption("Nothing scheduled today.")
    dry = dry_run_draft_ids(db)
    for d in today:
        status = "dry run" if d.id in dry else d.status.value
        st.markdown(f"`{local_time(d.scheduled_at, tz):%H:%M}` #{d.id} {escape_markdown(d.title)} ({status})")
    st.subheader("This week")
    week = db.scheduled_between(iso(today_start + timedelta(days=1)), iso(today_start + timedelta(days=7)))
    st.caption(f"{len(week)} more pin(s) in the next 6 days." if week else "Nothing else this week.")
    for d in week[:10]:
        st.markdown(f"`{local_time(d.scheduled_at, tz):%a %H:%M}` #{d.id} {escape_markdown(d.title)}")
with right:
    st.subheader("Recent failures")
    if not data["failures"]:
        st.caption("No failed pins. 🎉")
    for d in data["failures"]:
        job = next(iter(jobs.for_draft(db, d.id)), None)
        reason = (job or {}).get("error_message") or "see History"
        st.error(f"#{d.id} {escape_markdown(d.title)}: {escape_markdown(reason)}")
