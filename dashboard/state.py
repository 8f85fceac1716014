"""The only module that touches ``st.session_state``: typed accessors.

Why: the keys are shared by pages, and a typo in a key would lose a facilitator's
selection silently. Everything that must survive a refresh lives in the drill
database instead; session state only remembers choices of this browser tab.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

DRILL = "drill_id"
AUTHOR = "author"
UPLOADED_PLANS = "uploaded_plans"
UPLOADED_SCENARIOS = "uploaded_scenarios"
SEEN_VERSION = "seen_version"
FLASH = "flash"


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
    return value  # type: ignore[no-any-return]


def flash(kind: str, message: str) -> None:
    """A message to show once after the next rerun (e.g. a decision's verdict)."""
    st.session_state[FLASH] = (kind, message)


def pop_flash() -> tuple[str, str] | None:
    """The pending message, shown once."""
    return st.session_state.pop(FLASH, None)  # type: ignore[no-any-return]
