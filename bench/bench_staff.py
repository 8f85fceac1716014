"""Wall time of ``drillsim staff`` and ``drillsim staff --by-interval`` on the default scenario.

Run: ``.venv/bin/python bench/bench_staff.py`` (``--workers 2`` by default, as the
machine the README quotes has 2 cores; ``--repeat 3`` to take the best of three).

Each command is run as a planner runs it (a fresh ``python -m drillsim`` process, the
default plan and scenario, the default seed and replications), with ``--json`` so the
number of simulation runs it took is read from its own account (``runs``) rather than
guessed. Prints per command: the wall time, the simulation runs, seconds per run and
the exit status (0: an answer; 1: no answer up to the maximum; both are timed).

A shared machine is noisy: the figure is the best of ``--repeat`` runs, and the load
average when it ran is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = "service_level>=0.8"


def commands(workers: int, out: Path) -> dict[str, list[str]]:
    """The commands timed, by the name printed (``--by-interval`` judges the plan's goals,
    so it takes no ``--target``)."""
    common = ["--workers", str(workers)]
    folder = ["--out-dir", str(out)]
    return {
        "drillsim staff": ["staff", "--target", TARGET, *common, "--json", str(out / "staff.json")],
        "drillsim staff --by-interval": [
            "staff",
            "--by-interval",
            *common,
            *folder,
            "--json",
            str(out / "staff_interval.json"),
        ],
        "drillsim staff --by-interval --shifts": [
            "staff",
            "--by-interval",
            "--shifts",
            *common,
            *folder,
            "--json",
            str(out / "staff_shifts.json"),
        ],
    }


def runs_of(json_path: Path) -> int | None:
    """The simulation runs a command reports: its JSON's ``runs``, plus the shift cover's
    check (``shift_cover.json`` beside it) when it wrote one."""
    if not json_path.exists():
        return None
    runs = int(json.loads(json_path.read_text(encoding="utf-8"))["runs"])
    cover = json_path.parent / "shift_cover.json"
    if cover.exists():
        runs += int(json.loads(cover.read_text(encoding="utf-8"))["runs"])
        cover.unlink()
    json_path.unlink()
    return runs


def time_command(argv: list[str], json_path: Path) -> tuple[float, int, int | None, str]:
    """(wall seconds, exit status, simulation runs, last line of stderr) of one run."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), DRILLSIM_LANG="en")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "drillsim", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    tail = (proc.stderr.strip().splitlines() or [""])[-1]
    return wall, proc.returncode, runs_of(json_path), tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(
        f"== drillsim staff on the default plan and scenario (--target {TARGET} for the "
        "whole-run search), "
        f"{args.workers} worker(s), {os.cpu_count()} core(s), best of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, argv in commands(args.workers, out).items():
            json_path = Path(argv[argv.index("--json") + 1])
            best: tuple[float, int, int | None, str] | None = None
            for _ in range(args.repeat):
                result = time_command(argv, json_path)
                if best is None or result[0] < best[0]:
                    best = result
            assert best is not None
            wall, status, runs, tail = best
            load = os.getloadavg()[0]
            if status == 2:
                print(f"{name}: not available here (exit 2: {tail})")
                continue
            per_run = f"{wall / runs * 1000:.0f} ms a run" if runs else "runs not reported"
            print(
                f"{name}: {wall:.1f} s, {runs if runs is not None else '?'} simulation runs "
                f"({per_run}), exit {status}, load average {load:.1f}"
            )


if __name__ == "__main__":
    main()
