"""Which bundled scenario re-tests an improvement item's part of the plan.

Why a module of its own: proposing a re-test reads scenarios against the plan (which
fit it, what each takes down, whose flow it calls), not the drill database; the
programme (:mod:`~drills.programme`) scores many items with it at once. It needs only
the item's node, so it imports the item records and the plan's backups
(:mod:`~drills.evidence`), and :mod:`~drills.items` re-exports it.
"""

from __future__ import annotations

from collections.abc import Mapping

from drills.evidence import backups_of, protected_by
from drills.item_records import Item
from plans.issues import ModelFileError
from plans.model import Plan
from scenarios import bundled_scenarios, check_against_plan, load_scenario
from scenarios.model import Scenario


def fitting_scenarios(plan: Plan) -> dict[str, Scenario]:
    """The bundled scenarios that load and fit the plan, by name (sorted)."""
    out: dict[str, Scenario] = {}
    for name, path in sorted(bundled_scenarios().items()):
        try:
            scenario = load_scenario(path)
        except ModelFileError:  # a broken bundled file proposes nothing
            continue
        if not check_against_plan(plan, scenario):
            out[name] = scenario
    return out


def _failing(scenario: Scenario) -> set[str]:
    """Systems, sites and channels the scenario's events take down."""
    out: set[str] = set()
    for event in scenario.events:
        for attr in ("target", "site", "system"):
            value = getattr(event, attr, None)
            if isinstance(value, str):
                out.add(value)
        out.update(getattr(event, "systems", ()) or ())
    return out


def _flow_names(plan: Plan, event_class: str | None) -> tuple[set[str], set[str], set[str]]:
    """A class's flow: the step owners, the roles its actions name, what its actions target."""
    flow = plan.flow_for(event_class) if event_class else None
    owners: set[str] = set()
    named: set[str] = set()
    targets: set[str] = set()
    for step in flow.steps if flow is not None else ():
        owners.add(step.owner)
        for action in step.actions:
            targets.add(action.target)
            named.update(
                r
                for r in (action.owner, action.target if action.action == "escalate" else None)
                if r
            )
    return owners, named, targets


def coverage(plan: Plan, scenario: Scenario, node_kind: str, node_id: str) -> int:
    """How directly a scenario re-tests a node: 2 directly, 1 through its flow, 0 not at all.

    * step 'class.step': 2 when the scenario's event class is that class;
    * target: 'rto' 2 with an outage, disaster or security incident; 'rpo' 2 with a
      data loss, or a disaster on a site that runs a system holding data; 'step.X' 2
      with an event class that has a flow; any other target 1 with any event;
    * role: 2 when an inject is addressed to it or it owns a step of the event class's
      flow (the run calls it), 1 when one of the flow's actions names it;
    * system, site: 2 when an event takes it down (or, for a backup, what it stands
      in for), 1 when the flow acts on it or on its backup;
    * resource: 2 when the flow acts on it or on its backup.
    """
    cls = scenario.meta.event_class
    owners, named, acted = _flow_names(plan, cls)
    if node_kind == "step":
        return 2 if cls is not None and node_id.split(".", 1)[0] == cls else 0
    if node_kind == "target":
        kinds = {e.kind for e in scenario.events}
        if node_id == "rto":
            return 2 if kinds & {"outage", "disaster", "security_incident"} else 0
        if node_id == "rpo":
            data_sites = {s.site for s in plan.systems if s.holds_data and s.site}
            lost = {getattr(e, "site", None) for e in scenario.events if e.kind == "disaster"}
            return 2 if "data_loss" in kinds or lost & data_sites else 0
        if node_id.startswith("step."):
            return 2 if cls is not None and plan.flow_for(cls) is not None else 0
        return 1 if scenario.events else 0
    if node_kind == "role":
        if node_id in owners or any(node_id in inject.to for inject in scenario.injects):
            return 2
        return 1 if node_id in named else 0
    related = {node_id} | backups_of(plan, node_kind, node_id)
    if node_kind in ("system", "site"):
        failing = _failing(scenario)
        if node_id in failing or protected_by(plan, node_id) & failing:
            return 2
        return 1 if related & acted else 0
    return 2 if related & acted else 0


def propose_retest(
    plan: Plan, item: Item, scenarios: Mapping[str, Scenario] | None = None
) -> str | None:
    """The bundled scenario that best re-tests the item's node; None when none fits the plan.

    The scenario that covers the node most directly (:func:`coverage`) wins; ties go
    to the first name in alphabetical order. ``scenarios`` defaults to
    :func:`fitting_scenarios` (pass it in when proposing for many items).
    """
    pool = fitting_scenarios(plan) if scenarios is None else scenarios
    scored = [(-coverage(plan, s, item.node_kind, item.node_id), name) for name, s in pool.items()]
    best = min((x for x in scored if x[0] < 0), default=None)
    return None if best is None else best[1]
