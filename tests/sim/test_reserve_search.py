"""The reserve-pool trade-off: the smallest pool that carries a smaller team."""

from __future__ import annotations

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.backends import SerialBackend
from sim.analysis.reserve_search import reserve_pools, smallest_reserve
from sim.analysis.staffing_targets import parse_target


def test_smallest_reserve_is_minimal_and_monotone():
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    short = scenario
    targets = [parse_target("service_level>=0.5")]
    option = smallest_reserve(
        plan,
        short,
        targets,
        agents=126,
        confidence=0.5,
        replications=6,
        seed=3,
        backend=SerialBackend(),
        max_reserve=8,
    )
    sizes = dict(option.levels)
    assert option.reserve is not None and sizes[option.reserve].supported
    if option.reserve > 0:
        assert not sizes[option.reserve - 1].supported  # one smaller was tried and failed
    assert reserve_pools(plan) == [20]


def test_no_pool_large_enough_is_reported_not_claimed():
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    short = scenario
    targets = [parse_target("service_level>=0.99")]
    option = smallest_reserve(
        plan,
        short,
        targets,
        agents=20,
        confidence=0.9,
        replications=6,
        seed=3,
        backend=SerialBackend(),
        max_reserve=4,
    )
    assert option.reserve is None
    assert [size for size, _ in option.levels] == [4]
