"""The only module that touches ``st.session_state``: typed accessors.

Why: the keys are shared by pages, and a typo in a key would lose a facilitator's
selection silently. Everything that must survive a refresh lives in the drill
database instead; session state only remembers choices of this browser tab.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from drills import access
from i18n import Language, choose_language, normalize_language, set_language

DRILL = "drill_id"
AUTHOR = "author"
UPLOADED_PLANS = "uploaded_plans"
UPLOADED_SCENARIOS = "uploaded_scenarios"
SEEN_VERSION = "seen_version"
FLASH = "flash"
ROLE = "role"
LANG = "lang"
"""The tab's language, in the session and in the address (``?lang=zh-CN``)."""


def role(codes_set: bool) -> str | None:
    """This tab's role: chosen at sign-in; on an open console, the facilitator by default."""
    chosen = st.session_state.get(ROLE)
    if chosen is None and not codes_set and ROLE not in st.session_state:
        return "facilitator"
    return chosen


def get(key: str, default: Any = None) -> Any:
    """A value of this tab's session."""
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    """Remember a value for this tab."""
    st.session_state[key] = value


def uploads(key: str) -> dict[str, str]:
    """Files uploaded in this tab, by name (text content)."""
    value = st.session_state.get(key)
    if value is None:
        value = {}
        st.session_state[key] = value
    return value


def current_role() -> str | None:
    """The role this tab acts as now."""
    return role(bool(access.server_hashes()))


def may(action: str) -> bool:
    """Whether this tab's role may take an action."""
    return access.can(current_role(), action)


def current_drill() -> str | None:
    """The drill this tab shows: from the address bar first, so a refresh keeps it."""
    return st.query_params.get("drill") or st.session_state.get(DRILL)


def show_drill(drill_id: str) -> None:
    """Remember the drill in the tab and in the address (a refresh or a shared link keeps it)."""
    st.session_state[DRILL] = drill_id
    if st.query_params.get("drill") != drill_id:
        st.query_params["drill"] = drill_id


def chosen_language() -> Language:
    """The tab's language: the address's ``?lang=`` first (a shared link keeps it), then
    the tab's choice, then DRILLSIM_LANG, LANG, English."""
    from_address = normalize_language(st.query_params.get(LANG))
    if from_address is not None:
        st.session_state[LANG] = from_address
        return from_address
    chosen = normalize_language(st.session_state.get(LANG))
    if chosen is not None:
        st.query_params[LANG] = chosen  # a page link drops the address's parameters
        return chosen
    return choose_language(None, plan_language=None)


def use_language() -> Language:
    """Translate this run into the tab's language (and nothing else).

    Why on every run: each session's script runs in a thread of its own, and the
    language is a context variable of that thread.
    """
    return set_language(chosen_language())


def acting_role() -> access.Role:
    """The role this tab's writes are made for, passed as ``role=`` to every core write.

    Never None: None tells the core a trusted caller (the command line) is writing; a
    tab signed in as nobody acts as :data:`drills.access.NOBODY`, refused everything.
    """
    return current_role() or access.NOBODY


def begin_run() -> access.Role:
    """Begin a page run or a callback: translate it into the tab's language, and return
    the role it acts for (:func:`acting_role`), which its core writes take as ``role=``.

    Why first in every run and callback: a callback runs before the page has set the
    language, and must read the role at the moment of the click, not at the last render.
    """
    use_language()
    return acting_role()


def show_language(lang: str) -> None:
    """Remember the tab's language in the session and in the address."""
    found = normalize_language(lang)
    if found is None:
        return
    st.session_state[LANG] = found
    if st.query_params.get(LANG) != found:
        st.query_params[LANG] = found


def flash(kind: str, message: str) -> None:
    """A message to show once after the next rerun (e.g. a decision's verdict)."""
    st.session_state[FLASH] = (kind, message)


def pop_flash() -> tuple[str, str] | None:
    """The pending message, shown once."""
    return st.session_state.pop(FLASH, None)
