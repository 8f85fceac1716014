"""Every bundled plan loads and checks; each teaching plan shows what it was built to show."""

from __future__ import annotations

import datetime as dt

import pytest

from plans import BUNDLED_PLANS, default_plan_path, load_plan
from plans.analysis import readiness_findings
from plans.loader import bundled_plans

TODAY = dt.date(2026, 11, 29)


def test_bundled_plan_list_matches_folder():
    assert tuple(sorted(bundled_plans())) == tuple(sorted(BUNDLED_PLANS))
    assert default_plan_path().stem == BUNDLED_PLANS[0]


@pytest.mark.parametrize("name", BUNDLED_PLANS)
def test_bundled_plan_loads_and_checks(name):
    plan = load_plan(bundled_plans()[name])
    findings = readiness_findings(plan, TODAY)
    assert all(f.message for f in findings)


def test_default_plan_is_the_centre_the_manual_describes():
    plan = load_plan(default_plan_path())
    assert 100 <= sum(g.agents for g in plan.staffing) <= 140
    assert len([s for s in plan.sites if s.kind == "primary"]) == 2
    assert any(s.kind == "backup" for s in plan.sites)
    assert {c.kind for c in plan.channels} >= {"phone", "chat", "app", "counter"}
    shares = plan.channel_shares()
    online = sum(v for c, v in shares.items() if next(x for x in plan.channels if x.id == c).online)
    assert online == pytest.approx(0.683, abs=1e-6)
    assert {e.kind for e in plan.event_classes} >= {
        "system_failure",
        "complaint_surge",
        "disaster",
        "security_incident",
        "staff_shortage",
    }
    assert {r.kind for r in plan.roles} >= {
        "commander",
        "deputy_commander",
        "duty_manager",
        "it_on_call",
        "communications_lead",
        "site_lead",
        "security_lead",
    }
    assert {"crm", "telephony", "ticketing", "data_platform"} <= {s.id for s in plan.systems}
    assert any(r.reserve_staff for r in plan.resources)
    assert {r.kind for r in plan.resources} == {"people", "money", "materials", "information"}


def test_default_plan_has_no_error_findings():
    findings = readiness_findings(load_plan(default_plan_path()), TODAY)
    assert [f.message for f in findings if f.severity == "error"] == []


def _found(name):
    plan = load_plan(bundled_plans()[name])
    return {(f.code, f.ids[0]) for f in readiness_findings(plan, TODAY)}


def test_single_point_centre_shows_its_weaknesses():
    found = _found("single_point_centre")
    assert {
        ("spof.node", "crm"),
        ("spof.node", "network_link"),
        ("spof.node", "centre"),
        ("resource.no_reserve", "crm"),
        ("role.no_deputy", "it_on_call"),
        ("role.concurrent", "dana"),
        ("resource.no_owner", "spare_headsets"),
        ("resource.no_procedure", "spare_headsets"),
    } <= found


def test_thin_cover_centre_shows_its_weaknesses():
    found = _found("thin_cover_centre")
    assert {
        ("cover.gap", "it_on_call"),
        ("escalation.person_cut", "quinn"),
        ("activation.rto", "backup_site"),
        ("data.rpo", "data_platform"),
        ("drill.overdue", "thin_cover_centre"),
    } <= found
    assert not any(code == "spof.node" for code, _ in found)
