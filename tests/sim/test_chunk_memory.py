"""A chunk of replications leaves no finished simulation behind (issue 19).

Why: a finished simulation is a reference cycle holding its contacts' lists (about
2.6 MB on the default scenario); left to the collector's own schedule, a worker's chunk
of 200 replications grew to 534 MB. Each is now collected as soon as it is reduced
to its KPIs, before the next one starts.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.montecarlo import run_chunk
from sim.engine.rng import replication_seeds
from sim.engine.simulation import Simulation


def test_each_replication_is_gone_before_the_next_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    made: list[weakref.ref[Simulation]] = []
    alive_at_start: list[int] = []
    init = Simulation.__init__

    def watched(self: Simulation, *args: Any, **kwargs: Any) -> None:
        alive_at_start.append(sum(ref() is not None for ref in made))
        made.append(weakref.ref(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(Simulation, "__init__", watched)
    gc.collect()
    results = run_chunk(plan, scenario, "plan", None, replication_seeds(3, 4))
    assert len(results) == 4
    assert alive_at_start == [0, 0, 0, 0]
