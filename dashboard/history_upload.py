"""The Scenarios page's "From history": upload an export, see the fit, download the scenario.

Why the work is here and not in the page: the page stays a list of widgets, and the
steps (read the upload as the command line reads a file, fit, write the scenario) are
one function, :func:`fit_upload`, that the AppTest drives through the page.
The uploaded bytes are kept in the session (:data:`UPLOAD`, :data:`MAPPING`) by the file
uploader's callback, so a rerun does not read the widget again and a test can give the
page a file the way the callback does (AppTest cannot set a file uploader).
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import streamlit as st

from dashboard.widgets import shown
from history.errors import HistoryError, problem_line
from history.export_file import MAX_HISTORY_BYTES, ExportFormat, scenario_id_for, sniff
from history.fit import HistoryFit, fit_history
from history.mapping import load_mapping_text
from history.reader import read_history
from history.records import History
from history.scenario_out import scenario_yaml
from i18n import _, current_language, format_count, format_percent, ngettext
from plans import ModelFileError, Plan
from plans.files import FileRefused
from plans.loader import load_plan_text
from plans.types import human_minutes
from reports.history_figures import arrival_profile_figure, handle_time_figure, patience_figure
from reports.history_report import render_fit_report

UPLOAD = "history_upload"
"""Session key: (file name, bytes) of the uploaded export, or None."""
MAPPING = "history_mapping"
"""Session key: (file name, bytes) of the uploaded mapping, or None."""
RESULT = "history_result"
DRAWN = "history_drawn"
"""The fit's figures (PNG) and report text as last drawn, with the fit and language they
are of: a Streamlit rerun (any click on the page) shows them again without redrawing."""
"""Session key: the :class:`Fitted` of the last click on Fit."""


@dataclass(frozen=True)
class Fitted:
    """What a fit of an upload gave: the problems that stopped it, or the fit and scenario."""

    problems: tuple[str, ...] = ()  # lines a person reads; empty when fitted
    history: History | None = None
    fmt: ExportFormat | None = None
    fit: HistoryFit | None = None
    scenario_name: str = ""
    scenario_text: str = ""

    @property
    def ok(self) -> bool:
        """Whether a scenario was fitted."""
        return not self.problems and self.fit is not None


def _safe_name(name: str) -> str:
    return Path(name).name or "history.csv"


def fit_upload(
    name: str,
    data: bytes,
    plan: Plan,
    *,
    mapping: tuple[str, bytes] | None = None,
    interval_minutes: int = 30,
) -> Fitted:
    """Read, fit and write the scenario of an uploaded export, as ``drillsim history fit``.

    Problems name the uploaded file (not the temporary copy it is read from), by line,
    column and reason; a bad mapping names the mapping file and line.
    """
    name = _safe_name(name)
    column_map = None
    if mapping is not None:
        try:
            column_map = load_mapping_text(mapping[1].decode("utf-8"), _safe_name(mapping[0]))
        except UnicodeDecodeError:
            return Fitted(problems=(_("{file}: is not UTF-8 text").format(file=mapping[0]),))
        except ModelFileError as exc:
            return Fitted(problems=tuple(exc.lines()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            fmt = sniff(path)
            history = read_history(
                path,
                mapping=column_map,
                time_zone=plan.meta.timezone,
                channels=[c.id for c in plan.channels],
                max_bytes=MAX_HISTORY_BYTES,
            )
        except FileRefused as exc:
            return Fitted(problems=(f"{name}: {exc.reason}",))
        except HistoryError as exc:
            return Fitted(
                problems=tuple(HistoryError(name, exc.reason, exc.problems, exc.count).lines())
            )
    history = dataclasses.replace(
        history, provenance=dataclasses.replace(history.provenance, path=name)
    )
    fit = fit_history(history, plan, interval_minutes=interval_minutes)
    scenario_id = scenario_id_for(name)
    text = scenario_yaml(fit, plan, scenario_id=scenario_id)
    return Fitted(
        history=history, fmt=fmt, fit=fit, scenario_name=f"{scenario_id}.yaml", scenario_text=text
    )


def _keep(widget: str, key: str) -> None:
    """The uploader's callback: keep the file's name and bytes (None once removed)."""
    upload = st.session_state.get(widget)
    st.session_state[key] = None if upload is None else (upload.name, upload.getvalue())
    st.session_state.pop(RESULT, None)


def section(plans: dict[str, str]) -> None:
    """The "From history" section: upload, choose plan and interval, fit, show, download."""
    st.subheader(_("From history"))
    st.caption(
        _(
            "Upload an ACD or ticket-system export (contact or interval records, CSV) and, "
            "if its columns are named otherwise, a mapping (YAML); drillsim fits demand, "
            "handle time and patience and offers the scenario to download."
        )
    )
    cols = st.columns(2)
    cols[0].file_uploader(
        _("History export (CSV)"),
        type=["csv", "txt", "tsv"],
        key="history_csv_file",
        on_change=_keep,
        args=("history_csv_file", UPLOAD),
    )
    cols[1].file_uploader(
        _("Mapping (YAML, optional)"),
        type=["yaml", "yml"],
        key="history_mapping_file",
        on_change=_keep,
        args=("history_mapping_file", MAPPING),
    )
    upload = st.session_state.get(UPLOAD)
    if not upload:
        return
    cols = st.columns(2)
    plan_name = cols[0].selectbox(
        _("Plan (channels and time zone)"), list(plans), key="history_plan"
    )
    interval = cols[1].radio(
        _("Interval of the arrival profile"),
        [30, 60],
        format_func=shown((30, 60), human_minutes),
        horizontal=True,
        key="history_interval",
    )
    if st.button(_("Fit {file}").format(file=upload[0]), key="history_fit"):
        plan = load_plan_text(plans[plan_name], plan_name)
        with st.spinner(_("Reading and fitting...")):
            st.session_state[RESULT] = fit_upload(
                upload[0],
                upload[1],
                plan,
                mapping=st.session_state.get(MAPPING),
                interval_minutes=int(interval),
            )
    result = st.session_state.get(RESULT)
    if result is not None:
        show(result)


def show(result: Fitted) -> None:
    """The fit's outcome: every problem, or the figures, tables and the download."""
    if not result.ok:
        st.error(_("Nothing was fitted: fix the problems below."))
        st.code("\n".join(result.problems), language=None)
        return
    assert result.history is not None and result.fit is not None  # not for people: narrowing
    prov = result.history.provenance
    cols = st.columns(3)
    cols[0].metric(_("Rows read"), format_count(prov.rows_read))
    cols[1].metric(_("Rows used"), format_count(prov.rows_used))
    share = prov.rows_dropped / prov.rows_read if prov.rows_read else 0.0
    cols[2].metric(
        _("Rows dropped"), f"{format_count(prov.rows_dropped)} ({format_percent(share)})"
    )
    if result.fmt is not None:
        st.caption(
            _("Read as {encoding}, {delimiter}-separated.").format(
                encoding=result.fmt.encoding.upper(), delimiter=result.fmt.delimiter_name
            )
        )
    n = result.history.problem_count
    if n:
        st.warning(
            ngettext(
                "{n} problem found (rows with one are dropped unless it says kept):",
                "{n} problems found (rows with one are dropped unless it says kept):",
                n,
            ).format(n=format_count(n))
        )
        st.code(
            "\n".join(problem_line(prov.path, p) for p in result.history.problems), language=None
        )
    st.download_button(
        _("Download the scenario ({file})").format(file=result.scenario_name),
        result.scenario_text.encode("utf-8"),
        file_name=result.scenario_name,
        mime="application/x-yaml",
        key="history_download",
    )
    pngs, report = _drawn(result)
    for png in pngs:
        st.image(png)
    st.markdown(report)


def _drawn(result: Fitted) -> tuple[tuple[bytes, ...], str]:
    """The fit's figures and report in this run's language, drawn once per fit and language."""
    assert result.fit is not None  # not for people: narrowing, show() checked ok
    key = (id(result), current_language())
    kept = st.session_state.get(DRAWN)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    pngs = []
    for draw in (arrival_profile_figure, handle_time_figure, patience_figure):
        figure = draw(result.fit)
        if figure is not None:
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
            plt.close(figure)
            pngs.append(buffer.getvalue())
    report = render_fit_report(result.fit, "md")
    st.session_state[DRAWN] = (key, tuple(pngs), report)
    return tuple(pngs), report
