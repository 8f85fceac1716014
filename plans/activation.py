"""How long from discovery until each backup is active: a critical path, by hour of week.

Why by moment of the week: the same plan is fast on a Tuesday morning and slow on a
Saturday night, when the people it names are off call. Every duration here is an
array over the moments of the week (one every ``RESOLUTION`` minutes) and the
critical path is taken element-wise, so each figure comes with the moment it occurs.

The task graph for one event class, level and backup is::

    start -> reported -> graded -> activated -> approved ---> backup started -> active
                                            \\-> owner on it -/

* reported: the owner of 'discover_report' is reached (then its effort);
* graded: the owner of 'assess_grade' is reached, if another role (then its effort);
* activated: the level's lead and team and the owner of 'activate' are reached, in
  parallel (then its effort);
* approved: the backup's approver is reached, then the approval time;
* owner on it: the action's owner (or the handling step's owner) is reached, then
  the action's effort;
* active: the backup's activation time.

A role is reached when the first person called answers. The holder is called first;
if they do not answer within the role's ``answer_within``, the next deputy is called,
and so on (earlier people may still answer late). A person answers in their on-call
response time while on call, in their off-call time otherwise, or never.

Simplification, stated: whether a person is on call is judged at the moment of
discovery, not at the later moment they are called.

*Best case* is the fastest moment of the week; *planned case* is the slowest, which is
what the plan actually guarantees. *With one retry* adds one failed activation
attempt (retry delay plus activation time again) to the planned case, where the
plan gives the activation a chance of failing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from plans.assets import Activation
from plans.flows import Action, Flow
from plans.grading import LevelDef
from plans.model import Plan
from plans.schedule import WEEK_MINUTES, describe_minute

RESOLUTION = 15
"""Minutes between the moments of the week that are evaluated."""
MOMENTS = np.arange(0, WEEK_MINUTES, RESOLUTION)
Times = NDArray[np.float64]


def person_response(plan: Plan, person_id: str) -> Times:
    """Minutes a person takes to answer, at each moment of the week (inf: never)."""
    person = plan.person(person_id)
    on_call = np.zeros(len(MOMENTS), dtype=bool)
    for window in person.on_call:
        for start, end in window.intervals():
            on_call |= (start <= MOMENTS) & (end > MOMENTS)
    off = np.inf if person.response_time.off_call is None else person.response_time.off_call
    return np.where(on_call, person.response_time.on_call, off)


def role_reach(plan: Plan, role_id: str) -> Times:
    """Minutes until someone answers for a role, at each moment of the week."""
    role = plan.role(role_id)
    people = [role.holder, *role.deputies]
    wait = role.answer_within
    reach = np.full(len(MOMENTS), np.inf)
    still_calling = np.ones(len(MOMENTS), dtype=bool)
    for i, person_id in enumerate(people):
        response = person_response(plan, person_id)
        called_at = i * wait
        reach = np.where(still_calling, np.minimum(reach, called_at + response), reach)
        still_calling &= response > wait
    return reach


@dataclass(frozen=True, slots=True)
class ActivationPath:
    """Time from discovery until one backup is active, for one event class and level."""

    event_class: str
    level: int
    backup: str
    best: float
    """Minutes at the fastest moment of the week."""
    planned: float
    """Minutes at the slowest moment of the week (inf when someone cannot be reached)."""
    with_retry: float
    """Planned case plus one failed activation attempt."""
    best_moment: str
    worst_moment: str
    step_times: dict[str, tuple[float, float]]
    """Per step before handling: (best, planned) minutes spent in the step."""
    backup_branch: tuple[float, float]
    """(best, planned) minutes from activation done until the backup is active."""
    unreachable_roles: tuple[str, ...]
    """Roles nobody answers for at some moment of the week."""


def _reached(reach: dict[str, Times], roles: list[str], already: set[str]) -> Times:
    pending = [reach[r] for r in dict.fromkeys(roles) if r not in already]
    if not pending:
        return np.zeros(len(MOMENTS))
    return np.maximum.reduce(pending)


def activation_of(plan: Plan, target: str) -> Activation | None:
    """The activation block of a standby system or backup site."""
    for system in plan.systems:
        if system.id == target:
            return system.activation
    for site in plan.sites:
        if site.id == target:
            return site.activation
    return None


Dag = dict[tuple[str, str], Times]
"""A task DAG: (from, to) -> the edge's minutes, in the order the edges were added.

Why not networkx: this DAG has eight nodes, and importing networkx cost ``drillsim run``
a tenth of a second of start-up (issue 19); the longest paths below need only a
topological order."""


class _Dag(dict[tuple[str, str], NDArray[np.float64]]):
    def add_edge(self, u: str, v: str, w: NDArray[np.float64]) -> None:
        self[u, v] = w


def task_graph(
    plan: Plan, flow: Flow, level: LevelDef, action: Action, reach: dict[str, Times]
) -> Dag:
    """The task DAG of the module docstring, edges weighted by arrays of minutes."""
    activation = activation_of(plan, action.target)
    assert activation is not None
    s1, s2, s3, s4 = (
        flow.step(n) for n in ("discover_report", "assess_grade", "activate", "handle_coordinate")
    )
    team = [level.response.lead, *level.response.team, s3.owner]
    owner = action.owner or s4.owner
    dag = _Dag()
    dag.add_edge("start", "reported", _reached(reach, [s1.owner], set()) + s1.effort)
    dag.add_edge("reported", "graded", _reached(reach, [s2.owner], {s1.owner}) + s2.effort)
    dag.add_edge("graded", "activated", _reached(reach, team, {s1.owner, s2.owner}) + s3.effort)
    known = {s1.owner, s2.owner, *team}
    approver = [activation.approval_by] if activation.approval_by else []
    dag.add_edge(
        "activated", "approved", _reached(reach, approver, known) + activation.approval_time
    )
    dag.add_edge("activated", "owner_on_it", _reached(reach, [owner], known) + action.effort)
    zero = np.zeros(len(MOMENTS))
    dag.add_edge("approved", "started", zero)
    dag.add_edge("owner_on_it", "started", zero)
    dag.add_edge("started", "active", np.full(len(MOMENTS), activation.time))
    return dag


def topological_order(dag: Dag) -> list[str]:
    """The DAG's nodes, each after every node with an edge to it (Kahn's algorithm)."""
    nodes = list(dict.fromkeys(n for edge in dag for n in edge))
    into = {n: sum(1 for _u, v in dag if v == n) for n in nodes}
    ready = deque(n for n in nodes if into[n] == 0)
    order: list[str] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for u, v in dag:
            if u == node:
                into[v] -= 1
                if into[v] == 0:
                    ready.append(v)
    if len(order) != len(nodes):
        raise ValueError("the task graph has a cycle")  # not for people: a programming error
    return order


def longest_paths(dag: Dag, source: str = "start") -> dict[str, Times]:
    """Element-wise longest path from ``source`` to every node of a weighted DAG."""
    dist: dict[str, Times] = {source: np.zeros(len(MOMENTS))}
    for node in topological_order(dag):
        arrivals = [dist[u] + w for (u, v), w in dag.items() if v == node and u in dist]
        if node != source and arrivals:
            dist[node] = np.maximum.reduce(arrivals)
    return dist


def activation_paths(plan: Plan) -> list[ActivationPath]:
    """Every (event class, level, backup) activation path the plan's flows contain."""
    reach = {role.id: role_reach(plan, role.id) for role in plan.roles}
    out: list[ActivationPath] = []
    for flow in plan.flows:
        handle = flow.step("handle_coordinate")
        for level in sorted(plan.levels, key=lambda lv: lv.level):
            for action in handle.actions:
                if action.action != "activate_backup" or level.level not in action.levels:
                    continue
                activation = activation_of(plan, action.target)
                if activation is None:
                    continue  # reported by the resource checks: nothing to time
                out.append(_path(plan, flow, level, action, activation, reach))
    return out


def _path(
    plan: Plan,
    flow: Flow,
    level: LevelDef,
    action: Action,
    activation: Activation,
    reach: dict[str, Times],
) -> ActivationPath:
    dag = task_graph(plan, flow, level, action, reach)
    dist = longest_paths(dag)
    total = dist["active"]
    best_i = int(np.argmin(total))
    worst_i = int(np.argmax(total))
    planned = float(total[worst_i])
    retry = activation.retry_after + activation.time if activation.failure_probability > 0 else 0.0
    steps = {
        "discover_report": dag["start", "reported"],
        "assess_grade": dag["reported", "graded"],
        "activate": dag["graded", "activated"],
    }
    branch = longest_paths(dag, "activated")["active"]
    involved = _roles_in(plan, flow, level, action)
    unreachable = tuple(sorted(r for r in involved if not np.all(np.isfinite(reach[r]))))
    return ActivationPath(
        event_class=flow.event_class,
        level=level.level,
        backup=action.target,
        best=float(total[best_i]),
        planned=planned,
        with_retry=planned + retry,
        best_moment=describe_minute(int(MOMENTS[best_i])),
        worst_moment=describe_minute(int(MOMENTS[worst_i])),
        step_times={k: (float(np.min(v)), float(np.max(v))) for k, v in steps.items()},
        backup_branch=(float(np.min(branch)), float(np.max(branch))),
        unreachable_roles=unreachable,
    )


def _roles_in(plan: Plan, flow: Flow, level: LevelDef, action: Action) -> set[str]:
    activation = activation_of(plan, action.target)
    roles = {s.owner for s in flow.steps[:4]} | {level.response.lead, *level.response.team}
    roles.add(action.owner or flow.step("handle_coordinate").owner)
    if activation and activation.approval_by:
        roles.add(activation.approval_by)
    return roles
