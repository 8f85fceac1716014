"""Known-answer tests of each readiness analysis on small hand-built plans.

Every expected figure below is worked out by hand from tests/data/plans/tiny.yaml:
Ann holds 'commander' (always on call, answers in 5m), Bob holds 'duty' (on call
weekdays 08:00-20:00, 5m on call, 30m off call), Cat holds 'it' and deputises for
both (always on call, 10m). Roles wait 10m before calling the next person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from plans.activation import activation_paths, role_reach
from plans.analysis import coverage_findings, drill_findings, readiness_findings
from plans.cover import (
    concurrent_roles,
    escalation_findings,
    missing_deputies,
    on_call_gaps,
    unreachable_roles,
)
from plans.graph import build_graph
from plans.reserves import data_findings, resource_findings
from plans.spof import single_points_of_failure
from plans.timing import activation_findings

TODAY = dt.date(2026, 11, 29)


def by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(i for i in items if i.get("id") == ident)


def codes(findings):
    return sorted(f.code for f in findings)


# --- single points of failure --------------------------------------------------------


def test_spof_finds_the_only_site_and_its_network(make_plan):
    plan = make_plan()
    found = {f.ids[0]: f for f in single_points_of_failure(build_graph(plan))}
    assert set(found) == {"main", "net"}
    assert found["main"].data["channels"] == ["phone", "counter"]
    assert all(f.severity == "error" for f in found.values())


def test_crm_with_standby_is_not_a_spof_but_without_it_is(make_plan):
    plan = make_plan()
    assert "crm" not in {f.ids[0] for f in single_points_of_failure(build_graph(plan))}

    def no_standby(d):
        by_id(d["systems"], "crm").pop("standby")
        d["flows"][0]["steps"][3]["actions"] = []

    found = {f.ids[0]: f for f in single_points_of_failure(build_graph(make_plan(no_standby)))}
    assert found["crm"].data["channels"] == ["phone"]  # the counter does not need the CRM


def test_backup_site_removes_site_and_network_spofs(make_plan):
    def add_backup_site(d):
        d["sites"].append(
            {
                "id": "spare",
                "name": "Spare",
                "kind": "backup",
                "seats": 10,
                "activation": {"time": "2h", "approval_by": "commander"},
            }
        )
        d["sites"][0]["backup_site"] = "spare"

    assert single_points_of_failure(build_graph(make_plan(add_backup_site))) == []


def test_standby_needing_an_approver_nobody_holds_is_no_path(make_plan):
    # crm runs at 'main'; 'main' is backed by 'spare'. Losing 'main' takes crm down and
    # only crm_b can take over; crm_b is usable because the commander role is held.
    def setup(d):
        d["sites"].append(
            {
                "id": "spare",
                "name": "Spare",
                "kind": "backup",
                "seats": 10,
                "activation": {"time": "2h"},
            }
        )
        d["sites"][0]["backup_site"] = "spare"
        d["sites"][0]["depends_on"] = []

    g = build_graph(make_plan(setup))
    from plans.spof import service_ok

    assert service_ok(g, "phone", frozenset({"main"}))
    assert not service_ok(g, "phone", frozenset({"main", "ann", "cat"}))  # nobody to approve crm_b
    assert not service_ok(g, "phone", frozenset({"main", "crm_b"}))


def test_dependency_cycle_counts_as_broken(make_plan):
    # net needs crm, crm runs at main, main needs net: with no standby to break the
    # circle, nothing on it can ever start.
    def cycle(d):
        by_id(d["systems"], "net")["depends_on"] = ["crm"]
        by_id(d["systems"], "crm").pop("standby")
        d["flows"][0]["steps"][3]["actions"] = []

    findings = single_points_of_failure(build_graph(make_plan(cycle)))
    assert codes(findings) == ["spof.unservable", "spof.unservable"]


# --- deputies and concurrent roles ---------------------------------------------------


def test_critical_role_without_deputy_is_an_error(make_plan):
    def it_critical(d):
        by_id(d["roles"], "it")["critical"] = True

    found = [f for f in missing_deputies(make_plan(it_critical)) if f.ids[0] == "it"]
    assert [(f.severity, f.ids) for f in found] == [("error", ("it", "cat"))]
    # not critical: only a note
    assert [f.severity for f in missing_deputies(make_plan()) if f.ids[0] == "it"] == ["info"]


def test_one_person_in_two_roles_of_the_same_team(make_plan):
    def cat_commands(d):
        by_id(d["roles"], "commander")["holder"] = "cat"
        by_id(d["roles"], "commander")["deputies"] = ["ann"]

    findings = concurrent_roles(make_plan(cat_commands))
    assert [(f.ids, f.data["level"]) for f in findings] == [(("cat", "commander", "it"), 1)]
    assert concurrent_roles(make_plan()) == []


# --- escalation ----------------------------------------------------------------------


def test_removing_one_person_disconnects_escalation(make_plan):
    # it -> duty -> commander. Bob alone holds 'duty' once his deputy is gone, so
    # losing Bob leaves 'it' with no line to the commander.
    def bob_alone(d):
        by_id(d["roles"], "duty")["deputies"] = []

    plan = make_plan(bob_alone)
    cuts = [
        f for f in escalation_findings(plan, build_graph(plan)) if f.code == "escalation.person_cut"
    ]
    assert [(f.ids[0], f.data["roles"], f.data["stranded"]) for f in cuts] == [
        ("bob", ["duty"], ["it"])
    ]
    # with the deputy back, nobody's loss cuts a line except the commander-less cases
    plan = make_plan()
    assert [
        f for f in escalation_findings(plan, build_graph(plan)) if f.code == "escalation.person_cut"
    ] == []


def test_cat_holding_it_alone_strands_nobody_else(make_plan):
    plan = make_plan()
    findings = escalation_findings(plan, build_graph(plan))
    assert findings == []


def test_escalation_cycle_and_unreachable_role(make_plan):
    def loop(d):
        by_id(d["roles"], "commander")["reports_to"] = "it"

    plan = make_plan(loop)
    found = escalation_findings(plan, build_graph(plan))
    cycles = [f for f in found if f.code == "escalation.cycle"]
    assert len(cycles) == 1 and set(cycles[0].ids) == {"commander", "it", "duty"}

    def orphan(d):
        by_id(d["roles"], "it").pop("reports_to")

    plan = make_plan(orphan)
    found = escalation_findings(plan, build_graph(plan))
    assert [(f.code, f.ids) for f in found] == [("escalation.unreachable", ("it", "commander"))]


# --- on-call cover -------------------------------------------------------------------


def test_on_call_gap_hours_are_exact(make_plan):
    def bob_alone(d):
        by_id(d["roles"], "duty")["deputies"] = []

    found = on_call_gaps(make_plan(bob_alone))
    assert len(found) == 1
    gap = found[0]
    assert gap.ids == ("duty",)
    assert gap.data["hours_per_week"] == 168 - 5 * 12  # Bob covers 12 h on 5 days
    assert gap.data["gaps"][0] == [0, 8 * 60]  # mon 00:00-08:00
    assert gap.severity == "warning"
    assert on_call_gaps(make_plan()) == []


def test_overnight_window_wraps_past_midnight_and_week_end(make_plan):
    def nights(d):
        by_id(d["roles"], "duty")["deputies"] = []
        by_id(d["people"], "bob")["on_call"] = [
            {"days": "all", "hours": "20:00-08:00"},
            {"days": "all", "hours": "08:00-20:00"},
        ]

    assert on_call_gaps(make_plan(nights)) == []


def test_role_nobody_can_reach(make_plan):
    def unreachable(d):
        by_id(d["roles"], "duty")["deputies"] = []
        by_id(d["people"], "bob")["response_time"] = {"on_call": "5m"}

    found = unreachable_roles(make_plan(unreachable))
    assert [f.ids for f in found] == [("duty",)]
    assert found[0].data["share_of_week"] == pytest.approx(108 / 168)


# --- activation critical path --------------------------------------------------------


def test_role_reach_follows_the_deputy_rule(make_plan):
    plan = make_plan()
    reach = role_reach(plan, "duty")
    # Monday 00:00: Bob off call (30m > 10m wait), Cat called at 10m answers at 20m.
    assert reach[0] == 20
    # Monday 08:00 (moment 32 at 15-minute resolution): Bob answers in 5m.
    assert reach[32] == 5
    assert set(np.unique(reach)) == {5.0, 20.0}


def test_activation_time_known_answer(make_plan):
    paths = {p.level: p for p in activation_paths(make_plan())}
    # Level 1: reported 20 (worst) or 5; graded 0; team commander 5, it 10 -> 10;
    # approval by commander (already reached) 5, owner 'it' reached -> max 5;
    # activation 30. Planned 20+10+5+30 = 65; best 5+10+5+30 = 50.
    assert (paths[1].best, paths[1].planned) == (50, 65)
    assert paths[1].worst_moment == "mon 00:00"
    assert paths[1].step_times["activate"] == (10, 10)
    # Level 3: team is the duty manager; the activate step's owner (commander) takes 5;
    # then 'it' must still be reached (10m) before activation starts: 10 + 30.
    assert (paths[3].best, paths[3].planned) == (50, 65)
    assert paths[3].backup_branch == (40, 40)
    assert codes(activation_findings(make_plan())) == ["activation.step_limit"]


def test_slow_activation_breaks_the_rto(make_plan):
    def slow(d):
        by_id(d["systems"], "crm_b")["activation"].update(
            {"time": "3h30m", "failure_probability": 0.2, "retry_after": "15m"}
        )

    plan = make_plan(slow)
    paths = {p.level: p for p in activation_paths(plan)}
    assert paths[1].planned == 20 + 10 + 5 + 210
    assert paths[1].with_retry == paths[1].planned + 15 + 210
    found = [f for f in activation_findings(plan) if f.code == "activation.rto"]
    assert {f.data["planned"] for f in found} == {245}
    assert all(f.severity == "error" for f in found)


def test_retry_warning_when_only_a_failed_attempt_breaks_the_rto(make_plan):
    def risky(d):
        by_id(d["systems"], "crm_b")["activation"].update(
            {"time": "2h", "failure_probability": 0.1}
        )

    found = codes(activation_findings(make_plan(risky)))
    assert "activation.rto_retry" in found and "activation.rto" not in found


def test_unreachable_approver_makes_activation_impossible(make_plan):
    def lone_commander(d):
        by_id(d["roles"], "commander")["deputies"] = []
        by_id(d["people"], "ann")["on_call"] = [{"days": "weekdays", "hours": "09:00-17:00"}]
        by_id(d["people"], "ann")["response_time"] = {"on_call": "5m"}

    found = [
        f
        for f in activation_findings(make_plan(lone_commander))
        if f.code == "activation.unreachable"
    ]
    assert found and "commander" in found[0].ids


def test_step_over_its_limit(make_plan):
    found = [f for f in activation_findings(make_plan()) if f.code == "activation.step_limit"]
    assert [
        (f.data["step"], f.data["planned"], f.data["limit"], f.data["levels"]) for f in found
    ] == [("discover_report", 20, 10, [1, 2, 3])]


# --- resources, data, drills, coverage ---------------------------------------------


def test_resource_checks(make_plan):
    def resources(d):
        d["resources"] = [
            {"id": "budget", "name": "Budget", "kind": "money", "reserve_required": True},
            {
                "id": "kb",
                "name": "KB",
                "kind": "information",
                "owner": "duty",
                "procedure": "Open it.",
            },
        ]
        by_id(d["systems"], "net")["reserve_required"] = True
        by_id(d["systems"], "crm_b").pop("activation")

    found = {(f.code, f.ids[0]) for f in resource_findings(make_plan(resources))}
    assert found == {
        ("resource.no_owner", "budget"),
        ("resource.no_procedure", "budget"),
        ("resource.no_reserve", "budget"),
        ("resource.no_reserve", "net"),
        ("backup.no_activation", "crm_b"),
    }


def test_replication_against_rpo(make_plan):
    assert data_findings(make_plan()) == []

    def slow(d):
        by_id(d["systems"], "crm")["replication_interval"] = "30m"

    found = data_findings(make_plan(slow))
    assert [(f.code, f.data["interval"], f.data["rpo"]) for f in found] == [("data.rpo", 30, 15)]

    def none(d):
        by_id(d["systems"], "crm").pop("replication_interval")

    assert codes(data_findings(make_plan(none))) == ["data.no_replication"]


@pytest.mark.parametrize(
    ("last_drill", "expected"),
    [
        (dt.date(2025, 11, 29), []),  # exactly 365 days: still within the year
        (dt.date(2025, 11, 28), ["drill.overdue"]),  # 366 days
        (None, ["drill.never"]),
    ],
)
def test_yearly_drill_rule(make_plan, last_drill, expected):
    def set_drill(d):
        d["meta"]["last_full_drill"] = last_drill

    assert codes(drill_findings(make_plan(set_drill), TODAY)) == expected


def test_review_date_passed(make_plan):
    def old(d):
        d["meta"]["next_review"] = dt.date(2026, 11, 28)

    assert codes(drill_findings(make_plan(old), TODAY)) == ["plan.review_overdue"]


def test_event_class_without_flow(make_plan):
    def extra(d):
        d["event_classes"].append({"id": "flood", "name": "Flood", "kind": "disaster"})

    assert [f.ids for f in coverage_findings(make_plan(extra))] == [("flood",)]


def test_readiness_findings_sorted_errors_first(make_plan):
    findings = readiness_findings(make_plan(), TODAY)
    order = [f.severity for f in findings]
    assert order == sorted(order, key=["error", "warning", "info"].index)
    assert {"spof.node", "activation.step_limit", "role.no_deputy"} <= set(codes(findings))
