"""How fast the drill console answers: advancing the clock 15 minutes, measured in one run.

Run: ``.venv/bin/python bench/bench_console.py``. Each step stores the advance, then
rebuilds the board from the drill's log by replay, as the console page does on every
click. Prints the slowest and mean time per 15-minute step over a whole 8-hour drill
of the default plan and scenario, with a decision taken after the first inject, and
the ratio of the slowest to the one-second goal.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from drills import session
from drills.store import DrillStore
from plans.loader import default_plan_path
from scenarios.loader import default_scenario_path
from sim.response.decisions import Decision

GOAL_SECONDS = 1.0


def main() -> None:
    store = DrillStore(Path(tempfile.mkdtemp()) / "bench.sqlite")
    record = store.create_drill(
        name="bench",
        plan_name="default_centre",
        plan_text=default_plan_path().read_text(),
        scenario_name="crm_outage_monday_peak",
        scenario_text=default_scenario_path().read_text(),
        seed=1,
    )
    times = []
    clock = 0.0
    while clock < 8 * 60:
        started = time.perf_counter()
        record = session.advance(store, record.id, clock + 15, "bench", record.version)
        session.board(record)
        times.append(time.perf_counter() - started)
        clock = record.clock
        if clock == 75:
            _, record = session.decide(
                store,
                record.id,
                Decision(action="activate_backup", target="crm_standby"),
                "bench",
                "",
                record.version,
            )
    slowest, mean = max(times), sum(times) / len(times)
    print(
        f"{len(times)} steps of 15 min (store + replay + board): mean {mean * 1000:.0f} ms, "
        f"slowest {slowest * 1000:.0f} ms; "
        f"slowest / 1 s goal = {slowest / GOAL_SECONDS:.2f} (goal <= 1)"
    )


if __name__ == "__main__":
    main()
