"""The shift cover: milp optimum = brute force, breaks honoured, clear infeasibility."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from plans import ModelFileError, Plan, default_plan_path, load_plan
from plans.service import Shift
from scenarios import default_scenario_path, load_scenario
from scenarios.model import Scenario
from sim.analysis.compare import compare_prepared
from sim.analysis.roster_gap import roster_gap
from sim.analysis.shift_cover import ShiftCover, ShiftCoverError, solve_cover
from sim.analysis.shift_patterns import (
    ShiftPattern,
    candidate_shift,
    coverage_matrix,
    plan_patterns,
    run_spans,
    segments,
)
from sim.analysis.shift_variant import baseline_and_cover
from sim.engine.interval_metrics import interval_key
from sim.engine.simulation import Simulation

HOUR = 60.0


def _pattern(pid: str, spans: list[tuple[float, float]], cost: float = 1.0) -> ShiftPattern:
    return ShiftPattern(pid, tuple(spans), None, cost)


# Three shifts over an 8-interval day of 1-hour intervals: early 0-4h, mid 2-6h, late 4-8h.
STARTS = [i * HOUR for i in range(8)]
THREE = [
    _pattern("early", [(0, 4 * HOUR)]),
    _pattern("mid", [(2 * HOUR, 6 * HOUR)]),
    _pattern("late", [(4 * HOUR, 8 * HOUR)]),
]


def _brute_force(a: np.ndarray, r: np.ndarray, costs: list[float]) -> float:
    """The cheapest x in 0..max(r) per pattern with A x >= r, by enumeration."""
    best = np.inf
    top = int(r.max())
    for x in itertools.product(range(top + 1), repeat=a.shape[1]):
        if np.all(a @ np.array(x) >= r):
            best = min(best, float(np.dot(costs, x)))
    return best


@pytest.mark.parametrize("case", range(12))
def test_three_shift_milp_equals_brute_force(case: int) -> None:
    rng = np.random.default_rng(1000 + case)
    r = rng.integers(0, 7, size=8)
    costs = [1.0, 1.0, 1.0] if case % 2 == 0 else [1.0, 1.3, 0.9]
    patterns = [ShiftPattern(p.id, p.spans, None, c) for p, c in zip(THREE, costs, strict=True)]
    a = coverage_matrix(patterns, STARTS, 8 * HOUR)
    cover = solve_cover(r[:, None], ["phone"], STARTS, patterns, a, [("phone",)])
    assert cover.cost == pytest.approx(_brute_force(a, r, costs))
    assert np.all(cover.at_work()[:, 0] >= r)  # every interval covered
    assert np.all(cover.surplus() >= 0)
    assert cover.surplus().tolist() == (cover.at_work()[:, 0] - r).tolist()


def test_known_answer_three_shifts() -> None:
    # early needs 5 in 0-2h; late 3 in 6-8h; mid's 2-4h and 4-6h peaks of 7 and 6:
    # early 5 covers 0-4h, so mid needs 2 there; late 3 covers 4-8h, so mid needs 3 at 4-6h.
    r = np.array([5, 5, 7, 7, 6, 6, 3, 3])
    a = coverage_matrix(THREE, STARTS, 8 * HOUR)
    cover = solve_cover(r[:, None], ["phone"], STARTS, THREE, a, [("phone",)])
    assert cover.total == 11
    assert cover.agents[:, 0].tolist() == [5, 3, 3]


def test_multi_skill_group_is_used_when_it_saves_agents() -> None:
    # One pattern, 1 phone and 1 chat needed at different hours: one agent with both
    # skills covers both, two specialists would be needed otherwise.
    starts = [0.0, HOUR]
    patterns = [_pattern("day", [(0, 2 * HOUR)])]
    a = coverage_matrix(patterns, starts, 2 * HOUR)
    r = np.array([[1, 0], [0, 1]])
    only = solve_cover(r, ["phone", "chat"], starts, patterns, a, [("phone",), ("chat",)])
    assert only.total == 2
    both = solve_cover(
        r, ["phone", "chat"], starts, patterns, a, [("phone",), ("chat",), ("chat", "phone")]
    )
    assert both.total == 1
    assert both.rows() == [("day", ("chat", "phone"), 1)]
    # the split meets each channel in each interval
    assert np.all(both.assignment.sum(axis=1) >= r - 1e-9)


def test_breaks_are_not_covered() -> None:
    # 'long' works 0-4h with a 1-hour break at 2h; 'short' works 2-3h only.
    with_break = [
        _pattern("long", [(0, 2 * HOUR), (3 * HOUR, 4 * HOUR)]),
        _pattern("short", [(2 * HOUR, 3 * HOUR)]),
    ]
    starts = [0.0, HOUR, 2 * HOUR, 3 * HOUR]
    a = coverage_matrix(with_break, starts, 4 * HOUR)
    assert a[:, 0].tolist() == [1, 1, 0, 1]
    r = np.array([[2], [2], [2], [2]])
    cover = solve_cover(r, ["phone"], starts, with_break, a, [("phone",)])
    assert cover.agents[:, 0].tolist() == [2, 2]  # the break must be covered by 'short'
    no_break = [_pattern("long", [(0, 4 * HOUR)]), with_break[1]]
    plain = solve_cover(
        r, ["phone"], starts, no_break, coverage_matrix(no_break, starts, 4 * HOUR), [("phone",)]
    )
    assert plain.agents[:, 0].tolist() == [2, 0]
    assert plain.total < cover.total  # a break costs agents


def test_break_of_a_plan_shift_leaves_its_interval_uncovered(default_plan: Plan) -> None:
    shift = candidate_shift("day", 8 * 60, 8 * 60, breaks=[(4 * HOUR, 30.0)])
    scenario = _day_scenario(default_plan)
    spans = run_spans(shift, scenario)
    assert spans == ((0.0, 240.0), (270.0, 480.0))
    starts = [i * 30.0 for i in range(16)]
    a = coverage_matrix([ShiftPattern("day", spans, shift)], starts, 480.0)
    assert a[:, 0].tolist() == [1] * 8 + [0] + [1] * 7


def test_uncoverable_interval_is_a_clear_message() -> None:
    patterns = [_pattern("early", [(0, 2 * HOUR)])]
    starts = [0.0, HOUR, 2 * HOUR]
    a = coverage_matrix(patterns, starts, 3 * HOUR)
    with pytest.raises(ShiftCoverError) as err:
        solve_cover(
            np.array([[1], [1], [4]]),
            ["phone"],
            starts,
            patterns,
            a,
            [("phone",)],
            labels=["08:00", "09:00", "10:00"],
        )
    text = str(err.value)
    assert "10:00" in text and "'phone'" in text and "4 agent(s)" in text
    assert "08:00" not in text


def test_channel_no_group_serves_is_a_clear_message() -> None:
    patterns = [_pattern("day", [(0, HOUR)])]
    a = coverage_matrix(patterns, [0.0], HOUR)
    with pytest.raises(ShiftCoverError, match="'chat' needs agents but no skill group"):
        solve_cover(np.array([[0, 1]]), ["phone", "chat"], [0.0], patterns, a, [("phone",)])


def test_more_required_never_fewer_agents() -> None:
    a = coverage_matrix(THREE, STARTS, 8 * HOUR)
    r = np.array([2, 3, 4, 4, 3, 2, 2, 1])
    low = solve_cover(r[:, None], ["phone"], STARTS, THREE, a, [("phone",)]).total
    high = solve_cover((r + 1)[:, None], ["phone"], STARTS, THREE, a, [("phone",)]).total
    assert high >= low


# --- the plan's shifts on the run's clock ------------------------------------------------


def _day_scenario(plan: Plan) -> Scenario:
    """The default scenario: Monday 08:00, 8 h."""
    return load_scenario(default_scenario_path())


def test_default_plan_patterns(default_plan: Plan) -> None:
    scenario = _day_scenario(default_plan)  # Monday 08:00, 8 h
    patterns = plan_patterns(default_plan, scenario)
    assert [p.id for p in patterns] == ["early", "late"]
    assert patterns[0].spans == ((0.0, 420.0),)  # to 15:00
    assert patterns[1].spans == ((420.0, 480.0),)
    assert all(not s.breaks for s in default_plan.shifts)  # SOURCE.md states no break


def test_shift_without_breaks_works_its_window(default_plan: Plan) -> None:
    for shift in default_plan.shifts:
        assert shift.working_intervals() == shift.window.intervals()


def test_engine_takes_agents_off_for_a_break(default_plan: Plan) -> None:
    """The simulation honours a plan shift's break: the group has no one at work then."""
    shifts = [
        s.model_dump()
        if s.id != "early"
        else s.model_dump() | {"breaks": [{"start": 300.0, "length": 30.0}]}
        for s in default_plan.shifts
    ]
    plan = Plan.model_validate(
        default_plan.model_copy(
            update={"shifts": tuple(Shift.model_validate(s) for s in shifts)}
        ).model_dump()
    )
    scenario = _day_scenario(plan)
    sim = Simulation(plan, scenario, 3)
    sim.run()
    early = [g for g, grp in enumerate(sim.groups) if grp.shift == "early"]
    # break 12:00-12:30 = run minutes 240-270
    at = {g: [(t, n) for t, gg, n in sim.staffing_log if gg == g] for g in early}
    for g in early:
        log = at[g]
        during = [n for t, n in log if t <= 245][-1]
        after = [n for t, n in log if t <= 275][-1]
        assert during == 0
        assert after == sim.g_agents[g]


def test_plan_file_break_outside_the_shift_names_file_line_and_path(tmp_path) -> None:
    text = default_plan_path().read_text(encoding="utf-8")
    old = '{id: early, name: Early shift, window: {days: weekdays, hours: "07:00-15:00"}}'
    assert old in text
    new = old[:-1] + ", breaks: [{start: 7h45m, length: 30m}]}"
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ModelFileError) as err:
        load_plan(path)
    line = text[: text.index(old)].count("\n") + 1
    message = str(err.value)
    assert f"plan.yaml:{line}" in message and "shifts[0]" in message
    assert "breaks[0] ends after the shift ends" in message


def test_plan_file_with_a_break_loads_and_dumps_back(tmp_path) -> None:
    text = default_plan_path().read_text(encoding="utf-8")
    old = '{id: early, name: Early shift, window: {days: weekdays, hours: "07:00-15:00"}}'
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, old[:-1] + ", breaks: [{start: 4h, length: 30m}]}"))
    plan = load_plan(path)
    early = plan.shifts[0]
    assert early.breaks[0].start == 240.0 and early.breaks[0].length == 30.0
    assert early.model_dump(mode="json")["breaks"] == [{"start": "4h", "length": "30m"}]


# --- today's roster against a requirement --------------------------------------------


def _one_site_scenario(plan: Plan, staffing: list[dict]) -> Scenario:
    data = load_scenario(default_scenario_path()).model_dump()
    data["staffing"] = staffing
    return Scenario.model_validate(data)


def test_roster_gap_splits_multi_skilled_agents(default_plan: Plan) -> None:
    # 2 phone agents and 1 who takes chat or phone, all day; 3 phone + 1 chat needed:
    # each channel alone is "covered" (3 can take phone, 1 can take chat), together one short.
    scenario = _one_site_scenario(
        default_plan,
        [
            {"site": "main_centre", "agents": 2, "skills": ["phone"]},
            {"site": "main_centre", "agents": 1, "skills": ["chat", "phone"]},
        ],
    )
    starts = [0.0, 30.0]
    need = np.array([[3, 1], [2, 1]])
    gap = roster_gap(default_plan, scenario, need, ["phone", "chat"], starts)
    assert gap.able.tolist() == [[3, 1], [3, 1]]
    assert gap.gap().tolist() == [1, 0]
    assert gap.surplus().tolist() == [-1, 0]
    assert gap.at_work.tolist() == [3, 3]


def test_roster_gap_of_the_default_roster_follows_its_shifts(default_plan: Plan) -> None:
    scenario = load_scenario(default_scenario_path())  # 08:00-16:00; the late shift from 15:00
    starts = [i * 30.0 for i in range(16)]
    need = np.full((16, 1), 30)
    gap = roster_gap(default_plan, scenario, need, ["phone"], starts)
    phone_early = sum(
        g.agents for g in default_plan.staffing if g.shift == "early" and "phone" in g.skills
    )
    phone_late = sum(
        g.agents for g in default_plan.staffing if g.shift == "late" and "phone" in g.skills
    )
    assert gap.able[:14, 0].tolist() == [phone_early] * 14
    assert gap.able[14:, 0].tolist() == [phone_late] * 2
    assert gap.short[:, 0].tolist() == [max(0, 30 - a) for a in gap.able[:, 0]]


# --- the cover as a variant, checked by simulation ------------------------------------


def _default_cover(plan: Plan, scenario: Scenario, phone: int) -> ShiftCover:
    starts = [i * 30.0 for i in range(16)]
    patterns = plan_patterns(plan, scenario)
    a = coverage_matrix(patterns, starts, scenario.horizon)
    need = np.array([[phone, 8, 22, 3, 3]] * 16)
    channels = ["phone", "chat", "counter", "app", "web"]
    groups = [("phone",), ("counter",), ("app", "chat", "web")]
    return solve_cover(need, channels, starts, patterns, a, groups)


def test_cover_variant_hires_exactly_the_cover(default_plan: Plan) -> None:
    scenario = load_scenario(default_scenario_path())
    cover = _default_cover(default_plan, scenario, 20)
    base, varied = baseline_and_cover(default_plan, scenario, cover)
    assert base.scenario is scenario
    staffing = varied.scenario.staffing
    assert staffing is not None
    assert sum(g.agents for g in staffing) == cover.total
    for pattern, skills, n in cover.rows():
        assert sum(g.agents for g in staffing if g.shift == pattern and g.skills == skills) == n
    # spread over both sites as today's roster is
    assert {g.site for g in staffing} == {"main_centre", "second_centre"}
    assert varied.plan.shifts == default_plan.shifts


def test_candidate_pattern_becomes_a_plan_shift_of_the_variant(default_plan: Plan) -> None:
    scenario = load_scenario(default_scenario_path())
    shift = candidate_shift("cover_0800", 8 * 60, 8 * 60, breaks=[(4 * HOUR, 30.0)])
    patterns = [ShiftPattern(shift.id, run_spans(shift, scenario), shift)]
    starts = [i * 30.0 for i in range(16)]
    need = np.zeros((16, 1), dtype=np.int64)
    need[:8] = 3
    cover = solve_cover(
        need, ["phone"], starts, patterns, coverage_matrix(patterns, starts, 480.0), [("phone",)]
    )
    _base, varied = baseline_and_cover(default_plan, scenario, cover)
    assert varied.plan.shifts[-1].id == "cover_0800"
    assert varied.plan.shifts[-1].breaks[0].start == 240.0
    sim = Simulation(varied.plan, varied.scenario, 1)
    sim.run()
    assert sum(sim.g_agents) == 3


def test_more_required_cover_serves_no_worse_on_common_seeds(default_plan: Plan) -> None:
    """The cover is checked by simulation like any variant; a bigger one never serves less."""
    scenario = load_scenario(default_scenario_path())
    small = _default_cover(default_plan, scenario, 14)
    big = _default_cover(default_plan, scenario, 24)
    assert big.total > small.total
    prepared = [
        baseline_and_cover(default_plan, scenario, small)[1],
        baseline_and_cover(default_plan, scenario, big)[1],
    ]
    result = compare_prepared(default_plan, scenario, prepared, 4, 11, workers=1, interval=30.0)
    small_sl = result.variants[0].result.values("service_level.phone")
    big_sl = result.variants[1].result.values("service_level.phone")
    assert np.all(big_sl >= small_sl - 1e-12)
    assert result.variants[1].result.interval == 30.0
    assert (
        result.variants[1].result.interval_values(interval_key(0, "phone", "service_level")).size
        == 4
    )


def test_interval_across_a_shift_change_is_covered_by_both_shifts() -> None:
    # 2-hour intervals; 'a' works 0-3h, 'b' 3-6h: the 2h-4h interval needs both.
    patterns = [_pattern("a", [(0, 3 * HOUR)]), _pattern("b", [(3 * HOUR, 6 * HOUR)])]
    starts = [0.0, 2 * HOUR, 4 * HOUR]
    assert coverage_matrix(patterns, starts, 6 * HOUR)[1].tolist() == [0, 0]  # neither alone
    cuts, index = segments(patterns, starts, 6 * HOUR)
    assert cuts == [0.0, 2 * HOUR, 3 * HOUR, 4 * HOUR] and index == [0, 1, 1, 2]
    a = coverage_matrix(patterns, cuts, 6 * HOUR)
    r = np.array([[2], [5], [3]])
    cover = solve_cover(r, ["phone"], starts, patterns, a, [("phone",)], row_interval=index)
    assert cover.agents[:, 0].tolist() == [5, 5]  # each must hold 5 for its half of 2h-4h
    assert cover.at_work()[:, 0].tolist() == [5, 5, 5]
    assert cover.surplus().tolist() == [3, 0, 2]


def test_break_inside_a_long_interval_is_covered_by_others() -> None:
    # one 2-hour interval; 'long' takes a 30-minute break at 1h, 'cover' works only then
    patterns = [
        _pattern("long", [(0, HOUR), (1.5 * HOUR, 2 * HOUR)]),
        _pattern("cover", [(HOUR, 1.5 * HOUR)], cost=0.5),
    ]
    cuts, index = segments(patterns, [0.0], 2 * HOUR)
    assert cuts == [0.0, HOUR, 1.5 * HOUR]
    a = coverage_matrix(patterns, cuts, 2 * HOUR)
    cover = solve_cover(
        np.array([[4]]), ["phone"], [0.0], patterns, a, [("phone",)], row_interval=index
    )
    assert cover.agents[:, 0].tolist() == [4, 4]
    assert cover.at_work()[0, 0] == 4
