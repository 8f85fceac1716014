"""Same seed, changed input: the answer moves the way it must (common random numbers)."""

from __future__ import annotations

import numpy as np

from sim.engine.metrics import kpis_for, queue_kpis, window_mask
from sim.engine.simulation import simulate


def test_more_agents_never_lower_the_service_level(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        levels = []
        for agents in range(8, 15):

            def edit(d, n=agents):
                d["staffing"][0]["agents"] = n

            rec = simulate(
                default_plan,
                queue_scenario(edit, patience={"default": {"dist": "exponential", "mean": "3m"}}),
                seed,
            )
            levels.append(queue_kpis(rec, window_mask(rec), 0.5)["service_level"])
        assert all(b >= a for a, b in zip(levels, levels[1:], strict=False)), levels
        assert levels[-1] > levels[0]


def test_bigger_surge_never_shortens_the_queue(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        results = []
        for multiplier in (1.0, 1.5, 2.0, 3.0, 5.0):
            events = [
                {
                    "id": "surge",
                    "kind": "complaint_surge",
                    "start": "4h",
                    "duration": "4h",
                    "multiplier": multiplier,
                    "ramp": "30m",
                    "request_types": ["consultation"],
                }
            ]
            rec = simulate(default_plan, queue_scenario(events=events), seed)
            k = kpis_for(rec, default_plan)
            results.append((len(rec), k["max_queue"], k["asa"]))
        arrivals, queues, waits = zip(*results, strict=True)
        assert all(b >= a for a, b in zip(arrivals, arrivals[1:], strict=False)), arrivals
        assert all(b >= a for a, b in zip(queues, queues[1:], strict=False)), queues
        assert waits[-1] > waits[0]


def test_surge_keeps_every_base_customer(default_plan, queue_scenario):
    plain = simulate(default_plan, queue_scenario(), 9)
    events = [
        {
            "id": "surge",
            "kind": "complaint_surge",
            "start": "4h",
            "duration": "4h",
            "multiplier": 3,
            "request_types": ["consultation"],
        }
    ]
    surged = simulate(default_plan, queue_scenario(events=events), 9)
    base = ~surged.surge
    assert np.array_equal(surged.arrival[base], plain.arrival)
    assert surged.surge.sum() > 0


def test_same_seed_same_customers_whatever_the_staffing(default_plan, queue_scenario):
    def more(d):
        d["staffing"][0]["agents"] = 20

    a = simulate(default_plan, queue_scenario(), 3)
    b = simulate(default_plan, queue_scenario(more), 3)
    assert np.array_equal(a.arrival, b.arrival)
    assert not np.array_equal(a.start, b.start)
