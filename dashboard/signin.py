"""Signing in to the console with a role (and its access code, when codes are set).

Why every page calls it: a page can be opened directly by its address, so the check
belongs to each page, before it shows anything.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from drills import access


def _sign_in() -> None:
    role, code = st.session_state.get("sign_in_role"), st.session_state.get("sign_in_code", "")
    if access.sign_in(str(role), str(code), access.server_hashes()):
        state.put(state.ROLE, role)
        state.flash("success", f"Signed in as {role}.")
    else:
        state.flash("error", f"That is not the access code for the {role} role.")
    st.session_state["sign_in_code"] = ""


def sign_in_panel() -> str | None:
    """The sidebar's sign-in: a role and, when codes are set, its access code."""
    hashes = access.server_hashes()
    with st.sidebar:
        if not hashes:
            st.warning("Open console: no access codes are set, so it only listens on this machine.")
        role = state.role(bool(hashes))
        if role is not None:
            st.caption(f"Role: **{role}**")
            if st.button("Change role", key="sign_out"):
                state.put(state.ROLE, None)
                st.rerun()
            return role
        st.selectbox("Role", access.ROLES, key="sign_in_role")
        if hashes:
            st.text_input("Access code", type="password", key="sign_in_code")
        st.button("Sign in", key="sign_in", on_click=_sign_in)
    return None


def require_role() -> str:
    """The tab's role; stops the page with a sign-in prompt when there is none."""
    role = sign_in_panel()
    if role is None:
        message = state.pop_flash()
        if message:
            getattr(st, message[0])(message[1])
        st.title("drillsim console")
        st.info(
            "Sign in with your role in the sidebar: facilitator, evaluator, observer or reviewer."
        )
        st.stop()
    return role
