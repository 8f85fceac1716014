"""Widgets two pages share: the upload box, the after-action report download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

import streamlit as st

from dashboard import services, state
from drills.access import RoleRefused
from drills.uploads import Kind, read_upload
from drills.uploads_store import save_upload
from drills.uploads_store import uploaded as uploaded_texts
from i18n import N_, _, format_count, ngettext
from reports.aar import build_report
from reports.render import FORMATS, render
from reports.source import aar_for_drill

MIME = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

T = TypeVar("T")
UPLOAD_STORE = {"plan": state.UPLOADED_PLANS, "scenario": state.UPLOADED_SCENARIOS}
STATUS_NAMES = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "verified": N_("verified"),
    "ended": N_("ended"),
}
"""The status of an improvement item or a drill, as a person reads it."""


def shown(options: Iterable[T], label: Callable[[T], str]) -> Callable[[T], str]:
    """A widget's ``format_func`` whose labels are made now, in this run's language.

    Why not ``label`` itself: Streamlit may call a ``format_func`` later, outside the
    page's run (AppTest does, in its own thread), where another language is in use.
    """
    names = {option: label(option) for option in options}
    return lambda option: names.get(option, str(option))


def status_name(status: str) -> str:
    """A status in the language in use (the id when it has no name)."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def upload_box(kind: Kind) -> None:
    """Upload a plan or scenario: a valid one is kept in the drill database (every tab and
    a restarted console list it); a bad one is not kept and shows every problem."""
    label = _("Upload a plan (YAML)") if kind == "plan" else _("Upload a scenario (YAML)")
    uploaded = st.file_uploader(label, type=["yaml", "yml"], key=f"{kind}_upload")
    if uploaded is None:
        return
    result = read_upload(uploaded.name, uploaded.getvalue(), kind)
    if result.ok and result.text is not None:
        db = services.store().path
        if uploaded_texts(db, kind).get(uploaded.name) != result.text:  # once, not every rerun
            try:
                save_upload(db, kind, uploaded.name, result.text, role=state.acting_role())
            except RoleRefused as refused:
                st.error(str(refused))
                return
        state.uploads(UPLOAD_STORE[kind]).pop(uploaded.name, None)  # the kept text is newer
        valid = (
            _("{file} is a valid plan; it is kept and now in every list of plans.")
            if kind == "plan"
            else _("{file} is a valid scenario; it is kept and now in every list of scenarios.")
        )
        st.success(valid.format(file=uploaded.name))
    else:
        n = len(result.problems)
        st.error(
            ngettext(
                "{file} cannot be used: {n} problem(s) to fix",
                "{file} cannot be used: {n} problem(s) to fix",
                n,
            ).format(file=uploaded.name, n=n)
        )
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
        st.info(_("No drill yet: the facilitator creates one on the Drill page."))
        return None
    ids = [d.id for d in drills]
    current = state.current_drill()
    picked = st.selectbox(
        _("Drill"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func={
            d.id: _("{name} ({id})").format(name=d.name, id=d.id) for d in drills
        }.__getitem__,
        key=key,
    )
    state.show_drill(picked)
    return str(picked)


def report_download(drill_id: str) -> None:
    """Prepare the drill's after-action report in a chosen format, then offer it."""
    st.subheader(_("After-action report"))
    cols = st.columns(2)
    fmt = cols[0].radio(_("Format"), list(FORMATS), horizontal=True, key="report_format")
    runs = cols[1].number_input(
        _("Add a Monte Carlo distribution of N runs (0: none)"),
        min_value=0,
        max_value=2000,
        value=0,
        step=50,
        key="report_mc",
    )
    version = services.store().get(drill_id).version
    wanted = (drill_id, version, fmt, int(runs))
    if st.button(_("Prepare the report"), key="prepare_report"):
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with st.spinner(_("Building the report...")):
            aar = aar_for_drill(
                services.store().path, drill_id, now, now.date(), monte_carlo=int(runs)
            )
            st.session_state["report_bytes"] = (wanted, render(build_report(aar), fmt))
    prepared = st.session_state.get("report_bytes")
    # Only the file of the chosen drill, version and format: switching the format asks
    # for the report again rather than offering the previous format's file.
    if prepared and prepared[0][:3] == wanted[:3]:
        data = prepared[1]
        st.download_button(
            _("Download the report ({format}, {size} bytes)").format(
                format=fmt, size=format_count(len(data))
            ),
            data,
            file_name=f"{drill_id}-aar{FORMATS[fmt]}",
            mime=MIME[fmt],
            key=f"download_report_{drill_id}_{version}_{fmt}",
        )
    elif prepared and prepared[0][0] == drill_id:
        st.caption(
            _("The report prepared is of another format or an older drill state: prepare it again.")
        )
