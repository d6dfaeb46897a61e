"""`pinstudio users add|list|set-role|disable|enable|reset-password`: the studio's team from the command line.

The command line acts as the local operator (`cli:<os user>`, owner rights), recorded as such in the audit
log. Exit codes: 0 done, 2 refused (invalid input, no such user, the last owner), 1 anything else.
"""

from __future__ import annotations

from contextlib import closing

from studio.cli.common import fail, open_store, print_json, settings
from studio.errors import NotFoundError, StudioError, ValidationError

ROLES = ("viewer", "editor", "reviewer", "owner")  # studio.people.Role, without importing it for --help


def register(subparsers) -> None:
    p = subparsers.add_parser("users", help="add people to the studio, list them, change their role or access")
    actions = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a person (prints a one-time password, once)")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True, help="as the team knows them")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--json", action="store_true", help="print the user with its one_time_password")
    add.set_defaults(handler=add_user)
    listing = actions.add_parser("list", help="everyone with an account (never a password)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_users)
    role = actions.add_parser("set-role", help="give someone another role")
    role.add_argument("email")
    role.add_argument("role", choices=ROLES)
    role.add_argument("--json", action="store_true")
    role.set_defaults(handler=set_role)
    for name, help_text in (
        ("disable", "lock an account (its sessions end; its history stays)"),
        ("enable", "let a disabled account sign in again"),
        ("reset-password", "a new one-time password for someone (printed once)"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("email")
        action.add_argument("--json", action="store_true")
        action.set_defaults(handler=change_user, change=name)


def _refused(args, exc: StudioError) -> int:
    """Print the error (as JSON with --json) and return 2 for a refusal, 1 for a failure."""
    from studio.people import LastOwnerError, PermissionDenied

    code = 2 if isinstance(exc, ValidationError | NotFoundError | LastOwnerError | PermissionDenied) else 1
    if getattr(args, "json", False):
        print_json({"error": exc.to_dict()})
    return fail(exc, code)


def _find(store, email: str):
    from studio.people import user_by_email

    user = user_by_email(store, email)
    if user is None:
        raise NotFoundError(f"Nobody has the email {email.strip()[:80]}.", fix="See `pinstudio users list`.")
    return user


def add_user(args) -> int:
    from studio import people

    with closing(open_store(settings())) as store:
        try:
            user, password = people.add_user(store, args.email, args.name, args.role, actor=people.Actor.cli())
        except StudioError as exc:
            return _refused(args, exc)
    if args.json:
        print_json({**user.to_dict(), "one_time_password": password})
    else:
        print(f"Added {user.name} <{user.email}> as {user.role.value}.")
        print(f"One-time password (shown once; they choose their own at first sign-in):\n{password}")
    return 0


def list_users(args) -> int:
    from studio import people

    with closing(open_store(settings())) as store:
        users = people.list_users(store)
    if args.json:
        print_json([user.to_dict() for user in users])
        return 0
    if not users:
        print("No users yet: one person on this machine uses the studio without signing in.")
        print("Add the first owner with: pinstudio users add --email E --name N --role owner")
    for user in users:
        state = "disabled" if user.disabled else f"last seen {(user.last_seen_at or 'never')[:16]}"
        print(f"{user.id:<4} {user.role.value:<9} {user.email:<32} {user.name}  ({state})")
    return 0


def set_role(args) -> int:
    from studio import people

    with closing(open_store(settings())) as store:
        try:
            user = people.set_role(store, _find(store, args.email).id, args.role, actor=people.Actor.cli())
        except StudioError as exc:
            return _refused(args, exc)
    if args.json:
        print_json(user.to_dict())
    else:
        print(f"{user.name} <{user.email}> is now {user.role.value}.")
    return 0


def change_user(args) -> int:
    """disable, enable, reset-password: one person found by email, one change."""
    from studio import people

    actor = people.Actor.cli()
    password = None
    with closing(open_store(settings())) as store:
        try:
            user = _find(store, args.email)
            if args.change == "disable":
                user = people.disable_user(store, user.id, actor=actor)
            elif args.change == "enable":
                user = people.enable_user(store, user.id, actor=actor)
            else:
                password = people.reset_password(store, user.id, actor=actor)
                user = people.get_user(store, user.id)
        except StudioError as exc:
            return _refused(args, exc)
    if args.json:
        print_json({**user.to_dict(), **({"one_time_password": password} if password else {})})
    elif password:
        print(f"New one-time password for {user.name} <{user.email}> (shown once; their sessions ended):\n{password}")
    else:
        print(f"{user.name} <{user.email}> is {'disabled' if user.disabled else 'enabled'}.")
    return 0
