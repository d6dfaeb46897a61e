"""Home: what needs attention today."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from pages_support.metrics import week_vs_week
from pages_support.signin import single_person_mode
from pages_support.ui import services, settings, store
from studio.analytics import calendar_with_results
from studio.drafts import dashboard
from studio.models import iso
from studio.publishing import jobs, published_counts
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
    day = today_start.date()
    today = calendar_with_results(db, [day], tz)[day]  # what went out today and what is still to go
    counts = {state: sum(e.state == state for e in today) for state in ("published", "dry_run", "scheduled", "failed")}
    st.subheader("Today")
    st.caption(
        f"{counts['published']} published · {counts['scheduled']} scheduled"
        + (f" · {counts['dry_run']} dry run(s), nothing posted" if counts["dry_run"] else "")
        + (f" · {counts['failed']} failed" if counts["failed"] else "")
        if today
        else "Nothing published or scheduled today."
    )
    for entry in today[:30]:
        what = {"published": "published", "dry_run": "dry run", "failed": "failed"}.get(entry.state, "scheduled")
        number = f"#{entry.draft.id} " if entry.draft else ""
        line = f"`{entry.at:%H:%M}` {number}{escape_markdown(entry.title)} ({what})"
        if entry.pin_url.startswith("https://"):
            line += f" · [on Pinterest]({entry.pin_url})"
        st.markdown(line)
    if len(today) > 30:
        st.caption(f"…and {len(today) - 30} more on the Calendar.")
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
