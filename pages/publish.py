"""Publish: approved pins, published with the configured publisher, with live steps and job actions."""

from functools import cache

import streamlit as st

from pages_support.ui import (
    current_actor,
    error_text,
    errors_shown,
    flash,
    may_or_say,
    services,
    settings,
    show_flash,
    store,
)
from studio import accounts
from studio.people import Permission, may
from studio.publishing import is_dry_run, jobs, publish_draft, publisher_for_job
from studio.text import escape_markdown as md

STEP_LABEL = {
    "queued": "Queued",
    "uploading_media": "Uploading the video",
    "processing_media": "Pinterest is processing the video",
    "creating_pin": "Creating the pin",
    "published": "Published",
    "failed": "Failed",
    "needs_attention": "Needs a check",
}
STATUS_ICON = {"published": "📌", "failed": "❌", "needs_attention": "⚠️"}

cfg = settings()
db = store()
st.title("🚀 Publish")
show_flash()
may_publish = may_or_say(Permission.PUBLISH)  # what others see here, they may read; the buttons are off
may_override = may(current_actor(), Permission.APPROVE)  # overriding a guardrail is a reviewer's choice

publisher = None
with errors_shown():
    publisher = services().publisher()
if publisher is not None and publisher.name == "dry-run":
    st.caption("Publisher: **dry run** — nothing is posted; the exact request is recorded in History.")
elif publisher is not None:
    st.caption(f"Publisher: **{publisher.name}**")


def live_watch(box, bar):
    """Show each step and the upload progress as the job reports them."""

    def watch(event: dict) -> None:
        box.update(label=STEP_LABEL.get(event["status"], event["status"]) + "…")
        if event.get("upload_total"):
            bar.progress(
                min(1.0, event["upload_sent"] / event["upload_total"]),
                text=f"Uploaded {event['upload_sent'] / 1e6:.1f} of {event['upload_total'] / 1e6:.1f} MB",
            )

    return watch


def report(job: dict, label: str) -> None:
    if job["status"] == "published" and is_dry_run(job):
        flash(f"Dry run of {label}: nothing was posted; the requests are in History.", "🧪")
    elif job["status"] == "published":
        flash(f"Published {label}: {job['pin_url']}", "📌")
    else:
        flash(
            f"{label} {STEP_LABEL[job['status']].lower()}: {md(job['error_message'])} {job.get('error_fix') or ''}",
            "❌",
        )


for a in accounts.list_accounts(db):
    if a.needs_reconnect:
        st.warning(
            f"**Reconnect {a.name}:** {a.status_reason} Its pins wait until you connect it again on the Accounts page.",
            icon="⚠️",
        )

st.subheader("Ready to publish")
approved = db.list_drafts(["approved"], limit=100)
if not approved:
    st.info("No approved pins yet. Approve drafts on the Review page first.")

account_ready = cache(lambda name: accounts.ready(db, name))  # one look-up per account a run, not per draft
for draft in approved:
    with st.container(border=True):
        account = f" as **{md(draft.account)}**" if draft.account else ""
        st.markdown(f"**#{draft.id} · {md(draft.title)}** → board *{md(draft.board or '(none)')}*{account}")
        paused = not account_ready(draft.account)
        if paused:
            st.caption("⏸ Waiting: reconnect the Pinterest account on the Accounts page to publish this pin.")
        confirmed = True
        if draft.scheduled_at:  # a scheduled pin goes out early only when the user says so
            st.caption(
                f"🗓️ Scheduled for {draft.scheduled_at[:16].replace('T', ' ')} UTC: the worker publishes it then."
            )
            confirmed = st.checkbox("Publish it now instead", key=f"publish_early_{draft.id}")
        override = may_override and st.checkbox(
            "Override guardrails (daily cap, spacing, repeats; it is logged)", key=f"publish_override_{draft.id}"
        )
        if st.button(
            "Publish now",
            key=f"publish_{draft.id}",
            type="primary",
            disabled=publisher is None or paused or not confirmed or not may_publish,
        ):
            with errors_shown(), st.status(f"Publishing #{draft.id}…", expanded=True) as box:
                backend = services().publisher(None, draft.account) if draft.account else publisher
                job = publish_draft(
                    db,
                    backend,
                    draft.id,
                    cfg,
                    actor=current_actor(),
                    override=override,
                    watch=live_watch(box, st.empty()),
                )
                report(job, f"#{draft.id}")
                st.rerun()

st.subheader("Recent publish jobs")
recent = jobs.list_jobs(db, limit=20)
if not recent:
    st.caption("No publish jobs yet.")
for job in recent:
    dry = is_dry_run(job) and job["status"] == "published"
    icon = "🧪" if dry else STATUS_ICON.get(job["status"], "⏳")
    with st.container(border=True):
        who = jobs.account_of(db, job)
        title = jobs.title_of(db, job) or "(untitled pin)"
        status = "Dry run — nothing posted" if dry else STEP_LABEL.get(job["status"], job["status"])
        st.markdown(f"{icon} **{md(title)}**")
        draft = f"draft #{job['draft_id']} · " if job.get("draft_id") else ""
        st.caption(f"job #{job['id']} · {draft}{status} · {job['backend']}" + (f" as **{md(who)}**" if who else ""))
        done = [s["step"] for s in jobs.steps(db, job["id"])]
        st.caption(" → ".join(STEP_LABEL.get(s, s) for s in dict.fromkeys(done)))
        for warning in job.get("warnings") or []:
            st.caption(f"⚠️ {md(warning)}")
        if job.get("upload_total") and job["status"] in jobs.ACTIVE:
            st.progress(min(1.0, (job["upload_sent"] or 0) / job["upload_total"]), text="Uploading the video")
        if job["pin_url"] and not dry:
            st.markdown(
                f"Pin: [{job['pin_url']}]({job['pin_url']})"
                if job["pin_url"].startswith("http")
                else f"Pin: {job['pin_url']}"
            )
        if job["status"] in ("failed", "needs_attention"):
            st.error(error_text(job["error_message"], job.get("error_fix")))
            if st.button("Retry", key=f"retry_{job['id']}", disabled=publisher is None or not may_publish):
                with errors_shown(), st.status(f"Retrying job #{job['id']}…", expanded=True) as box:
                    again = jobs.retry_job(
                        db,
                        publisher_for_job(services().publisher, db, job),
                        job["id"],
                        actor=current_actor(),
                        watch=live_watch(box, st.empty()),
                    )
                    report(again, f"job #{job['id']}")
                    st.rerun()
        if job["status"] == "needs_attention":
            pin_id = st.text_input("Pin id, if you found it on Pinterest (optional)", key=f"pin_{job['id']}")
            if st.button("Mark resolved", key=f"resolve_{job['id']}", disabled=not may_publish):
                with errors_shown():
                    jobs.mark_resolved(db, job["id"], actor=current_actor(), pin_id=pin_id)
                    flash(f"Job #{job['id']} marked resolved.")
                    st.rerun()
