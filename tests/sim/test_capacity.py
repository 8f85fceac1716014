"""Seats everywhere and disasters that hold (issue 14 parts 3 and 4).

Known answers where the rules give one (counts of agents at work at given times), and
metamorphic checks on common random numbers where they do not: fewer seats never
raise the service level; the typhoon day under the plan's policy is worse than the
same day without events, and worse again with fewer seats at the second centre.
"""

from __future__ import annotations

import numpy as np
import pytest

from plans.model import Plan
from plans.types import FROM_FILE
from scenarios import load_scenario
from scenarios.loader import library_dir
from scenarios.workforce import Workforce
from sim.engine.metrics import kpis_for, queue_kpis, window_mask
from sim.engine.records import DONE
from sim.engine.simulation import Simulation, simulate

HOLD = {"seats": "every_site", "disasters_hold": True, "remote_kits": "spare_equipment"}


def plan_with(plan: Plan, seats: dict[str, int] | None = None, kits: float | None = None) -> Plan:
    data = plan.model_dump(mode="json")
    for site in data["sites"]:
        if seats and site["id"] in seats:
            site["seats"] = seats[site["id"]]
    for res in data["resources"]:
        if kits is not None and res["id"] == "spare_equipment":
            res["quantity"] = kits
    return Plan.model_validate(data, context={FROM_FILE: True})


def with_workforce(scenario, **settings):
    return scenario.model_copy(update={"workforce": Workforce.model_validate(settings)})


@pytest.fixture(scope="module")
def typhoon():
    return load_scenario(library_dir() / "typhoon_site_closure.yaml")


# --- seats everywhere ------------------------------------------------------------------


def test_seats_off_keep_todays_numbers(default_plan, queue_scenario):
    """Seats bind only at backup sites unless the scenario says so: a 4-seat main centre
    changes nothing with the setting left out, and the default 'backup_sites' is the same."""
    plain = simulate(default_plan, queue_scenario(), 5)
    small = simulate(plan_with(default_plan, {"main_centre": 4}), queue_scenario(), 5)
    named = simulate(default_plan, queue_scenario(workforce={"seats": "backup_sites"}), 5)
    for rec in (small, named):
        assert np.array_equal(rec.start, plain.start, equal_nan=True)
        assert np.array_equal(rec.status, plain.status)


def test_seats_cap_the_agents_at_every_site(default_plan, queue_scenario):
    plan = plan_with(default_plan, {"main_centre": 6})
    sim = Simulation(plan, queue_scenario(workforce={"seats": "every_site"}), 5)
    rec = sim.run()
    assert max(count for _t, _g, count in rec.staffing_log) == 6
    assert max(rec.snapshots.busy) <= 6


def test_fewer_seats_never_raise_the_service_level(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        levels = []
        for seats in (12, 10, 9, 8):
            plan = plan_with(default_plan, {"main_centre": seats})
            rec = simulate(plan, queue_scenario(workforce={"seats": "every_site"}), seed)
            levels.append(queue_kpis(rec, window_mask(rec), 0.5)["service_level"])
        assert all(b <= a for a, b in zip(levels, levels[1:], strict=False)), levels
        assert levels[-1] < levels[0]
        assert levels[0] == levels[1]  # 10 agents fit 12 or 10 seats alike


def test_own_staff_sit_before_staff_moved_in(default_plan, queue_scenario):
    """A site full of its own staff has no seat for a group moved there."""
    plan = plan_with(default_plan, {"second_centre": 10})

    def edit(d):
        d["staffing"] = [
            {"site": "main_centre", "agents": 5, "skills": ["phone"]},
            {"site": "second_centre", "agents": 10, "skills": ["phone"]},
        ]

    sim = Simulation(plan, queue_scenario(edit, workforce={"seats": "every_site"}), 1)
    sim.run_until(60)
    sim.relocate("main_centre", "second_centre")
    assert sim.g_staffed == [0, 10]


# --- disasters that hold -----------------------------------------------------------------


def disaster_scenario(queue_scenario, unavailable, remote_share=0.0, **workforce):
    event = {
        "id": "fire",
        "kind": "disaster",
        "site": "main_centre",
        "start": "2h",
        "duration": {"dist": "fixed", "value": "20h"},
        "staff_unavailable": unavailable,
    }
    if remote_share:
        event.update(remote_after="3h", remote_share=remote_share)
    return queue_scenario(events=[event], workforce=workforce)


def test_relocated_staff_take_the_travel_time_and_only_those_able_move(
    default_plan, queue_scenario
):
    """Half the main centre's 10 agents cannot work; the other 5 are moved to the second
    centre (travel 45 min in the plan) and work there only once they have arrived."""
    sim = Simulation(default_plan, disaster_scenario(queue_scenario, 0.5, disasters_hold=True), 3)
    sim.run_until(150)
    assert sim.g_staffed == [0]  # the site is lost: nobody works there
    sim.relocate("main_centre", "second_centre")
    sim.run_until(150 + 44)
    assert sim.g_staffed == [0]  # still travelling
    sim.run_until(150 + 45)
    assert sim.g_staffed == [5]


def test_without_the_setting_relocation_is_instant_and_at_half_strength(
    default_plan, queue_scenario
):
    """Today's behaviour, kept when the setting is off: the disaster's share works at once
    (even before relocation), and relocation ends the disaster's hold on the group."""
    sim = Simulation(default_plan, disaster_scenario(queue_scenario, 0.5), 3)
    sim.run_until(150)
    assert sim.g_staffed == [5]
    sim.relocate("main_centre", "second_centre")
    assert sim.g_staffed == [10]


def test_staff_who_cannot_work_are_never_relocated(default_plan, queue_scenario):
    sim = Simulation(default_plan, disaster_scenario(queue_scenario, 1.0, disasters_hold=True), 3)
    sim.run_until(150)
    sim.relocate("main_centre", "second_centre")
    sim.run_until(600)
    assert sim.g_staffed == [0]


def test_remote_work_needs_a_kit_each(default_plan, queue_scenario):
    """60% of 10 agents work from home after 3 h, but only as many as there are kits."""
    scenario = disaster_scenario(
        queue_scenario, 1.0, 0.6, disasters_hold=True, remote_kits="spare_equipment"
    )
    for kits, expected in ((40, 6), (4, 4), (0, 0)):
        sim = Simulation(plan_with(default_plan, kits=kits), scenario, 3)
        sim.run_until(2 * 60 + 3 * 60 - 1)
        assert sim.g_staffed == [0]
        sim.run_until(2 * 60 + 3 * 60)
        assert sim.g_staffed == [expected], kits


def test_reserves_count_only_where_they_can_work(default_plan, queue_scenario):
    scenario = disaster_scenario(
        queue_scenario, 1.0, disasters_hold=True, remote_kits="spare_equipment"
    )
    sim = Simulation(plan_with(default_plan, kits=3), scenario, 3)
    sim.run_until(150)
    anywhere = sim.add_group(None, 8, ["phone"], "reserve pool")
    lost_site = sim.add_group("main_centre", 8, ["phone"], "reserves at the lost site")
    working = sim.add_group("second_centre", 8, ["phone"], "reserves at a working site")
    assert sim.g_staffed[anywhere] == 3  # remote: one kit each, 3 kits
    assert sim.g_staffed[lost_site] == 0
    assert sim.g_staffed[working] == 8


def test_remote_kits_must_be_materials_with_a_quantity(default_plan, queue_scenario):
    from scenarios import check_against_plan

    scenario = queue_scenario(workforce={"remote_kits": "emergency_budget"})
    issues = check_against_plan(default_plan, scenario)
    assert [(i.path, i.msg) for i in issues] == [
        (
            "workforce.remote_kits",
            "'emergency_budget' must be a materials resource with a quantity (remote kits)",
        )
    ]
    missing = check_against_plan(default_plan, queue_scenario(workforce={"remote_kits": "nope"}))
    assert [i.path for i in missing] == ["workforce.remote_kits"]


# --- the typhoon day ---------------------------------------------------------------------


def test_typhoon_main_centre_staff_do_not_work_until_remote_work(default_plan, typhoon):
    """Staff told not to travel: at 09:00 no main-centre group works (the plan's
    redeployment moved nobody), and the backup site has no staff; from 10:30 at most 30%
    of the main centre's early shift works from home."""
    sim = Simulation(default_plan, typhoon, 7, policy="plan")
    sim.run_until(180)
    main = [g for g in range(sim.planned_groups) if sim.groups[g].site == "main_centre"]
    assert sum(sim.rules.present[g] for g in main) == 0
    at_backup = [g for g, site in enumerate(sim.g_site) if site == "backup_centre"]
    assert sum(sim.g_staffed[g] for g in at_backup) == 0
    sim.run_until(5 * 60)
    early_main = sum(sim.groups[g].agents for g in main if sim.g_on_shift[g](sim.now))
    remote = sum(sim.rules.present[g] for g in main)
    assert 0 < remote <= round(0.3 * early_main) + len(main)
    assert sum(sim.g_staffed) < 53  # fewer at work than on a normal early shift


def _served_share(rec) -> float:
    return float((rec.status == DONE).mean())


def test_typhoon_scores_worse_than_the_same_day_without_events(default_plan, typhoon):
    """On common random numbers: fewer customers served than on the same day with no
    events (the plan's notices and the closed hall turn many away), a lower service
    level, the site's RTO missed, and worse again with 15 seats at the second centre
    (its 20-odd agents no longer all find a desk): more abandonment.

    The service level counts the customers the notices turned away as not answered in
    time (issue 14: counting only those who queued, the typhoon day read better than the
    calm one, 88.8% against 86.0% on seed 1); the queue's own figure is kept beside it."""
    calm = typhoon.model_copy(update={"events": ()})
    short = plan_with(default_plan, {"second_centre": 15})
    for seed in (1, 2, 3):
        rec_calm = simulate(default_plan, calm, seed)
        rec_storm = simulate(default_plan, typhoon, seed)
        k_calm = kpis_for(rec_calm, default_plan)
        k_storm = kpis_for(rec_storm, default_plan)
        k_short = kpis_for(simulate(short, typhoon, seed), short)
        assert _served_share(rec_storm) < _served_share(rec_calm) - 0.2, seed
        assert k_storm["service_level"] < k_calm["service_level"] - 0.3, seed
        assert k_storm["turned_away"] > 10 * max(k_calm["turned_away"], 1.0), seed
        assert k_storm["rto"] > 240, seed
        assert k_short["service_level"] <= k_storm["service_level"], seed
        assert k_short["queue_service_level"] < k_storm["queue_service_level"], seed
        assert k_short["abandonment"] > k_storm["abandonment"], seed


def test_typhoon_under_the_old_rules_flattered_the_plan(default_plan, typhoon):
    """What issue 14 found: with the disaster not holding, more agents work at 09:00 than
    on a normal early shift; with it holding, far fewer."""
    old = with_workforce(typhoon)
    sim = Simulation(default_plan, old, 7, policy="plan")
    sim.run_until(180)
    assert sum(sim.g_staffed) > 53
    held = Simulation(default_plan, typhoon, 7, policy="plan")
    held.run_until(180)
    assert sum(held.g_staffed) < 40


def test_staff_sent_to_a_backup_site_wait_for_its_activation(default_plan, queue_scenario):
    """The plan may redeploy staff to the backup site before it is activated: they arrive
    after the travel time (1 h 30 min) but work only once the site is active."""
    sim = Simulation(default_plan, disaster_scenario(queue_scenario, 0.0, disasters_hold=True), 3)
    sim.run_until(150)
    sim.relocate("main_centre", "backup_centre")
    sim.run_until(150 + 90)
    assert sim.g_staffed == [0]
    sim.infra.active_backups.add("backup_centre")
    sim.refresh()
    assert sim.g_staffed == [10]
