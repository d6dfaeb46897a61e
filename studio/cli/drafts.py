"""`pinstudio drafts`: scripted review with the studio's rules (the same calls as the Review page).

    pinstudio drafts list [--status S] [--json]
    pinstudio drafts show ID [--json]
    pinstudio drafts submit ID... [--json]
    pinstudio drafts approve|reject|request-changes ID... [--note T] [--json]
    pinstudio drafts schedule ID (--at ISO | --queue) [--json]
    pinstudio drafts edit ID [--title T] [--description D] [--link URL] [--board B] [--json]

Exit codes: 0 done; 1 the work failed (some drafts acted on, others not, or an unexpected failure);
2 a usage error or a refused request, nothing done (unknown draft, missing note, a rule the draft breaks).
`--json` prints `[{draft_id, ok, status, code, message}]` for actions, the draft for show (with `history`, and
`slides`: a carousel's images in order, `[{position, media_id, alt_text}]`, empty for a single-image pin).
"""

from __future__ import annotations

import sys
from contextlib import closing
from typing import TYPE_CHECKING

from studio.cli.common import DRAFT_STATUSES, fail, open_store, operator, print_json, settings
from studio.errors import NotFoundError, StudioError, TransitionError, ValidationError

if TYPE_CHECKING:
    from studio.models import Draft
    from studio.storage import Store

# Refusals: the request could not be carried out as asked and nothing changed (exit 2).
REFUSALS = (ValidationError, NotFoundError, TransitionError)
REVIEW_ACTIONS = ("approve", "reject", "request-changes")


def register(subparsers) -> None:
    p = subparsers.add_parser("drafts", help="list, show, submit, review, schedule and edit drafts (scripted review)")
    p.set_defaults(handler=lambda args: _usage(p))
    actions = p.add_subparsers(dest="drafts_action", metavar="ACTION")

    ls = actions.add_parser("list", help="list drafts, newest first")
    ls.add_argument("--status", choices=DRAFT_STATUSES, action="append", help="only this status (repeatable)")
    ls.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(handler=list_drafts)

    show = actions.add_parser("show", help="one draft: copy, board, status, approval, history")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=show_draft)

    sub = actions.add_parser("submit", help="send drafts to review (the studio's checks first, as on the page)")
    sub.add_argument("ids", type=int, nargs="+", metavar="ID")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=submit)

    for name, text in (
        ("approve", "approve drafts (bound to their exact content: a later edit voids it)"),
        ("reject", "reject drafts (a note is required)"),
        ("request-changes", "send drafts back to their author with a note (required)"),
    ):
        a = actions.add_parser(name, help=text)
        a.add_argument("ids", type=int, nargs="+", metavar="ID")
        a.add_argument("--note", default="", help="the note the author sees")
        a.add_argument("--json", action="store_true", help="print JSON")
        a.set_defaults(handler=review, action=name)

    sc = actions.add_parser("schedule", help="schedule an approved draft at a time, or in its board's next free slot")
    sc.add_argument("id", type=int, metavar="ID")
    when = sc.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", metavar="ISO", help="e.g. 2027-03-01T09:30 (your STUDIO_TIMEZONE) or with an offset")
    when.add_argument("--queue", action="store_true", help="the board's next free posting slot")
    sc.add_argument("--json", action="store_true", help="print JSON")
    sc.set_defaults(handler=schedule)

    ed = actions.add_parser("edit", help="change copy, link or board (an edit voids an approval, as on the page)")
    ed.add_argument("id", type=int, metavar="ID")
    ed.add_argument("--title")
    ed.add_argument("--description")
    ed.add_argument("--link")
    ed.add_argument("--board")
    ed.add_argument("--json", action="store_true", help="print JSON")
    ed.set_defaults(handler=edit)


def _usage(parser) -> int:
    parser.print_help()
    return 2


def _row(draft: Draft) -> dict:
    return {
        "id": draft.id,
        "status": draft.status.value,
        "title": draft.title,
        "board": draft.board,
        "link": draft.link,
        "account": draft.account,
        "author": draft.author,
        "scheduled_at": draft.scheduled_at,
        "updated_at": draft.updated_at,
    }


def list_drafts(args) -> int:
    with closing(open_store(settings())) as store:
        drafts = store.list_drafts(args.status, limit=args.limit)
    rows = [_row(d) for d in drafts]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No drafts." if not args.status else f"No drafts with status {', '.join(args.status)}.")
    for r in rows:
        when = f"  scheduled {r['scheduled_at']}" if r["scheduled_at"] else ""
        print(f"#{r['id']:<5} {r['status']:<10} {r['title'][:60]!s:<60}  board: {r['board'] or '-'}{when}")
    return 0


def show_draft(args) -> int:
    from studio.design import carousel_items
    from studio.drafts import approval_is_current, timeline

    with closing(open_store(settings())) as store:
        try:
            draft = store.get_draft(args.id)
        except StudioError as exc:
            return fail(exc, 2)
        data = {
            **draft.model_dump(mode="json"),
            "approval_current": approval_is_current(store, draft),
            "history": timeline(store, draft.id),
            "slides": [
                {"position": row["position"], "media_id": row["media_id"], "alt_text": row["alt_text"] or ""}
                for row in carousel_items(store, draft.id)
            ],
        }
    if args.json:
        print_json(data)
        return 0
    print(f"#{draft.id} · {draft.status.value}" + (" (approval current)" if data["approval_current"] else ""))
    for label, key in (
        ("Title", "title"),
        ("Description", "description"),
        ("Alt text", "alt_text"),
        ("Link", "link"),
        ("Board", "board"),
        ("Account", "account"),
        ("Scheduled", "scheduled_at"),
    ):
        if data.get(key):
            print(f"  {label + ':':<13}{data[key]}")
    if data["slides"]:
        print(f"Slides ({len(data['slides'])}):")
        for slide in data["slides"]:
            print(f"  {slide['position'] + 1}. media #{slide['media_id']}  alt text: {slide['alt_text'] or '(none)'}")
    print("History:")
    for event in data["history"]:
        print(f"  {event['at'][:16].replace('T', ' ')}  {event['who'] or '-'}: {event['what']}")
    return 0


def _outcome(draft_id: int, *, ok: bool, status: str = "", code: str = "", message: str = "") -> dict:
    return {"draft_id": draft_id, "ok": ok, "status": status, "code": code, "message": message}


def _finish(results: list[dict], as_json: bool, refused: bool) -> int:
    """Print the outcomes; exit 0 all done, 2 nothing done because every draft refused, else 1."""
    if as_json:
        print_json(results)
    else:
        for r in results:
            if r["ok"]:
                print(f"#{r['draft_id']}: {r['message']}")
            else:
                print(f"error: #{r['draft_id']}: {r['message']}", file=sys.stderr)
    if all(r["ok"] for r in results):
        return 0
    return 2 if refused and not any(r["ok"] for r in results) else 1


def review(args) -> int:
    from studio.accounts import require_known_board
    from studio.drafts import approve, reject, request_changes

    cfg = settings()
    note = args.note.strip()
    if args.action != "approve" and not note:  # checked once for all drafts, before any changes
        what = "A rejection" if args.action == "reject" else "Requesting changes"
        return fail(f"{what} needs a note. Fix: add --note 'what the author should change'.", 2)
    actor = operator()
    results: list[dict] = []
    refused = True
    with closing(open_store(cfg)) as store:
        missing = [i for i in dict.fromkeys(args.ids) if not _exists(store, i)]
        if missing:
            return fail(f"No draft {', '.join(f'#{i}' for i in missing)}. Fix: see `pinstudio drafts list`.", 2)
        for draft_id in dict.fromkeys(args.ids):
            try:
                if args.action == "approve":
                    pin = store.get_draft(draft_id)
                    require_known_board(store, pin.board, pin.account)  # as at edit: refused before approving
                    draft = approve(
                        store, draft_id, actor=actor, note=note, second_approver=cfg.require_second_approver
                    )
                    done = "approved"
                elif args.action == "reject":
                    draft = reject(store, draft_id, actor=actor, note=note)
                    done = "rejected"
                else:
                    draft = request_changes(store, draft_id, note, actor=actor)
                    done = "changes requested; back to its author"
            except StudioError as exc:
                refused = refused and (isinstance(exc, REFUSALS) or exc.http_status == 403)
                results.append(_outcome(draft_id, ok=False, code=exc.code, message=str(exc)))
                continue
            results.append(_outcome(draft_id, ok=True, status=draft.status.value, message=done))
    return _finish(results, args.json, refused)


def submit(args) -> int:
    """Draft → in review, each on its own (a draft already in review, or missing its title, is refused)."""
    from studio.drafts import submit_for_review

    results: list[dict] = []
    refused = True
    with closing(open_store(settings())) as store:
        missing = [i for i in dict.fromkeys(args.ids) if not _exists(store, i)]
        if missing:
            return fail(f"No draft {', '.join(f'#{i}' for i in missing)}. Fix: see `pinstudio drafts list`.", 2)
        for draft_id in dict.fromkeys(args.ids):
            try:
                draft = submit_for_review(store, draft_id, actor=operator())
            except StudioError as exc:
                refused = refused and (isinstance(exc, REFUSALS) or exc.http_status == 403)
                results.append(_outcome(draft_id, ok=False, code=exc.code, message=str(exc)))
                continue
            results.append(_outcome(draft_id, ok=True, status=draft.status.value, message="submitted for review"))
    return _finish(results, args.json, refused)


def _exists(store: Store, draft_id: int) -> bool:
    try:
        store.get_draft(draft_id)
    except NotFoundError:
        return False
    return True


def schedule(args) -> int:
    from studio.scheduling import add_to_queue, parse_when
    from studio.scheduling import schedule as schedule_at

    cfg = settings()
    note = ""
    with closing(open_store(cfg)) as store:
        try:
            if args.queue:
                draft, warnings = add_to_queue(store, cfg, args.id, actor=operator())
            else:
                when = parse_when(args.at, cfg.timezone)  # the page's reading: skipped hours refused, doubled ones said
                note = when.note
                draft, warnings = schedule_at(store, cfg, args.id, when.utc, tz=cfg.timezone, actor=operator())
        except StudioError as exc:
            return _single_failure(args, exc)
    result = _outcome(draft.id, ok=True, status=draft.status.value, message=f"scheduled for {draft.scheduled_at}")
    result["scheduled_at"] = draft.scheduled_at
    result["warnings"] = [g.message for g in warnings]
    result["note"] = note
    if args.json:
        print_json([result])
    else:
        print(f"#{draft.id}: {result['message']} (UTC)")
        if note:
            print(f"note: {note}")
        for message in result["warnings"]:
            print(f"warning: {message}")
    return 0


def edit(args) -> int:
    from studio.accounts import require_known_board
    from studio.drafts import save_draft

    fields = {
        k: v
        for k, v in (
            ("title", args.title),
            ("description", args.description),
            ("link", args.link),
            ("board", args.board),
        )
        if v is not None
    }
    if not fields:
        return fail("Nothing to change. Fix: give --title, --description, --link or --board.", 2)
    cfg = settings()
    with closing(open_store(cfg)) as store:
        try:
            before = store.get_draft(args.id)
            if args.board is not None:
                require_known_board(store, args.board, before.account)
            draft = save_draft(store, args.id, fields, actor=operator())
        except StudioError as exc:
            return _single_failure(args, exc)
    voided = before.status != draft.status and before.status.value in ("approved", "failed")
    message = "saved" if draft.version != before.version else "unchanged"
    if voided:
        message += f"; the approval is void (edited after approval): now {draft.status.value}"
    result = _outcome(draft.id, ok=True, status=draft.status.value, message=message)
    result["approval_voided"] = voided
    if args.json:
        print_json([result])
    else:
        print(f"#{draft.id}: {message}")
    return 0


def _single_failure(args, exc: StudioError) -> int:
    code = 2 if isinstance(exc, REFUSALS) else 1
    if args.json:
        print_json([_outcome(args.id, ok=False, code=exc.code, message=str(exc))])
        return code
    return fail(exc, code)
