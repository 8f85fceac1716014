"""The improvement plan: item lifecycle, verification by a later drill or run, re-test proposals.

Drills are the bundled CRM outage at the Monday peak on the default plan, seed 7,
played to 4 h and ended. In the "bad" drill the room decides nothing: the duty
manager reports, nobody declares a level, so activation never starts and the
commander is never called. In the "good" one the duty manager declares level 2 at
1h10m and IT activates the standby CRM at 1h15m: activation is done in 21 min
(limit 30 min), the commander is reached, the standby is up at 2h00m.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from drills import evaluations as ev
from drills import evidence, session
from drills import items as it
from drills.errors import UnknownDrill
from drills.store import DrillStore
from plans import default_plan_path, load_plan
from plans.loader import bundled_plans
from sim.response.decisions import Decision

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()
GOOD = (
    (70.0, Decision(action="declare_level", level=2, by="duty_manager")),
    (75.0, Decision(action="activate_backup", target="crm_standby", by="it_on_call")),
)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


def play(store: DrillStore, decisions=(), until: float = 240.0, end: bool = True) -> str:
    """A drill of the default plan and scenario, played and (by default) ended; its id."""
    drill = store.create_drill(
        "CRM outage", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT, seed=7
    )
    for at, decision in decisions:
        drill = session.advance(store, drill.id, at, "Alice", drill.version)
        verdict, drill = session.decide(store, drill.id, decision, "Alice", "drill", drill.version)
        assert verdict.accepted, verdict.reason
    drill = session.advance(store, drill.id, until, "Alice", drill.version)
    if end:
        drill = session.end_drill(store, drill.id, "Alice", drill.version)
    return drill.id


def new_item(db: Path, plan, **changes: Any) -> it.Item:
    args: dict[str, Any] = {
        "issue": "activation never started: nobody declared a level",
        "corrective_action": "duty manager declares a level within 15 min; drilled monthly",
        "element": "training",
        "owner_role": "duty_manager",
        "start": "2026-01-10",
        "due": "2026-03-31",
        "node_kind": "step",
        "node_id": "system_failure.activate",
        "author": "Eve",
    }
    args.update(changes)
    return it.add_item(db, plan, **args)


def walk(db: Path, item_id: int, *statuses: str) -> it.Item:
    item = it.get_item(db, item_id)
    for status in statuses:
        item = it.set_status(db, item_id, status, "Owen")
    return item


def journal(
    plan_id: str = "default_centre",
    started: str = "2099-01-01T00:00:00+00:00",
    n: int = 4,
    reached: int = 4,
    status: str = "completed",
) -> dict[str, Any]:
    """A minimal run journal: the CRM fails; the commander reached in ``reached`` of ``n`` runs."""
    return {
        "status": status,
        "replications": n,
        "plan": {"meta": {"id": plan_id}},
        "scenario": {"events": [{"kind": "outage", "target": "crm"}]},
        "kpis": {
            "reach.commander": {"n": reached},
            "step.activate.time": {"n": n},
            "backup.crm_standby.active_after_discovery": {"n": n},
        },
        "targets": {
            "step.activate": {
                "probability_met": 1.0,
                "label": "step 'activate' within the plan's limit",
            }
        },
        "meta": {"started": started},
    }


# --- recording ----------------------------------------------------------------------------


def test_an_item_is_recorded_open_with_its_history(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    item = new_item(db, plan)
    assert item.status == "open" and item.plan_id == "default_centre"
    assert item.start == dt.date(2026, 1, 10) and item.due == dt.date(2026, 3, 31)
    assert [(h.status_from, h.status_to, h.who) for h in item.history] == [(None, "open", "Eve")]
    assert it.get_item(db, item.id) == item
    assert item.to_dict(TODAY)["overdue"] is True
    assert item.to_dict(dt.date(2026, 3, 31))["overdue"] is False
    assert "overdue" not in item.to_dict()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"node_id": "system_failure.activation"},
            "unknown step .*'system_failure.activation' .*did you mean 'system_failure.activate'",
        ),
        (
            {"node_kind": "role", "node_id": "comander"},
            "unknown role in plan 'default_centre' 'comander' \\(did you mean 'commander'\\?\\)",
        ),
        ({"node_kind": "target", "node_id": "rt0"}, "unknown target .*'rt0'"),
        ({"node_kind": "system", "node_id": "erp"}, "unknown system"),
        ({"node_kind": "person", "node_id": "x"}, "unknown node kind 'person'"),
        ({"element": "organization"}, "unknown capability element \\(POETE\\) 'organization'"),
        ({"owner_role": "boss"}, "unknown owner role"),
        ({"due": "2026-01-09"}, "the due date 2026-01-09 is before the start date 2026-01-10"),
        ({"start": "10/01/2026"}, "the start date must be a date such as"),
        ({"issue": " "}, "needs the issue"),
        ({"corrective_action": ""}, "needs a corrective action"),
        ({"capability": "comms"}, "unknown capability"),
        ({"author": ""}, "needs an author"),
    ],
)
def test_bad_items_are_refused_with_what_to_fix(tmp_path, plan, changes, message):
    db = tmp_path / "drills.sqlite"
    with pytest.raises(ValueError, match=message):
        new_item(db, plan, **changes)
    assert it.all_items(db) == []


def test_the_drill_an_item_was_found_in_must_exist_and_be_of_the_plan(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    with pytest.raises(UnknownDrill):
        new_item(db, plan, drill_id="drill-0001")
    store = DrillStore(db)
    drill = store.create_drill(
        "x", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT
    )
    other = load_plan(bundled_plans()["single_point_centre"])
    with pytest.raises(
        ValueError, match="held on plan 'default_centre', not 'single_point_centre'"
    ):
        new_item(db, other, drill_id=drill.id, owner_role="duty_manager")
    assert new_item(db, plan, drill_id=drill.id).drill_id == drill.id


# --- the lifecycle ------------------------------------------------------------------------


ALLOWED = {("open", "in_progress"), ("in_progress", "done"), ("done", "in_progress")}
PATH = {"open": (), "in_progress": ("in_progress",), "done": ("in_progress", "done")}


@pytest.mark.parametrize("start", it.STATUSES)
@pytest.mark.parametrize("target", it.STATUSES)
def test_every_status_change(tmp_path, plan, start, target):
    db = tmp_path / "drills.sqlite"
    item = new_item(db, plan)
    if start == "verified":
        walk(db, item.id, "in_progress", "done")
        item = it.verify(db, item.id, journal(), plan)
    else:
        item = walk(db, item.id, *PATH[start])
    assert item.status == start
    if (start, target) in ALLOWED:
        changed = it.set_status(db, item.id, target, "Owen", note="why")
        assert changed.status == target
        assert (changed.history[-1].status_from, changed.history[-1].status_to) == (start, target)
        assert changed.history[-1].who == "Owen" and changed.history[-1].note == "why"
        return
    with pytest.raises(ValueError, match=f"item {item.id}") as refused:
        it.set_status(db, item.id, target, "Owen")
    if target == "verified":
        assert "cannot be set to 'verified' by hand" in str(refused.value)
    else:
        assert f"is '{start}': it can move to" in str(refused.value)
    assert it.get_item(db, item.id) == item  # nothing changed


def test_an_unknown_status_or_item_is_refused(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    item = new_item(db, plan)
    with pytest.raises(ValueError, match="unknown status 'closed'"):
        it.set_status(db, item.id, "closed", "Owen")
    with pytest.raises(LookupError, match="no improvement item 42"):
        it.set_status(db, 42, "in_progress", "Owen")


def test_done_may_go_back_to_in_progress_and_history_keeps_every_change(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    item = walk(db, new_item(db, plan).id, "in_progress", "done", "in_progress", "done")
    assert [(h.status_from, h.status_to) for h in item.history] == [
        (None, "open"),
        ("open", "in_progress"),
        ("in_progress", "done"),
        ("done", "in_progress"),
        ("in_progress", "done"),
    ]
    walls = [h.wall_time for h in item.history]
    assert walls == sorted(walls)


# --- verification by drills ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory, plan):
    """Drills before and after the items: found, early good; later bad, good, still open."""
    db = tmp_path_factory.mktemp("world") / "drills.sqlite"
    store = DrillStore(db)
    found = play(store)
    early = play(store, GOOD)
    nodes = {
        "step": ("step", "system_failure.activate"),
        "role": ("role", "commander"),
        "target": ("target", "step.activate"),
        "system": ("system", "crm"),
        "standby": ("system", "crm_standby"),
        "rpo": ("target", "rpo"),
        "site": ("site", "main_centre"),
        "review": ("step", "system_failure.review_improve"),
        "given": ("role", "it_on_call"),
        "still_open": ("step", "system_failure.activate"),
    }
    ids = {}
    for key, (kind, node) in nodes.items():
        item = new_item(db, plan, node_kind=kind, node_id=node, drill_id=found)
        if key != "still_open":
            walk(db, item.id, "in_progress", "done")
        ids[key] = item.id
    bad = play(store)
    good = play(store, GOOD)
    running = play(store, GOOD, end=False)
    return {
        "db": db,
        "ids": ids,
        "found": found,
        "early": early,
        "bad": bad,
        "good": good,
        "open": running,
    }


def refused(world, plan, key: str, drill: str) -> str:
    db, item_id = world["db"], world["ids"][key]
    before = it.get_item(db, item_id)
    with pytest.raises(it.VerificationRefused) as exc:
        it.verify(db, item_id, world[drill], plan)
    assert it.get_item(db, item_id) == before  # still done, history unchanged
    return exc.value.reason


def test_the_drill_an_item_was_found_in_cannot_verify_it(world, plan):
    assert "is the drill the item was found in" in refused(world, plan, "step", "found")


def test_a_drill_created_before_the_item_cannot_verify_it(world, plan):
    # the early drill shows activation in time, but it was held before the fix
    assert "was created before item" in refused(world, plan, "step", "early")


def test_a_later_drill_that_is_still_open_cannot_verify_it(world, plan):
    assert "is still open: end it" in refused(world, plan, "step", "open")


@pytest.mark.parametrize(
    ("key", "still_shows"),
    [
        ("step", "activate of system_failure was never started"),
        ("role", "commander (owner of activate) was never called"),
        ("target", "activate of system_failure was never started"),
        ("system", "crm_standby was needed (crm failed) but never activated"),
        ("standby", "crm_standby was needed (crm failed) but never activated"),
    ],
)
def test_a_later_drill_that_still_shows_the_problem_refuses(world, plan, key, still_shows):
    assert still_shows in refused(world, plan, key, "bad")


@pytest.mark.parametrize(
    ("key", "shows"),
    [
        ("step", "activate of system_failure took 21m against its limit of 30m"),
        ("role", "commander was reached"),
        ("target", "step 'activate' within the plan's limit"),
        (
            "system",
            "no adherence finding against system crm in drill-0004; "
            "crm_standby activated when needed",
        ),
        ("standby", "crm_standby activated when needed"),
    ],
)
def test_a_later_drill_that_shows_the_problem_gone_verifies(world, plan, key, shows):
    db, item_id = world["db"], world["ids"][key]
    item = it.verify(db, item_id, world["good"], plan, by="Vera")
    assert item.status == "verified" and item.verified_by == world["good"]
    last = item.history[-1]
    assert (last.status_from, last.status_to, last.who) == ("done", "verified", "Vera")
    assert last.note.startswith(f"verified by {world['good']}: ") and shows in last.note
    with pytest.raises(it.VerificationRefused, match="it is 'verified'; only a done item"):
        it.verify(db, item_id, world["good"], plan)


def test_a_drill_that_measured_nothing_for_the_target_refuses(world, plan):
    assert "measured nothing for the target 'rpo'" in refused(world, plan, "rpo", "good")


def test_a_drill_that_did_not_involve_the_site_refuses(world, plan):
    assert "site main_centre was not involved in drill-0004" in refused(world, plan, "site", "good")


def test_the_review_is_shown_by_an_evaluators_rating(world, plan):
    assert "the review falls after the run" in refused(world, plan, "review", "good")
    ev.rate(world["db"], world["good"], "review_improve", "S", "", "Vera")
    item = it.verify(world["db"], world["ids"]["review"], world["good"], plan)
    assert item.status == "verified" and "rated review and improvement S" in item.history[-1].note


def test_only_a_done_item_is_verified(world, plan):
    reason = refused(world, plan, "still_open", "good")
    assert reason == "it is 'open'; only a done item can be verified (mark it done first)"


def test_results_computed_once_can_be_passed_in(world, plan):
    shown = evidence.evidence_from_drill(world["db"], world["good"])
    assert shown.final and shown.source == world["good"] and "system_failure" in shown.event_classes
    item = it.verify(world["db"], world["ids"]["given"], world["good"], plan, shown)
    assert item.status == "verified"


def test_an_item_of_another_plan_is_refused(world, plan):
    other = load_plan(bundled_plans()["single_point_centre"])
    with pytest.raises(
        ValueError, match="belongs to plan 'default_centre', not 'single_point_centre'"
    ):
        it.verify(world["db"], world["ids"]["step"], world["good"], other)


# --- verification by a run journal --------------------------------------------------------


@pytest.fixture
def done_role(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    item = new_item(db, plan, node_kind="role", node_id="commander")
    walk(db, item.id, "in_progress", "done")
    return db, item.id


def test_a_journal_run_before_the_item_refuses(done_role, plan):
    db, item_id = done_role
    with pytest.raises(it.VerificationRefused, match="ran at 2020-01-01.*before item"):
        it.verify(db, item_id, journal(started="2020-01-01T00:00:00+00:00"), plan)


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (journal(reached=3), "reached in 3 of 4 replications"),
        (journal(plan_id="other_centre"), "held on plan 'other_centre', not 'default_centre'"),
        (journal(status="interrupted"), "did not complete"),
    ],
)
def test_a_journal_that_does_not_show_it_refuses(done_role, plan, doc, reason):
    db, item_id = done_role
    with pytest.raises(it.VerificationRefused, match=reason):
        it.verify(db, item_id, doc, plan)
    assert it.get_item(db, item_id).status == "done"


def test_a_later_journal_that_shows_it_verifies(done_role, plan, tmp_path):
    import json

    from drillsim.cli import main

    db, item_id = done_role
    path = tmp_path / "run.json"
    # a real journal (a file is checked like any journal a report reads), run after the fix
    assert main(["run", "-n", "4", "--workers", "1", "--json", str(path)]) == 0
    data = json.loads(path.read_text())
    data["meta"]["started"] = "2099-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data))
    item = it.verify(db, item_id, path, plan)
    assert item.status == "verified" and item.verified_by == "run.json"
    assert "reached in 4 of 4 replications" in item.history[-1].note


def test_a_journal_shows_a_backup_activated_in_every_run_but_keeps_no_findings(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    crm = new_item(db, plan, node_kind="system", node_id="crm")
    site = new_item(db, plan, node_kind="site", node_id="main_centre")
    for item in (crm, site):
        walk(db, item.id, "in_progress", "done")
    with pytest.raises(it.VerificationRefused, match="keeps no adherence findings"):
        it.verify(db, site.id, journal(), plan)
    verified = it.verify(db, crm.id, journal(), plan)
    assert "crm_standby activated when needed in every replication" in verified.history[-1].note


def test_a_real_run_journal_is_evidence(tmp_path, plan):
    from drillsim.cli import main

    out = tmp_path / "run.json"
    assert main(["run", "-n", "2", "--workers", "1", "--json", str(out)]) == 0
    shown = evidence.evidence_from_journal(out)
    assert shown.kind == "journal" and shown.plan_id == "default_centre" and shown.final
    assert "crm" in shown.failed and "system_failure" in shown.event_classes
    assert evidence.judge("role", "commander", plan, shown)[0]
    with pytest.raises(ValueError, match="not a drillsim run journal"):
        evidence.evidence_from_journal({"replications": 2})


# --- open and overdue ---------------------------------------------------------------------


def test_open_and_overdue_items(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    late = new_item(db, plan, due="2026-05-31")  # due yesterday, open: overdue
    today = new_item(db, plan, due="2026-06-01")  # due today: not yet overdue
    working = walk(db, new_item(db, plan, due="2026-04-30").id, "in_progress")  # overdue
    done = walk(
        db, new_item(db, plan, due="2026-01-31").id, "in_progress", "done"
    )  # past due but done
    verified = walk(db, new_item(db, plan, due="2026-01-31").id, "in_progress", "done")
    it.verify(db, verified.id, journal(), plan)
    listed = it.open_items(db, today=TODAY)
    assert [i.id for i in listed] == [working.id, late.id, done.id, today.id]
    assert [i.id for i in it.overdue(db, today=TODAY)] == [working.id, late.id]
    assert [i.id for i in it.overdue(db, "default_centre", today=dt.date(2026, 6, 2))] == [
        working.id,
        late.id,
        today.id,
    ]
    assert it.open_items(db, "other_centre", TODAY) == []


def test_a_missing_database_has_no_items_and_is_not_created(tmp_path):
    db = tmp_path / "none.sqlite"
    assert it.open_items(db, today=TODAY) == [] and it.overdue(db, today=TODAY) == []
    assert not db.exists()


# --- re-test proposals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "node", "scenario"),
    [
        # three system-failure scenarios tie: the first by name
        ("step", "system_failure.activate", "crm_outage_monday_peak"),
        ("step", "disaster.activate", "typhoon_site_closure"),
        ("step", "staff_shortage.handle_coordinate", "flu_wave"),
        # outages: many; the first by name
        ("target", "rto", "crm_outage_monday_peak"),
        ("target", "rpo", "ransomware_data_platform"),
        # an inject addressed to the role beats a flow that only names it, whatever the name
        ("role", "commander", "crm_outage_monday_peak"),
        ("role", "security_lead", "ransomware_data_platform"),
        ("role", "site_lead_backup", "network_loss_one_site"),
        ("system", "telephony", "telephony_outage"),
        ("system", "cloud_telephony", "telephony_outage"),
        ("system", "network_a_backup", "network_loss_one_site"),
        ("site", "backup_centre", "typhoon_site_closure"),
        ("resource", "reserve_pool", "complaint_surge_billing_error"),
    ],
)
def test_propose_retest(tmp_path, plan, kind, node, scenario):
    item = new_item(tmp_path / "drills.sqlite", plan, node_kind=kind, node_id=node)
    assert it.propose_retest(plan, item) == scenario


def test_direct_coverage_beats_the_alphabet(plan):
    pool = it.fitting_scenarios(plan)
    # the complaint surge's flow names the commander (escalation) but no inject addresses them
    assert it.coverage(plan, pool["complaint_surge_billing_error"], "role", "commander") == 1
    assert it.coverage(plan, pool["crm_outage_monday_peak"], "role", "commander") == 2


def test_no_retest_when_no_bundled_scenario_fits_or_covers(tmp_path, plan):
    db = tmp_path / "drills.sqlite"
    other = load_plan(bundled_plans()["single_point_centre"])
    item = new_item(db, other, owner_role="duty_manager", node_kind="role", node_id="commander")
    assert it.fitting_scenarios(other) == {}
    assert it.propose_retest(other, item) is None
    uncovered = new_item(db, plan, node_kind="system", node_id="network_b")
    assert it.propose_retest(plan, uncovered) is None
