"""`pinstudio analytics sync|report`: metrics from Pinterest into the store, and reports for scripts."""

from __future__ import annotations

from studio import analytics
from studio.cli.common import fail, open_store, print_json, services, settings
from studio.errors import NotFoundError, StudioError, ValidationError


def register(subparsers) -> None:
    p = subparsers.add_parser("analytics", help="sync pin metrics from Pinterest; reports")
    sub = p.add_subparsers(dest="analytics_command", metavar="ACTION")
    s = sub.add_parser("sync", help="fetch the missing days of every pin's metrics now")
    s.add_argument("--account", help="only this connected account")
    s.add_argument(
        "--json",
        action="store_true",
        help="print {account, pins, days, requests, rows_written}, plus partial and failed_pins [{pin_id, reason}] "
        "when some pins could not be synced (exit 1)",
    )
    s.set_defaults(handler=run_sync)
    r = sub.add_parser("report", help="totals and top pins, or a breakdown")
    r.add_argument("--since", help="first day (YYYY-MM-DD; default: 90 days ago)")
    r.add_argument(
        "--by", choices=analytics.BREAKDOWNS, help="group by board, keyword, weekday_hour, kind, title_length"
    )
    r.add_argument("--json", action="store_true")
    r.set_defaults(handler=run_report)
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])


def run_sync(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        if not analytics.account_names(store, cfg, args.account):
            return fail(
                "No Pinterest account to sync. Connect one on the Accounts page "
                "(or `pinstudio connect --token T`), or set PINTEREST_ACCESS_TOKEN.",
                2,
            )
        results = analytics.sync_all(store, cfg, api_for=services(cfg).analytics_api, account=args.account)
    except NotFoundError as exc:
        return fail(exc, 2)
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()
    if args.json:
        print_json(results[0] if len(results) == 1 else results)
    else:
        for r in results:
            if "error" in r:
                print(f"{r['account']}: failed: {r['error']['message']} {r['error']['fix']}")
                continue
            print(
                f"{r['account']}: {r['pins']} pins, {r['days']} days fetched, {r['rows_written']} rows written, "
                f"{r['requests']} requests" + (f" ({r['note']})" if r.get("note") else "")
            )
            for failed in r.get("failed_pins", []):
                print(f"  pin {failed['pin_id']}: not synced: {failed['reason']}")
            if r.get("partial"):
                print(f"  {len(r['failed_pins'])} pin(s) not synced; the next sync asks for them again.")
    # Partial (some pins failed, the others stored) exits 1 like a failed sync: a script must look again.
    return 1 if any("error" in r or r.get("partial") for r in results) else 0


def run_report(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        since, until = analytics.period(args.since)
        empty = not analytics.has_data(store)
        rows = analytics.pin_table(store, since, until)
        if args.by:
            out: dict = {"since": since, "until": until, "by": args.by,
                         "groups": analytics.breakdown(rows, args.by, tz=cfg.timezone)}  # fmt: skip
        else:
            days = analytics.totals_by_day(store, since, until)
            totals = {k: sum(d[k] for d in days) for k in ("impression", "save", "pin_click", "outbound_click")}
            totals["outbound_ctr"] = analytics.ctr(totals["outbound_click"], totals["impression"])
            top = [
                {
                    k: r[k]
                    for k in ("pin_id", "title", "board_name", "impression", "save", "outbound_click", "outbound_ctr")
                }
                for r in analytics.top_pins(rows)
            ]
            out = {"since": since, "until": until, "totals": totals, "top_pins": top}
    except ValidationError as exc:
        return fail(exc, 2)
    finally:
        store.close()
    if args.json:
        print_json(out)
        return 0
    print(f"{since} → {until}")
    if args.by:
        for g in out["groups"]:
            print(f"  {g['group']!s:<30} pins {g['pins']:>5}  impressions {g['impression']:>9}  "
                  f"outbound {g['outbound_click']:>7}  CTR {g['outbound_ctr']:.2%}")  # fmt: skip
    else:
        t = out["totals"]
        print(f"  impressions {t['impression']}, saves {t['save']}, outbound clicks {t['outbound_click']}, "
              f"outbound CTR {t['outbound_ctr']:.2%}")  # fmt: skip
        for r in out["top_pins"]:
            print(f"  {r['pin_id']}  {r['outbound_click']:>6} outbound  {r['title'][:60]}")
    if empty:
        print("No metrics stored yet: run `pinstudio analytics sync`.")
    return 0
