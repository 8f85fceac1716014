"""Rebuild a drill's simulated centre from its stored inputs and log.

Why replay instead of keeping a live simulation: a simulation lives in one process's
memory, while a drill is viewed from several browsers, Streamlit threads and server
restarts. The stored log is the only truth; plan, scenario and seed make the engine
deterministic, so running the log again on a fresh simulation gives the same centre
in any process, at any time. The cost is one run to the clock per view (a fraction
of a second for the bundled scenarios).
"""

from __future__ import annotations

from drills.errors import ReplayMismatch
from drills.records import DrillRecord, Entry
from plans.issues import ModelFileError
from plans.loader import load_plan_text
from plans.model import Plan
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.engine.simulation import Simulation
from sim.response.controller import Policy
from sim.response.decisions import Decision, Verdict

POLICY: Policy = "scripted"
"""A drill room plays the response: alarms and reports run, actions wait for decisions."""


def load_inputs(record: DrillRecord) -> tuple[Plan, Scenario]:
    """The drill's plan and scenario, from the stored texts."""
    try:
        return (
            load_plan_text(record.plan_text, record.plan_name),
            load_scenario_text(record.scenario_text, record.scenario_name),
        )
    except ModelFileError as exc:
        raise ReplayMismatch(
            f"drill '{record.id}': its stored plan or scenario no longer loads in this drillsim "
            f"({'; '.join(exc.lines()[:3])}); the stored log is intact"
        ) from exc


def verdict_dict(verdict: Verdict) -> dict[str, object]:
    """How a verdict is stored."""
    return {"accepted": verdict.accepted, "reason": verdict.reason}


def open_simulation(record: DrillRecord) -> Simulation:
    """The drill's centre at its clock: the stored log replayed on a fresh simulation.

    'advance' runs to its time, 'decision' runs to its time and decides; notes,
    observations and the end change nothing. A replayed verdict that differs from the
    stored one raises :class:`ReplayMismatch`.
    """
    plan, scenario = load_inputs(record)
    sim = Simulation(plan, scenario, record.seed, policy=POLICY)
    for entry in record.entries:
        _replay(sim, record, entry)
    sim.run_until(record.clock)
    return sim


def _replay(sim: Simulation, record: DrillRecord, entry: Entry) -> None:
    if entry.kind == "advance":
        sim.run_until(float(entry.payload["to"]))
    elif entry.kind == "decision":
        sim.run_until(entry.sim_time)
        fields = {k: v for k, v in entry.payload.items() if k in Decision.model_fields}
        verdict = verdict_dict(sim.decide(Decision(**fields)))
        if entry.result is not None and verdict != entry.result:
            raise ReplayMismatch(
                f"drill '{record.id}', entry {entry.seq} ({entry.payload.get('action')} at "
                f"{entry.sim_time:.1f} min): stored verdict {entry.result}, replayed {verdict}. "
                "The engine changed under this drill; its log is intact but this drillsim "
                "cannot show the same board"
            )
