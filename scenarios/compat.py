"""Does a scenario fit a plan? Every id it names must exist there, with the right kind.

Why apart from loading: a scenario file is valid on its own, but it can only run
against a plan that has the channels, systems, sites, shifts and roles it names.
The issues carry field paths into the scenario file.
"""

from __future__ import annotations

from i18n import _
from plans.issues import Issue
from plans.model import Plan
from plans.refs import reference_issues
from plans.seats import seat_messages
from scenarios.model import Scenario


def plan_ids(plan: Plan) -> dict[str, set[str]]:
    """The plan's ids by collection, as a scenario may reference them."""
    return plan.ids_by_kind()


def check(plan: Plan, scenario: Scenario) -> list[Issue]:
    """Every way the scenario does not fit the plan (empty when it fits)."""
    ids = plan_ids(plan)
    issues = reference_issues(Scenario, scenario.model_dump(mode="json"), ids)
    if scenario.meta.event_class and scenario.meta.event_class not in ids["event_classes"]:
        issues.append(
            Issue(
                ("meta", "event_class"),
                _("the plan has no event class '{event_class}'").format(
                    event_class=scenario.meta.event_class
                ),
            )
        )
    if scenario.staffing is None and not plan.staffing:
        issues.append(
            Issue(("staffing",), _("neither the scenario nor the plan gives any staffing"))
        )
    issues += workforce_issues(plan, scenario)
    return issues


def workforce_issues(plan: Plan, scenario: Scenario) -> list[Issue]:
    """Remote kits must be a materials resource of the plan with a quantity."""
    kits = scenario.workforce.remote_kits
    resource = next((r for r in plan.resources if r.id == kits), None)
    if kits is None or resource is None:
        return []  # a missing id is reported by the reference check
    if resource.kind != "materials" or resource.quantity is None:
        return [
            Issue(
                ("workforce", "remote_kits"),
                _("'{id}' must be a materials resource with a quantity (remote kits)").format(
                    id=kits
                ),
            )
        ]
    return []


def seat_warnings(plan: Plan, scenario: Scenario) -> list[str]:
    """The scenario's own staffing against the plan's seats (its staffing left out: none;
    the plan's own is a readiness finding)."""
    if scenario.staffing is None:
        return []
    roster = [(g.site, g.shift, g.agents) for g in scenario.staffing]
    return [message for *_figures, message in seat_messages(plan, roster)]
