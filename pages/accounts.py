"""Accounts: connect Pinterest (OAuth or a pasted token), see accounts, sync and create boards, Postproxy keys."""

from datetime import UTC, datetime

import streamlit as st

from pages_support.ui import (
    action,
    current_actor,
    error_text,
    errors_shown,
    flash,
    services,
    settings,
    show_flash,
    show_unexpected,
    store,
)
from studio import accounts
from studio.accounts import TokenSet, boards
from studio.errors import StudioError
from studio.text import escape_markdown

cfg = settings()
db = store()
vault = services().vault
st.title("🔗 Accounts")
show_flash()


def act(call, done: str) -> None:
    """Run one studio call from a button callback; remember the outcome for this run to show."""
    own = store()  # callbacks run on another thread than the page body's store
    try:
        said = call(own, services().http)
        flash(said if isinstance(said, str) else done)
    except StudioError as exc:
        st.session_state["_accounts_error"] = error_text(exc.message, exc.fix)
    except Exception:  # the action boundary: a message, not a traceback
        show_unexpected()
    finally:
        own.close()


# --- Pinterest's redirect back: ?code=…&state=… -----------------------------------------
params = st.query_params.to_dict()
# the OAuth state is bound to this browser: Streamlit's XSRF cookie is set once per browser and kept
browser = st.context.cookies.get("_streamlit_xsrf")
browser = browser if isinstance(browser, str) else None
if {"code", "state", "error"} & params.keys():
    st.query_params.clear()  # a reload must not replay the (single-use) code
    client = services().http
    with errors_shown():
        account, synced = accounts.finish_authorization(
            db,
            vault,
            client,
            cfg,
            params.get("code"),
            params.get("state"),
            params.get("error"),
            browser,
            open_store=services().store,
            actor=current_actor(),
        )
        st.success(f"Connected **{escape_markdown(account.name)}**. {synced}")

# PINTEREST_ACCESS_TOKEN alone is a connected account, here as everywhere (boards included).
if cfg.pinterest_access_token and not accounts.list_accounts(db) and not st.session_state.get("_env_account_tried"):
    st.session_state["_env_account_tried"] = True
    with errors_shown():
        if env_account := accounts.ensure_env_account(db, vault, services().http, cfg, open_store=services().store):
            st.info(f"PINTEREST_ACCESS_TOKEN connects **{escape_markdown(env_account.name)}**; its boards are loaded.")

# Where Pinterest must send the user back: this page, on the address and port the studio runs on now.
redirect_here = accounts.redirect_uri_from_env() or accounts.redirect_uri_for(
    getattr(st.context, "url", None), st.get_option("server.port")
)

if message := st.session_state.pop("_accounts_error", None):
    st.error(message)

connected = accounts.list_accounts(db)
for a in connected:
    if a.needs_reconnect:
        st.warning(
            f"**{a.name} needs to be reconnected.** {a.status_reason} Publishing to it is paused until "
            "you connect it again below.",
            icon="⚠️",
        )

# --- connect ----------------------------------------------------------------------------
st.subheader("Connect a Pinterest account")
app = None
with errors_shown():  # a changed STUDIO_SECRET_KEY makes the saved secret unreadable: say so
    app = accounts.oauth_app(db, vault, cfg)
oauth_tab, token_tab = st.tabs(["Connect with Pinterest (step by step)", "Paste a token"])
with oauth_tab:
    done = "✅ " if app else ""
    st.markdown(
        f"**{done}1. Create a Pinterest app.** Sign in at "
        "[developers.pinterest.com/apps](https://developers.pinterest.com/apps/), press *Connect app* and fill in "
        "the form (any name; the studio is the “website”). Pinterest reviews "
        "new apps: until then, Trial access lets you connect your own account."
    )
    st.markdown("**2. Register this redirect URI** on the app (*Configure* → *Redirect URIs*), exactly as shown:")
    st.code(redirect_here, language=None)
    if app and app.redirect_uri != redirect_here:
        st.warning(
            f"The app is saved with the redirect URI {escape_markdown(app.redirect_uri)}, but the studio runs at "
            f"{escape_markdown(redirect_here)}. Pinterest sends you back only to a registered address: "
            "save the app again below to use this one (and register it on Pinterest).",
            icon="⚠️",
        )
    st.markdown("**3. Copy the app id and secret here.** We check them with Pinterest before sending you there.")
    a1, a2 = st.columns(2)
    a1.text_input("App id", value=app.app_id if app else "", key="app_id")
    a2.text_input(
        "App secret",
        type="password",
        key="app_secret",
        placeholder=("saved " + accounts.hint(app.app_secret.get_secret_value())) if app else "",
    )

    @action
    def save_app() -> None:
        secret = st.session_state.get("app_secret") or (app.app_secret.get_secret_value() if app else "")
        app_id = st.session_state.get("app_id", "")
        st.session_state["app_secret"] = ""
        st.session_state.pop("_authorize_url", None)

        def check_and_save(s, c) -> None:
            accounts.verify_app(c, cfg, app_id, secret)
            accounts.save_app_credentials(s, vault, app_id, secret, redirect_here, actor=current_actor())

        act(check_and_save, "Pinterest recognised the app: saved. Now connect your account (step 4).")

    st.button("Check and save the app", key="app_save", on_click=save_app)
    st.markdown("**4. Connect your account.** Pinterest asks you to allow access, then sends you back here.")
    url = st.session_state.get("_authorize_url")
    made = st.session_state.get("_authorize_made", 0.0)
    now = datetime.now(UTC).timestamp()
    if app and (not url or now - made > cfg.oauth_state_ttl_s / 2):  # one state per visit, renewed before expiry
        with errors_shown():
            url = accounts.start_authorization(db, vault, cfg, browser, actor=current_actor())
            st.session_state["_authorize_url"], st.session_state["_authorize_made"] = url, now
    if app and url:
        st.link_button("Connect Pinterest", url, type="primary")
    else:
        st.caption(
            "Available once the app is checked and saved (or PINTEREST_APP_ID and PINTEREST_APP_SECRET are set)."
        )
with token_tab:
    st.text_input("Access token", type="password", key="acc_token", placeholder="pina…")
    st.text_input("Refresh token (optional)", type="password", key="acc_refresh", placeholder="pinr…")

    @action
    def connect_token() -> None:
        tokens = TokenSet(
            access_token=st.session_state.get("acc_token", ""),
            refresh_token=st.session_state.get("acc_refresh") or None,
        )
        # The fields are emptied whatever happens: a token never lingers in the form.
        st.session_state["acc_token"] = st.session_state["acc_refresh"] = ""

        def connect_and_report(s, c) -> None:
            account, synced = accounts.connect_and_sync(
                s, vault, c, cfg, tokens, open_store=services().store, actor=current_actor()
            )
            return f"Connected {account.name}. {synced}"

        act(connect_and_report, "Account connected.")

    st.button("Connect with this token", key="acc_connect_token", on_click=connect_token)
# --- accounts ---------------------------------------------------------------------------
st.subheader("Connected accounts")
if not connected:
    st.caption("None yet. Scripts can still use PINTEREST_ACCESS_TOKEN.")
for a in connected:
    pic, info, actions = st.columns([1, 6, 2])
    if a.profile_image:
        pic.image(a.profile_image, width=48)
    status = "⚠️ reconnect needed" if a.needs_reconnect else "🟢 connected"
    info.markdown(f"**{a.name}** · {a.account_type.title() or 'Account'} · {status}")
    info.caption(
        f"token {a.token_hint} · {'renews itself' if a.can_refresh else 'no refresh token'} · "
        f"boards synced {a.boards_synced_at[:16].replace('T', ' ') if a.boards_synced_at else 'never'}"
    )
    actions.button(
        "Remove",
        key=f"acc_remove_{a.name}",
        on_click=action(act),
        args=(lambda s, c, n=a.name: accounts.remove_account(s, n, actor=current_actor()), f"Removed {a.name}."),
    )

# --- boards -----------------------------------------------------------------------------
if connected:
    st.subheader("Boards")
    name = st.selectbox("Account", [a.name for a in connected], key="boards_account")
    chosen = next(a for a in connected if a.name == name)
    st.caption(
        "Last synced: "
        + (chosen.boards_synced_at[:19].replace("T", " ") + " UTC" if chosen.boards_synced_at else "never")
    )
    st.button(
        "Refresh boards",
        key="boards_refresh",
        on_click=action(act),
        args=(lambda s, c: boards.sync_boards(s, services().account_api(name), name), "Boards refreshed."),
    )
    board_rows = boards.list_boards(db, name, include_deleted=True)
    st.dataframe(
        [
            {
                "board": b["name"],
                "privacy": b["privacy"].lower(),
                "pins": b["pin_count"],
                "sections": ", ".join(s["name"] for s in b["sections"]),
                "state": "deleted on Pinterest" if b["deleted_at"] else "ok",
            }
            for b in board_rows
        ],
        hide_index=True,
    )

    @action
    def create_board() -> None:
        ss = st.session_state
        board_name = ss.get("nb_name", "").strip()
        act(
            lambda s, c: boards.create_board(
                s,
                services().account_api(name),
                name,
                board_name,
                ss.get("nb_desc", ""),
                ss.get("nb_privacy", "PUBLIC"),
                actor=current_actor(),
            ),
            f"Board “{board_name}” created.",
        )

    with st.form("new_board", clear_on_submit=True):
        st.markdown("**New board**")
        st.text_input("Name", key="nb_name")
        st.text_area("Description", key="nb_desc")
        st.selectbox(
            "Privacy",
            boards.PRIVACY,
            key="nb_privacy",
            format_func=lambda p: {"PUBLIC": "Public", "PROTECTED": "Protected", "SECRET": "Secret"}[p],
        )
        st.form_submit_button("Create board", on_click=create_board)

    live = {b["id"]: b["name"] for b in board_rows if not b["deleted_at"]}
    if live:

        @action
        def create_section() -> None:
            ss = st.session_state
            board_id, section = ss.get("ns_board"), ss.get("ns_name", "").strip()
            act(
                lambda s, c: boards.create_section(
                    s, services().account_api(name), name, board_id, section, actor=current_actor()
                ),
                f"Section “{section}” added to “{live.get(board_id, '')}”.",
            )

        with st.form("new_section", clear_on_submit=True):
            st.markdown("**New section**")
            st.selectbox("Board", list(live), key="ns_board", format_func=live.get)  # type to search
            st.text_input("Section name", key="ns_name", max_chars=180)
            st.form_submit_button("Create section", on_click=create_section)

# --- Postproxy ----------------------------------------------------------------------------
st.subheader("Postproxy")
st.caption("One API key per Postproxy workspace, checked with Postproxy when you save it.")
st.text_input("Workspace", value="default", key="pp_workspace")
st.text_input("API key", type="password", key="pp_key")


@action
def save_postproxy() -> None:
    key, workspace = st.session_state.get("pp_key", ""), st.session_state.get("pp_workspace", "")
    st.session_state["pp_key"] = ""
    act(
        lambda s, c: accounts.save_postproxy_key(s, vault, c, cfg, workspace, key, actor=current_actor()),
        "Postproxy key verified and saved.",
    )


st.button("Verify and save", key="pp_save", on_click=save_postproxy)
for row in accounts.postproxy_keys(db):
    st.caption(f"{row['workspace']}: key {row['hint']} · {row['detail']} · verified {row['verified_at'][:16]}")
db.close()
