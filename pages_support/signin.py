"""The studio's door in the browser: who uses this session, and what they see until they may come in.

Which door a run meets is `studio.accounts.door_for`: none (one person on loopback, acting as the local
owner), the shared STUDIO_PASSWORD (no accounts yet), or a person's own sign-in (email and password, or a
single sign-on provider through Streamlit's `st.login`). Nothing of a page renders before the door opens.

Sessions are `studio.people` tokens kept in a cookie, so a reload or a new tab stays signed in:
`pinstudio_session` after a password sign-in, `pinstudio_sso` after a single sign-on (honoured only while
the provider's sign-in, `st.user`, stands: signing out of it ends ours too). Streamlit reads cookies
(`st.context.cookies`, as the browser sent them when this session connected) but can't set one, so a tiny
component writes them in the page (`SameSite=Lax`, `Path=/`, `Secure` over HTTPS). Within a session the
token lives in session state, which then wins over the cookie the session started with.

The user is read from the database on every run (never cached across reruns): a role change applies from
the next click, a disabled account is out at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NoReturn

import streamlit as st

from pages_support.ui import action, error_text, reviewer, settings, show_error
from studio import people
from studio.config import Settings
from studio.errors import StudioError
from studio.secrets import install_key
from studio.services import open_store
from studio.storage import Store
from studio.text import escape_markdown

SESSION_COOKIE = "pinstudio_session"
SSO_COOKIE = "pinstudio_sso"
_TOKEN = "_session"  # session state: (cookie name, token) once this session signed in, None once signed out
_SSO_REFUSED = "_sso_refused"  # session state: (email, message) of a provider's user the studio refused
_DOOR = "_door"  # session state: the door this run met (studio.accounts.door_for), for the sidebar

# The actor this run's door let in, for the page that runs after it (reset when the run ends: a callback or
# a fragment's rerun, which run without the door, read the user again).
_ACTOR: ContextVar[people.Actor | None] = ContextVar("pinstudio_actor", default=None)

_COOKIE_JS = """
export default function (component) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  for (const cookie of component.data.cookies) {
    const value = cookie.value ? encodeURIComponent(cookie.value) : "";
    const age = cookie.value ? cookie.max_age : 0;
    document.cookie = `${cookie.name}=${value}; Max-Age=${age}; Path=${component.data.path}; SameSite=Lax${secure}`;
  }
}
"""
_cookie_writer = st.components.v2.component("pinstudio.session_cookie", js=_COOKIE_JS)


# --- who is acting ------------------------------------------------------------------------------------------
def acting_actor() -> people.Actor:
    """Who acts in this run: the one the door let in (in a page), else read again (in a callback or fragment).
    Raises PermissionDenied when this session must sign in and nobody is signed in."""
    actor = _ACTOR.get()
    if actor is not None:
        return actor
    cfg = settings()
    db = open_store(cfg.db_path)
    try:
        if _door(db, cfg) != "accounts":
            return people.local_actor(db, reviewer())
        found = _signed_in(db, cfg)
        if found is None:
            raise people.PermissionDenied("You are signed out.", fix="Reload the page and sign in again.")
        return people.Actor.for_user(found[0])
    finally:
        db.close()


@contextmanager
def acting_as(actor: people.Actor) -> Iterator[None]:
    """Run the page with `actor` as this run's actor (app.py wraps the navigation in it)."""
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


# --- the door -----------------------------------------------------------------------------------------------
def require_sign_in(pages: Sequence[st.Page] = ()) -> people.Actor:
    """The door: returns who may use the studio in this run, or shows the sign-in (or password) page and
    stops. `pages`: the app's pages, whose addresses then lead to the sign-in page too (a first visit
    straight to /review meets the form, not Streamlit's "page not found")."""
    actor = _ACTOR.get()
    if actor is not None:  # app.py's door already opened in this run (a page calls this again)
        return actor
    cfg = settings()
    db = open_store(cfg.db_path)
    try:
        door = st.session_state[_DOOR] = _door(db, cfg)
        if door == "refuse":
            address = _host()
            st.error(
                f"**This studio is served on {address} without a password or studio accounts.** Add the first "
                "owner (`pinstudio users add --role owner`) or set STUDIO_PASSWORD and restart, or bind to 127.0.0.1."
            )
            st.stop()
        if door == "password":
            _password_door(pages)
        if door != "accounts":
            return people.local_actor(db, reviewer())
        found = _signed_in(db, cfg) or _signed_in_by_provider(db, cfg)
        if found is None:
            _show_only(_sign_in_page, pages)
        user, cookie = found
        if cookie == SESSION_COOKIE and user.must_change_password:
            _show_only(_new_password_page, pages)
        people.touch_seen(db, user.id)
        return people.Actor.for_user(user)
    finally:
        db.close()


def single_person_mode() -> bool:
    """Whether nobody signs in here: one person on loopback (no account, or one), acting as the owner."""
    cfg = settings()
    db = open_store(cfg.db_path)
    try:
        return _door(db, cfg) == "open"
    finally:
        db.close()


def _door(db: Store, cfg: Settings) -> str:
    from studio.accounts import door_for

    return door_for(db, cfg, _host())


def _host() -> str:
    return st.get_option("server.address") or "0.0.0.0"  # unset: Streamlit listens everywhere


def _show_only(page_function, pages: Sequence[st.Page]) -> NoReturn:
    """`page_function` as the only page, at every page's address; no navigation shown; then stop."""
    doors = [st.Page(page_function, title="Sign in", icon="🔒", default=True)]
    doors += [st.Page(page_function, title="Sign in", icon="🔒", url_path=p.url_path) for p in pages if p.url_path]
    st.navigation(doors, position="hidden").run()
    sync_cookies()
    st.stop()


def _session_key(cfg: Settings) -> bytes:
    return people.session_key(install_key(cfg))


def _stored_token() -> tuple[str, str] | None:
    """This session's (cookie name, token): what it signed in with, else what its cookies said at connect."""
    if _TOKEN in st.session_state:
        return st.session_state[_TOKEN]
    cookies = st.context.cookies
    for name in (SESSION_COOKIE, SSO_COOKIE):
        if cookies.get(name):
            return name, cookies[name]
    return None


def _signed_in(db: Store, cfg: Settings) -> tuple[people.User, str] | None:
    """The user this session's token names (valid, not expired, account active), with its cookie's name."""
    stored = _stored_token()
    if stored is None:
        return None
    cookie, token = stored
    user = people.session_user(db, token, _session_key(cfg))
    if user is not None and cookie == SSO_COOKIE and _provider_email() != user.email:
        user = None  # signed out of the provider (or signed in there as someone else): this session ends
    if user is None:
        st.session_state[_TOKEN] = None  # forget it, and clear the cookie (sync_cookies)
        return None
    return user, cookie


def _sign_in_as(user: people.User, cfg: Settings, cookie: str) -> None:
    st.session_state[_TOKEN] = (cookie, people.issue_session(user, _session_key(cfg)))
    st.session_state.pop(_SSO_REFUSED, None)


def sign_out() -> None:
    """Forget this browser's session (its cookie is cleared on the next run) and the provider's sign-in."""
    st.session_state[_TOKEN] = None
    if _provider_email():
        st.logout()  # Streamlit's identity cookie too (and the provider's own sign-out, when it offers one)


# --- the cookie ---------------------------------------------------------------------------------------------
def sync_cookies() -> None:
    """Bring the browser's cookies in line with this session: write a new token, clear a dropped one.
    Renders nothing when they already agree (a session that started signed in and stayed so)."""
    if _TOKEN not in st.session_state:
        return
    stored = st.session_state[_TOKEN]
    wanted = {SESSION_COOKIE: "", SSO_COOKIE: ""}
    if stored:
        wanted[stored[0]] = stored[1]
    changes = [
        {"name": name, "value": value, "max_age": people.DEFAULT_TTL_S}
        for name, value in wanted.items()
        if (st.context.cookies.get(name) or "") != value
    ]
    if changes:
        path = "/" + (st.get_option("server.baseUrlPath") or "").strip("/")
        _cookie_writer(data={"cookies": changes, "path": path}, key="session_cookie", height=0)


# --- single sign-on -----------------------------------------------------------------------------------------
def sso_providers() -> list[tuple[str | None, str]]:
    """The OpenID Connect providers set up in `.streamlit/secrets.toml` `[auth]`: (name for st.login, label).
    One unnamed provider (`client_id` right in `[auth]`) has the name None."""
    try:
        if not st.secrets.load_if_toml_exists():
            return []
        auth: dict[str, Any] = st.secrets.to_dict().get("auth") or {}
    except (OSError, StudioError, ValueError):  # an unreadable secrets file: no single sign-on, said nowhere
        return []
    if auth.get("client_id"):
        return [(None, "single sign-on")]
    return [
        (name, str(section.get("label") or name.replace("_", " ").title()))
        for name, section in auth.items()
        if isinstance(section, dict) and section.get("client_id")
    ]


def _provider_email() -> str:
    """The email of the provider's signed-in user (st.user), lower-cased; '' when nobody is."""
    try:
        if not st.user.is_logged_in:
            return ""
        return str(st.user.get("email") or "").strip().lower()
    except (AttributeError, KeyError):  # no auth configured: st.user says nobody
        return ""


def _signed_in_by_provider(db: Store, cfg: Settings) -> tuple[people.User, str] | None:
    """A provider's user with no studio session yet: the account their verified email names (or a new one,
    with STUDIO_SSO_AUTO_ROLE). A refusal is remembered (and audited) once per session."""
    email = _provider_email()
    if not email:
        return None
    refused = st.session_state.get(_SSO_REFUSED)
    if refused and refused[0] == email:
        return None
    claims = st.user
    try:
        user = people.sso_user(
            db,
            email,
            claims.get("email_verified"),
            claims.get("name"),
            cfg.sso_auto_role,
            provider=str(claims.get("provider") or ""),
            client=_client(cfg),
        )
    except StudioError as exc:
        st.session_state[_SSO_REFUSED] = (email, error_text(exc.message, exc.fix))
        return None
    _sign_in_as(user, cfg, SSO_COOKIE)
    return user, SSO_COOKIE


def _client(cfg: Settings) -> str:
    """Who is signing in, for the lockout and the audit: the address, or behind a trusted proxy the client
    it forwards for (STUDIO_TRUSTED_PROXIES)."""
    from studio.accounts import client_key

    peer = getattr(st.context, "ip_address", None)
    return client_key(peer if isinstance(peer, str) else None, st.context.headers, cfg.trusted_proxies)


# --- the pages shown at the door ----------------------------------------------------------------------------
def _sign_in_page() -> None:
    from studio.accounts import login_limiter, sign_in_user

    cfg = settings()
    st.title("🔒 Pinstudio")
    if refused := st.session_state.get(_SSO_REFUSED):
        st.error(refused[1])
        st.button("Use another account", key="sso_sign_out", on_click=action(st.logout))
    with st.form("user_sign_in"):
        email = st.text_input("Email", key="sign_in_email", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in_password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        db = open_store(cfg.db_path)
        try:
            user = sign_in_user(db, email or "", password or "", login_limiter(cfg), _client(cfg))
        except StudioError as exc:
            show_error(exc)
        else:
            _sign_in_as(user, cfg, SESSION_COOKIE)
            st.rerun()
        finally:
            db.close()
    for provider, label in sso_providers():
        if st.button(f"Sign in with {label}", key=f"sso_{provider or 'default'}"):
            st.login(provider)


def _new_password_page() -> None:
    """After a sign-in with a one-time password: the person chooses their own before anything else."""
    cfg = settings()
    st.title("🔒 Choose your password")
    st.caption(f"You signed in with a one-time password. Choose your own ({people.MIN_PASSWORD_LENGTH}+ characters).")
    with st.form("new_password"):
        current = st.text_input(
            "One-time password", type="password", key="otp_current", autocomplete="current-password"
        )
        new = st.text_input("New password", type="password", key="otp_new", autocomplete="new-password")
        again = st.text_input("New password again", type="password", key="otp_again", autocomplete="new-password")
        submitted = st.form_submit_button("Save my password", type="primary")
    st.button("Sign out", key="otp_sign_out", on_click=action(sign_out))
    if not submitted:
        return
    if new != again:
        st.error("The two new passwords differ. Type the same one twice.")
        return
    db = open_store(cfg.db_path)
    try:
        found = _signed_in(db, cfg)
        if found is None:
            st.rerun()
        user = people.change_password(db, found[0].id, current or "", new or "")
    except StudioError as exc:
        show_error(exc)
    else:
        _sign_in_as(user, cfg, SESSION_COOKIE)  # changing it ended every session, this one too: a new one
        st.rerun()
    finally:
        db.close()


def _password_door(pages: Sequence[st.Page]) -> None:
    """The shared STUDIO_PASSWORD of a studio without accounts (as before accounts existed)."""
    if st.session_state.get("_unlocked"):
        return
    _show_only(_password_page, pages)


def _password_page() -> None:
    from studio.accounts import AccessError, log_in, login_limiter

    cfg = settings()
    st.title("🔒 Pinstudio")
    with st.form("studio_login"):
        given = st.text_input("Password", type="password", key="studio_password")
        submitted = st.form_submit_button("Unlock")
    if submitted:
        try:
            log_in(given or "", cfg, login_limiter(cfg), key=_client(cfg))
        except AccessError as exc:
            show_error(exc)
        else:
            st.session_state["_unlocked"] = True
            st.rerun()


# --- signed in ---------------------------------------------------------------------------------------------
def account_box(actor: people.Actor) -> None:
    """In the sidebar: who is signed in, with which role, and the way out (nothing for one person on
    loopback, who never signs in); and the cookie brought in line after a sign-in."""
    with st.sidebar:
        if st.session_state.get(_DOOR) == "accounts":
            st.caption(f"Signed in as **{escape_markdown(actor.name)}** · {actor.role.value}")
            st.button("Sign out", key="sign_out", on_click=action(sign_out))
        sync_cookies()
