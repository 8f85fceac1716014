"""Widgets two pages share: the upload box, the after-action report download."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import services, state
from drills.uploads import Kind, read_upload
from reports.aar import build_report
from reports.render import FORMATS, render
from reports.source import aar_for_drill

MIME = {"md": "text/markdown", "html": "text/html", "pdf": "application/pdf"}

UPLOAD_STORE = {"plan": state.UPLOADED_PLANS, "scenario": state.UPLOADED_SCENARIOS}


def upload_box(kind: Kind) -> None:
    """Upload a plan or scenario; valid ones join this tab's list, bad ones show every problem."""
    uploaded = st.file_uploader(
        f"Upload a {kind} (YAML)", type=["yaml", "yml"], key=f"{kind}_upload"
    )
    if uploaded is None:
        return
    result = read_upload(uploaded.name, uploaded.getvalue(), kind)
    if result.ok and result.text is not None:
        state.uploads(UPLOAD_STORE[kind])[uploaded.name] = result.text
        st.success(
            f"{uploaded.name} is a valid {kind}; it is now in the list below for this session."
        )
    else:
        st.error(f"{uploaded.name} cannot be used: {len(result.problems)} problem(s) to fix")
        st.code("\n".join(result.problems), language=None)


def show_flash() -> None:
    """The message a callback left for this rerun (a verdict, a saved note), shown once."""
    message = state.pop_flash()
    if message:
        getattr(st, message[0])(message[1])


def pick_drill(key: str) -> str | None:
    """Choose a stored drill, the one in the address first; None when there is none yet."""
    drills = services.store().list_drills()
    if not drills:
        st.info("No drill yet: the facilitator creates one on the Drill page.")
        return None
    ids = [d.id for d in drills]
    current = state.current_drill()
    picked = st.selectbox(
        "Drill",
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func={d.id: f"{d.name} ({d.id})" for d in drills}.__getitem__,
        key=key,
    )
    state.show_drill(picked)
    return str(picked)


def report_download(drill_id: str) -> None:
    """Prepare the drill's after-action report in a chosen format, then offer it."""
    st.subheader("After-action report")
    cols = st.columns(2)
    fmt = cols[0].radio("Format", list(FORMATS), horizontal=True, key="report_format")
    runs = cols[1].number_input(
        "Add a Monte Carlo distribution of N runs (0: none)",
        min_value=0,
        max_value=2000,
        value=0,
        step=50,
        key="report_mc",
    )
    if st.button("Prepare the report", key="prepare_report"):
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with st.spinner("Building the report..."):
            aar = aar_for_drill(
                services.store().path, drill_id, now, now.date(), monte_carlo=int(runs)
            )
            st.session_state["report_bytes"] = (drill_id, fmt, render(build_report(aar), fmt))
    prepared = st.session_state.get("report_bytes")
    if prepared and prepared[0] == drill_id:
        _, kind, data = prepared
        st.download_button(
            f"Download the report ({kind}, {len(data):,} bytes)",
            data,
            file_name=f"{drill_id}-aar{FORMATS[kind]}",
            mime=MIME[kind],
            key="download_report",
        )
