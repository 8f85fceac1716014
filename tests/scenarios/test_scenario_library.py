"""The bundled scenario library: every file loads, fits the default plan and round-trips.

Also checks what each scenario was written to be (the default one, the eight drills
and their Chinese editions, the known-answer queues with their offered loads) and that
the default plan's staffing can carry the library's normal weekday demand hour by hour.
How each Chinese edition matches its English original: test_chinese_editions.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from plans import load_plan
from plans.loader import bundled_plans, default_plan_path
from plans.schedule import DAYS, covers
from scenarios import (
    bundled_scenarios,
    check_against_plan,
    default_scenario_path,
    dump_scenario,
    load_scenario,
    load_scenario_text,
)
from scenarios.distributions import Exponential
from scenarios.loader import DEFAULT_SCENARIO
from scenarios.model import (
    ComplaintSurge,
    DataLoss,
    Disaster,
    Outage,
    Scenario,
    SecurityIncident,
    StaffAbsence,
)

DRILLS = {
    "crm_outage_monday_peak": "system_failure",
    "telephony_outage": "system_failure",
    "network_loss_one_site": "system_failure",
    "complaint_surge_billing_error": "complaint_surge",
    "surge_and_outage": "complaint_surge",
    "typhoon_site_closure": "disaster",
    "ransomware_data_platform": "security_incident",
    "flu_wave": "staff_shortage",
}
"""The eight drills and the plan event class each exercises."""

# name: (agents, arrivals per hour, offered Erlangs, patience mean in minutes or None)
KNOWN_ANSWER = {
    "mmc_10_agents": (10, 96.0, 8.0, None),
    "mmc_50_agents": (50, 540.0, 45.0, None),
    "mmcm_overloaded": (20, 288.0, 24.0, 3.0),
    "mmcm_200_agents": (200, 2040.0, 170.0, 3.0),
}

ALL = sorted(bundled_scenarios())
ZH = "_zh"
"""Name ending of a scenario's Chinese edition."""


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def library() -> dict[str, Scenario]:
    return {name: load_scenario(path) for name, path in bundled_scenarios().items()}


# --- every bundled file -------------------------------------------------------------------


def test_library_holds_the_drills_and_the_known_answer_queues():
    """Chinese editions (``<name>_zh``) stand beside their English originals."""
    english = {n for n in ALL if not n.endswith(ZH)}
    assert english == set(DRILLS) | set(KNOWN_ANSWER)
    assert {n.removesuffix(ZH) for n in ALL if n.endswith(ZH)} == set(DRILLS), (
        "every drill, and only the drills, has a Chinese edition"
    )


def test_default_scenario_path_exists_and_is_in_the_library():
    path = default_scenario_path()
    assert path.is_file()
    assert path.stem == DEFAULT_SCENARIO == "crm_outage_monday_peak"
    assert bundled_scenarios()[DEFAULT_SCENARIO] == path


@pytest.mark.parametrize("name", ALL)
def test_scenario_fits_the_default_plan(plan, library, name):
    assert check_against_plan(plan, library[name]) == []


@pytest.mark.parametrize("name", ALL)
def test_scenario_fits_the_plan_it_names(library, name):
    scenario = library[name]
    assert scenario.meta.plan in bundled_plans()
    assert check_against_plan(load_plan(bundled_plans()[scenario.meta.plan]), scenario) == []


@pytest.mark.parametrize("name", ALL)
def test_scenario_round_trips(library, name):
    scenario = library[name]
    again = load_scenario_text(dump_scenario(scenario), name)
    assert again == scenario
    assert dump_scenario(again) == dump_scenario(scenario)


@pytest.mark.parametrize("name", ALL)
def test_scenario_describes_itself(library, name):
    scenario = library[name]
    text = bundled_scenarios()[name].read_text(encoding="utf-8")
    assert text.startswith("# "), "each file opens with a comment block describing it"
    comment = list(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines()))
    assert len(comment) >= 5
    assert scenario.meta.id == name
    chinese = name.endswith(ZH)
    assert scenario.meta.plan == ("default_centre_zh" if chinese else "default_centre")
    assert len(scenario.meta.description) > (25 if chinese else 60)  # Chinese is denser
    assert scenario.meta.name.strip()


@pytest.mark.parametrize("name", ALL)
def test_objectives_use_known_events_and_unique_ids(library, name):
    """Until the loader collects event ids (see test_scenario_errors), check them here."""
    scenario = library[name]
    event_ids = [e.id for e in scenario.events]
    objective_ids = [o.id for o in scenario.objectives]
    assert len(set(event_ids + objective_ids)) == len(event_ids) + len(objective_ids)
    for objective in scenario.objectives:
        if objective.during is not None:
            assert objective.during in event_ids
    assert scenario.objectives, "every scenario is judged on something"


# --- the eight drills ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted([*DRILLS, *(n + ZH for n in DRILLS)]))
def test_drill_exercises_its_event_class(plan, library, name):
    scenario = library[name]
    assert scenario.meta.event_class == DRILLS[name.removesuffix(ZH)]
    assert scenario.meta.event_class in {e.id for e in plan.event_classes}
    assert plan.flow_for(scenario.meta.event_class) is not None
    assert scenario.events
    assert len(scenario.injects) >= 3
    for inject in scenario.injects:
        assert inject.to and inject.expected_action
    assert scenario.demand.hourly is not None, "drills follow the weekday profile"
    assert scenario.staffing is None, "drills use the plan's staffing"
    assert "known-answer" not in scenario.meta.tags


def test_default_scenario_is_a_monday_peak_crm_outage(library):
    scenario = library[DEFAULT_SCENARIO]
    assert scenario.start == dt.datetime(2026, 3, 2, 8, 0)
    assert scenario.start.weekday() == 0
    assert scenario.horizon == 8 * 60
    hourly = scenario.demand.hourly
    assert hourly is not None
    assert max(hourly) == hourly[10], "morning peak"
    assert max(hourly[8:12]) > 1.15 * max(hourly[13:16])
    (event,) = scenario.events
    assert isinstance(event, Outage) and event.target == "crm"
    assert 45 <= event.start <= 90
    mean, _ = event.duration.moments()
    assert mean == pytest.approx(150.0)
    assert {o.metric for o in scenario.objectives} >= {"rto", "service_level"}


def test_event_kinds_match_the_drills(library):
    def kinds(name):
        return {type(e) for e in library[name].events}

    assert kinds("telephony_outage") == {Outage}
    assert [e.target for e in library["telephony_outage"].events] == ["telephony"]
    assert {e.target for e in library["network_loss_one_site"].events} >= {"network_a"}
    assert kinds("complaint_surge_billing_error") == {ComplaintSurge}
    assert kinds("surge_and_outage") == {ComplaintSurge, Outage}
    assert DataLoss in kinds("ransomware_data_platform")
    assert StaffAbsence in kinds("flu_wave")


def test_complaint_surge_triples_complaints_for_hours(library):
    (surge,) = library["complaint_surge_billing_error"].events
    assert isinstance(surge, ComplaintSurge)
    assert surge.request_types == ("complaint",)
    assert surge.multiplier == pytest.approx(3.0)
    assert surge.ramp == 30
    assert surge.duration >= 3 * 60


def test_typhoon_closes_the_main_centre(library):
    disaster = next(e for e in library["typhoon_site_closure"].events if isinstance(e, Disaster))
    assert disaster.site == "main_centre"
    assert disaster.staff_unavailable == 1.0
    assert disaster.remote_after == 4 * 60
    assert disaster.remote_share == pytest.approx(0.3)


def test_ransomware_puts_data_at_risk(library):
    events = library["ransomware_data_platform"].events
    incident = next(e for e in events if isinstance(e, SecurityIncident))
    loss = next(e for e in events if isinstance(e, DataLoss))
    assert incident.systems == ("data_platform",)
    assert incident.data_at_risk is True
    assert loss.system == "data_platform"
    assert {o.metric for o in library["ransomware_data_platform"].objectives} >= {"rto", "rpo"}


def test_flu_wave_keeps_a_quarter_off_for_days(library):
    scenario = library["flu_wave"]
    assert scenario.horizon >= 2 * 1440
    peak = max(e.share for e in scenario.events if isinstance(e, StaffAbsence))
    assert peak == pytest.approx(0.25)


# --- known-answer queues ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(KNOWN_ANSWER))
def test_known_answer_queue_is_stationary_and_single_channel(library, name):
    agents, rate, erlangs, patience = KNOWN_ANSWER[name]
    scenario = library[name]
    assert "known-answer" in scenario.meta.tags
    assert scenario.meta.event_class is None
    assert scenario.events == () and scenario.injects == ()
    demand = scenario.demand
    assert demand.hourly is None and demand.day_factors == {}
    assert demand.rate_per_hour == pytest.approx(rate)
    assert demand.channels == {"phone": 1.0}
    assert demand.classes == {"ordinary": 1.0}
    assert len(demand.request_types) == 1 and sum(demand.request_types.values()) == 1.0
    assert scenario.handle_time.overrides == ()
    handle = scenario.handle_time.default
    assert isinstance(handle, Exponential)
    assert rate * handle.mean / 60 == pytest.approx(erlangs)
    assert scenario.staffing is not None
    (group,) = scenario.staffing
    assert (group.site, group.shift, group.agents, group.skills) == (
        "main_centre",
        None,
        agents,
        ("phone",),
    )
    if patience is None:
        assert scenario.patience is None, "M/M/c: nobody abandons"
    else:
        assert scenario.patience is not None and scenario.patience.overrides == ()
        assert isinstance(scenario.patience.default, Exponential)
        assert scenario.patience.default.mean == pytest.approx(patience)
    measured_hours = (scenario.horizon - scenario.warm_up) / 60
    assert rate * measured_hours >= 20_000, "enough contacts for a tight estimate"
    assert 0 < scenario.warm_up <= 2 * 60


def test_overloaded_queue_is_overloaded_and_the_others_are_not():
    for name, (agents, _, erlangs, _) in KNOWN_ANSWER.items():
        assert (erlangs > agents) == (name == "mmcm_overloaded")


def test_benchmark_workload(library):
    scenario = library["mmcm_200_agents"]
    assert scenario.horizon == 24 * 60
    assert scenario.demand.rate_per_hour * 24 == pytest.approx(48_960)
    assert scenario.handle_time.default.moments()[0] == pytest.approx(5.0)  # 300 s
    erlangs = scenario.demand.rate_per_hour * 5.0 / 60
    assert erlangs / 200 == pytest.approx(0.85)


# --- the plan carries the library's normal demand ------------------------------------------


def _mean_handle(scenario: Scenario, channel: str) -> float:
    types = scenario.demand.request_types
    return sum(
        share * scenario.handle_time.pick(channel, kind).moments()[0]
        for kind, share in types.items()
    )


def test_default_plan_staffing_carries_normal_weekly_demand(plan, library):
    """For every hour of the week and every set of channels, the agents on duty who serve
    any of them exceed the load offered on them (Hall's condition), with 7% to spare.

    Load = rate x channel share x mean handle time. The weekday peak (10:00, 460/h) is
    about 49 E on the early shift's 53 agents (0.92). The plan's old staffing (7
    counter agents per early shift for a 31.7% counter share) failed this at once.
    """
    scenario = library[DEFAULT_SCENARIO]
    hourly = scenario.demand.hourly
    assert hourly is not None
    shares = scenario.demand.channels or plan.channel_shares()
    handle = {c: _mean_handle(scenario, c) for c in shares}
    windows = {s.id: s.window.intervals() for s in plan.shifts}
    worst = 0.0
    for day, hour in itertools.product(range(7), range(24)):
        minute = day * 1440 + hour * 60 + 30
        rate = hourly[hour] * scenario.demand.day_factors.get(DAYS[day], 1.0)
        load = {c: rate * shares[c] * handle[c] / 60 for c in shares}
        on_duty = [g for g in plan.staffing if covers(windows[g.shift], minute)]
        assert on_duty, f"nobody on duty {DAYS[day]} {hour:02d}:30"
        for size in range(1, len(shares) + 1):
            for channels in itertools.combinations(shares, size):
                agents = sum(g.agents for g in on_duty if set(g.skills) & set(channels))
                offered = sum(load[c] for c in channels)
                assert agents > 0 or offered == 0
                if agents:
                    worst = max(worst, offered / agents)
                    assert offered <= 0.93 * agents, (DAYS[day], hour, channels, offered, agents)
    assert worst > 0.85, "the centre is not grossly overstaffed either"


def test_default_plan_size(plan):
    assert 110 <= sum(g.agents for g in plan.staffing) <= 130
    seats = {s.id: s.seats for s in plan.sites}
    for shift in {g.shift for g in plan.staffing}:
        for site in seats:
            on_site = sum(g.agents for g in plan.staffing if g.shift == shift and g.site == site)
            assert on_site <= seats[site]
