"""Readiness analyses: pure functions from a plan (or its graph) to findings.

Why: every weakness found here is one a drill would otherwise find the hard way, in
front of customers. Each function answers one question and returns
:class:`plans.findings.Finding` records; nothing prints.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import networkx as nx
import numpy as np

from plans.activation import ActivationPath, activation_of, activation_paths, role_reach
from plans.findings import Finding, sort_findings
from plans.graph import build_graph, escalation_graph, nodes_of, role_people, sources, targets
from plans.model import Plan
from plans.schedule import describe_interval, gaps
from plans.types import format_duration, human_minutes

DRILL_INTERVAL_DAYS = 365
"""The manual asks for a full drill at least once a year (7.1, 7.3)."""


# --- single points of failure -------------------------------------------------------


def service_ok(g: nx.MultiDiGraph, node: str, failed: frozenset[str]) -> bool:
    """Whether ``node`` can work with the ``failed`` nodes gone.

    A node works when it is not failed, everything it ``depends_on`` works, its
    ``located_at`` site works and (for a channel) one of its ``served_at`` sites
    works; or when one of its ``backed_up_by`` standbys works and, if that standby
    needs approval, someone is left to approve it. A system ``located_at`` a lost
    site is down even if the site's work moves to a backup site: the system itself
    needs its standby. A dependency cycle counts as not working, so a cycle can never
    hide a failure. People matter here only through the roles that approve a standby;
    their other weaknesses are found by the escalation and deputy checks.
    """

    @cache
    def ok(n: str, visiting: frozenset[str], via_backup: bool = True) -> bool:
        if n in visiting:
            return False
        inside = visiting | {n}
        kind = g.nodes[n]["kind"]
        if kind == "person":
            return n not in failed
        if kind == "role":
            return any(p not in failed for p in role_people(g, n))
        own = (
            n not in failed
            and all(ok(t, inside) for t in targets(g, n, "depends_on"))
            and all(ok(t, inside, False) for t in targets(g, n, "located_at"))
        )
        served = targets(g, n, "served_at")
        if served:
            own = own and any(ok(s, inside) for s in served)
        if own or not via_backup:
            return own
        return any(_standby_usable(s, inside) for s in targets(g, n, "backed_up_by"))

    def _standby_usable(standby: str, visiting: frozenset[str]) -> bool:
        approvers = sources(g, standby, "approves")
        return ok(standby, visiting) and all(ok(a, visiting) for a in approvers)

    return ok(node, frozenset())


def single_points_of_failure(g: nx.MultiDiGraph) -> list[Finding]:
    """Nodes (system, site, resource, person) whose loss alone stops a channel."""
    channels = nodes_of(g, "channel")
    findings: list[Finding] = []
    broken_at_start = [c for c in channels if not service_ok(g, c, frozenset())]
    for channel in broken_at_start:
        findings.append(
            Finding(
                "spof.unservable",
                "error",
                f"Channel '{channel}' cannot be served even with nothing failed: check its dependencies and sites.",
                (channel,),
            )
        )
    candidates = [
        n for n, k in g.nodes(data="kind") if k in {"system", "site", "resource", "person"}
    ]
    for node in candidates:
        lost = [
            c
            for c in channels
            if c not in broken_at_start and not service_ok(g, c, frozenset({node}))
        ]
        if lost:
            kind = g.nodes[node]["kind"]
            findings.append(
                Finding(
                    "spof.node",
                    "error",
                    f"Single point of failure: losing {kind} '{node}' stops channel(s) {', '.join(lost)}, "
                    "with no standby or other path.",
                    (node, *lost),
                    {"kind": kind, "channels": lost},
                )
            )
    return findings


def missing_deputies(plan: Plan) -> list[Finding]:
    """Roles held by one person with nobody to stand in."""
    findings = []
    for role in plan.roles:
        if role.deputies:
            continue
        if role.critical:
            findings.append(
                Finding(
                    "role.no_deputy",
                    "error",
                    f"Critical role '{role.id}' is held by one person ('{role.holder}') with no deputy.",
                    (role.id, role.holder),
                )
            )
        else:
            findings.append(
                Finding(
                    "role.no_deputy",
                    "info",
                    f"Role '{role.id}' has no deputy.",
                    (role.id, role.holder),
                )
            )
    return findings


def concurrent_roles(plan: Plan) -> list[Finding]:
    """One person holding two roles that a level activates at the same time."""
    findings: list[Finding] = []
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
                        f"'{person}' holds {', '.join(roles)}, which level {level.level} activates together: "
                        "one person cannot do both at once.",
                        (person, *roles),
                        {"level": level.level},
                    )
                )
    return findings


# --- escalation and cover -----------------------------------------------------------


def escalation_findings(plan: Plan, g: nx.MultiDiGraph) -> list[Finding]:
    """Cycles, roles with no line to the commander, and people whose loss cuts lines."""
    esc = escalation_graph(g)
    commander = plan.commander().id
    findings = [
        Finding(
            "escalation.cycle",
            "error",
            f"Escalation lines go round in a circle: {' -> '.join([*cycle, cycle[0]])}.",
            tuple(cycle),
        )
        for cycle in nx.simple_cycles(esc)
    ]
    cut_off = [r for r in esc if r != commander and not nx.has_path(esc, r, commander)]
    findings += [
        Finding(
            "escalation.unreachable",
            "error",
            f"Role '{r}' has no reporting or escalation line that reaches the commander '{commander}'.",
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
                    f"Losing '{person.id}' cuts escalation from {', '.join(stranded)} to the commander: "
                    f"they alone hold {', '.join(sorted(dead))}.",
                    (person.id, *sorted(dead), *stranded),
                    {"stranded": stranded, "roles": sorted(dead)},
                )
            )
    return findings


def on_call_gaps(plan: Plan) -> list[Finding]:
    """Moments of the week when nobody who can act for a role is on call."""
    findings = []
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
        shown = ", ".join(describe_interval(h) for h in holes[:4]) + (
            " ..." if len(holes) > 4 else ""
        )
        hours = sum(e - s for s, e in holes) / 60
        findings.append(
            Finding(
                "cover.gap",
                "error" if role.critical else "warning",
                f"Role '{role.id}' has nobody on call for {hours:g} h a week: {shown}.",
                (role.id,),
                {"gaps": [list(h) for h in holes], "hours_per_week": hours},
            )
        )
    return findings


# --- activation time against the targets -------------------------------------------


def activation_findings(plan: Plan, paths: list[ActivationPath] | None = None) -> list[Finding]:
    """Activation paths that miss the RTO, steps over their limits, unreachable roles."""
    paths = activation_paths(plan) if paths is None else paths
    rto = plan.targets.rto
    findings: list[Finding] = []
    for p in paths:
        where = f"{p.event_class} level {p.level}: backup '{p.backup}'"
        data = {"best": p.best, "planned": p.planned, "with_retry": p.with_retry, "rto": rto}
        if not np.isfinite(p.planned):
            findings.append(
                Finding(
                    "activation.unreachable",
                    "error",
                    f"{where} cannot be activated at some moments (e.g. {p.worst_moment}): nobody answers for "
                    f"{', '.join(p.unreachable_roles) or 'a role on the path'}.",
                    (p.backup, *p.unreachable_roles),
                    data,
                )
            )
        elif p.planned > rto:
            severity = "error"
            findings.append(
                Finding(
                    "activation.rto",
                    severity,
                    f"{where} is active {human_minutes(p.planned)} after discovery at the slowest moment ({p.worst_moment}), "
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
                    f"{where} meets the RTO ({human_minutes(p.planned)} at worst) only if activation works first time; "
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
                f"{event_class} (level {', '.join(map(str, levels))}): {doing} takes up to {human_minutes(planned)} "
                f"at the slowest moment of the week, over its limit of {human_minutes(step.limit)}.",
                tuple(x for x in (backup, step.owner) if x),
                {"step": step_name, "planned": planned, "limit": step.limit, "levels": levels},
            )
        )
    return out


# --- resources, data and drills -----------------------------------------------------


def resource_findings(plan: Plan) -> list[Finding]:
    """Resources with no owner or procedure, missing reserves, backups that cannot start."""
    findings: list[Finding] = []
    for res in plan.resources:
        if res.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    f"Resource '{res.id}' has no owner role (7.4).",
                    (res.id,),
                )
            )
        if not res.procedure.strip():
            findings.append(
                Finding(
                    "resource.no_procedure",
                    "warning",
                    f"Resource '{res.id}' has no dispatch procedure (7.4).",
                    (res.id,),
                )
            )
        if res.reserve_required and not res.backup and res.reserve_staff is None:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"Resource '{res.id}' requires a reserve but has none.",
                    (res.id,),
                )
            )
    for system in plan.systems:
        if system.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    f"System '{system.id}' has no owner role.",
                    (system.id,),
                )
            )
        if system.reserve_required and not system.standby:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"System '{system.id}' requires a standby but has none.",
                    (system.id,),
                )
            )
    for site in plan.sites:
        if site.reserve_required and not site.backup_site:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"Site '{site.id}' requires a backup site but has none.",
                    (site.id,),
                )
            )
    findings += _backup_activation_findings(plan)
    return findings


def _backup_activation_findings(plan: Plan) -> list[Finding]:
    """Every standby or backup site the plan relies on needs an activation procedure."""
    backups = {s.standby for s in plan.systems if s.standby} | {
        s.backup_site for s in plan.sites if s.backup_site
    }
    for flow in plan.flows:
        backups |= {
            a.target for step in flow.steps for a in step.actions if a.action == "activate_backup"
        }
    findings = []
    for backup in sorted(b for b in backups if b):
        activation = activation_of(plan, backup)
        if activation is None:
            findings.append(
                Finding(
                    "backup.no_activation",
                    "error",
                    f"Backup '{backup}' has no activation block (time, approver, procedure): it cannot be brought up as planned.",
                    (backup,),
                )
            )
        elif not activation.procedure.strip():
            findings.append(
                Finding(
                    "backup.no_procedure",
                    "warning",
                    f"Backup '{backup}' has no written activation procedure.",
                    (backup,),
                )
            )
    return findings


def data_findings(plan: Plan) -> list[Finding]:
    """Systems holding data whose replication cannot meet the RPO."""
    rpo = plan.targets.rpo
    findings = []
    for system in plan.systems:
        if not system.holds_data:
            continue
        interval = system.replication_interval
        if interval is None:
            findings.append(
                Finding(
                    "data.no_replication",
                    "error",
                    f"System '{system.id}' holds data but is not replicated: any loss exceeds the RPO of {human_minutes(rpo)}.",
                    (system.id,),
                )
            )
        elif interval > rpo:
            findings.append(
                Finding(
                    "data.rpo",
                    "error",
                    f"System '{system.id}' replicates every {format_duration(interval)}, so up to "
                    f"{format_duration(interval)} of data can be lost: beyond the RPO of {format_duration(rpo)}.",
                    (system.id,),
                    {"interval": interval, "rpo": rpo},
                )
            )
    return findings


def coverage_findings(plan: Plan) -> list[Finding]:
    """Event classes with no response flow."""
    with_flow = {f.event_class for f in plan.flows}
    return [
        Finding("flow.missing", "error", f"Event class '{e.id}' has no response flow.", (e.id,))
        for e in plan.event_classes
        if e.id not in with_flow
    ]


def drill_findings(plan: Plan, today: dt.date) -> list[Finding]:
    """The yearly full drill and the plan's review date."""
    meta = plan.meta
    findings = []
    if meta.last_full_drill is None:
        findings.append(
            Finding(
                "drill.never",
                "error",
                "No full drill is recorded; the manual asks for one at least once a year.",
                (meta.id,),
            )
        )
    else:
        age = (today - meta.last_full_drill).days
        if age > DRILL_INTERVAL_DAYS:
            findings.append(
                Finding(
                    "drill.overdue",
                    "error",
                    f"The last full drill ({meta.last_full_drill.isoformat()}) was {age} days ago; "
                    "the manual asks for one at least once a year.",
                    (meta.id,),
                    {"days": age},
                )
            )
    if meta.next_review < today:
        findings.append(
            Finding(
                "plan.review_overdue",
                "warning",
                f"The plan was due for review on {meta.next_review.isoformat()}.",
                (meta.id,),
            )
        )
    return findings


def unreachable_roles(plan: Plan) -> list[Finding]:
    """Roles that nobody answers for at some moment of the week, on call or not."""
    findings = []
    for role in plan.roles:
        reach = role_reach(plan, role.id)
        if not np.all(np.isfinite(reach)):
            share = float(np.mean(~np.isfinite(reach)))
            findings.append(
                Finding(
                    "role.unreachable",
                    "error" if role.critical else "warning",
                    f"Nobody can be reached for role '{role.id}' during {share:.0%} of the week "
                    "(off call and no off-call response time).",
                    (role.id,),
                    {"share_of_week": share},
                )
            )
    return findings


def readiness_findings(plan: Plan, today: dt.date) -> list[Finding]:
    """Every readiness finding for a plan, errors first."""
    g = build_graph(plan)
    findings = [
        *coverage_findings(plan),
        *single_points_of_failure(g),
        *missing_deputies(plan),
        *concurrent_roles(plan),
        *escalation_findings(plan, g),
        *on_call_gaps(plan),
        *unreachable_roles(plan),
        *activation_findings(plan),
        *resource_findings(plan),
        *data_findings(plan),
        *drill_findings(plan, today),
    ]
    return sort_findings(findings)
