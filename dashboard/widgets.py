"""Widgets two pages share: the upload box for plans and scenarios."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.uploads import Kind, read_upload

UPLOAD_STORE = {"plan": state.UPLOADED_PLANS, "scenario": state.UPLOADED_SCENARIOS}


def upload_box(kind: Kind) -> None:
    """Upload a plan or scenario; valid ones join this tab's list, bad ones show every problem."""
    uploaded = st.file_uploader(f"Upload a {kind} (YAML)", type=["yaml", "yml"], key=f"{kind}_upload")
    if uploaded is None:
        return
    result = read_upload(uploaded.name, uploaded.getvalue(), kind)
    if result.ok and result.text is not None:
        state.uploads(UPLOAD_STORE[kind])[uploaded.name] = result.text
        st.success(f"{uploaded.name} is a valid {kind}; it is now in the list below for this session.")
    else:
        st.error(f"{uploaded.name} cannot be used: {len(result.problems)} problem(s) to fix")
        st.code("\n".join(result.problems), language=None)
