"""The response part of ``drillsim run``'s summary: steps, people, backups, prediction.

Why a module: the run summary is already long, and the response section reads a
different part of the results (step, reach and backup KPIs) plus the plan's own
critical-path prediction, which it sets beside what the simulation measured.
"""

from __future__ import annotations

from typing import Any

from drillsim.text import ljust, name_of, rjust, width
from i18n import N_, _
from plans import Plan
from plans.activation import activation_paths
from plans.model import STEP_NAMES
from plans.types import human_minutes
from scenarios import Scenario
from sim.analysis.montecarlo import MonteCarloResult
from sim.response.controller import DEFAULT_CLASS

COLUMN_LABELS = (
    N_("step"),
    N_("mean"),
    N_("p5"),
    N_("p95"),
    N_("late in"),
    N_("limit (per flow)"),
    N_("time to reach role"),
    N_("reached in"),
)
"""Column headers and words translated inside the f-strings below (marked here for the catalog)."""


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


STEP_LABELS = {
    "discover_report": N_("discovery and report"),
    "assess_grade": N_("assessment and grading"),
    "activate": N_("activation"),
    "handle_coordinate": N_("handling and coordination"),
    "track_feedback": N_("tracking and feedback"),
    "review_improve": N_("summary and improvement"),
}
"""The six response steps of the manual (7.2), by their id in the plan."""


def render_response(
    plan: Plan, result: MonteCarloResult, policy: str, predicted: list[dict[str, Any]]
) -> str:
    """Steps against limits, time to reach each role, backups: predicted and measured."""
    n = len(result.seeds)
    lines = ["", _("  Response (policy '{policy}')").format(policy=policy)]
    if "incidents" not in result.kpis:
        return "\n".join([*lines, _("  no response was played")])
    steps = {step: _(STEP_LABELS.get(step, step)) for step in STEP_NAMES[:5]}
    sw = max(22, *(width(x) + 2 for x in steps.values()))
    timing = {step: _minutes(result, f"step.{step}.time") for step in STEP_NAMES[:5]}
    tw = max([8, *(width(x) + 1 for t in timing.values() for x in t[:3])])
    lines.append(
        f"  {ljust(_('step'), sw)}{rjust(_('mean'), tw)}{rjust(_('p5'), tw)}{rjust(_('p95'), tw)}"
        f"   {rjust(_('late in'), 9)}  {_('limit (per flow)')}"
    )
    limits: dict[str, list[float]] = {
        s.step: sorted({f.step(s.step).limit for f in plan.flows}) for s in plan.flows[0].steps
    }
    for step in STEP_NAMES[:5]:
        mean, p5, p95, runs = timing[step]
        late = result.kpis.get(f"step.{step}.late")
        late_share = (
            sum(v > 0 for v in result.values(f"step.{step}.late")) / n if late is not None else 0.0
        )
        limit = ", ".join(human_minutes(x) for x in limits.get(step, []))
        lines.append(
            f"  {ljust(steps[step], sw)}{rjust(mean, tw)}{rjust(p5, tw)}{rjust(p95, tw)}"
            f"   {late_share:>8.0%}  {limit}"
        )
    reach = sorted(k for k in result.kpis if k.startswith("reach."))
    if reach:
        roles = {k: name_of(plan, k.removeprefix("reach.")) for k in reach}
        rw = max(28, *(width(x) + 2 for x in roles.values()))
        lines += [
            "",
            f"  {ljust(_('time to reach role'), rw)}{rjust(_('mean'), 8)}{rjust(_('p95'), 8)}"
            f"  {_('reached in')}",
        ]
        for key in reach:
            mean, _p5, p95, runs = _minutes(result, key)
            share = _("{share:>6.0%} of runs").format(share=runs / n)
            lines.append(f"  {ljust(roles[key], rw)}{rjust(mean, 8)}{rjust(p95, 8)}  {share}")
    lines += [
        "",
        _("  Backups: discovery until active, predicted by the plan's critical path vs simulated"),
    ]
    measured = sorted(
        k for k in result.kpis if k.startswith("backup.") and k.endswith(".active_after_discovery")
    )
    shown = {k.split(".")[1] for k in measured}
    backups = sorted(shown | {p["backup"] for p in predicted})
    names = {b: name_of(plan, b) for b in backups}
    bw = max([24, *(width(x) for x in names.values())])
    for backup in backups:
        preds = [p for p in predicted if p["backup"] == backup]
        pred = (
            _("{best} best - {planned} planned").format(
                best=human_minutes(min(p["best"] for p in preds)),
                planned=human_minutes(max(p["planned"] for p in preds)),
            )
            if preds
            else _("not in the plan's flows")
        )
        mean, p5, p95, runs = _minutes(result, f"backup.{backup}.active_after_discovery")
        sim = (
            _("{mean} mean ({p5}-{p95}), activated in {share:.0%} of runs").format(
                mean=mean, p5=p5, p95=p95, share=runs / n
            )
            if runs
            else _("never activated")
        )
        lines.append(
            "  "
            + ljust(names[backup], bw)
            + " "
            + _("predicted {prediction} simulated {simulation}").format(
                prediction=ljust(pred, 28), simulation=sim
            )
        )
    fails = result.kpis.get("activation_failures")
    if fails is not None and fails.n:
        lines.append(
            _("  failed activation attempts: {mean:.2f} a run on average").format(mean=fails.mean)
        )
    by_backup, by_repair = (
        result.kpis.get("restored_by_backup"),
        result.kpis.get("restored_by_repair"),
    )
    if by_backup is not None and by_repair is not None and by_backup.n:
        lines.append(
            _("  restorations a run: {backup:.1f} by backup, {repair:.1f} by repair").format(
                backup=by_backup.mean, repair=by_repair.mean
            )
        )
    detected = result.kpis.get("detected_after")
    if detected is not None and detected.n:
        lines.append(
            _("  detection after the event: {value} on average").format(
                value=human_minutes(detected.mean)
            )
        )
    lost = result.kpis.get("lost_work")
    if lost is not None and lost.n:
        lines.append(
            _("  contacts in lost data windows: {value:.1f} on average").format(value=lost.mean)
        )
    return "\n".join(lines)
