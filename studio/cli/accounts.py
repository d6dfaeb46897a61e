"""`pinstudio accounts`, `pinstudio boards`, `pinstudio connect`: connected Pinterest accounts from a terminal."""

from __future__ import annotations

import os
import sys

from studio import accounts
from studio.accounts import TokenSet, boards
from studio.cli.common import fail, open_store, operator, print_json, services, settings
from studio.errors import StudioError


def register(subparsers) -> None:
    p = subparsers.add_parser("accounts", help="list connected Pinterest accounts (tokens masked)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_accounts)

    p = subparsers.add_parser("boards", help="list the synced boards and sections of connected accounts")
    p.add_argument("--account", help="only this account (its username)")
    p.add_argument("--sync", action="store_true", help="fetch the board list from Pinterest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_boards)

    p = subparsers.add_parser("connect", help="connect a Pinterest account with an access token (headless setups)")
    p.add_argument("--token", help="access token; '-' reads it from stdin (default: PINTEREST_ACCESS_TOKEN)")
    p.add_argument(
        "--refresh-token",
        help="refresh token, so the studio can renew the access token itself "
        "(default with the env token: PINTEREST_REFRESH_TOKEN)",
    )
    p.add_argument("--expires-in", type=int, help="seconds until the access token expires, if known")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=connect)


def _row(a: accounts.Account) -> dict:
    return {
        "name": a.name,
        "type": a.account_type,
        "status": a.status,
        "token": a.token_hint,
        "can_refresh": a.can_refresh,
        "expires_at": a.expires_at,
        "boards_synced_at": a.boards_synced_at,
        "reason": a.status_reason or None,
    }


def list_accounts(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        rows = [_row(a) for a in accounts.list_accounts(store)]
    finally:
        store.close()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No Pinterest account connected. Use `pinstudio connect --token …` or the Accounts page.")
    for r in rows:
        flag = "⚠ reconnect needed" if r["status"] == "reconnect_needed" else "connected"
        print(
            f"{r['name']}  ({r['type'] or '?'}, {flag}, token {r['token']}, "
            f"boards synced {r['boards_synced_at'] or 'never'})"
        )
    return 0


def list_boards(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        if args.sync:
            if not args.account:  # PINTEREST_ACCESS_TOKEN alone counts as a connected account
                svc = services(cfg)
                accounts.ensure_env_account(store, svc.vault, svc.http, cfg, open_store=svc.store)
            chosen = accounts.default_account(store, args.account)
            if chosen is None:
                return fail(
                    "No Pinterest account is connected, so there are no boards to sync. Connect one with "
                    "`pinstudio connect --token …` or on the Accounts page."
                )
            svc = services(cfg)
            api = svc.account_api(chosen.name)
            result = boards.sync_boards(store, api, chosen.name)
            print(
                f"synced {result['boards']} boards and {result['sections']} sections of {chosen.name}", file=sys.stderr
            )
        elif args.account:
            accounts.get_account(store, args.account)
        synced = boards.list_boards(store, args.account)
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()
    rows = [
        {
            "account": b["account"],
            "id": b["id"],
            "name": b["name"],
            "privacy": b["privacy"],
            "owner": b["owner"],
            "pin_count": b["pin_count"],
            "synced_at": b["synced_at"],
            "sections": b["sections"],
        }
        for b in synced
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No boards synced yet. Run `pinstudio boards --sync` or press Refresh on the Accounts page.")
    for r in rows:
        sections = f" [{', '.join(s['name'] for s in r['sections'])}]" if r["sections"] else ""
        print(f"{r['account']}  {r['id']}  {r['name']} ({r['privacy'].lower()}){sections}")
    return 0


def connect(args) -> int:
    cfg = settings()
    token = args.token
    if token == "-":
        token = sys.stdin.readline().strip()
    refresh = args.refresh_token
    if not token:  # the script variables: import them as a connected account
        token = os.environ.get("PINTEREST_ACCESS_TOKEN", "")
        refresh = refresh or os.environ.get("PINTEREST_REFRESH_TOKEN")
    if not token:
        print("error: give the access token with --token (or '-' to read it from stdin).", file=sys.stderr)
        return 2
    store = open_store(cfg)
    try:
        svc = services(cfg)
        account, synced = accounts.connect_and_sync(
            store,
            svc.vault,
            svc.http,
            cfg,
            TokenSet(access_token=token, refresh_token=refresh or None, expires_in=args.expires_in),
            open_store=svc.store,
            actor=operator(),
        )
        account = accounts.get_account(store, account.name)  # with its boards_synced_at
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()
    if args.json:
        print_json(_row(account))
    else:
        print(f"connected {account.name} ({account.account_type or 'account'}, token {account.token_hint}); {synced}")
    return 0
