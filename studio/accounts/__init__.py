"""Accounts: connected Pinterest accounts (encrypted tokens, refresh, reconnect), app credentials, Postproxy
keys, the boards and sections synced per account, and the studio's doors: the shared password gate and the
lockout around a studio user's sign-in (`sign_in_user`).

Connecting, disconnecting and saving credentials take the `studio.people.Actor` doing it (owners only).

May import: studio core, studio.people, studio.pinterest. Never publishing, drafts or bulk.
"""

from studio.accounts import access, boards
from studio.accounts.access import (
    check_bind,
    client_key,
    door_for,
    is_loopback,
    log_in,
    login_limiter,
    password_required,
    sign_in_user,
)
from studio.accounts.boards import (
    board_names,
    board_state,
    create_board,
    create_section,
    list_boards,
    require_known_board,
    sync_boards,
)
from studio.accounts.connected import (
    Account,
    AccountTokenSource,
    account_api,
    complete_authorization,
    connect,
    default_account,
    fetch_user_account,
    get_account,
    list_accounts,
    mark_reconnect_needed,
    migrations,
    oauth_app,
    postproxy_key,
    postproxy_keys,
    ready,
    remove_account,
    save_app_credentials,
    save_postproxy_key,
    save_tokens,
    start_authorization,
    token_source,
)
from studio.accounts.errors import AccessError, AccountError
from studio.accounts.onboarding import (
    connect_and_sync,
    ensure_env_account,
    finish_authorization,
    redirect_uri_for,
    redirect_uri_from_env,
    sync_new_account,
    verify_app,
)
from studio.pinterest import TokenSet
from studio.secrets import hint

__all__ = [
    "AccessError",
    "Account",
    "AccountError",
    "AccountTokenSource",
    "TokenSet",
    "access",
    "account_api",
    "board_names",
    "board_state",
    "boards",
    "check_bind",
    "client_key",
    "complete_authorization",
    "connect",
    "connect_and_sync",
    "create_board",
    "create_section",
    "default_account",
    "door_for",
    "ensure_env_account",
    "fetch_user_account",
    "finish_authorization",
    "get_account",
    "hint",
    "is_loopback",
    "list_accounts",
    "list_boards",
    "log_in",
    "login_limiter",
    "mark_reconnect_needed",
    "migrations",
    "oauth_app",
    "password_required",
    "postproxy_key",
    "postproxy_keys",
    "ready",
    "redirect_uri_for",
    "redirect_uri_from_env",
    "remove_account",
    "require_known_board",
    "save_app_credentials",
    "save_postproxy_key",
    "save_tokens",
    "sign_in_user",
    "start_authorization",
    "sync_boards",
    "sync_new_account",
    "token_source",
    "verify_app",
]
