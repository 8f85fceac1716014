"""Engine speed and memory, as ratios measured in one run (the machine is shared and noisy).

Run: ``.venv/bin/python bench/bench_engine.py`` (add ``--quick`` for a short check).

Prints:
1. time per contact of the engine and of a minimal bare-SimPy model of the same
   M/M/c+M queue (a ``simpy.Resource``, one generator per contact) at 200 agents,
   and their ratio (goal: engine <= 1.5 x bare SimPy);
2. the same at 3,200 agents, and each model's slow-down from 200 to 3,200 agents
   (goal: engine <= 1.5 x its own figure at 200);
3. memory a serial Monte Carlo run keeps, measured after ``gc.collect()`` (tracemalloc's
   current size with the result held, not the peak, which counted cyclic garbage not
   yet collected), 200 replications against 20: the growth a replication, against the
   real size of what the result keeps a replication (its KPI columns: 8 bytes a KPI);
4. the engine on two workloads a user meets, each against bare SimPy and the heapq floor
   of bench/bench_speed.py on the same arrivals: the surge (offered load 1.2 of capacity,
   an overload where customers abandon; 200 agents) and the default scenario (its own
   arrivals; SimPy and the floor with as many agents as its peak): time per contact and
   the ratios engine / bare SimPy, engine / floor (the engine's run only: KPIs are
   bench_speed's replication section);
5. wall time of 1,000 replications of the default plan and scenario on all cores, in a
   fresh process (after the sections above it ran about 10% slower).
Every figure is repeated: median and range of the repeats.
Workload: offered load 0.85 of capacity, AHT 300 s, exponential patience 180 s, 24 h
(about 49,000 contacts at 200 agents).
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import simpy

from plans import default_plan_path, load_plan
from plans.types import FROM_FILE
from scenarios import default_scenario_path, load_scenario
from scenarios.model import Scenario
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.simulation import Simulation, simulate

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling bench_speed
from bench_speed import heapq_floor, peak_agents  # noqa: E402  the floor, shared

AHT = 5.0
PATIENCE = 3.0
LOAD = 0.85


def queue_scenario(agents: int, horizon_h: float, load: float = LOAD) -> Scenario:
    rate = load * agents / AHT * 60
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


def bare_simpy_time(
    agents: int, horizon: float, seed: int = 1, load: float = LOAD
) -> tuple[float, int]:
    """The minimal model: one Resource, one generator per contact, patience by racing events."""
    rng = np.random.default_rng(seed)
    rate = load * agents / AHT
    n = rng.poisson(rate * horizon)
    return bare_simpy_on(np.sort(rng.uniform(0, horizon, n)), agents, horizon, rng)


def bare_simpy_on(
    times: np.ndarray, agents: int, horizon: float, rng: np.random.Generator
) -> tuple[float, int]:
    """Bare SimPy on given arrival times (minutes), exponential handling and patience."""
    n = times.shape[0]
    arrivals = times.tolist()
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


def retained_memory(plan, scenario, replications: int) -> tuple[int, int, int]:
    """(bytes still allocated after collection with the result held, peak, the real size
    of the result's KPI columns) of a serial Monte Carlo run."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = run_monte_carlo(plan, scenario, replications, seed=5, workers=1)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    columns = sum(col.itemsize * len(col) for col in result.columns.values())
    return current - base, peak - base, columns


def spread(values: list[float], unit: str, scale: float = 1.0) -> str:
    v = [x * scale for x in values]
    return f"{statistics.median(v):.2f} {unit} (range {min(v):.2f}-{max(v):.2f}, {len(v)} repeats)"


def floor_time(arrivals: np.ndarray, agents: int, seed: int) -> float:
    gc.collect()
    started = time.perf_counter()
    heapq_floor(arrivals, agents, np.random.default_rng(seed))
    return time.perf_counter() - started


def bench_workloads(plan, repeats: int, hours: float) -> None:
    """Surge and default scenario: engine, bare SimPy and heapq floor, us a contact."""
    print("== the engine on the surge and on the default scenario, against SimPy and the floor")
    agents, surge_load = 200, 1.2
    surge = queue_scenario(agents, hours, load=surge_load)
    default = load_scenario(default_scenario_path())
    for label, scenario in (
        (f"surge (offered load {surge_load}, {agents} agents, {hours:g} h)", surge),
        ("default scenario", default),
    ):
        engine, bare, floor, n = [], [], [], 0
        for r in range(repeats):
            seed = 11 + r
            records = simulate(plan, scenario, seed)  # the arrivals the engine draws
            times = np.asarray(records.arrival, dtype=float)
            servers = agents if scenario is surge else peak_agents(records.staffing_log)
            horizon = float(Simulation(plan, scenario, seed).horizon)
            e_t, n = engine_time(plan, scenario, seed=seed)
            b_t, b_n = bare_simpy_on(times, servers, horizon, np.random.default_rng(seed))
            f_t = floor_time(times, servers, seed)
            engine.append(e_t / n * 1e6)
            bare.append(b_t / b_n * 1e6)
            floor.append(f_t / b_n * 1e6)
        print(
            f"{label}, about {n:,} contacts: engine {spread(engine, 'us')}; "
            f"bare SimPy {spread(bare, 'us')}; heapq floor {spread(floor, 'us')}"
        )
        to_bare = [e / b for e, b in zip(engine, bare, strict=True)]
        to_floor = [e / f for e, f in zip(engine, floor, strict=True)]
        print(
            f"  engine / bare SimPy {spread(to_bare, 'x')}; engine / floor {spread(to_floor, 'x')}"
        )


THOUSAND = """
import os, time
from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.montecarlo import run_monte_carlo
plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
started = time.perf_counter()
run_monte_carlo(plan, scenario, {reps}, seed=1, workers=os.cpu_count() or 1)
print(time.perf_counter() - started)
"""


def fresh_process_wall(reps: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", THOUSAND.format(reps=reps)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter horizons, fewer replications")
    args = parser.parse_args()
    plan = load_plan(default_plan_path())
    small_h, big_h = (6.0, 1.0) if args.quick else (24.0, 3.0)

    print(f"== time per contact (M/M/c+M, load {LOAD}, AHT 300 s, patience 180 s)")
    repeats = 3
    rows = {}
    for agents, hours in ((200, small_h), (3200, big_h)):
        scenario = queue_scenario(agents, hours)
        engine, bare, n = [], [], 0
        for r in range(repeats):
            e_t, n = engine_time(plan, scenario, seed=1 + r)
            b_t, b_n = bare_simpy_time(agents, hours * 60, seed=1 + r)
            engine.append(e_t / n * 1e6)
            bare.append(b_t / b_n * 1e6)
        ratios = [e / b for e, b in zip(engine, bare, strict=True)]
        rows[agents] = (statistics.median(engine), statistics.median(bare))
        print(
            f"{agents:>5} agents, {hours:g} h, about {n:,} contacts: "
            f"engine {spread(engine, 'us')}; "
            f"bare SimPy {spread(bare, 'us')}; engine / bare {spread(ratios, 'x')} (goal <= 1.5)"
        )
    print(
        f"slow-down 200 -> 3200 agents (medians): engine {rows[3200][0] / rows[200][0]:.2f} "
        f"(goal <= 1.5), bare SimPy {rows[3200][1] / rows[200][1]:.2f}"
    )

    print("== memory a serial Monte Carlo run keeps, after gc.collect() (default scenario)")
    scenario = load_scenario(default_scenario_path())
    few, many = (5, 50) if args.quick else (20, 200)
    growth, real, peaks = [], [], []
    retained_memory(plan, scenario, few)  # caches filled once (parsed distributions, ...)
    for _ in range(repeats):
        kept_few, _peak, cols_few = retained_memory(plan, scenario, few)
        kept_many, peak_many, cols_many = retained_memory(plan, scenario, many)
        growth.append((kept_many - kept_few) / (many - few))
        real.append((cols_many - cols_few) / (many - few))
        peaks.append(peak_many)
    print(
        f"kept: growth {spread(growth, 'KiB', 1 / 1024)} a replication from {few} to {many} "
        f"replications; the result's KPI columns {spread(real, 'KiB', 1 / 1024)} a replication; "
        f"peak of {many} {spread(peaks, 'MiB', 1 / 2**20)}"
    )

    bench_workloads(plan, repeats, small_h)

    reps = 100 if args.quick else 1000
    walls = [fresh_process_wall(reps) for _ in range(repeats)]
    print(
        f"== {reps} replications of the default plan and scenario on {os.cpu_count()} worker(s), "
        f"fresh process each: {spread(walls, 's')}"
    )


if __name__ == "__main__":
    main()
