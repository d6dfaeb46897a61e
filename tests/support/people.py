"""Who acts in tests: a person with a role (no stored account: `studio.people` checks the role alone), the
command-line operator, or a member of a stored team (four eyes counts stored reviewers and owners); and a studio
team made for a browser test (accounts with known passwords), signing in as one of them."""

from __future__ import annotations

from pathlib import Path

from studio import people
from studio.people import Actor, Role
from studio.services import open_store
from studio.storage import Store


def person(name: str, role: Role | str = Role.OWNER) -> Actor:
    """Someone called `name` with `role`, recorded as `local:<name>` (no account is stored)."""
    ref = f"local:{name}"
    return Actor(None, name, Role(role), "local", ref, ref)


def owner(name: str = "olga") -> Actor:
    return person(name, Role.OWNER)


def reviewer(name: str = "rita") -> Actor:
    return person(name, Role.REVIEWER)


def editor(name: str = "ed") -> Actor:
    return person(name, Role.EDITOR)


def viewer(name: str = "vic") -> Actor:
    return person(name, Role.VIEWER)


def operator(os_user: str = "tester") -> Actor:
    """The command line's actor, as `pinstudio` run by `os_user` is."""
    return Actor.cli(os_user)


def member(store: Store, role: Role | str, name: str) -> Actor:
    """A stored account with `role` (added by the operator), acting as itself."""
    email = f"{name.lower().replace(' ', '.')}@example.com"
    user, _password = people.add_user(store, email, name, Role(role), actor=operator())
    return Actor.for_user(user)


PASSWORD = "a long studio password"  # everyone's own password in the browser tests, once chosen
TEAM = {  # role: (email, name)
    "owner": ("olga@example.com", "Olga Owner"),
    "reviewer": ("rita@example.com", "Rita Reviewer"),
    "editor": ("ed@example.com", "Ed Editor"),
    "viewer": ("vic@example.com", "Vic Viewer"),
}


def add_person(data_dir: Path, email: str, name: str, role: str, password: str = "") -> tuple[people.User, str]:
    """An account and the password it signs in with: `password` when given (chosen as at a first sign-in),
    else its one-time password (the studio then asks for a new one)."""
    store = open_store(Path(data_dir) / "studio.db")
    try:
        user, one_time = people.add_user(store, email, name, role, actor=people.Actor.cli("tests"))
        if not password:
            return user, one_time
        return people.change_password(store, user.id, one_time, password), password
    finally:
        store.close()


def sign_in(page, base: str, email: str, password: str, path: str = "") -> None:
    """Sign in through the studio's form in a browser page (opened at `path`); waits until the page shows
    who is signed in, or the form asking a one-time password's holder for their own."""
    page.goto(f"{base}/{path.lstrip('/')}")
    page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=90_000)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").or_(page.get_by_text("Choose your password")).wait_for()


def sso_secrets(issuer: str, provider: str = "company", label: str = "Company SSO") -> str:
    """A `.streamlit/secrets.toml` with one OpenID Connect provider at `issuer` (as README's example)."""
    return f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "a cookie secret for the tests, long enough"

[auth.{provider}]
label = "{label}"
client_id = "pinstudio"
client_secret = "a client secret"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
"""


def signed_in(app_test, user: people.User):
    """An AppTest session signed in as `user` (as the sign-in form leaves it), for a page run on its own."""
    from studio.preferences import load_settings
    from studio.secrets import install_key

    token = people.issue_session(user, people.session_key(install_key(load_settings())))
    app_test.session_state["_session"] = ("pinstudio_session", token)
    return app_test
