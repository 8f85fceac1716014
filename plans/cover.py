"""Readiness of the emergency organisation: deputies, escalation lines, on-call cover.

Why together: each of these asks whether someone can be reached to act for a role
(a deputy when the holder is away, a line up to the commander, a person on call at
every moment of the week); they read the roles and people, not the sites and systems.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from i18n import _, format_percent
from plans.activation import role_reach
from plans.findings import Finding
from plans.graph import escalation_graph, role_people
from plans.model import Plan
from plans.names import display_names, join_names
from plans.schedule import describe_interval, gaps


def missing_deputies(plan: Plan) -> list[Finding]:
    """Roles held by one person with nobody to stand in."""
    findings = []
    names = display_names(plan)
    for role in plan.roles:
        if role.deputies:
            continue
        if role.critical:
            findings.append(
                Finding(
                    "role.no_deputy",
                    "error",
                    _(
                        "Critical role '{role}' is held by one person ('{person}') with no deputy."
                    ).format(role=names[role.id], person=names[role.holder]),
                    (role.id, role.holder),
                )
            )
        else:
            findings.append(
                Finding(
                    "role.no_deputy",
                    "info",
                    _("Role '{role}' has no deputy.").format(role=names[role.id]),
                    (role.id, role.holder),
                )
            )
    return findings


def concurrent_roles(plan: Plan) -> list[Finding]:
    """One person holding two roles that a level activates at the same time."""
    findings: list[Finding] = []
    names = display_names(plan)
    reported: set[tuple[str, tuple[str, ...]]] = set()
    for level in sorted(plan.levels, key=lambda lv: lv.level):
        team = list(dict.fromkeys([level.response.lead, *level.response.team]))
        by_person: dict[str, list[str]] = {}
        for role_id in team:
            by_person.setdefault(plan.role(role_id).holder, []).append(role_id)
        for person, roles in by_person.items():
            key = (person, tuple(roles))
            if len(roles) > 1 and key not in reported:
                reported.add(key)
                findings.append(
                    Finding(
                        "role.concurrent",
                        "warning",
                        _(
                            "'{person}' holds {roles}, which level {level} activates together: "
                            "one person cannot do both at once."
                        ).format(
                            person=names[person],
                            roles=join_names([names[r] for r in roles]),
                            level=level.level,
                        ),
                        (person, *roles),
                        {"level": level.level},
                    )
                )
    return findings


def escalation_findings(plan: Plan, g: nx.MultiDiGraph) -> list[Finding]:
    """Cycles, roles with no line to the commander, and people whose loss cuts lines."""
    esc = escalation_graph(g)
    commander = plan.commander().id
    names = display_names(plan)
    findings = [
        Finding(
            "escalation.cycle",
            "error",
            _("Escalation lines go round in a circle: {cycle}.").format(
                cycle=" -> ".join(names[r] for r in [*cycle, cycle[0]])
            ),
            tuple(cycle),
        )
        for cycle in nx.simple_cycles(esc)
    ]
    cut_off = [r for r in esc if r != commander and not nx.has_path(esc, r, commander)]
    findings += [
        Finding(
            "escalation.unreachable",
            "error",
            _(
                "Role '{role}' has no reporting or escalation line that reaches the commander "
                "'{commander}'."
            ).format(role=names[r], commander=names[commander]),
            (r, commander),
        )
        for r in cut_off
    ]
    findings += _escalation_cuts(plan, g, esc, commander, set(cut_off))
    return findings


def _escalation_cuts(
    plan: Plan, g: nx.MultiDiGraph, esc: nx.DiGraph, commander: str, cut_off: set[str]
) -> list[Finding]:
    """People who alone hold a role that escalation must pass through."""
    findings = []
    names = display_names(plan)
    for person in plan.people:
        dead = {r.id for r in plan.roles if set(role_people(g, r.id)) == {person.id}}
        if not dead:
            continue
        live = esc.subgraph(n for n in esc if n not in dead)
        stranded = sorted(
            r
            for r in esc
            if r not in dead
            and r not in cut_off
            and r != commander
            and (commander in dead or not nx.has_path(live, r, commander))
        )
        if stranded:
            findings.append(
                Finding(
                    "escalation.person_cut",
                    "error",
                    _(
                        "Losing '{person}' cuts escalation from {stranded} to the commander: "
                        "they alone hold {roles}."
                    ).format(
                        person=names[person.id],
                        stranded=join_names([names[r] for r in stranded]),
                        roles=join_names([names[r] for r in sorted(dead)]),
                    ),
                    (person.id, *sorted(dead), *stranded),
                    {"stranded": stranded, "roles": sorted(dead)},
                )
            )
    return findings


def on_call_gaps(plan: Plan) -> list[Finding]:
    """Moments of the week when nobody who can act for a role is on call."""
    findings = []
    names = display_names(plan)
    for role in plan.roles:
        intervals = [
            iv
            for pid in (role.holder, *role.deputies)
            for w in plan.person(pid).on_call
            for iv in w.intervals()
        ]
        holes = gaps(intervals)
        if not holes:
            continue
        shown = join_names([describe_interval(h) for h in holes[:4]]) + (
            " ..." if len(holes) > 4 else ""
        )
        hours = sum(e - s for s, e in holes) / 60
        findings.append(
            Finding(
                "cover.gap",
                "error" if role.critical else "warning",
                _("Role '{role}' has nobody on call for {hours:g} h a week: {gaps}.").format(
                    role=names[role.id], hours=hours, gaps=shown
                ),
                (role.id,),
                {"gaps": [list(h) for h in holes], "hours_per_week": hours},
            )
        )
    return findings


def unreachable_roles(plan: Plan) -> list[Finding]:
    """Roles that nobody answers for at some moment of the week, on call or not."""
    findings = []
    names = display_names(plan)
    for role in plan.roles:
        reach = role_reach(plan, role.id)
        if not np.all(np.isfinite(reach)):
            share = float(np.mean(~np.isfinite(reach)))
            findings.append(
                Finding(
                    "role.unreachable",
                    "error" if role.critical else "warning",
                    _(
                        "Nobody can be reached for role '{role}' during {share} of the week "
                        "(off call and no off-call response time)."
                    ).format(role=names[role.id], share=format_percent(share, digits=0)),
                    (role.id,),
                    {"share_of_week": share},
                )
            )
    return findings
