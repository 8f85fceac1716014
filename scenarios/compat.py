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
    return issues
