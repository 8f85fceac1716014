"""Replication backends, measured in one run: speed-up, Dask against the pool, sweep memory.

Run: ``.venv/bin/python bench/bench_backends.py`` (``--reps N``, ``--repeats N``;
``--quick``: 200 replications, 2 repeats, no sweep). Prints, each figure repeated
(median and range), the backends alternating within a repeat so a busy neighbour slows them alike:
1. 1,000 replications of the default plan and scenario: serial (200 only, scaled), the
   process pool on every core, a Dask LocalCluster with Dask's worker defaults and the
   backend's tuned LocalCluster (goal: Dask <= 1.2 x the pool, speed-up >= 1.8 on 2 cores);
   wall of the run after a warm-up, start-up of the backend, and CPU seconds of the
   workers and of this process (Dask's scheduler, nannies and client live here), which
   say where Dask's extra time goes;
2. peak memory (maxrss of a fresh process, serial backend) of a 20-variant x
   200-replication sweep against 1 variant x 200 (goal: <= 1.5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import psutil

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.backends import Backend, DaskBackend, ProcessBackend, SerialBackend
from sim.analysis.montecarlo import run_monte_carlo

SWEEP = """
import resource, sys
from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.compare import compare
plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
variants = int(sys.argv[1])
combos = [{{"agents": 100 + 2 * v}} for v in range(variants)]
compare(plan, scenario, combos, {reps}, seed=1, workers=1)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def spread(values: list[float], unit: str = "s") -> str:
    """'median (min-max) unit' of the repeats."""
    return (
        f"{statistics.median(values):.2f} {unit} "
        f"(range {min(values):.2f}-{max(values):.2f}, {len(values)} repeats)"
    )


def worker_pids(backend: Backend) -> list[int]:
    if isinstance(backend, ProcessBackend):
        return [p.pid for p in backend.pool._processes.values()]  # noqa: SLF001
    if isinstance(backend, DaskBackend):
        return list(backend.client.run(os.getpid).values())
    return []


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        t = psutil.Process(pid).cpu_times()
        total += t.user + t.system
    return total


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def measure(make: Callable[[], Backend], reps: int, workers: int) -> dict[str, float]:
    """Start-up, warm-up, then the timed run: wall, workers' CPU, this process's CPU."""
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    started = time.perf_counter()
    backend = make()
    try:
        run_monte_carlo(plan, scenario, 2 * workers, seed=2, workers=workers, backend=backend)
        start_up = time.perf_counter() - started
        pids = worker_pids(backend)
        w0, p0, t0 = cpu_of(pids), own_cpu(), time.perf_counter()
        run_monte_carlo(plan, scenario, reps, seed=1, workers=workers, backend=backend)
        wall = time.perf_counter() - t0
        return {
            "wall": wall,
            "start": start_up,
            "workers_cpu": cpu_of(pids) - w0 if pids else own_cpu() - p0,
            "own_cpu": own_cpu() - p0,
        }
    finally:
        backend.close()


def sweep_maxrss(variants: int, reps: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SWEEP.format(reps=reps), str(variants)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 replications, 2 repeats")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--reps", type=int, default=None, help="replications a run")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    reps = args.reps or (200 if args.quick else 1000)
    repeats = args.repeats or (2 if args.quick else 3)
    makers: dict[str, Callable[[], Backend]] = {
        "serial": SerialBackend,
        "pool": lambda: ProcessBackend(cores),
        "dask (Dask defaults)": lambda: DaskBackend(workers=cores, tuned=False),
        "dask (tuned)": lambda: DaskBackend(workers=cores),
    }
    print(
        f"bench_backends: {reps:,} replications, {cores} core(s), "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in makers}
    for _ in range(repeats):
        for name, make in makers.items():
            n = min(reps, 200) if name == "serial" else reps
            row = measure(make, n, 1 if name == "serial" else cores)
            runs[name].append({k: v * reps / n for k, v in row.items()} | {"start": row["start"]})
    for name, rows in runs.items():
        scaled = " (200 run, scaled)" if name == "serial" and reps > 200 else ""
        print(
            f"{name:<21} wall {spread([r['wall'] for r in rows])}{scaled}; "
            f"start-up {spread([r['start'] for r in rows])}; "
            f"workers' CPU {spread([r['workers_cpu'] for r in rows])}; "
            f"this process's CPU {spread([r['own_cpu'] for r in rows])}"
        )
    pool = [r["wall"] for r in runs["pool"]]
    serial = [r["wall"] for r in runs["serial"]]
    print(
        f"speed-up pool / serial {spread([s / p for s, p in zip(serial, pool, strict=True)], 'x')}"
        " (goal >= 1.8 on 2 cores)"
    )
    for name in ("dask (Dask defaults)", "dask (tuned)"):
        walls = [r["wall"] for r in runs[name]]
        with_start = [r["wall"] + r["start"] for r in runs[name]]
        pool_start = [r["wall"] + r["start"] for r in runs["pool"]]
        print(
            f"{name} / pool: run {spread([d / p for d, p in zip(walls, pool, strict=True)], 'x')}; "
            "start-up included "
            f"{spread([d / p for d, p in zip(with_start, pool_start, strict=True)], 'x')}"
            " (goal <= 1.2)"
        )
    if not args.quick:
        one, twenty = sweep_maxrss(1, 200), sweep_maxrss(20, 200)
        print(
            f"peak memory (maxrss, serial): 1 x 200 replications {one / 1024:.0f} MiB, "
            f"20 x 200 {twenty / 1024:.0f} MiB: ratio {twenty / one:.2f} (goal <= 1.5)"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
