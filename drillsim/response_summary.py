"""The response part of ``drillsim run``'s summary: steps, people, backups, prediction.

Why a module: the run summary is already long, and the response section reads a
different part of the results (step, reach and backup KPIs) plus the plan's own
critical-path prediction, which it sets beside what the simulation measured.
"""

from __future__ import annotations

from typing import Any

from plans import Plan
from plans.activation import activation_paths
from plans.model import STEP_NAMES
from plans.types import human_minutes
from scenarios import Scenario
from sim.analysis.montecarlo import MonteCarloResult
from sim.response.controller import DEFAULT_CLASS


def predicted_activations(plan: Plan, scenario: Scenario) -> list[dict[str, Any]]:
    """The plan's critical-path prediction for the event classes the scenario exercises."""
    classes = {e.event_class or _class_of(plan, e.kind) for e in scenario.events}
    return [
        {
            "event_class": p.event_class,
            "level": p.level,
            "backup": p.backup,
            "best": p.best,
            "planned": p.planned,
            "with_retry": p.with_retry,
        }
        for p in activation_paths(plan)
        if p.event_class in classes
    ]


def _class_of(plan: Plan, kind: str) -> str:
    wanted = DEFAULT_CLASS.get(kind, kind)
    return next((e.id for e in plan.event_classes if e.kind == wanted), wanted)


def _minutes(result: MonteCarloResult, key: str) -> tuple[str, str, str, int]:
    s = result.kpis.get(key)
    if s is None or s.n == 0:
        return "-", "-", "-", 0
    return human_minutes(s.mean), human_minutes(s.p5), human_minutes(s.p95), s.n


def render_response(
    plan: Plan, result: MonteCarloResult, policy: str, predicted: list[dict[str, Any]]
) -> str:
    """Steps against limits, time to reach each role, backups: predicted and measured."""
    n = len(result.seeds)
    lines = ["", f"  Response (policy '{policy}')"]
    if "incidents" not in result.kpis:
        return "\n".join([*lines, "  no response was played"])
    lines.append(f"  {'step':<22}{'mean':>8}{'p5':>8}{'p95':>8}   {'late in':>9}  limit (per flow)")
    limits: dict[str, list[float]] = {
        s.step: sorted({f.step(s.step).limit for f in plan.flows}) for s in plan.flows[0].steps
    }
    for step in STEP_NAMES[:5]:
        mean, p5, p95, runs = _minutes(result, f"step.{step}.time")
        late = result.kpis.get(f"step.{step}.late")
        late_share = (
            sum(v > 0 for v in result.values(f"step.{step}.late")) / n if late is not None else 0.0
        )
        limit = ", ".join(human_minutes(x) for x in limits.get(step, []))
        lines.append(f"  {step:<22}{mean:>8}{p5:>8}{p95:>8}   {late_share:>8.0%}  {limit}")
    reach = sorted(k for k in result.kpis if k.startswith("reach."))
    if reach:
        lines += ["", f"  {'time to reach role':<28}{'mean':>8}{'p95':>8}  reached in"]
        for key in reach:
            mean, _, p95, runs = _minutes(result, key)
            lines.append(
                f"  {key.removeprefix('reach.'):<28}{mean:>8}{p95:>8}  {runs / n:>6.0%} of runs"
            )
    lines += [
        "",
        "  Backups: discovery until active, predicted by the plan's critical path vs simulated",
    ]
    measured = sorted(
        k for k in result.kpis if k.startswith("backup.") and k.endswith(".active_after_discovery")
    )
    shown = {k.split(".")[1] for k in measured}
    for backup in sorted(shown | {p["backup"] for p in predicted}):
        preds = [p for p in predicted if p["backup"] == backup]
        pred = (
            f"{human_minutes(min(p['best'] for p in preds))} best - "
            f"{human_minutes(max(p['planned'] for p in preds))} planned"
            if preds
            else "not in the plan's flows"
        )
        mean, p5, p95, runs = _minutes(result, f"backup.{backup}.active_after_discovery")
        sim = (
            f"{mean} mean ({p5}-{p95}), activated in {runs / n:.0%} of runs"
            if runs
            else "never activated"
        )
        lines.append(f"  {backup:<24} predicted {pred:<28} simulated {sim}")
    fails = result.kpis.get("activation_failures")
    if fails is not None and fails.n:
        lines.append(f"  failed activation attempts: {fails.mean:.2f} a run on average")
    by_backup, by_repair = (
        result.kpis.get("restored_by_backup"),
        result.kpis.get("restored_by_repair"),
    )
    if by_backup is not None and by_repair is not None and by_backup.n:
        lines.append(
            f"  restorations a run: {by_backup.mean:.1f} by backup, {by_repair.mean:.1f} by repair"
        )
    for key, label in (
        ("detected_after", "detection after the event"),
        ("lost_work", "contacts in lost data windows"),
    ):
        s = result.kpis.get(key)
        if s is not None and s.n:
            value = human_minutes(s.mean) if key == "detected_after" else f"{s.mean:.1f}"
            lines.append(f"  {label}: {value} on average")
    return "\n".join(lines)
