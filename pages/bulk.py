"""Bulk: import Pinterest's bulk CSV (preview, fix, import), export CSV and backups, batch operations."""

import hashlib
import threading

import streamlit as st

from pages_support.ui import (
    current_actor,
    errors_shown,
    flash,
    may_or_say,
    require_password,
    services,
    settings,
    show_flash,
    store,
)
from pages_support.upload_progress import upload_progress
from studio.bulk import (
    COLUMN_FOR_FIELD,
    EXTENDED_HEADER,
    FIELD_FOR_COLUMN,
    PATCHABLE,
    AccountPinUpdater,
    MediaChecker,
    Preview,
    backup_csvs,
    backup_json,
    batch,
    errors_csv,
    export_pinterest_csv,
    import_valid_rows,
    missing_alt_text,
    pin_changes,
    preview_csv,
    revalidate,
    wait_for_import,
)
from studio.models import DraftStatus
from studio.people import Permission
from studio.text import escape_markdown as md

# Streamlit also routes a first visit to /bulk straight to this file (it finds pages/ next to
# app.py), skipping app.py's password gate: so the page checks it itself (a no-op once unlocked).
require_password()
cfg = settings()
db = store()
st.title("📦 Bulk")
show_flash()
if not may_or_say(Permission.COMPOSE):  # imports, batch edits and exports: an editor's work
    st.stop()


def checker() -> MediaChecker:
    # Kept for the session: it remembers downloaded media between the preview and the import.
    if "bulk_media" not in st.session_state:
        st.session_state["bulk_media"] = MediaChecker(services().fetch_http, cfg.data_dir / "bulk")
    return st.session_state["bulk_media"]


def row_table(preview: Preview) -> list[dict]:
    return [
        {
            "Row": r.row,
            "Status": ("✅ ok" if not r.warnings else "⚠️ ok") if r.ok else "❌ invalid",
            "Problems": " · ".join(f"{i.column or 'row'}: {i.message} → {i.fix}" for i in r.errors + r.warnings),
            "Title": r.fields.get("title", ""),
            "Board": r.fields.get("board", ""),
            "Media URL": r.fields.get("media_url", ""),
            "Draft": r.draft_id,
        }
        for r in preview.rows
    ]


SELECT_MAX = 5000  # one batch can cover a whole catalogue import
IMPORT_SETTLE_S = 120  # the longest a stopped import may still be finishing (LLM calls in flight)
ERRORS_SHOWN = 50  # the rest are in the table's Problems column and the errors CSV


def import_lock() -> threading.Lock:
    """Held while this session's import runs (the run goes on briefly after a Stop)."""
    return st.session_state.setdefault("bulk_import_lock", threading.Lock())


def editor_key(name: str, *parts) -> str:
    """A data editor's key tied to what it shows, so edits never move to other rows."""
    return f"{name}_{hashlib.sha256(repr(parts).encode()).hexdigest()[:12]}"


imp, exp, ops, fix = st.tabs(["Import CSV", "Export", "Batch operations", "Fix published pins"])

# --- import ---------------------------------------------------------------------------------
with imp:
    st.caption(
        "Pinterest's bulk-create CSV (Title, Media URL, Pinterest board, Thumbnail, Description, Link, "
        "Publish date, Keywords) or ours with Alt text, Board section, Account and Topic. UTF-8, "
        "comma or semicolon, dates as 2027-03-15T14:00:00 (UTC)."
    )
    upload_progress()
    upload = st.file_uploader("Bulk CSV", type=["csv", "txt"], key="bulk_csv")
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        if st.session_state.get("bulk_digest") != digest:
            checker().release_all()  # the previous file's downloads
            bar = st.progress(0.0, text="Checking media…")
            with errors_shown():
                st.session_state["bulk_preview"] = preview_csv(
                    db,
                    data,
                    file_name=upload.name,
                    media=checker(),
                    on_media_progress=lambda n, t: bar.progress(n / t, text=f"Checking media {n}/{t}"),
                )
                st.session_state["bulk_digest"] = digest
            bar.empty()
    if import_lock().locked():
        # A Stop reruns the page while the stopped import finishes its current row (or the LLM
        # calls in flight): wait, so the counts are true and the same rows can't be imported twice.
        with st.spinner("Stopping the import after its current row…"):
            wait_for_import(import_lock(), IMPORT_SETTLE_S)
        st.info(
            "Import stopped. The rows already imported are in the review queue; “Import” carries on with the rest.",
            icon="⏹",
        )
    preview: Preview | None = st.session_state.get("bulk_preview")
    if preview is not None:
        s = preview.summary()
        separator = "semicolon" if preview.delimiter == ";" else "comma"
        st.markdown(
            f"**{preview.file_name}** · {preview.kind} CSV · {separator}-separated · "
            f"board names checked against **{preview.board_source}**"
        )
        if note := preview.column_note():
            st.warning(note)
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Rows", s["rows"])
        c2.metric("Valid", s["valid"])
        c3.metric("Invalid", s["invalid"])
        c4.metric("To draft by LLM", s["to_draft"])
        st.dataframe(row_table(preview), hide_index=True, key="bulk_rows", width="stretch")
        if preview.invalid:
            st.subheader("Fix invalid rows")
            editable = [
                {
                    "Row": r.row,
                    "Problems": " · ".join(f"{i.column or 'row'}: {i.fix or i.message}" for i in r.errors),
                    **{c: r.fields.get(FIELD_FOR_COLUMN[c], "") for c in EXTENDED_HEADER},
                }
                for r in preview.invalid
                if r.draft_id is None
            ]
            # Keyed by file and rows: a keyed editor keeps its edits by row position, so another
            # file (or another set of invalid rows) must not inherit them.
            edited = st.data_editor(
                editable,
                key=editor_key("bulk_editor", st.session_state.get("bulk_digest"), *(e["Row"] for e in editable)),
                hide_index=True,
                disabled=["Row", "Problems"],
                width="stretch",
                # a narrow Problems column keeps the cells to fix in view (hover shows it all)
                column_config={
                    "Row": st.column_config.NumberColumn(width="small"),
                    "Problems": st.column_config.TextColumn(width="medium"),
                },
            )
            with st.expander(f"Errors and fixes for {len(preview.invalid)} row(s)"):
                shown = preview.invalid[:ERRORS_SHOWN]
                st.markdown(
                    "\n".join(
                        f"- **Row {r.row}** "
                        + " ".join(f"{md(i.column or 'row')}: {md(i.message)} **Fix:** {md(i.fix)}" for i in r.errors)
                        for r in shown
                    )
                    + (
                        f"\n\n…and {len(preview.invalid) - len(shown)} more: download the errors CSV for every row."
                        if len(preview.invalid) > len(shown)
                        else ""
                    )
                )
            e1, e2 = st.columns(2)
            if e1.button("Re-validate", key="bulk_revalidate"):
                rows = [
                    {"row": e["Row"], **{FIELD_FOR_COLUMN[c]: e.get(c) or "" for c in EXTENDED_HEADER}} for e in edited
                ]
                with errors_shown():
                    st.session_state["bulk_preview"] = revalidate(db, preview, rows, media=checker())
                    st.rerun()
            e2.download_button(
                "Download errors CSV",
                errors_csv(preview),
                file_name="pinstudio-errors.csv",
                mime="text/csv",
                key="bulk_errors_csv",
            )
        todo = [r for r in preview.valid if r.draft_id is None]
        if st.button(f"Import {len(todo)} valid row(s)", key="bulk_import", type="primary", disabled=not todo):
            # Any click reruns the page, which stops this run; imported rows stay in the review queue.
            st.button("⏹ Stop", key="bulk_stop", help="Rows already imported stay in the review queue.")
            bar = st.progress(0.0, text="Importing…")
            with errors_shown(), import_lock():
                report = import_valid_rows(
                    db,
                    cfg,
                    preview,
                    media=checker(),
                    actor=current_actor(),
                    on_progress=lambda stage, n, t: bar.progress(
                        n / t, text=("Drafting copy" if stage == "draft" else "Importing") + f" {n}/{t}"
                    ),
                )
                st.session_state["bulk_preview"] = preview
                repeats = sum(any(w.code == "drafted_title_repeats" for w in r.warnings) for r in preview.rows)
                flash(
                    f"Imported {report.imported + report.drafted} pin(s) into the review queue "
                    f"({report.drafted} drafted by the LLM); {report.failed} failed."
                    + (f" {repeats} drafted title(s) repeat another pin's: see ⚠️ in the table." if repeats else "")
                )
                st.rerun()

# --- export ---------------------------------------------------------------------------------
with exp:
    st.subheader("Pinterest bulk-create CSV")
    st.caption("For uploading through Pinterest itself (e.g. while your app is in trial access).")
    e1, e2 = st.columns(2)
    statuses = e1.multiselect("Pins that are", [s.value for s in DraftStatus], default=["approved"], key="exp_status")
    max_rows = e2.number_input("Pins per file", 1, 100, 100, key="exp_max")
    if st.button("Build CSV", key="exp_build"):
        with errors_shown():
            st.session_state["bulk_export"] = export_pinterest_csv(
                db, None, statuses=statuses, max_rows=int(max_rows), public_base_url=cfg.public_base_url
            )
    result = st.session_state.get("bulk_export")
    if result is not None:
        st.success(f"{result.rows} pin(s) in {len(result.texts)} file(s).")
        for warning in result.warnings:
            st.warning(warning)
        for n, text in enumerate(result.texts, 1):
            st.download_button(
                f"Download file {n} of {len(result.texts)}",
                text,
                key=f"exp_dl_{n}",
                file_name=f"pinterest-bulk-{n:02d}.csv",
                mime="text/csv",
            )
    st.subheader("Backup")
    st.caption("Every draft and its full history; no tokens or keys.")
    if st.button("Prepare backup", key="exp_backup"):
        st.session_state["bulk_backup"] = {"backup.json": backup_json(db), **backup_csvs(db)}
    for name, text in (st.session_state.get("bulk_backup") or {}).items():
        st.download_button(f"Download {name}", text, file_name=f"pinstudio-{name}", key=f"exp_bk_{name}")


def pin_updater() -> AccountPinUpdater:
    """Updates published pins as each draft's account, over the studio's shared Pinterest client."""
    svc = services()
    return AccountPinUpdater(svc.settings, svc.http, svc.tokens)


def run(batch_id: int, slot: str = "bulk_last_batch", **extra) -> None:
    """Run a batch with a progress bar; its per-item results then show where `slot` is read."""
    # Any click reruns the page, which stops this run; the batch then offers "Resume".
    st.button("⏹ Stop", key=f"ops_stop_{batch_id}", help="Stops after the current item; resume it later.")
    st.session_state["bulk_running"] = (batch_id, slot)  # still set on the rerun if this run is stopped
    bar = st.progress(0.0, text="Working…")
    with errors_shown():
        done = batch.run_batch(
            db,
            cfg,
            batch_id,
            actor=current_actor(),
            on_progress=lambda n, t, item: bar.progress(
                n / t, text=f"{n}/{t} · #{item['draft_id']}: {item['message'][:60]}"
            ),
            publishers=services().publisher,
            drafting=services().drafting,
            **extra,
        )
        st.session_state[slot] = done["id"]
    st.session_state.pop("bulk_running", None)


def settle_stopped_batch(timeout_s: float = 60) -> None:
    """After a Stop, wait for the stopped run to finish its current item (it carries on in the
    background while the page reruns), so the page shows its results and "Resume" at once."""
    stopped = st.session_state.pop("bulk_running", None)
    if not stopped:
        return
    batch_id, slot = stopped
    with st.spinner(f"Stopping batch #{batch_id} after its current item…"):
        batch.wait_until_stopped(batch_id, timeout_s)
    st.session_state[slot] = batch_id


def show_results(batch_id: int) -> None:
    rows = batch.results(db, batch_id)
    ok, failed = (sum(r["status"] == s for r in rows) for s in ("ok", "failed"))
    left = len(rows) - ok - failed
    st.markdown(f"**Batch #{batch_id}**: {ok} ok, {failed} failed" + (f", {left} not done yet" if left else ""))
    st.dataframe(rows, hide_index=True, key=f"batch_results_{batch_id}", width="stretch")


# --- batch operations -----------------------------------------------------------------------
with ops:
    settle_stopped_batch()
    b1, b2 = st.columns(2)
    status = b1.selectbox("Drafts that are", [s.value for s in DraftStatus], index=1, key="ops_status")
    drafts = db.list_drafts([status], limit=SELECT_MAX)
    every = b2.checkbox(f"Select all {len(drafts)}" + (" shown" if len(drafts) == SELECT_MAX else ""), key="ops_all")
    labels = {d.id: f"#{d.id} {d.title[:50]} ({d.board})" for d in drafts}
    chosen = list(labels) if every else st.multiselect("Drafts", list(labels), format_func=labels.get, key="ops_ids")
    actions = {k: v for k, v in batch.ACTIONS.items() if k != "patch"}
    action = st.selectbox("Action", list(actions), format_func=actions.get, key="ops_action")
    params: dict = {}
    if action == "redraft":
        params["field"] = st.selectbox(
            "Field", batch.REDRAFT_FIELDS, key="ops_field", format_func=lambda f: f.replace("_", " ")
        )
    if action == "schedule":
        params["use_requested"] = st.checkbox("Use the CSV's publish date when it has one", value=True, key="ops_req")
    if st.button(f"Run on {len(chosen)} draft(s)", key="ops_run", type="primary", disabled=not chosen):
        with errors_shown():
            run(batch.start_batch(db, action, chosen, params=params, actor=current_actor()))
    for b in batch.resumable(db):
        label = batch.ACTIONS.get(b["action"], b["action"])
        if st.button(
            f"Resume batch #{b['id']} ({label}, {b['done']}/{b['total']} done, {b['status']})",
            key=f"ops_resume_{b['id']}",
        ):
            with errors_shown():
                # A stopped "fix published pins" batch needs its Pinterest connection again.
                run(
                    b["id"],
                    **({"pins": pin_updater()} if b["action"] == "patch" else {}),
                )
    if last := st.session_state.get("bulk_last_batch"):
        show_results(last)

# --- fix published pins -----------------------------------------------------------------------
with fix:
    st.caption("Update pins already on Pinterest (PATCH): alt text, title, description or link.")
    only_missing = st.checkbox("Only pins without alt text", value=True, key="fix_missing")
    pins = missing_alt_text(db) if only_missing else db.list_drafts(["published"], limit=500)
    if not pins:
        st.info("No published pins to fix.")
    else:
        table = [{"Id": d.id, **{COLUMN_FOR_FIELD[f]: getattr(d, f) for f in PATCHABLE}} for d in pins]
        edited = st.data_editor(
            table,
            key=editor_key("fix_editor", *(d.id for d in pins)),
            hide_index=True,
            disabled=["Id"],
            width="stretch",
        )
        payloads = pin_changes(pins, edited)
        if st.button(f"Update {len(payloads)} pin(s) on Pinterest", key="fix_run", disabled=not payloads):
            with errors_shown():
                batch_id = batch.start_batch(db, "patch", list(payloads), payloads=payloads, actor=current_actor())
                run(
                    batch_id,
                    "bulk_last_fix",
                    pins=pin_updater(),
                )
                st.rerun()  # the table then shows what is live on Pinterest now
    if last_fix := st.session_state.get("bulk_last_fix"):
        show_results(last_fix)
