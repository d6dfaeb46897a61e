"""People: the studio's users, their roles and what each role may do, who is acting, sign-in sessions,
four eyes, and the audit log (issue 23).

What it owns
- Roles and permissions, in one table (`roles.py`): viewer < editor < reviewer < owner. `may(actor, p)`
  answers, `require(actor, p)` raises `PermissionDenied` (code `forbidden`, HTTP 403) naming the fix.
- `Actor`: who acts — a signed-in user (`Actor.for_user`), the command-line operator (`Actor.cli()`,
  `cli:<os user>`, owner rights), an API key acting for its owner (`Actor.for_api_key`), or the one person
  on a loopback studio with no sign-in (`local_actor(store, name)` / `Actor.local_owner`). Storage records
  `actor.ref` and `actor.name` (`actor.record()`), never a typed name.
- Users (tables `users`, `audit_log`; migration set `studio.people.tables.migrations`): add, list, set a
  role, disable/enable, reset or change a password, `authenticate`. Changes need `manage_users` and are
  audited; the last active owner can't be demoted or disabled; the first account must be an owner.
- `sign_in_required(store, host)`: False only on loopback with at most one active account.
- Sessions (`issue_session`, `read_session`, `session_user`, `session_key`): HMAC-signed cookie tokens
  with expiry and a per-user epoch (disable, password change/reset and `end_sessions` revoke them).
- Four eyes: `second_approver_required(store, settings.require_second_approver)` and
  `check_four_eyes(actor, author_refs)` (code `four_eyes`).
- The audit log: `audit(store, actor, action, target, **detail)` (refuses secret-looking detail),
  `audit_entries`/`audit_count` with filters, `audit_csv` (formula-safe).
- History before accounts: `attribution(actor_name, actor_ref)` shows ref-less (typed) names as such.

How the rest of the studio uses it
- Every domain action takes an `actor` and calls `require(actor, Permission.X)` first, in studio/, not
  only in the UI. Approving also calls `check_four_eyes` when `second_approver_required` says so.
- Per request (pages, API): `session_user(store, cookie, key)` → `Actor.for_user(user)`; resolve it on
  every request (never cache an Actor across reruns), so a role change applies at the next click.
  `key = session_key(studio.secrets.install_key(settings))`, built in the composition root.
- Single sign-on: `sso_user(store, email, email_verified, name, auto_role)` — the account an OpenID Connect
  provider's user signs in as: matched by verified email; a newcomer is refused, or created with
  STUDIO_SSO_AUTO_ROLE's role (never owner, never the first account). Audited like a password sign-in.
- Sign-in: `authenticate(store, email, password, client=...)` after the caller's lockout check
  (`studio.accounts`' limiter keyed per account and per client); then `issue_session(user, key)`.
  `user.must_change_password` means a one-time password: ask for a new one (`change_password`) first.
- API keys (studio.api): `Actor.for_api_key(key_row, owner_user)` (or `for_api_key_of(key_row, owner_actor)`
  for a key the command-line operator made) carries the key's `scopes`; `Scope`, `parse_scopes`,
  `require_scope` and `sees_everything` (scopes.py) say what a key may do on top of its owner's role.
- The scheduler worker acts as `Actor.worker(name)` (reviewer rights: it publishes what was approved).

May import: studio core modules (config, models, errors, secrets, text, netguard) and studio.storage.
"""

from studio.people.actors import LOCAL_OWNER_REF, Actor, ActorKind, Attribution, attribution
from studio.people.audit import (
    CSV_COLUMNS,
    AuditAction,
    AuditEntry,
    audit,
    audit_count,
    audit_csv,
    audit_entries,
)
from studio.people.errors import LastOwnerError, PermissionDenied, SignInError
from studio.people.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from studio.people.policy import check_four_eyes, local_actor, second_approver_required, sign_in_required
from studio.people.roles import GRANTS, LABELS, Permission, Role, may, minimum_role, require
from studio.people.scopes import (
    DEFAULT_SCOPES,
    SCOPE_LABELS,
    Scope,
    has_scope,
    parse_scopes,
    require_scope,
    sees_everything,
)
from studio.people.sessions import DEFAULT_TTL_S, Session, issue_session, read_session, session_key, session_user
from studio.people.sso import sso_user
from studio.people.tables import migrations
from studio.people.users import (
    User,
    active_owner_count,
    add_user,
    authenticate,
    change_password,
    disable_user,
    enable_user,
    end_sessions,
    get_user,
    list_users,
    normalise_email,
    reset_password,
    set_role,
    touch_seen,
    user_by_email,
)

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_SCOPES",
    "DEFAULT_TTL_S",
    "GRANTS",
    "LABELS",
    "LOCAL_OWNER_REF",
    "MIN_PASSWORD_LENGTH",
    "SCOPE_LABELS",
    "Actor",
    "ActorKind",
    "Attribution",
    "AuditAction",
    "AuditEntry",
    "LastOwnerError",
    "Permission",
    "PermissionDenied",
    "Role",
    "Scope",
    "Session",
    "SignInError",
    "User",
    "active_owner_count",
    "add_user",
    "attribution",
    "audit",
    "audit_count",
    "audit_csv",
    "audit_entries",
    "authenticate",
    "change_password",
    "check_four_eyes",
    "disable_user",
    "enable_user",
    "end_sessions",
    "get_user",
    "has_scope",
    "issue_session",
    "list_users",
    "local_actor",
    "may",
    "migrations",
    "minimum_role",
    "normalise_email",
    "parse_scopes",
    "read_session",
    "require",
    "require_scope",
    "reset_password",
    "second_approver_required",
    "sees_everything",
    "session_key",
    "session_user",
    "set_role",
    "sign_in_required",
    "sso_user",
    "touch_seen",
    "user_by_email",
]
