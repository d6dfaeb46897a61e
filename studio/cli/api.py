"""`pinstudio api` (the HTTP API server), `pinstudio api-keys create|list|revoke`, `pinstudio mcp` (MCP over stdio)."""

from __future__ import annotations

from studio.cli.common import fail, open_store, operator, print_json, services, settings
from studio.errors import StudioError

# studio.people.Scope, without importing it for --help (tests/api/test_api_keys.py checks the two agree).
SCOPES = ("posts:draft", "posts:publish", "webhooks", "admin")


def register(subparsers) -> None:
    p = subparsers.add_parser("api", help="serve the Postproxy-compatible HTTP API (http://127.0.0.1:8502/api)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default STUDIO_API_PORT or 8502)")
    p.set_defaults(handler=run_api)

    k = subparsers.add_parser("api-keys", help="create, list and revoke API keys")
    ks = k.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    c = ks.add_parser("create", help="make a key (printed once)")
    c.add_argument("--name", required=True, help="what will use the key, e.g. cms")
    c.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        help="what the key may do (repeat for several; default posts:draft: every post waits in Review). "
        "posts:publish skips Review, webhooks manages webhooks, admin sees every key's posts and webhooks",
    )
    c.add_argument("--json", action="store_true", help='print {"id", "name", "key", "scopes"}')
    c.set_defaults(handler=keys_create)
    ls = ks.add_parser("list", help="list keys (never the key itself)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=keys_list)
    r = ks.add_parser("revoke", help="revoke a key by id")
    r.add_argument("id")
    r.set_defaults(handler=keys_revoke)

    m = subparsers.add_parser("mcp", help="Model Context Protocol server over stdio (tools for AI agents)")
    m.add_argument(
        "--key",
        help="act as this API key (default STUDIO_MCP_API_KEY); without one, or without the posts:publish "
        "scope, create_post makes drafts that wait in Review",
    )
    m.set_defaults(handler=run_mcp)


def check_api_bind(store, host: str) -> None:
    """Like the studio: beyond loopback only when API keys exist (every request needs one anyway)."""
    from studio.accounts import AccessError, is_loopback
    from studio.api import active_key_count

    if not is_loopback(host) and active_key_count(store) == 0:
        raise AccessError(
            f"Refusing to serve the API on {host} with no API key configured.",
            fix="Create one with `pinstudio api-keys create --name NAME`, or bind to 127.0.0.1 (the default).",
            code="api_key_required",
        )


def run_api(args) -> int:
    from studio.api import serve

    cfg = settings()
    port = args.port or cfg.api_port
    store = open_store(cfg)
    try:
        check_api_bind(store, args.host)
    except StudioError as exc:
        return fail(exc, 2)
    finally:
        store.close()
    print(f"Pinstudio API on http://{args.host}:{port}/api (OpenAPI, with a key: /openapi.json)", flush=True)
    try:
        serve(cfg, args.host, port)
    except KeyboardInterrupt:
        pass
    return 0


def keys_create(args) -> int:
    from studio.api import create_key

    store = open_store(settings())
    try:
        made = create_key(store, args.name, actor=operator(), scopes=args.scope)
    except StudioError as exc:
        return fail(exc, 2)
    finally:
        store.close()
    if args.json:
        print_json(made)
    else:
        scopes = " ".join(made["scopes"])
        print(f"API key {made['id']} ({made['name']}, scopes: {scopes}) — shown once, keep it safe:\n{made['key']}")
    return 0


def keys_list(args) -> int:
    from studio.api import list_keys

    store = open_store(settings())
    try:
        keys = list_keys(store)
    finally:
        store.close()
    if args.json:
        print_json(keys)
        return 0
    if not keys:
        print("no API keys yet: pinstudio api-keys create --name NAME")
    for k in keys:
        state = (
            f"revoked {k['revoked_at'][:16]}" if k["revoked_at"] else f"last used {(k['last_used_at'] or 'never')[:16]}"
        )
        scopes = " ".join(k["scopes"])
        print(f"{k['id']}  {k['name']}  {k['prefix']}…  {scopes}  created {k['created_at'][:16]}  {state}")
    return 0


def keys_revoke(args) -> int:
    from studio.api import revoke_key

    store = open_store(settings())
    try:
        revoked = revoke_key(store, args.id, actor=operator())
    except StudioError as exc:
        return fail(exc, 2)
    finally:
        store.close()
    print(f"revoked {revoked['id']} ({revoked['name']})")
    return 0


def run_mcp(args) -> int:
    from studio.api import run_mcp_stdio

    studio = services()
    try:
        run_mcp_stdio(studio, key=args.key)
    finally:
        studio.close()
    return 0
