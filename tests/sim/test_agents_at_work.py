"""Agents as they work (issue 14 part 5): shrinkage and chat concurrency.

Known answers: with every setting at its neutral value the run is today's, contact
for contact; shrinkage 1/3 of 15 agents is an M/M/10 queue (Erlang C); a shrinkage
that leaves 10.5 agents on average lies between Erlang C with 10 and with 11; two
chats at once without slow-down make 5 agents an M/M/10 queue of chat slots. Then
the common-random-numbers checks: more shrinkage, or more slow-down per extra chat,
never raises the service level.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.metrics import occupancy, queue_kpis, window_mask
from sim.engine.rng import replication_seeds
from sim.engine.simulation import Simulation, simulate
from sim.queueing import mmc_service_level

THRESHOLD = 0.5
LOAD = 8.0  # 96 an hour x 5 minutes


def levels(plan, scenario, seed, n=6):
    out = []
    for s in replication_seeds(seed, n):
        rec = simulate(plan, scenario, s)
        out.append(queue_kpis(rec, window_mask(rec), THRESHOLD)["service_level"])
    return np.array(out)


def assert_near(values, expected, name, slack=0.01):
    se = values.std(ddof=1) / math.sqrt(len(values))
    tolerance = 4 * se + slack
    assert abs(values.mean() - expected) <= tolerance, (
        f"{name}: simulated {values.mean():.4f} vs {expected:.4f} (tol {tolerance:.4f})"
    )


def staff(n):
    def edit(d):
        d["staffing"][0]["agents"] = n

    return edit


def test_neutral_settings_are_todays_run(default_plan, queue_scenario):
    """One contact at a time, no stretch, no shrinkage: the same run as with no settings."""
    plain = simulate(default_plan, queue_scenario(), 4)
    for workforce in (
        {"concurrency": [{"channel": "phone", "contacts": 1, "stretch": 1.0}]},
        {"shrinkage": {"share": 0.0, "cycle": "30m"}},  # named, but nobody away
    ):
        rec = simulate(default_plan, queue_scenario(workforce=workforce), 4)
        assert np.array_equal(rec.start, plain.start, equal_nan=True), workforce
        assert np.array_equal(rec.end, plain.end, equal_nan=True), workforce


def test_shrinkage_of_a_third_is_erlang_c_with_two_thirds_of_the_agents(
    default_plan, queue_scenario
):
    scenario = queue_scenario(staff(15), workforce={"shrinkage": {"share": 1 / 3}})
    expected = mmc_service_level(10, LOAD, 5.0, THRESHOLD)
    # exactly five always away: contact for contact the run of 10 agents (same seed)
    ten = simulate(default_plan, queue_scenario(staff(10)), 11)
    assert np.array_equal(simulate(default_plan, scenario, 11).end, ten.end, equal_nan=True)
    assert_near(levels(default_plan, scenario, 11), expected, "SL, 15 agents less a third")


def test_fractional_shrinkage_lies_between_the_two_erlang_c_answers(default_plan, queue_scenario):
    """14 agents less 25% is 10.5 on average: breaks rotate between 10 and 11 at work."""
    scenario = queue_scenario(staff(14), workforce={"shrinkage": {"share": 0.25}})
    low = mmc_service_level(10, LOAD, 5.0, THRESHOLD)
    high = mmc_service_level(11, LOAD, 5.0, THRESHOLD)
    sim = Simulation(default_plan, scenario, 2)
    rec = sim.run()
    counts = {count for t, _g, count in rec.staffing_log if t > 0}
    assert counts == {10, 11}
    assert_near(levels(default_plan, scenario, 12), (low + high) / 2, "SL at 10.5", 0.03)


def test_more_shrinkage_never_raises_the_service_level(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        out = []
        for share in (0.0, 0.05, 0.1, 0.15, 0.2):
            scenario = queue_scenario(staff(12), workforce={"shrinkage": {"share": share}})
            rec = simulate(default_plan, scenario, seed)
            out.append(queue_kpis(rec, window_mask(rec), THRESHOLD)["service_level"])
        assert all(b <= a + 1e-12 for a, b in zip(out, out[1:], strict=False)), out
        assert out[-1] < out[0]


def test_shrinkage_follows_the_shift(default_plan, queue_scenario):
    """A share for the early shift applies to its groups only; breaks are planned, so
    they never make a channel count as short of agents."""

    def edit(d):
        d["staffing"] = [
            {"site": "main_centre", "shift": "early", "agents": 10, "skills": ["phone"]},
            {"site": "second_centre", "agents": 10, "skills": ["phone"]},
        ]

    scenario = queue_scenario(
        edit, workforce={"shrinkage": {"share": 0.0, "shifts": {"early": 0.5}}}
    )
    sim = Simulation(default_plan, scenario, 1)
    sim.run_until(9 * 60)  # Monday 09:00: the early shift is on
    assert sim.g_staffed == [5, 10]
    assert sim.rules.present == [10, 10]
    assert sim.service_ok("phone")


def test_two_chats_at_once_without_slow_down_is_erlang_c_on_the_slots(default_plan, queue_scenario):
    scenario = queue_scenario(
        staff(5), workforce={"concurrency": [{"channel": "phone", "contacts": 2}]}
    )
    expected = mmc_service_level(10, LOAD, 5.0, THRESHOLD)
    assert_near(levels(default_plan, scenario, 13), expected, "SL, 5 agents x 2 chats")
    # memoryless handle times, no stretch: the waits are those of 10 agents, one at a time
    ten = simulate(default_plan, queue_scenario(staff(10)), 13)
    both = simulate(default_plan, scenario, 13)
    assert np.allclose(both.start - both.arrival, ten.start - ten.arrival, equal_nan=True)


def test_agents_never_hold_more_than_k_chats(default_plan, queue_scenario):
    scenario = queue_scenario(
        staff(3), workforce={"concurrency": [{"channel": "phone", "contacts": 3, "stretch": 1.2}]}
    )
    sim = Simulation(default_plan, scenario, 3)
    peak = 0
    for minute in range(0, 24 * 60, 7):
        sim.run_until(minute)
        held = [n for loads in sim.loads.values() for n in loads.values()]
        assert all(1 <= n <= 3 for n in held)
        assert len(held) == sim.g_busy[0] <= sim.g_staffed[0]
        peak = max(peak, sum(held))
    assert peak > 3  # agents did hold several at once


def test_more_stretch_never_raises_the_service_level(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        out = []
        for stretch in (1.0, 1.2, 1.5, 2.0):
            scenario = queue_scenario(
                staff(5),
                workforce={
                    "concurrency": [{"channel": "phone", "contacts": 2, "stretch": stretch}]
                },
            )
            rec = simulate(default_plan, scenario, seed)
            out.append(queue_kpis(rec, window_mask(rec), THRESHOLD)["service_level"])
        assert all(b <= a + 1e-12 for a, b in zip(out, out[1:], strict=False)), out
        assert out[-1] < out[0]


def test_an_agent_with_two_chats_is_one_agent_busy(default_plan, queue_scenario):
    """Occupancy counts an agent's time once however many chats it holds (issue 14):
    summing the chats' handle times counted it twice, and a shared agent's occupancy
    could pass 100%. Checked against the agents' own busy spans, sampled each minute."""
    scenario = queue_scenario(
        staff(3), workforce={"concurrency": [{"channel": "phone", "contacts": 3, "stretch": 1.2}]}
    )
    sim = Simulation(default_plan, scenario, 3)
    busy_minutes = staffed_minutes = 0.0
    for minute in range(1, 24 * 60 + 1):
        sim.run_until(minute - 0.5)
        busy_minutes += sim.g_busy[0]
        staffed_minutes += sim.g_staffed[0]
    sim.run_until(24 * 60)
    rec = sim.records()
    occ = occupancy(rec, 0.0, rec.horizon)
    assert 0.0 < occ <= 1.0
    assert occ == pytest.approx(busy_minutes / staffed_minutes, abs=0.02)
    summed = np.nansum(np.where(np.isnan(rec.end), rec.horizon, rec.end) - rec.start)
    assert summed / staffed_minutes > occ + 0.1  # the old sum double-counted


def test_one_chat_an_agent_keeps_todays_occupancy(default_plan, queue_scenario):
    one = queue_scenario(staff(5), workforce={"concurrency": [{"channel": "phone", "contacts": 1}]})
    rec = simulate(default_plan, one, 2)
    plain = simulate(default_plan, queue_scenario(staff(5)), 2)
    assert rec.shared is None
    assert occupancy(rec, 0.0, rec.horizon) == occupancy(plain, 0.0, plain.horizon)
