"""A staffing level's targets read alone equal the same figures of the whole KPI set.

Why: the staffing search now computes only its targets' KPIs a replication
(``some_of_set``, issue 19); every target a user may give must be the float the whole
set (what ``drillsim run`` reports) holds, on every bundled scenario, scaled or not.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from plans import default_plan_path, load_plan
from scenarios import load_scenario
from sim.analysis.staff_scaling import with_agents
from sim.analysis.staffing_targets import KPIS
from sim.engine.kpi_set import replication_set, some_of_set
from sim.engine.simulation import simulate

LIBRARY = sorted((Path(__file__).parents[2] / "scenarios" / "library").glob("*.yaml"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_a_levels_targets_are_the_whole_sets_figures(path: Path) -> None:
    plan = load_plan(default_plan_path())
    scenario = load_scenario(path)
    names = tuple(sorted(KPIS))
    for variant, seed in ((scenario, 1), (with_agents(plan, scenario, 150), 2)):
        rec = simulate(plan, variant, seed)
        whole = replication_set(rec, plan)
        some = some_of_set(rec, plan, names)
        assert set(some) == {n for n in names if n in whole}
        for name, value in some.items():
            want = whole[name]
            assert value == want or (math.isnan(value) and math.isnan(want)), name


def test_a_name_no_part_holds_comes_from_the_whole_set() -> None:
    plan = load_plan(default_plan_path())
    rec = simulate(plan, load_scenario(LIBRARY[0]), 1)
    whole = replication_set(rec, plan)
    name = next(k for k in whole if k.startswith("customers"))
    assert some_of_set(rec, plan, ("service_level", name)) == {
        "service_level": whole["service_level"],
        name: whole[name],
    }
