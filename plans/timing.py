"""Activation times against the targets: the RTO and each step's time limit.

Why a module of its own: these findings judge the critical paths worked out in
:mod:`plans.activation` (by moment of the week) against the plan's own limits, so they
change when the targets or the step limits do, not when the organisation does.
"""

from __future__ import annotations

import numpy as np

from i18n import _
from plans.activation import ActivationPath, activation_paths
from plans.findings import Finding
from plans.flows import STEP_LABELS
from plans.model import Plan
from plans.names import display_names, join_names
from plans.types import human_minutes


def activation_findings(plan: Plan, paths: list[ActivationPath] | None = None) -> list[Finding]:
    """Activation paths that miss the RTO, steps over their limits, unreachable roles."""
    paths = activation_paths(plan) if paths is None else paths
    rto = plan.targets.rto
    names = display_names(plan)
    findings: list[Finding] = []
    for p in paths:
        where = _("{event_class} level {level}: backup '{backup}'").format(
            event_class=names.get(p.event_class, p.event_class),
            level=p.level,
            backup=names.get(p.backup, p.backup),
        )
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
                    _(
                        "{where} cannot be activated at some moments (e.g. {moment}): "
                        "nobody answers for {roles}."
                    ).format(
                        where=where,
                        moment=p.worst_moment,
                        roles=join_names([names.get(r, r) for r in p.unreachable_roles])
                        or _("a role on the path"),
                    ),
                    (p.backup, *p.unreachable_roles),
                    data,
                )
            )
        elif p.planned > rto:
            findings.append(
                Finding(
                    "activation.rto",
                    "error",
                    _(
                        "{where} is active {planned} after discovery "
                        "at the slowest moment ({moment}), "
                        "beyond the RTO of {rto} (best case {best})."
                    ).format(
                        where=where,
                        planned=human_minutes(p.planned),
                        moment=p.worst_moment,
                        rto=human_minutes(rto),
                        best=human_minutes(p.best),
                    ),
                    (p.backup,),
                    data,
                )
            )
        elif p.with_retry > rto:
            findings.append(
                Finding(
                    "activation.rto_retry",
                    "warning",
                    _(
                        "{where} meets the RTO ({planned} at worst) "
                        "only if activation works first time; "
                        "one failed attempt makes it {with_retry}."
                    ).format(
                        where=where,
                        planned=human_minutes(p.planned),
                        with_retry=human_minutes(p.with_retry),
                    ),
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
    names = display_names(plan)
    for (event_class, step_name, backup), (planned, levels) in worst.items():
        flow = plan.flow_for(event_class)
        assert flow is not None
        step = flow.step(step_name)
        fields = {
            "event_class": names.get(event_class, event_class),
            "levels": join_names([str(n) for n in levels]),
            "backup": names.get(backup, backup),
            "step": _(STEP_LABELS[step_name]),
            "planned": human_minutes(planned),
            "limit": human_minutes(step.limit),
        }
        if backup:
            message = _(
                "{event_class} (level {levels}): bringing up '{backup}' in step '{step}' "
                "takes up to {planned} at the slowest moment of the week, "
                "over its limit of {limit}."
            ).format(**fields)
        else:
            message = _(
                "{event_class} (level {levels}): step '{step}' "
                "takes up to {planned} at the slowest moment of the week, "
                "over its limit of {limit}."
            ).format(**fields)
        out.append(
            Finding(
                "activation.step_limit",
                "warning",
                message,
                tuple(x for x in (backup, step.owner) if x),
                {"step": step_name, "planned": planned, "limit": step.limit, "levels": levels},
            )
        )
    return out
