"""Evaluate page: the executive summary, capability ratings (P/S/M/U) with HSEEP's table of
objectives, findings (and drillsim's drafts), improvement items of a drill, its records
as CSV and its after-action report to download. Thin: the parts are the evaluate_*
modules, storage and drafting live in the core."""

from __future__ import annotations

import tempfile

import streamlit as st

from dashboard import services, state
from dashboard.evaluate_findings import findings_part
from dashboard.evaluate_items import items_part
from dashboard.evaluate_ratings import hseep_part, ratings_part, summary_part
from dashboard.signin import require_role
from dashboard.widgets import pick_drill, report_download, show_flash
from drills.export import TABLES, export_drill
from i18n import N_, _
from scenarios.loader import load_scenario_text

EXPORTS = {
    "log": N_("Log (CSV)"),
    "notes": N_("Notes (CSV)"),
    "observations": N_("Observations (CSV)"),
    "ratings": N_("Ratings (CSV)"),
    "findings": N_("Findings (CSV)"),
    "items": N_("Improvement items (CSV)"),
}
"""Button label of each export file (as ``drillsim drill export`` writes them)."""


def _db() -> str:
    return str(services.store().path)


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Evaluate"))
    show_flash()
    picked = pick_drill("evaluate_pick")
    if picked is None:
        return
    record = services.store().get(picked)
    editable = state.may("rate")
    scenario = load_scenario_text(record.scenario_text, record.scenario_name)
    summary_part(picked, editable)
    current = ratings_part(picked, editable)
    hseep_part(scenario, current)
    findings_part(picked, record.version, editable)
    items_part(picked, record.plan_text, record.plan_name, state.may("items"))
    csv_downloads(picked, record.version)
    report_download(picked)


def csv_downloads(drill_id: str, version: int) -> None:
    """The drill's records as CSV files, one button each (the files of ``drill export``)."""
    st.subheader(_("Records as CSV"))
    with tempfile.TemporaryDirectory(prefix="drillsim-export-") as folder:
        files = export_drill(_db(), drill_id, "csv", folder)
        data = {table: path.read_bytes() for table, path in zip(TABLES, files, strict=True)}
    cols = st.columns(3)
    for i, table in enumerate(TABLES):
        cols[i % 3].download_button(
            _(EXPORTS[table]),
            data[table],
            file_name=f"{drill_id}-{table}.csv",
            mime="text/csv",
            key=f"csv_{table}_{drill_id}_{version}",
        )


main()
