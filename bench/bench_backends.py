"""Replication backends, measured in one run: speed-up, Dask overhead, sweep memory.

Run: ``.venv/bin/python bench/bench_backends.py``. Prints ratios:
1. 200 replications of the default plan and scenario, process pool on every core
   against serial (goal: speed-up >= 1.8 on 2 cores);
2. the same on a Dask LocalCluster against the process pool (goal: <= 1.3);
3. peak memory (maxrss of a fresh process, serial backend) of a 20-variant x
   200-replication sweep against 1 variant x 200 (goal: <= 1.5).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.backends import BackendName, make_backend
from sim.analysis.montecarlo import run_monte_carlo

REPS = 200

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


def timed(backend_name: BackendName, workers: int) -> float:
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    backend = make_backend(backend_name, workers)
    try:
        run_monte_carlo(
            plan, scenario, 4, seed=2, workers=workers, backend=backend
        )  # warm the workers
        start = time.perf_counter()
        run_monte_carlo(plan, scenario, REPS, seed=1, workers=workers, backend=backend)
        return time.perf_counter() - start
    finally:
        backend.close()


def sweep_maxrss(variants: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SWEEP.format(reps=REPS), str(variants)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    cores = os.cpu_count() or 1
    serial = timed("serial", 1)
    pool = timed("process", cores)
    print(
        f"{REPS} replications: serial {serial:.1f} s, process pool ({cores} workers) {pool:.1f} s: "
        f"speed-up {serial / pool:.2f} (goal >= 1.8 on 2 cores)"
    )
    try:
        dask = timed("dask", cores)
        print(
            f"Dask LocalCluster ({cores} workers) {dask:.1f} s: "
            f"{dask / pool:.2f} x the process pool (goal <= 1.3)"
        )
    except RuntimeError as exc:
        print(f"Dask not measured: {exc}")
    one, twenty = sweep_maxrss(1), sweep_maxrss(20)
    print(
        f"peak memory (maxrss, serial): 1 x {REPS} replications {one / 1024:.0f} MiB, "
        f"20 x {REPS} {twenty / 1024:.0f} MiB: ratio {twenty / one:.2f} (goal <= 1.5)"
    )


if __name__ == "__main__":
    main()
