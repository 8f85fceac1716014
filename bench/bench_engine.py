"""Engine speed and memory, as ratios measured in one run (the machine is shared and noisy).

Run: ``.venv/bin/python bench/bench_engine.py`` (add ``--quick`` for a short check).

Prints:
1. time per contact of the engine and of a minimal bare-SimPy model of the same
   M/M/c+M queue (a ``simpy.Resource``, one generator per contact) at 200 agents,
   and their ratio (goal: engine <= 1.5 x bare SimPy);
2. the same at 3,200 agents, and each model's slow-down from 200 to 3,200 agents
   (goal: engine <= 1.5 x its own figure at 200);
3. peak traced memory of a serial Monte Carlo run of 200 replications against 20
   (goal: no growth with the number of replications, ratio close to 1);
4. wall time of 1,000 replications of the default plan and scenario on all cores.
Workload: offered load 0.85 of capacity, AHT 300 s, exponential patience 180 s, 24 h
(about 49,000 contacts at 200 agents).
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import time
import tracemalloc

import numpy as np
import simpy

from plans import default_plan_path, load_plan
from plans.types import FROM_FILE
from scenarios import default_scenario_path, load_scenario
from scenarios.model import Scenario
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.simulation import Simulation

AHT = 5.0
PATIENCE = 3.0
LOAD = 0.85


def queue_scenario(agents: int, horizon_h: float) -> Scenario:
    rate = LOAD * agents / AHT * 60
    data = {
        "meta": {"id": "bench", "name": "bench M/M/c+M"},
        "start": "2026-03-02T00:00:00",
        "horizon": f"{horizon_h:g}h",
        "demand": {
            "rate_per_hour": rate,
            "channels": {"phone": 1.0},
            "request_types": {"consultation": 1.0},
            "classes": {"ordinary": 1.0},
        },
        "handle_time": {"default": {"dist": "exponential", "mean": "5m"}},
        "patience": {"default": {"dist": "exponential", "mean": "3m"}},
        "staffing": [{"site": "main_centre", "agents": agents, "skills": ["phone"]}],
    }
    return Scenario.model_validate(copy.deepcopy(data), context={FROM_FILE: True})


def engine_time(plan, scenario, seed: int = 1) -> tuple[float, int]:
    gc.collect()
    t0 = time.perf_counter()
    sim = Simulation(plan, scenario, seed)
    sim.run()
    return time.perf_counter() - t0, sim.n


def bare_simpy_time(agents: int, horizon: float, seed: int = 1) -> tuple[float, int]:
    """The minimal model: one Resource, one generator per contact, patience by racing events."""
    rng = np.random.default_rng(seed)
    rate = LOAD * agents / AHT
    n = rng.poisson(rate * horizon)
    arrivals = np.sort(rng.uniform(0, horizon, n)).tolist()
    handle = rng.exponential(AHT, n).tolist()
    patience = rng.exponential(PATIENCE, n).tolist()
    gc.collect()
    t0 = time.perf_counter()
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=agents)

    def customer(i: int):
        with server.request() as req:
            result = yield req | env.timeout(patience[i])
            if req in result:
                yield env.timeout(handle[i])

    def source():
        for i in range(n):
            yield env.timeout(arrivals[i] - env.now)
            env.process(customer(i))

    env.process(source())
    env.run(until=horizon)
    return time.perf_counter() - t0, n


def peak_memory(plan, scenario, replications: int) -> int:
    gc.collect()
    tracemalloc.start()
    run_monte_carlo(plan, scenario, replications, seed=5, workers=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter horizons, fewer replications")
    args = parser.parse_args()
    plan = load_plan(default_plan_path())
    small_h, big_h = (6.0, 1.0) if args.quick else (24.0, 3.0)

    print(f"== time per contact (M/M/c+M, load {LOAD}, AHT 300 s, patience 180 s)")
    rows = {}
    for agents, hours in ((200, small_h), (3200, big_h)):
        scenario = queue_scenario(agents, hours)
        e_t, e_n = engine_time(plan, scenario)
        b_t, b_n = bare_simpy_time(agents, hours * 60)
        rows[agents] = (e_t / e_n * 1e6, b_t / b_n * 1e6)
        print(
            f"{agents:>5} agents, {hours:g} h: "
            f"engine {e_n:,} contacts {rows[agents][0]:.1f} us/contact; "
            f"bare SimPy {b_n:,} contacts {rows[agents][1]:.1f} us/contact; "
            f"engine / bare = {rows[agents][0] / rows[agents][1]:.2f} (goal <= 1.5)"
        )
    print(
        f"slow-down 200 -> 3200 agents: engine {rows[3200][0] / rows[200][0]:.2f} (goal <= 1.5), "
        f"bare SimPy {rows[3200][1] / rows[200][1]:.2f}"
    )

    print("== peak traced memory of a serial Monte Carlo run (default scenario)")
    scenario = load_scenario(default_scenario_path())
    few, many = (5, 50) if args.quick else (20, 200)
    m_few = peak_memory(plan, scenario, few)
    m_many = peak_memory(plan, scenario, many)
    per_rep = (m_many - m_few) / (many - few)
    print(
        f"{few} replications {m_few / 2**20:.2f} MiB, "
        f"{many} replications {m_many / 2**20:.2f} MiB: "
        f"ratio {m_many / m_few:.2f}; growth {per_rep / 1024:.1f} KiB a replication "
        "(the KPI values kept for percentiles and the journal, 8 bytes each)"
    )

    reps = 100 if args.quick else 1000
    workers = os.cpu_count() or 1
    t0 = time.perf_counter()
    run_monte_carlo(plan, scenario, reps, seed=1, workers=workers)
    wall = time.perf_counter() - t0
    print(
        f"== {reps} replications of the default plan and scenario "
        f"on {workers} worker(s): {wall:.1f} s"
    )


if __name__ == "__main__":
    main()
