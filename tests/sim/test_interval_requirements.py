"""Requirements by interval and skill: Erlang A per interval, shrinkage, cap, concurrency.

Known answers on a stationary single-channel queue (tests/data/scenarios/
interval_stationary.yaml: 900 calls an hour, 4 min handle, 3 min patience): every
interval is the same Erlang A queue, so every interval needs what
:func:`sim.queueing.erlang_a_staffing` says, and each setting moves it as its stated
model says.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from plans import Plan
from scenarios import load_scenario
from scenarios.model import ComplaintSurge, Scenario
from scenarios.workforce import Concurrency, Shrinkage
from sim.analysis.interval_load import offered_load
from sim.analysis.interval_requirements import erlang_requirements
from sim.analysis.interval_roster import interval_variant, layer_runs, roster_matrix
from sim.queueing import erlang_a, erlang_a_staffing

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"


@pytest.fixture(scope="module")
def stationary(default_plan: Plan) -> Scenario:
    return load_scenario(DATA / "interval_stationary.yaml")


OPTIMUM = erlang_a_staffing(15.0, 4.0, 3.0, 0.5, 0.8)


def test_each_interval_is_the_erlang_a_optimum(default_plan: Plan, stationary: Scenario) -> None:
    table = erlang_requirements(default_plan, stationary, interval_minutes=30)
    assert table.channels == ("phone",)
    assert len(table.rows) == 48
    assert OPTIMUM == 59
    for row in table.rows:
        assert row.offered == pytest.approx(450.0)
        assert row.load == pytest.approx(60.0)
        assert row.erlang_a_agents == OPTIMUM == row.staffed_agents
    # the optimum is the least: one agent fewer misses the goal in Erlang A
    assert erlang_a(OPTIMUM - 1, 15.0, 4.0, 3.0, 0.5).p_served_within < 0.8
    counts, channels, starts = table.matrix()
    assert counts.shape == (48, 1) and channels == ["phone"] and starts[1] == 30.0


def test_shrinkage_30_percent_raises_by_one_over_0_7(
    default_plan: Plan, stationary: Scenario
) -> None:
    plain = erlang_requirements(default_plan, stationary)
    shrunk = erlang_requirements(default_plan, stationary, shrinkage=0.3)
    for a, b in zip(plain.rows, shrunk.rows, strict=True):
        assert b.erlang_a_agents == a.erlang_a_agents
        assert b.staffed_agents == math.ceil(a.erlang_a_agents / 0.7) == 85
    assert any("30%" in line for line in shrunk.assumptions)


def test_the_scenarios_shrinkage_by_shift_is_weighted_by_its_roster(
    default_plan: Plan, stationary: Scenario
) -> None:
    workforce = stationary.workforce.model_copy(update={"shrinkage": Shrinkage(share=0.2)})
    table = erlang_requirements(
        default_plan, stationary.model_copy(update={"workforce": workforce})
    )
    assert table.shrinkage == pytest.approx(0.2)
    assert table.rows[0].staffed_agents == math.ceil(59 / 0.8)


def test_occupancy_cap_raises_until_occupancy_is_under_it(
    default_plan: Plan, stationary: Scenario
) -> None:
    table = erlang_requirements(default_plan, stationary, occupancy_cap=0.85)
    row = table.rows[0]
    assert row.goal_agents == OPTIMUM
    assert row.occupancy <= 0.85
    assert erlang_a(row.erlang_a_agents - 1, 15.0, 4.0, 3.0).utilisation > 0.85
    assert row.erlang_a_agents > OPTIMUM


def _chat(stationary: Scenario, contacts: int, stretch: float) -> Scenario:
    demand = stationary.demand.model_copy(update={"channels": {"chat": 1.0}})
    multi = (Concurrency(channel="chat", contacts=contacts, stretch=stretch),)
    workforce = stationary.workforce.model_copy(
        update={"concurrency": multi if contacts > 1 else ()}
    )
    return stationary.model_copy(update={"demand": demand, "workforce": workforce})


@pytest.mark.parametrize(("k", "stretch"), [(2, 1.0), (2, 1.25), (3, 1.1)])
def test_chat_concurrency_lowers_the_requirement_as_the_model_says(
    default_plan: Plan, stationary: Scenario, k: int, stretch: float
) -> None:
    one = erlang_requirements(default_plan, _chat(stationary, 1, 1.0)).rows[0]
    many = erlang_requirements(default_plan, _chat(stationary, k, stretch)).rows[0]
    goal = default_plan.targets.service_goals["chat"]
    assert one.erlang_a_agents == erlang_a_staffing(15.0, 4.0, 3.0, goal.answer_within, goal.share)
    # the stated model: an agent is k servers, each with handle time x stretch^(k-1)
    servers = erlang_a_staffing(15.0, 4.0 * stretch ** (k - 1), 3.0, goal.answer_within, goal.share)
    assert many.erlang_a_agents == math.ceil(servers / k)
    assert many.erlang_a_agents < one.erlang_a_agents


def test_a_surge_adds_its_extra_demand_in_its_window(
    default_plan: Plan, stationary: Scenario
) -> None:
    surge = ComplaintSurge(
        id="surge",
        kind="complaint_surge",
        start=120,
        duration=60,
        multiplier=2.0,
        request_types=("consultation",),
    )
    table = erlang_requirements(
        default_plan, stationary.model_copy(update={"events": (surge,)}), interval_minutes=60
    )
    offered = [r.offered for r in table.rows]
    assert offered[1] == pytest.approx(900.0) and offered[3] == pytest.approx(900.0)
    assert offered[2] == pytest.approx(1800.0)
    assert table.rows[2].erlang_a_agents > table.rows[1].erlang_a_agents


def test_the_load_matches_the_arrivals_the_engine_draws(default_plan: Plan) -> None:
    from scenarios import bundled_scenarios
    from sim.engine.simulation import simulate

    scenario = load_scenario(bundled_scenarios()["complaint_surge_billing_error"])
    load = offered_load(default_plan, scenario, 60)
    drawn = np.zeros_like(load.arrivals)
    runs = 6
    for seed in range(runs):
        rec = simulate(default_plan, scenario, 40 + seed, "none", None)
        first = rec.attempt == 0 if rec.attempt is not None else np.ones(rec.channel.size, bool)
        hour = np.minimum((rec.arrival[first] // 60).astype(int), drawn.shape[0] - 1)
        np.add.at(drawn, (hour, rec.channel[first]), 1)
    total, expected = drawn.sum() / runs, load.arrivals.sum()
    # Poisson counts plus the 5 % forecast error a replication: well within 4 SE
    se = math.sqrt(expected / runs + (0.05 * expected) ** 2 / runs)
    assert abs(total - expected) < 4 * se


def test_layers_add_up_to_every_intervals_count() -> None:
    counts = [3, 5, 5, 2, 0, 4, 4]
    runs = layer_runs(counts)
    for i, n in enumerate(counts):
        assert sum(a for (lo, hi), a in runs.items() if lo <= i < hi) == n


def test_the_interval_roster_puts_the_counts_on_duty(
    default_plan: Plan, stationary: Scenario
) -> None:
    """The engine's own shift rule (a weekly window) sees exactly the planned agents."""
    starts = [float(30 * i) for i in range(48)]
    counts = np.array([[40 + (i * 7) % 13] for i in range(48)], dtype=np.int64)
    plan, scenario = interval_variant(default_plan, stationary, counts, ["phone"], starts, 30, 0.0)
    assert scenario.workforce.is_default()
    on_duty = roster_matrix(plan, scenario, ["phone"], starts, 30)
    assert (on_duty == counts).all()


def test_an_outage_slows_the_channels_leaning_on_it_and_keeps_a_dark_channels_load(
    default_plan: Plan, stationary: Scenario
) -> None:
    """CRM down 2h-3h: phone handle time x1.6 (the plan's degraded_by); chat, which depends
    on the CRM, is dark but keeps its load (it may come back at any moment)."""
    from scenarios.model import Outage

    outage = Outage(
        id="crm_down",
        kind="outage",
        target="crm",
        start=120,
        duration={"dist": "fixed", "value": 60},
    )
    demand = stationary.demand.model_copy(update={"channels": {"phone": 0.5, "chat": 0.5}})
    scenario = stationary.model_copy(update={"demand": demand, "events": (outage,)})
    table = erlang_requirements(default_plan, scenario, interval_minutes=60)
    phone = [table.row(s, "phone") for s in table.starts[:4]]
    chat = [table.row(s, "chat") for s in table.starts[:4]]
    assert [r.load for r in phone] == pytest.approx([30.0, 30.0, 48.0, 30.0])
    assert [r.offered for r in chat] == pytest.approx([450.0] * 4)
    assert [r.load for r in chat] == pytest.approx([30.0] * 4)
    assert phone[2].erlang_a_agents > phone[1].erlang_a_agents


def test_more_than_a_week_is_refused(default_plan: Plan, stationary: Scenario) -> None:
    with pytest.raises(ValueError, match="at most a week"):
        erlang_requirements(default_plan, stationary.model_copy(update={"horizon": 8 * 1440.0}))


def test_a_closed_channel_sends_its_arrivals_where_the_scenario_says(
    default_plan: Plan, stationary: Scenario
) -> None:
    """Chat open 08:00-10:00 only; when closed, 40 % of its customers phone instead."""
    from scenarios.behaviour import Behaviour, ClosedChannel, OpeningHours

    behaviour = Behaviour(
        channel_hours={"chat": OpeningHours(open=({"days": "all", "hours": "08:00-10:00"},))},
        when_closed={"chat": ClosedChannel(move_to={"phone": 0.4})},
    )
    demand = stationary.demand.model_copy(update={"channels": {"phone": 0.5, "chat": 0.5}})
    scenario = stationary.model_copy(update={"demand": demand, "behaviour": behaviour})
    table = erlang_requirements(default_plan, scenario, interval_minutes=60)
    phone = [table.row(s, "phone").offered for s in table.starts[:4]]
    chat = [table.row(s, "chat").offered for s in table.starts[:4]]
    assert chat == pytest.approx([450.0, 450.0, 0.0, 0.0])  # the run starts at 08:00
    assert phone == pytest.approx([450.0, 450.0, 630.0, 630.0])
