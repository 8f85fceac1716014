"""Staffing search on the M/M/c+M known-answer queue: Erlang A start, conservative claims.

The queue: one live channel, 288 calls an hour, exponential 5-minute handle time and
3-minute patience (24 Erlangs), service level >= 0.8 within the plan's 30 s. Erlang A
says 26 agents (service level 0.829; 25 give 0.780), so a search at confidence 0.5 on
long replications must land within one agent of 26, and a stricter one at or above it.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from plans import load_plan
from plans.loader import default_plan_path
from scenarios.model import Scenario
from sim.analysis.staff_scaling import with_agents
from sim.analysis.staffing import MAX_LEVELS, search
from sim.analysis.staffing_start import erlang_a_start
from sim.analysis.staffing_targets import (
    Z_ONE_SIDED,
    Target,
    min_replications,
    parse_target,
    wilson_bounds,
)
from sim.queueing import erlang_a_staffing

RATE, HANDLE, PATIENCE = 288.0, 5.0, 3.0
QUEUE: dict[str, Any] = {
    "meta": {"id": "mmcm_staffing", "name": "M/M/c+M staffing search"},
    "start": "2026-03-02T00:00:00",
    "horizon": "12h",
    "warm_up": "1h",
    "demand": {
        "rate_per_hour": RATE,
        "channels": {"phone": 1.0},
        "request_types": {"consultation": 1.0},
        "classes": {"ordinary": 1.0},
    },
    "handle_time": {"default": {"dist": "exponential", "mean": "5m"}},
    "patience": {"default": {"dist": "exponential", "mean": "3m"}},
    "staffing": [{"site": "main_centre", "agents": 20, "skills": ["phone"]}],
}
SL = parse_target("service_level>=0.8")
REPS = 40
SEED = 11


def build(**fields: Any) -> Scenario:
    data = copy.deepcopy(QUEUE)
    data.update(fields)
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def optimum(plan) -> int:
    within = plan.targets.service_level.answer_within
    return erlang_a_staffing(RATE / 60, HANDLE, PATIENCE, within, 0.8)


@pytest.fixture(scope="module")
def even_odds(plan):
    return search(plan, build(), [SL], confidence=0.5, replications=REPS, seed=SEED)


@pytest.fixture(scope="module")
def strict(plan):
    return search(plan, build(), [SL], confidence=0.9, replications=REPS, seed=SEED)


@pytest.fixture(scope="module")
def strict_full(plan):
    """The same search with every replication of every level run (the search before issue 19)."""
    return search(plan, build(), [SL], confidence=0.9, replications=REPS, seed=SEED, early=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("service_level>=0.8", Target("service_level", ">=", 0.8)),
        ("abandonment <= 5%", Target("abandonment", "<=", 0.05)),
        ("asa<=30s", Target("asa", "<=", 0.5)),
        ("asa<=1m", Target("asa", "<=", 1.0)),
        ("rto<=4h", Target("rto", "<=", 240.0)),
        ("rpo<=15m", Target("rpo", "<=", 15.0)),
    ],
)
def test_parse_target_reads_kpi_op_and_threshold_in_the_kpi_unit(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("service_level=0.8", "give a KPI, '>=' or '<='"),
        ("", "give a KPI"),
        ("speed<=30s", "unknown KPI 'speed'"),
        ("service_levl>=0.8", "did you mean 'service_level'"),
        ("service_level<=0.8", "can only be a floor"),
        ("abandonment>=0.05", "can only be a cap"),
        ("service_level>=80", "not a share between 0 and 1"),
        ("abandonment<=lots", "'lots' is not a number"),
        ("asa<=30", "duration 30 has no unit"),
        ("rto<=soon", "'soon' is not a duration"),
        ("asa<=", "the figure after '<=' is missing"),
    ],
)
def test_parse_target_errors_name_the_text_and_the_reason(text, reason):
    with pytest.raises(ValueError, match="target") as err:
        parse_target(text)
    assert f"'{text}'" in str(err.value) and reason in str(err.value)


def test_label_round_trips():
    for text in ("service_level>=0.8", "asa<=30s", "rto<=4h"):
        assert parse_target(text).label == text
        assert parse_target(parse_target(text).label) == parse_target(text)


def test_erlang_a_start_is_the_erlang_a_optimum_of_the_stationary_queue(plan, optimum):
    assert optimum == 26
    assert erlang_a_start(plan, build(), [SL]) == optimum
    cap = parse_target("abandonment<=0.01")
    within = plan.targets.service_level.answer_within
    assert erlang_a_start(plan, build(), [SL, cap]) == erlang_a_staffing(
        RATE / 60, HANDLE, PATIENCE, within, 0.8, 0.01
    )


def test_erlang_a_start_leaves_event_hours_out(plan):
    surge = {
        "id": "surge",
        "kind": "complaint_surge",
        "start": "3h",
        "duration": "2h",
        "multiplier": 3.0,
        "request_types": ["consultation"],
    }
    assert erlang_a_start(plan, build(events=[surge]), [SL]) == 26
    hourly = [RATE] * 24
    hourly[5] = 2 * RATE  # a busy hour with no event sets the start
    assert (
        erlang_a_start(
            plan, build(demand={**QUEUE["demand"], "rate_per_hour": None, "hourly": hourly}), [SL]
        )
        > 26
    )


def test_erlang_a_start_counts_agents_in_all_when_groups_work_shifts(plan):
    # half the agents work the 07:00-15:00 'early' shift: before 07:00 only the other half
    # is on duty, so 26 on duty then takes 52 in all
    assert plan.shifts[0].id == "early"
    staffing = [
        {"site": "main_centre", "agents": 10, "skills": ["phone"]},
        {"site": "main_centre", "agents": 10, "shift": "early", "skills": ["phone"]},
    ]
    assert erlang_a_start(plan, build(staffing=staffing), [SL]) == 52


def test_with_agents_scales_groups_in_proportion(plan):
    staffing = [
        {"site": "main_centre", "agents": 3, "skills": ["phone"]},
        {"site": "second_centre", "agents": 1, "skills": ["phone"]},
    ]
    scaled = with_agents(plan, build(staffing=staffing), 10)
    assert [g.agents for g in scaled.staffing] == [8, 2]
    assert [g.site for g in scaled.staffing] == ["main_centre", "second_centre"]
    assert scaled.model_dump(exclude={"staffing"}) == build(staffing=staffing).model_dump(
        exclude={"staffing"}
    )
    assert sum(g.agents for g in with_agents(plan, build(staffing=None), 37).staffing) == 37


def test_one_sided_wilson_bounds_and_the_replications_a_confidence_needs():
    lower, upper = wilson_bounds(25, 25)
    assert upper == 1.0 and lower == pytest.approx(25 / (25 + Z_ONE_SIDED**2))
    assert (
        min_replications(0.9) == 25 and wilson_bounds(24, 24)[0] < 0.9 <= wilson_bounds(25, 25)[0]
    )
    assert min_replications(0.95) == 52
    lo, hi = wilson_bounds(30, 40)
    assert lo < 0.75 < hi


def test_even_odds_search_lands_within_one_agent_of_erlang_a(even_odds, optimum):
    result = even_odds
    assert result.found and result.resolved and not result.budget_spent and result.start == optimum
    assert abs(result.agents - optimum) <= 1
    answer = result.level(result.agents)
    assert answer.supported and all(e.lower >= 0.5 for e in answer.evidence)
    below = result.level(result.agents - 1)
    assert not below.supported and any(e.lower < 0.5 for e in below.evidence)
    assert result.runs == sum(lv.runs for lv in result.levels) <= MAX_LEVELS * REPS
    assert all(1 <= lv.runs <= REPS for lv in result.levels)


def test_strict_search_claims_only_what_the_bounds_support(strict, optimum):
    result = strict
    assert result.found and result.resolved and result.agents >= optimum
    assert all(e.lower >= 0.9 for e in result.level(result.agents).evidence)
    assert not result.level(result.agents - 1).supported
    for level in result.levels:
        assert level.supported == all(e.lower >= 0.9 for e in level.evidence)
        for e in level.evidence:
            assert e.n == level.runs <= REPS and e.lower <= e.probability <= e.upper
        # at n = 40 and confidence 0.9 only a level with every run met is supported
        assert level.runs == REPS if level.supported else level.evidence[0].met < level.runs
    assert [lv.agents for lv in result.levels] == sorted({lv.agents for lv in result.levels})


def test_stopping_a_decided_level_early_changes_no_verdict(strict, strict_full):
    assert strict_full.runs == len(strict_full.levels) * REPS
    assert [(lv.agents, lv.supported) for lv in strict.levels] == [
        (lv.agents, lv.supported) for lv in strict_full.levels
    ]
    assert (strict.agents, strict.resolved) == (strict_full.agents, strict_full.resolved)
    assert strict.runs < strict_full.runs
    for early, full in zip(strict.levels, strict_full.levels, strict=True):
        if early.supported:  # a supported level rests on every run, exactly as before
            assert early.evidence == full.evidence
        else:  # the runs made are the first ones of the full level, on the same seeds
            assert early.evidence[0].met <= full.evidence[0].met
    # common random numbers: the same customers at every level, so P(met) never falls
    met = [lv.evidence[0].met for lv in strict_full.levels]
    assert met == sorted(met)


def test_unreachable_target_is_never_claimed(plan):
    result = search(
        plan,
        build(),
        [parse_target("service_level>=0.99")],
        confidence=0.9,
        replications=25,
        seed=SEED,
        max_agents=27,
    )
    assert not result.found and result.agents is None and result.max_agents == 27
    assert not result.budget_spent
    assert result.levels and not any(lv.supported for lv in result.levels)
    assert result.levels[-1].agents == 27
    assert result.to_dict()["found"] is False and result.to_dict()["levels"]


def test_spent_budget_is_reported_not_taken_for_an_answer(plan):
    # 26 agents are supported at even odds, but no level is left to rule out 25
    result = search(plan, build(), [SL], confidence=0.5, replications=20, seed=SEED, max_levels=1)
    assert result.found and result.agents == 26 and not result.resolved and result.budget_spent
    # 26 is not supported at 0.9, and no level is left to try more agents
    result = search(plan, build(), [SL], confidence=0.9, replications=25, seed=SEED, max_levels=1)
    assert not result.found and result.budget_spent and [lv.agents for lv in result.levels] == [26]
    assert result.runs == result.levels[0].runs <= 25


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"targets": []}, "at least one target"),
        ({"confidence": 1.0}, "strictly between 0 and 1"),
        ({"confidence": 0.0}, "strictly between 0 and 1"),
        ({"confidence": 0.95, "replications": 40}, "use at least 52"),
        ({"max_agents": 0}, "max_agents must be at least 1"),
    ],
)
def test_search_refuses_what_it_cannot_judge(plan, kwargs, message):
    args = {"targets": [SL], "confidence": 0.9, "replications": 30, "seed": SEED, **kwargs}
    with pytest.raises(ValueError, match=message):
        search(plan, build(), **args)


def test_nan_kpi_counts_as_met_like_the_plan_targets(plan):
    # no data loss in the queue: rpo is 0 in every replication, so the target always holds
    result = search(
        plan,
        build(horizon="3h"),
        [parse_target("rpo<=15m")],
        confidence=0.5,
        replications=5,
        seed=SEED,
        max_levels=2,
    )
    assert result.found and all(e.met == 5 for lv in result.levels for e in lv.evidence)
    assert not math.isnan(result.level(result.agents).evidence[0].mean)
