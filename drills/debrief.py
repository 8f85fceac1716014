"""The debrief of a drill: the room's run beside the plan's and beside no response.

Why three runs on one seed: the seed fixes the customers and the outages (variants on
the same seed meet the same customers, see :mod:`sim.engine.rng`), so the differences
between the room's run, the plan played by the book ('plan') and nobody acting
('none') are the effect of decisions, not of luck.

Everything here is pure: records in, plain rows out (dicts of floats, strings and
booleans), ready for a table, a figure or a JSON file.

Where the room's response departed from the plan itself is :mod:`~drills.adherence`,
re-exported here with the debrief it belongs to.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from drills.adherence import CHECKED_STEPS, EPS, TAKEN, Finding, adherence, due_times
from drills.kpis import DEBRIEF_KPIS, RESTORATION_KPIS, spec_for
from i18n import N_, _
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.targets import Check, open_outages, plan_targets, restoration_met
from sim.engine.kpi_set import all_kpis
from sim.engine.metrics import Kpis, disruptions
from sim.engine.records import RunRecords
from sim.engine.simulation import Simulation
from sim.response.controller import Policy
from sim.response.metrics import response_kpis

__all__ = [
    "AGGREGATE_LABELS",
    "CHECKED_STEPS",
    "COMPARED_POLICIES",
    "EPS",
    "RESTORATION_KPIS",
    "TAKEN",
    "TARGET_CHECKS",
    "TARGET_PREFIXES",
    "Finding",
    "adherence",
    "as_of",
    "compare_policies",
    "decision_effects",
    "due_times",
    "kpi_table",
    "not_restored",
    "run_kpis",
]

COMPARED_POLICIES: tuple[Policy, ...] = ("plan", "none")
TARGET_CHECKS = {
    "service_level": ("service_level",),
    # the row shows the worst channel's long-run availability: judged by the channel target
    # (4.1: 99.9%), not by the systems' (5.3: 99.95%, read from system_availability)
    "availability": ("service_availability",),
    "rto": ("rto",),
    "rpo": ("rpo",),
}
"""KPI -> names of the :func:`sim.analysis.targets.plan_targets` checks that judge it."""
TARGET_PREFIXES = {"steps_late": "step.", "tickets_late": "tickets."}
"""KPIs judged by a family of checks: met when every check of the family is met."""
AGGREGATE_LABELS = {
    "steps_late": N_("every response step within its limit"),
    "tickets_late": N_("every ticket within its class's time limits"),
}


# --- the three runs ----------------------------------------------------------------


def compare_policies(
    plan: Plan, scenario: Scenario, seed: int, room_records: RunRecords, until: float | None = None
) -> dict[str, RunRecords]:
    """The room's records beside the same scenario and seed played by 'plan' and 'none'.

    Both runs stop at ``until`` (the time the drill ended) when given, else at the
    horizon; their records are taken the way the room's are (``Simulation.records``).
    Returns ``{'room': room_records, 'plan': ..., 'none': ...}``.
    """
    runs = {"room": room_records}
    stop = scenario.horizon if until is None else min(until, scenario.horizon)
    for policy in COMPARED_POLICIES:
        sim = Simulation(plan, scenario, seed, policy=policy)
        sim.run_until(stop)
        runs[policy] = sim.records()
        sim.release()
    return runs


def as_of(records: RunRecords, until: float | None) -> RunRecords:
    """Records of a run stopped at ``until``, ending there for the metrics.

    Why: ``Simulation.records()`` of a paused run keeps the scenario's horizon, and
    the metrics read the horizon as the end of the run: a channel still down would
    count as down until the horizon, a contact still waiting as waiting until then.
    Only for records of a run stopped at ``until``; a finished run's records hold
    what happened after it.
    """
    if until is None or until >= records.horizon:
        return records
    return replace(records, horizon=until, warm_up=min(records.warm_up, until))


def run_kpis(records: RunRecords, plan: Plan, until: float | None = None) -> Kpis:
    """Every contact and response KPI of one run (response KPIs only if a policy ran)."""
    rec = as_of(records, until)
    out = all_kpis(rec, plan)
    out.update(response_kpis(rec))
    return out


# --- the KPI table -----------------------------------------------------------------


def kpi_table(
    runs: dict[str, RunRecords], plan: Plan, until: float | None = None
) -> list[dict[str, Any]]:
    """One row per debrief KPI, a column per run, the plan's target and who met it.

    Row keys: ``kpi``, ``label``, ``unit``, ``target`` (None where the plan sets none),
    ``op`` ('>=' or '<='), ``target_label``, then for each run ``<run>`` (the value as a
    float, None when undefined) and ``<run>_met`` (True/False, None without a target).
    Targets come from :func:`sim.analysis.targets.plan_targets`; an undefined value counts as
    met, as it does there. Give ``until`` when the runs were stopped before the horizon.

    The RTO's ``<run>_met`` follows :func:`sim.analysis.targets.restoration_met`: not
    met once the end of play passed the target time with a service still down, None
    (not yet known) before; :func:`not_restored` tells which runs' value is a lower bound.
    """
    values = {name: run_kpis(rec, plan, until) for name, rec in runs.items()}
    still_down = {name: open_outages(as_of(rec, until)) for name, rec in runs.items()}
    checks = plan_targets(plan)
    rows: list[dict[str, Any]] = []
    for spec in DEBRIEF_KPIS:
        judged = _checks_for(spec.key, checks)
        row: dict[str, Any] = {"kpi": spec.key, "label": _(spec.label), "unit": spec.unit}
        row.update(_target_of(spec.key, judged))
        for name, kpis in values.items():
            row[name] = _clean(kpis.get(spec.key))
        for name, kpis in values.items():
            row[f"{name}_met"] = (
                all(c.met(kpis.get(c.kpi, math.nan)) for c in judged) if judged else None
            )
        if spec.key in RESTORATION_KPIS and judged:
            for name in values:
                row[f"{name}_met"] = restoration_met(row[name], still_down[name], judged[0])
        rows.append(row)
    return rows


def not_restored(runs: dict[str, RunRecords], until: float | None = None) -> set[str]:
    """The runs whose longest outage was still going at the end of play.

    Their RTO achieved is a lower bound: 'not restored by the end of play (at least 45m)'.
    """
    out = set()
    for name, rec in runs.items():
        ended = as_of(rec, until)
        down = open_outages(ended)
        longest = max((b - a for _what, a, b, _how in disruptions(ended)), default=0.0)
        if down and max(down) >= longest - EPS:
            out.add(name)
    return out


def _checks_for(key: str, checks: list[Check]) -> list[Check]:
    if key in TARGET_PREFIXES:
        return [c for c in checks if c.name.startswith(TARGET_PREFIXES[key])]
    names = TARGET_CHECKS.get(key, ())
    return [c for c in checks if c.name in names]


def _target_of(key: str, judged: list[Check]) -> dict[str, Any]:
    if not judged:
        return {"target": None, "op": None, "target_label": ""}
    if key in TARGET_PREFIXES:
        return {"target": 0.0, "op": "<=", "target_label": _(AGGREGATE_LABELS[key])}
    check = judged[0]
    return {"target": check.threshold, "op": check.op, "target_label": check.label}


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def decision_effects(
    runs: dict[str, RunRecords], plan: Plan, until: float | None = None, base: str = "room"
) -> list[dict[str, Any]]:
    """How far the ``base`` run ('room') lies from each other run, KPI by KPI.

    Row keys: ``kpi``, ``label``, then for each other run ``vs_<run>`` (base minus that
    run; None when either is undefined) and ``better_than_<run>`` (True when the base
    did better, False when worse, None when equal, undefined, or neither direction is
    better, as for the number of backups activated).
    """
    values = {name: run_kpis(rec, plan, until) for name, rec in runs.items()}
    mine = values[base]
    rows: list[dict[str, Any]] = []
    for spec in DEBRIEF_KPIS:
        row: dict[str, Any] = {"kpi": spec.key, "label": _(spec.label)}
        a = _clean(mine.get(spec.key))
        for name, kpis in values.items():
            if name == base:
                continue
            b = _clean(kpis.get(spec.key))
            diff = None if a is None or b is None else a - b
            row[f"vs_{name}"] = diff
            better = None
            if (
                diff is not None
                and abs(diff) > EPS
                and spec_for(spec.key).higher_is_better is not None
            ):
                better = (diff > 0) == spec.higher_is_better
            row[f"better_than_{name}"] = better
        rows.append(row)
    return rows
