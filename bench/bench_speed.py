"""What a user waits for (issue 19), each figure repeated: median and range of the repeats.

Run: ``.venv/bin/python bench/bench_speed.py`` (``--quick``: fewer repeats, no staff
search, 200 replications instead of 1,000; ``--only start,replication,...`` picks sections).

Sections and their goals (2 cores):
- ``start``: whole-process wall time of ``drillsim --help`` and ``drillsim check``
  (goal <= 0.5 s) and ``drillsim run -n 1`` (goal <= 0.6 s), with the process's CPU time
  beside it (on a shared machine the wall time waits for the other users' work);
- ``replication``: CPU time of one default-scenario replication, KPIs and objectives
  included, against a heapq floor: a plain event loop of the same queue (the
  replication's own arrival times, as many agents as the scenario's peak, exponential
  5-minute handling and 3-minute patience, FIFO, a customer who waited too long leaves),
  computing its service level and abandonment (goal: replication <= 2.5 x the floor);
- ``staff``: ``drillsim staff`` on the default scenario, in this process (goal <= 2 s);
- ``console``: the board of the default drill at 7 h, a fresh replay and a repeated
  view, and a 15-minute advance with its board (goals: board <= 30 ms, advance <= 60 ms);
- ``thousand``: 1,000 replications of the default scenario on 2 workers, each repeat
  in a fresh process (goal <= 5 s).
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    """'median (min-max) unit' of the repeats."""
    v = [x * scale for x in values]
    digits = 3 if max(v) < 10 else 1
    return (
        f"{statistics.median(v):.{digits}f} {unit} "
        f"(range {min(v):.{digits}f}-{max(v):.{digits}f}, {len(v)} repeats)"
    )


def whole_process(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``drillsim ARGS`` in a fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "drillsim", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench_start(repeats: int) -> None:
    print("== start-up, whole process (wall; CPU of the process)")
    for args, goal in ((["--help"], 0.5), (["check"], 0.5), (["run", "-n", "1"], 0.6)):
        runs = [whole_process(args) for _ in range(repeats)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"drillsim {' '.join(args)}: wall {spread(walls)}; CPU {spread(cpus)} "
            f"(goal <= {goal} s)"
        )


def heapq_floor(arrivals: np.ndarray, agents: int, rng: np.random.Generator) -> tuple[float, float]:
    """The floor: one FIFO queue of ``agents`` servers as a bare heapq event loop."""
    n = arrivals.shape[0]
    handle = rng.exponential(5.0, n).tolist()
    patience = rng.exponential(3.0, n).tolist()
    times = arrivals.tolist()
    events: list[tuple[float, int, int]] = [(t, 1, i) for i, t in enumerate(times)]
    heapq.heapify(events)
    free, waiting = agents, deque[int]()
    waited = [np.nan] * n
    while events:
        now, kind, i = heapq.heappop(events)
        if kind == 1:  # arrival
            if free:
                free -= 1
                waited[i] = 0.0
                heapq.heappush(events, (now + handle[i], 0, i))
            else:
                waiting.append(i)
        else:  # a service ends: the next customer still waiting is served
            free += 1
            while waiting and free:
                j = waiting.popleft()
                if now - times[j] <= patience[j]:
                    free -= 1
                    waited[j] = now - times[j]
                    heapq.heappush(events, (now + handle[j], 0, j))
    w = np.asarray(waited)
    answered = ~np.isnan(w)
    return float((w[answered] <= 0.5).mean()), float(1 - answered.mean())


def peak_agents(staffing_log: list[tuple[float, int, int]]) -> int:
    """Most agents at work at once in a replication (its staffing log)."""
    now: dict[int, int] = {}
    peak = 0
    for _t, group, agents in staffing_log:
        now[group] = agents
        peak = max(peak, sum(now.values()))
    return max(peak, 1)


def bench_replication(repeats: int) -> None:
    from plans import default_plan_path, load_plan
    from scenarios import default_scenario_path, load_scenario
    from sim.analysis.montecarlo import run_chunk
    from sim.engine.rng import replication_seeds
    from sim.engine.simulation import simulate

    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    seeds = replication_seeds(7, 20 + 20 * repeats)
    agents = peak_agents(simulate(plan, scenario, seeds[0], "plan", None).staffing_log)
    run_chunk(plan, scenario, "plan", None, seeds[:5])  # warm
    engine, floor, contacts = [], [], []
    for r in range(repeats):
        batch = seeds[20 + 20 * r : 40 + 20 * r]
        arrivals = [simulate(plan, scenario, s, "plan", None).arrival for s in batch]
        started = time.process_time()
        run_chunk(plan, scenario, "plan", None, batch)
        engine.append((time.process_time() - started) / len(batch))
        rng = np.random.default_rng(r)
        started = time.process_time()
        for a in arrivals:
            heapq_floor(a, agents, rng)
        floor.append((time.process_time() - started) / len(batch))
        contacts += [a.shape[0] for a in arrivals]
    ratios = [e / f for e, f in zip(engine, floor, strict=True)]
    print(
        f"== a default-scenario replication, KPIs included ({statistics.mean(contacts):,.0f} "
        f"contacts; floor with {agents} agents; CPU time)"
    )
    print(f"replication {spread(engine, 'ms', 1000)}; heapq floor {spread(floor, 'ms', 1000)}")
    print(f"replication / floor {spread(ratios, 'x')} (goal <= 2.5)")
    parts = replication_parts(plan, scenario, seeds[20:40])
    print(
        "where a replication's time goes (ms CPU, mean of 20): "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in parts.items())
    )


def replication_parts(plan: object, scenario: object, seeds: list[int]) -> dict[str, float]:
    """CPU time of each part of run_replication, in its order, averaged over ``seeds``."""
    import gc

    from sim.analysis.targets import objective_values
    from sim.engine.demand import draw_customers
    from sim.engine.kpi_set import replication_set
    from sim.engine.rng import make_streams
    from sim.engine.simulation import Simulation
    from sim.response.metrics import response_kpis

    names = (
        "draw customers",
        "rest of set-up",
        "run",
        "records",
        "KPI set",
        "response KPIs",
        "objectives",
    )
    spent = dict.fromkeys(names, 0.0)
    collecting = gc.isenabled()
    gc.disable()
    try:
        for seed in seeds:
            marks = [time.process_time()]
            customers = draw_customers(plan, scenario, make_streams(seed))  # type: ignore[arg-type]
            marks.append(time.process_time())
            sim = Simulation(plan, scenario, seed, policy="plan")  # type: ignore[arg-type]
            marks.append(time.process_time())
            sim.run_until(sim.horizon)
            marks.append(time.process_time())
            records = sim.records()
            marks.append(time.process_time())
            replication_set(records, plan)  # type: ignore[arg-type]
            marks.append(time.process_time())
            response_kpis(records)
            marks.append(time.process_time())
            objective_values(records, plan, scenario)  # type: ignore[arg-type]
            marks.append(time.process_time())
            sim.release()
            del customers
            setup = marks[2] - marks[1] - (marks[1] - marks[0])  # the set-up draws them again
            later = [b - a for a, b in zip(marks[2:], marks[3:], strict=False)]
            steps = [marks[1] - marks[0], setup, *later]
            for name, took in zip(names, steps, strict=True):
                spent[name] += took
            gc.collect()
    finally:
        if collecting:
            gc.enable()
    return {name: total / len(seeds) * 1000 for name, total in spent.items()}


def bench_staff(repeats: int) -> None:
    from drillsim.cli import main

    walls, cpus = [], []
    for _ in range(repeats):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            wall, cpu = time.perf_counter(), _cpu_with_workers()
            main(["staff", "--target", "service_level>=0.8", "--target", "abandonment<=0.05"])
            walls.append(time.perf_counter() - wall)
            cpus.append(_cpu_with_workers() - cpu)
    print("== drillsim staff, default scenario (service_level>=0.8, abandonment<=0.05)")
    print(
        f"wall {spread(walls)}; CPU of this process and its workers {spread(cpus)} "
        "(goal <= 2 s wall; on 2 idle cores the wall is about half the CPU)"
    )


def _cpu_with_workers() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bench_console(repeats: int) -> None:
    from drills import replay_cache, session
    from drills.records import DrillRecord
    from drills.store import DrillStore
    from plans.loader import default_plan_path
    from scenarios.loader import default_scenario_path

    store = DrillStore(Path(tempfile.mkdtemp()) / "bench.sqlite")

    def drill_at(minutes: float) -> DrillRecord:
        record = store.create_drill(
            name="bench",
            plan_name="default_centre",
            plan_text=default_plan_path().read_text(),
            scenario_name="crm_outage_monday_peak",
            scenario_text=default_scenario_path().read_text(),
            seed=1,
        )
        record = session.advance(store, record.id, minutes, "bench", record.version)
        session.board(record)  # the inputs parsed, as by any earlier view of the drill
        return record

    def timed(fn: Callable[[], object]) -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    record = drill_at(7 * 60)
    fresh, again, step = [], [], []
    for _ in range(repeats):
        replay_cache.forget()
        fresh.append(timed(lambda: session.board(record)))
        again.append(timed(lambda: session.board(record)))
    clock = drill_at(8 * 60 - 15 * (repeats + 1))  # room for the steps before the end
    for _ in range(repeats):
        started = time.perf_counter()
        clock = session.advance(store, clock.id, clock.clock + 15, "bench", clock.version)
        session.board(clock)
        step.append(time.perf_counter() - started)
    print("== console, default drill (wall)")
    print(f"board at 7 h, replayed afresh: {spread(fresh, 'ms', 1000)}")
    print(f"board at 7 h, viewed again: {spread(again, 'ms', 1000)} (goal <= 30 ms)")
    print(f"15-minute advance and its board: {spread(step, 'ms', 1000)} (goal <= 60 ms)")


THOUSAND = """
import time
from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.montecarlo import run_monte_carlo
plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
started = time.perf_counter()
run_monte_carlo(plan, scenario, {reps}, seed=1, workers=2)
print(time.perf_counter() - started)
"""


def bench_thousand(repeats: int, reps: int) -> None:
    walls = []
    for _ in range(repeats):
        out = subprocess.run(
            [PYTHON, "-c", THOUSAND.format(reps=reps)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        walls.append(float(out.stdout.strip().splitlines()[-1]))
    print(f"== {reps:,} replications of the default scenario, 2 workers, fresh process each")
    print(f"wall {spread(walls)} (goal <= 5 s for 1,000)")


SECTIONS = ("start", "replication", "staff", "console", "thousand")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter runs")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections, comma-separated")
    args = parser.parse_args()
    chosen = args.only.split(",")
    repeats = 3 if args.quick else 5
    print(f"bench_speed on {os.cpu_count()} core(s), load average {os.getloadavg()[0]:.1f}")
    if "start" in chosen:
        bench_start(repeats)
    if "replication" in chosen:
        bench_replication(repeats)
    if "staff" in chosen and not args.quick:
        bench_staff(3)
    if "console" in chosen:
        bench_console(repeats * 2)
    if "thousand" in chosen:
        bench_thousand(3, 200 if args.quick else 1000)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
