"""Home: what needs attention today."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from pages._ui import services, settings, store
from studio.drafts import dashboard
from studio.models import iso
from studio.scheduling import local_time, worker_status

cfg = settings()
db = store()
tz = cfg.timezone
st.title("📌 Pinstudio")

data = dashboard(db)
counts = data["counts"]
if not any(counts.values()):
    st.info(
        "Welcome! Start on **Compose**: upload an image (or add the sample images), press *Draft copy*, "
        "and submit it for review. Then approve it on **Review** and publish it on **Publish**."
    )

cols = st.columns(6)
for col, (status, label) in zip(
    cols,
    [
        ("draft", "Drafts"),
        ("in_review", "In review"),
        ("approved", "Approved"),
        ("published", "Published"),
        ("rejected", "Rejected"),
        ("failed", "Failed"),
    ],
):
    col.metric(label, counts.get(status, 0))

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
    for d in today:
        st.markdown(f"`{local_time(d.scheduled_at, tz):%H:%M}` #{d.id} {d.title} ({d.status.value})")
    st.subheader("This week")
    week = db.scheduled_between(iso(today_start + timedelta(days=1)), iso(today_start + timedelta(days=7)))
    st.caption(f"{len(week)} more pin(s) in the next 6 days." if week else "Nothing else this week.")
    for d in week[:10]:
        st.markdown(f"`{local_time(d.scheduled_at, tz):%a %H:%M}` #{d.id} {d.title}")
with right:
    st.subheader("Recent failures")
    if not data["failures"]:
        st.caption("No failed pins. 🎉")
    for d in data["failures"]:
        job = next(iter(db.jobs_for_draft(d.id)), None)
        reason = (job or {}).get("error_message") or "see History"
        st.error(f"#{d.id} {d.title}: {reason}")
