"""Debrief page: the room's response against the plan, and against the plan's own run.

Thin: the runs, the tables and the charts come from ``reports``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboard import services
from dashboard.signin import require_role
from dashboard.widgets import pick_drill, report_download
from drills import session
from drills.adherence import step_words
from drills.board import entered_by
from drills.debrief import adherence, compare_policies, kpi_table, not_restored
from drills.kpis import RESTORATION_KPIS, met_text, run_value
from drills.observed import observed_rows, observed_steps
from i18n import N_, _
from plans.loader import load_plan_text
from plans.model import Plan
from plans.types import human_minutes
from reports.aar_drafts import target_text
from reports.aar_model import Paragraph, Table
from reports.aar_records import AarInput
from reports.aar_results import objective_blocks
from reports.figures import compare_bars, drill_events, queue_and_service, step_gantt
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.engine.records import RunRecords

RUNS = (
    ("room", N_("What the room did")),
    ("plan", N_("The plan's own policy")),
    ("none", N_("No action")),
)


def kpi_cell(row: dict[str, Any], run: str, still_down: bool) -> str:
    """A run's value in the KPI table; a service still down at the end of play reads
    'not restored by the end of play (at least 45m)' with its target 'not met' or 'not
    yet known' (the report's rule, :func:`drills.kpis.met_text`), a missed target
    '(missed)'."""
    value = run_value(row, run, still_down)
    if still_down and row["kpi"] in RESTORATION_KPIS:
        return _("{value} ({met})").format(value=value, met=met_text(row, run, still_down))
    missed = row[f"{run}_met"] is False
    return value + ("  " + _("(missed)") if missed else "")


def objectives_table(
    plan: Plan, scenario: Scenario, seed: int, runs: dict[str, RunRecords], until: float
) -> None:
    """Each run judged against every scenario objective, as the report judges it."""
    st.subheader(_("The scenario's objectives: the room, the plan's own policy, no action"))
    now = dt.datetime.now(dt.UTC)
    aar = AarInput(
        title="", generated_at=now, plan=plan, scenario=scenario, seed=seed, until=until,
        today=now.date(),
    )  # fmt: skip
    for block in objective_blocks(aar, runs):
        if isinstance(block, Table):
            rows = [dict(zip(block.header, row, strict=True)) for row in block.rows]
            st.dataframe(rows, hide_index=True, key="debrief_objectives")
        elif isinstance(block, Paragraph):
            st.caption(block.text)


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Debrief"))
    picked = pick_drill("debrief_pick")
    if picked is None:
        return
    record = services.store().get(picked)
    plan = load_plan_text(record.plan_text, record.plan_name)
    scenario = load_scenario_text(record.scenario_text, record.scenario_name)
    sim = session.open_simulation(record)
    room = sim.records()
    response = sim.response.record if sim.response is not None else None
    sim.release()
    until = record.clock
    decisions = sum(e.kind == "decision" for e in record.entries)
    noted = sum(e.kind == "note" for e in record.entries)
    st.caption(
        _(
            "{name}: played to T+{until} of {horizon}; {decisions} decision(s), {notes} note(s)."
        ).format(
            name=record.name,
            until=human_minutes(until),
            horizon=human_minutes(scenario.horizon),
            decisions=decisions,
            notes=noted,
        )
    )
    if until <= 0:
        st.info(_("The clock has not moved yet: advance the drill first."))
        return
    runs = compare_policies(plan, scenario, record.seed, room, until=until)
    entries = [e.to_dict() for e in record.entries]
    st.subheader(_("Response steps against their limits"))
    if response is not None:
        observed = observed_steps(entries, response.incidents, record.speed)
        st.pyplot(
            step_gantt(response.incidents, now=until, start=scenario.start, observed=observed),
            clear_figure=False,
        )
        if observed:
            st.markdown(
                _(
                    "**Observed in the live drill**: when observers saw the real team finish "
                    "each step, on the drill's clock, against the step's limit and beside "
                    "the simulated step."
                )
            )
            st.dataframe(observed_rows(observed), hide_index=True, key="debrief_observed")
        findings = adherence(plan, response, until, room)
        if findings:
            for f in findings:
                st.warning(f["message"])
        else:
            st.success(_("No step late, skipped or out of order; every role named was reached."))
    st.subheader(_("Queue and service level"))
    st.pyplot(
        queue_and_service(
            room, plan, start=scenario.start, events=drill_events(scenario, entries, until)
        ),
        clear_figure=False,
    )
    st.subheader(
        _("Results against the targets: the room, the plan's own policy, no action (same seed)")
    )
    rows = kpi_table(runs, plan, until)
    down = not_restored(runs, until)
    st.dataframe(
        [
            {
                _("KPI"): r["label"],
                _("target"): target_text(r["kpi"], r, plan) if r["target_label"] else "",
                **{_(label): kpi_cell(r, name, name in down) for name, label in RUNS},
            }
            for r in rows
        ],
        hide_index=True,
        key="debrief_kpis",
    )
    objectives_table(plan, scenario, record.seed, runs, until)
    st.pyplot(
        compare_bars(
            {name: {r["kpi"]: r[name] for r in rows} for name, _label in RUNS},
            ["service_level", "abandonment", "rto", "steps_late"],
            targets={r["kpi"]: r.get("target") for r in rows},
            names={name: _(label) for name, label in RUNS},
        ),
        clear_figure=False,
    )
    notes = [e for e in record.entries if e.kind in {"note", "observation"}]
    if notes:
        st.subheader(_("Observer notes"))
        st.dataframe(
            [
                {
                    _("sim time"): human_minutes(e.sim_time),
                    _("who"): entered_by(e.to_dict()),
                    _("note"): e.payload.get("text")
                    or _("step done: {step}").format(step=step_words(str(e.payload.get("step")))),
                }
                for e in notes
            ],
            hide_index=True,
            key="debrief_notes",
        )
    report_download(record.id)


main()
