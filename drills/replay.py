"""Rebuild a drill's simulated centre from its stored inputs and log.

Why replay instead of keeping a live simulation: a simulation lives in one process's
memory, while a drill is viewed from several browsers, Streamlit threads and server
restarts. The stored log is the only truth; plan, scenario and seed make the engine
deterministic, so running the log again on a fresh simulation gives the same centre
in any process, at any time. The cost is one run to the clock per view (a fraction
of a second for the bundled scenarios).
"""

from __future__ import annotations

from functools import lru_cache

from drills.errors import ReplayMismatch
from drills.records import DrillRecord, Entry
from i18n import _
from plans.issues import ModelFileError
from plans.loader import load_plan_text
from plans.model import Plan
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.engine.simulation import Simulation
from sim.response.controller import Policy
from sim.response.decisions import Decision, Verdict, said_in_any_language

POLICY: Policy = "scripted"
"""A drill room plays the response: alarms and reports run, actions wait for decisions."""


INPUTS_CACHED = 16
"""Drills whose parsed plan and scenario are kept (a few open drills, each a few 100 KB)."""


@lru_cache(maxsize=INPUTS_CACHED)
def _parsed(
    plan_text: str, plan_name: str, scenario_text: str, scenario_name: str
) -> tuple[Plan, Scenario]:
    """Plan and scenario parsed once per stored text.

    Why a cache: every view of a drill replays it from these texts, and parsing them was
    most of a view's time; the models are frozen, so one parse serves every view. A
    text that fails to load raises each time (errors are not cached, and their words
    follow the language in use).
    """
    return load_plan_text(plan_text, plan_name), load_scenario_text(scenario_text, scenario_name)


def load_inputs(record: DrillRecord) -> tuple[Plan, Scenario]:
    """The drill's plan and scenario, from the stored texts."""
    try:
        return _parsed(
            record.plan_text, record.plan_name, record.scenario_text, record.scenario_name
        )
    except ModelFileError as exc:
        raise ReplayMismatch(
            _(
                "drill '{drill}': its stored plan or scenario no longer loads in this drillsim "
                "({problems}); the stored log is intact"
            ).format(drill=record.id, problems="; ".join(exc.lines()[:3]))
        ) from exc


def verdict_dict(verdict: Verdict) -> dict[str, object]:
    """How a verdict is stored."""
    return {"accepted": verdict.accepted, "reason": verdict.reason}


def open_simulation(record: DrillRecord) -> Simulation:
    """The drill's centre at its clock: the stored log replayed on a fresh simulation.

    'advance' (and a live drill's 'pause') runs to its time, 'decision' runs to its
    time and decides; notes, observations, injects, start, resume and the end change
    nothing. A replayed verdict that differs from the
    stored one raises :class:`ReplayMismatch`.
    """
    plan, scenario = load_inputs(record)
    sim = Simulation(plan, scenario, record.seed, policy=POLICY)
    for entry in record.entries:
        replay_entry(sim, record, entry)
    sim.run_until(record.clock)
    return sim


def replay_entry(sim: Simulation, record: DrillRecord, entry: Entry) -> None:
    """Play one log entry on the centre (entries that change nothing are passed over)."""
    if entry.kind in ("advance", "pause"):
        sim.run_until(float(entry.payload["to"]))
    elif entry.kind == "decision":
        sim.run_until(entry.sim_time)
        fields = {k: v for k, v in entry.payload.items() if k in Decision.model_fields}
        replayed = sim.decide(Decision(**fields))
        verdict = verdict_dict(replayed)
        if entry.result is not None and not same_verdict(replayed, entry.result):
            raise ReplayMismatch(
                _(
                    "drill '{drill}', entry {seq} ({action} at {at:.1f} min): stored verdict "
                    "{stored}, replayed {replayed}. The engine changed under this drill; its log "
                    "is intact but this drillsim cannot show the same board"
                ).format(
                    drill=record.id,
                    seq=entry.seq,
                    action=entry.payload.get("action"),
                    at=entry.sim_time,
                    stored=entry.result,
                    replayed=verdict,
                )
            )


def same_verdict(verdict: Verdict, stored: dict[str, object]) -> bool:
    """Whether a replayed verdict is the stored one, its reason said in any language.

    Why any language: the room that decided may have read drillsim in Chinese and
    the one replaying it in English; the reason is the same, only its words differ.
    """
    return set(stored) == {"accepted", "reason"} and (
        stored["accepted"] == verdict.accepted
        and said_in_any_language(verdict.reason, stored["reason"])
    )
