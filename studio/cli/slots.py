"""`pinstudio slots list|add|remove`: the weekly posting slots that `drafts schedule --queue` fills.

    pinstudio slots list [--board B] [--json]
    pinstudio slots add --day mon[,tue…] --at HH:MM [--board B] [--tz ZONE] [--json]
    pinstudio slots remove ID... [--json]

A slot with no board is shared by every board without slots of its own (as on the Schedule page).
Exit codes: 0 done; 2 refused input, nothing changed (a bad day or time, an unknown board or slot).
`--json` prints the slots as `[{id, board, weekday, day, time, tz}]` (list, add) or `[{id, ok, code, message}]`.
"""

from __future__ import annotations

import sys
from contextlib import closing

from studio.cli.common import fail, open_store, operator, print_json, settings
from studio.errors import StudioError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(subparsers) -> None:
    p = subparsers.add_parser("slots", help="list, add and remove weekly posting slots (what --queue fills)")
    p.set_defaults(handler=lambda args: _usage(p))
    actions = p.add_subparsers(dest="slots_action", metavar="ACTION")

    ls = actions.add_parser("list", help="the posting slots, per board (shared ones have no board)")
    ls.add_argument("--board", help="only this board's slots ('' for the shared set)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(handler=list_slots)

    add = actions.add_parser("add", help="add a weekly slot on one or more days")
    add.add_argument("--day", action="append", required=True, help="mon..sun, comma-separated or repeated")
    add.add_argument("--at", required=True, metavar="HH:MM", help="the time of day, e.g. 09:30")
    add.add_argument("--board", default="", help="the board (default: shared by every board)")
    add.add_argument("--tz", help="the slot's time zone (default: STUDIO_TIMEZONE)")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=add_slots)

    rm = actions.add_parser("remove", help="remove slots by id (see `slots list`)")
    rm.add_argument("ids", type=int, nargs="+", metavar="ID")
    rm.add_argument("--json", action="store_true", help="print JSON")
    rm.set_defaults(handler=remove_slots)


def _usage(parser) -> int:
    parser.print_help()
    return 2


def _row(slot: dict) -> dict:
    return {
        "id": slot["id"],
        "board": slot["board"] or "",
        "weekday": slot["weekday"],
        "day": DAYS[slot["weekday"]],
        "time": slot["time"],
        "tz": slot["tz"],
    }


def _print(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    if not rows:
        print("No posting slots. Add one: pinstudio slots add --day mon --at 09:00")
    for r in rows:
        print(f"#{r['id']:<4} {r['day']} {r['time']} ({r['tz']})  board: {r['board'] or '(shared)'}")


def list_slots(args) -> int:
    from studio.scheduling import posting_slots

    with closing(open_store(settings())) as store:
        rows = [_row(s) for s in posting_slots(store, args.board)]
    _print(rows, args.json)
    return 0


def _weekdays(values: list[str]) -> list[int]:
    from studio.errors import ValidationError

    days: list[int] = []
    for word in (w.strip().lower()[:3] for value in values for w in value.split(",") if w.strip()):
        if word not in DAYS:
            raise ValidationError(
                f"'{word}' is not a day.", fix="Use mon, tue, wed, thu, fri, sat or sun.", code="bad_day"
            )
        days.append(DAYS.index(word))
    return list(dict.fromkeys(days))


def add_slots(args) -> int:
    from studio.scheduling import add_slot, posting_slots

    cfg = settings()
    with closing(open_store(cfg)) as store:
        try:
            days = _weekdays(args.day)
            with store.atomic():  # every day or none: a refused one leaves no half-added set
                for day in days:
                    add_slot(store, args.board, day, args.at, args.tz or cfg.timezone, actor=operator())
        except StudioError as exc:
            if args.json:
                print_json([{"id": None, "ok": False, "code": exc.code, "message": str(exc)}])
                return 2
            return fail(exc, 2)
        board = args.board.strip()
        rows = [_row(s) for s in posting_slots(store, board) if s["weekday"] in days and s["time"] == args.at.strip()]
    _print(rows, args.json)
    return 0


def remove_slots(args) -> int:
    from studio.scheduling import delete_slot

    results = []
    with closing(open_store(settings())) as store:
        for slot_id in dict.fromkeys(args.ids):
            try:
                delete_slot(store, slot_id, actor=operator())
            except StudioError as exc:
                results.append({"id": slot_id, "ok": False, "code": exc.code, "message": str(exc)})
                continue
            results.append({"id": slot_id, "ok": True, "code": "", "message": "removed"})
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["ok"]:
                print(f"#{r['id']}: {r['message']}")
            else:
                print(f"error: #{r['id']}: {r['message']}", file=sys.stderr)
    if all(r["ok"] for r in results):
        return 0
    return 2 if not any(r["ok"] for r in results) else 1
