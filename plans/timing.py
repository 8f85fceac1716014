"""Activation times against the targets: the RTO and each step's time limit.

Why a module of its own: these findings judge the critical paths worked out in
:mod:`plans.activation` (by moment of the week) against the plan's own limits, so they
change when the targets or the step limits do, not when the organisation does.
"""

from __future__ import annotations

import numpy as np

from plans.activation import ActivationPath, activation_paths
from plans.findings import Finding
from plans.model import Plan
from plans.types import human_minutes


def activation_findings(plan: Plan, paths: list[ActivationPath] | None = None) -> list[Finding]:
    """Activation paths that miss the RTO, steps over their limits, unreachable roles."""
    paths = activation_paths(plan) if paths is None else paths
    rto = plan.targets.rto
    findings: list[Finding] = []
    for p in paths:
        where = f"{p.event_class} level {p.level}: backup '{p.backup}'"
        data: dict[str, object] = {
            "best": p.best,
            "planned": p.planned,
            "with_retry": p.with_retry,
            "rto": rto,
        }
        if not np.isfinite(p.planned):
            findings.append(
                Finding(
                    "activation.unreachable",
                    "error",
                    f"{where} cannot be activated at some moments (e.g. {p.worst_moment}): "
                    "nobody answers for "
                    f"{', '.join(p.unreachable_roles) or 'a role on the path'}.",
                    (p.backup, *p.unreachable_roles),
                    data,
                )
            )
        elif p.planned > rto:
            findings.append(
                Finding(
                    "activation.rto",
                    "error",
                    f"{where} is active {human_minutes(p.planned)} after discovery "
                    f"at the slowest moment ({p.worst_moment}), "
                    f"beyond the RTO of {human_minutes(rto)} (best case {human_minutes(p.best)}).",
                    (p.backup,),
                    data,
                )
            )
        elif p.with_retry > rto:
            findings.append(
                Finding(
                    "activation.rto_retry",
                    "warning",
                    f"{where} meets the RTO ({human_minutes(p.planned)} at worst) "
                    "only if activation works first time; "
                    f"one failed attempt makes it {human_minutes(p.with_retry)}.",
                    (p.backup,),
                    data,
                )
            )
    return findings + _step_limit_findings(plan, paths)


def _step_limit_findings(plan: Plan, paths: list[ActivationPath]) -> list[Finding]:
    """Steps whose slowest time exceeds their limit, one finding per flow and step."""
    worst: dict[tuple[str, str, str], tuple[float, list[int]]] = {}
    for p in paths:
        timed = {
            **{k: v[1] for k, v in p.step_times.items()},
            "handle_coordinate": p.backup_branch[1],
        }
        for step_name, planned in timed.items():
            what = p.backup if step_name == "handle_coordinate" else ""
            key = (p.event_class, step_name, what)
            before, levels = worst.get(key, (0.0, []))
            flow = plan.flow_for(p.event_class)
            assert flow is not None
            if np.isfinite(planned) and planned > flow.step(step_name).limit:
                worst[key] = (max(before, planned), sorted({*levels, p.level}))
    out = []
    for (event_class, step_name, backup), (planned, levels) in worst.items():
        flow = plan.flow_for(event_class)
        assert flow is not None
        step = flow.step(step_name)
        doing = f"bringing up '{backup}' in step '{step_name}'" if backup else f"step '{step_name}'"
        out.append(
            Finding(
                "activation.step_limit",
                "warning",
                f"{event_class} (level {', '.join(map(str, levels))}): {doing} "
                f"takes up to {human_minutes(planned)} at the slowest moment of the week, "
                f"over its limit of {human_minutes(step.limit)}.",
                tuple(x for x in (backup, step.owner) if x),
                {"step": step_name, "planned": planned, "limit": step.limit, "levels": levels},
            )
        )
    return out
