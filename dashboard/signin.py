"""Signing in to the console with a role (and its access code, when codes are set) and
one's own name, and the tab's language switch.

Why every page calls it: a page can be opened directly by its address, so the check
belongs to each page, before it shows anything; and each run must set the tab's
language before it draws a word.

Why a name beside the role: every rating, finding and summary records who wrote it
and who changed it last, and the report prints those names; a role ("evaluator") is
not a name. The name is asked once per console session (at sign-in, or in the
sidebar until given) and kept in the session under :data:`PERSON`.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from dashboard import state
from dashboard.widgets import shown
from drills import access
from i18n import LANGUAGES, N_, _
from i18n.core import language_name

ROLE_NAMES = {
    "facilitator": N_("facilitator"),
    "evaluator": N_("evaluator"),
    "observer": N_("observer"),
    "reviewer": N_("reviewer"),
}
"""The console's roles as a person reads them (the core has the same words in
:data:`drills.access.ROLE_NAMES` for the drill log; kept twice so each layer's catalog
holds the words it shows)."""
LANGUAGE_PICK = "language_pick"
_LOG = logging.getLogger("drillsim.console")
PERSON = "person_name"
"""Session key of the signed-in person's name (not a widget's key: it outlives pages)."""


def person_name() -> str | None:
    """The signed-in person's name, or None until they gave it."""
    name = state.get(PERSON)
    return str(name) if name else None


def check_name(value: object) -> str:
    """A person's name, stripped; ValueError for none or a role's name instead of a name."""
    name = str(value or "").strip()
    if not name:
        raise ValueError(_("Give your name: ratings and findings record who wrote them."))
    roles = {r.lower() for r in ROLE_NAMES} | {_(n).lower() for n in ROLE_NAMES.values()}
    if name.lower() in roles:
        raise ValueError(
            _("'{name}' is a role; give your own name, as the report will print it.").format(
                name=name
            )
        )
    return name


def _take_name(key: str) -> bool:
    """Keep the name typed in widget ``key`` as the session's; flash why not."""
    try:
        state.put(PERSON, check_name(st.session_state.get(key)))
    except ValueError as exc:
        state.flash("error", str(exc))
        return False
    return True


def _save_name() -> None:
    state.begin_run()  # a callback runs before the page sets the language
    if _take_name("sign_in_name"):
        state.flash("success", _("Signed in as {name}.").format(name=person_name()))


def role_name(role: str | None) -> str:
    """A console role's name in the language in use (its id when it has none)."""
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else str(role)


def _sign_in() -> None:
    state.begin_run()  # a callback runs before the page sets the language
    role, code = st.session_state.get("sign_in_role"), st.session_state.get("sign_in_code", "")
    hashes = access.server_hashes()
    if hashes:  # wrong codes in a row make each further attempt wait longer (and are logged)
        time.sleep(access.THROTTLE.delay(str(role)))
    ok = access.sign_in(str(role), str(code), hashes)
    if hashes and access.THROTTLE.record(str(role), ok):
        _LOG.warning(_("drillsim console: a wrong code for the {role} role").format(role=role))
    if ok:
        state.put(state.ROLE, role)
        state.flash("success", _("Signed in as {role}.").format(role=role_name(str(role))))
        if str(st.session_state.get("sign_in_name") or "").strip():
            _take_name("sign_in_name")
    else:
        state.flash(
            "error",
            _("That is not the access code for the {role} role.").format(role=role_name(str(role))),
        )
    st.session_state["sign_in_code"] = ""


def _switch_language() -> None:
    state.show_language(str(st.session_state.get(LANGUAGE_PICK)))


def language_switch() -> None:
    """The sidebar's language switch (中文 / English); the choice goes into the address."""
    lang = state.use_language()
    if st.session_state.get(LANGUAGE_PICK) != lang:
        st.session_state[LANGUAGE_PICK] = lang
    st.sidebar.selectbox(
        "语言 / Language",
        LANGUAGES,
        format_func=language_name,
        key=LANGUAGE_PICK,
        on_change=_switch_language,
    )


def sign_in_panel() -> str | None:
    """The sidebar's sign-in: a role and, when codes are set, its access code."""
    hashes = access.server_hashes()
    with st.sidebar:
        if not hashes:
            st.warning(
                _("Open console: no access codes are set, so it only listens on this machine.")
            )
        role = state.role(bool(hashes))
        if role is not None:
            name = person_name()
            if name:
                st.caption(_("**{name}**, {role}").format(name=name, role=role_name(role)))
            else:
                st.caption(_("Role: **{role}**").format(role=role_name(role)))
                st.text_input(_("Your name"), key="sign_in_name")
                st.button(_("Save my name"), key="save_name", on_click=_save_name)
            if st.button(_("Change role"), key="sign_out"):
                state.put(state.ROLE, None)
                state.put(PERSON, None)  # whoever signs in next gives their own name
                st.rerun()
            return role
        st.selectbox(
            _("Role"), access.ROLES, format_func=shown(access.ROLES, role_name), key="sign_in_role"
        )
        if person_name() is None:
            st.text_input(_("Your name"), key="sign_in_name")
        if hashes:
            st.text_input(_("Access code"), type="password", key="sign_in_code")
        st.button(_("Sign in"), key="sign_in", on_click=_sign_in)
    return None


def require_role() -> str:
    """Set the tab's language, then the tab's role; stops the page with a sign-in prompt
    when there is none."""
    language_switch()
    role = sign_in_panel()
    if role is None:
        message = state.pop_flash()
        if message:
            getattr(st, message[0])(message[1])
        st.title(_("drillsim console"))
        st.info(
            _(
                "Sign in with your role in the sidebar: "
                "facilitator, evaluator, observer or reviewer."
            )
        )
        st.stop()
    return role
