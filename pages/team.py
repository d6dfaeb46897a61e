"""Team (owners): the studio's people, their roles and access; add someone, change a role, disable an
account, reset a password. Every change is `studio.people`'s, audited, and applies from the person's next
click."""

import streamlit as st

from pages_support.ui import (
    action,
    current_actor,
    error_text,
    flash,
    require_password,
    show_flash,
    show_unexpected,
    store,
)
from studio import people
from studio.errors import StudioError
from studio.text import escape_markdown

require_password()
ss = st.session_state
ROLES = [role.value for role in people.Role]

st.title("👥 Team")
actor = current_actor()
if not people.may(actor, people.Permission.MANAGE_USERS):
    st.info("Only owners manage the team. Ask one of them to change your role or to add someone.")
    st.stop()


def act(change, message: str, *args) -> bool:
    """Run one team change for the acting owner; its outcome shows at the top of the next run."""
    db = store()
    try:
        outcome = change(db, *args, actor=current_actor())
    except StudioError as exc:
        ss["team_error"] = error_text(exc.message, exc.fix)
        return False
    except Exception:  # the action boundary: a message, not a traceback
        show_unexpected()
        return False
    finally:
        db.close()
    if isinstance(outcome, str):  # a one-time password: shown once, on the next run only
        ss["team_secret"] = (message, outcome)
    else:
        flash(message)
    return True


@action
def change_role(user: people.User) -> None:
    wanted = ss[f"role_{user.id}"]
    if not act(people.set_role, f"{escape_markdown(user.name)} is now {wanted}.", user.id, wanted):
        ss[f"role_{user.id}"] = user.role.value  # refused (the last owner): the list shows the role they kept


show_flash()
if message := ss.pop("team_error", None):
    st.error(message)
if secret := ss.pop("team_secret", None):
    st.success(secret[0], icon="🔑")
    st.code(secret[1], language=None)
    st.caption("Shown once: hand it over privately. They choose their own password at their first sign-in.")

db = store()
try:
    users = people.list_users(db)
    open_door = not people.sign_in_required(db, st.get_option("server.address") or "0.0.0.0")
finally:
    db.close()

if open_door and len([u for u in users if not u.disabled]) <= 1:
    st.info(
        "Single-person mode: nobody signs in on this computer. Adding a second person turns sign-in on for "
        "everyone, you included: add yourself first, as an owner, and keep your one-time password."
    )

with st.form("add_person", clear_on_submit=True):
    st.subheader("Add someone")
    row = st.container(horizontal=True)
    email = row.text_input("Email", key="new_email", placeholder="maria@example.com")
    name = row.text_input("Name", key="new_name", placeholder="Maria Lopez")
    role = row.selectbox("Role", ROLES, index=ROLES.index("editor") if users else ROLES.index("owner"), key="new_role")
    if st.form_submit_button("Add", type="primary"):
        db = store()
        try:
            user, password = people.add_user(db, email, name, role, actor=current_actor())
        except StudioError as exc:
            st.error(error_text(exc.message, exc.fix))
        else:
            ss["team_secret"] = (
                f"Added {escape_markdown(user.name)} ({user.role.value}). Their one-time password:",
                password,
            )
            st.rerun()
        finally:
            db.close()

st.subheader(f"People ({len(users)})")
if not users:
    st.caption("Nobody has an account yet. The first person must be an owner.")
for user in users:
    with st.container(border=True, horizontal=True, vertical_alignment="center", key=f"person_{user.id}"):
        seen = (user.last_seen_at or "never")[:16].replace("T", " ")
        st.markdown(
            f"**{escape_markdown(user.name)}**"
            + (" · *disabled*" if user.disabled else "")
            + f"  \n{escape_markdown(user.email)}  \n:gray[last seen: {seen}]",
            width=330,
        )
        st.selectbox(
            "Role",
            ROLES,
            index=ROLES.index(user.role.value),
            key=f"role_{user.id}",
            on_change=change_role,
            args=(user,),
            width=140,
            label_visibility="collapsed",
        )
        if user.disabled:
            st.button(
                "Enable",
                key=f"enable_{user.id}",
                on_click=action(act),
                args=(people.enable_user, f"{escape_markdown(user.name)} may sign in again.", user.id),
            )
        else:
            st.button(
                "Disable",
                key=f"disable_{user.id}",
                on_click=action(act),
                args=(
                    people.disable_user,
                    f"{escape_markdown(user.name)} is disabled: signed out everywhere.",
                    user.id,
                ),
            )
        st.button(
            "Reset password",
            key=f"reset_{user.id}",
            on_click=action(act),
            args=(
                people.reset_password,
                f"A new one-time password for {escape_markdown(user.name)} (their sessions ended):",
                user.id,
            ),
        )

st.caption(
    f"The same from the command line: `pinstudio users add|list|set-role|disable|enable|reset-password`. "
    f"Sessions last {people.DEFAULT_TTL_S // 86400} days; a role change applies from the person's next click."
)
