"""Speed work must change no result: fixed-seed journals and a drill board, bit for bit.

Why a fixture of its own (issue 19, "no result may change"): the golden run compares
only the headline figures of one run; here every field of two whole journals (the
default scenario and the typhoon day) and of a drill board at 7 h is compared, so
caching, lazy imports and early stopping cannot move any number a user reads.
The fixture was recorded on the code before the speed work (branch ``speed``'s start);
``python tests/test_speed_same_results.py --bless`` records it again, in a commit of its
own that says why the figures changed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "data" / "speed"
RUNS = {
    "default_n20_seed7": ["-n", "20", "--seed", "7"],
    "typhoon_n5_seed7": ["typhoon_site_closure", "-n", "5", "--seed", "7"],
}
BOARD = "board_default_7h"
DROPPED = ("meta", "versions", "plan_file", "scenario_file")
"""Journal fields that depend on when, where (the checkout's path) and with which versions
a run was made."""


def journal_of(args: list[str], out: Path) -> dict[str, Any]:
    from drillsim.cli import main

    plan = [] if args[0].startswith("-") else ["default_centre"]
    status = main(["run", *plan, *args, "--backend", "serial", "--json", str(out)])
    assert status == 0
    journal = json.loads(out.read_text())
    return {k: v for k, v in journal.items() if k not in DROPPED}


def board_at_7h(folder: Path) -> dict[str, Any]:
    from drills import session
    from drills.store import DrillStore
    from plans.loader import default_plan_path
    from scenarios.loader import default_scenario_path

    store = DrillStore(folder / "speed.sqlite")
    record = store.create_drill(
        name="speed",
        plan_name="default_centre",
        plan_text=default_plan_path().read_text(),
        scenario_name="crm_outage_monday_peak",
        scenario_text=default_scenario_path().read_text(),
        seed=1,
    )
    record = session.advance(store, record.id, 7 * 60, "speed", record.version)
    state = session.board(record)
    state["log"] = [
        {k: v for k, v in e.items() if k not in ("id", "wall_time")} for e in state["log"]
    ]
    state["drill"] = {k: v for k, v in state["drill"].items() if k != "id"}
    return json.loads(json.dumps(state))


def _stored(name: str) -> Any:
    return json.loads((HERE / f"{name}.json").read_text())


def test_fixed_seed_journals_are_unchanged(tmp_path):
    for name, args in RUNS.items():
        got = journal_of(args, tmp_path / f"{name}.json")
        want = _stored(name)
        changed = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
        assert not changed, f"{name}: {changed}"


def test_the_board_at_7h_is_unchanged(tmp_path):
    assert board_at_7h(tmp_path) == _stored(BOARD)


def bless() -> None:
    """Record the fixture anew from the code as it is."""
    HERE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        found = {name: journal_of(args, tmp / f"{name}.json") for name, args in RUNS.items()}
        found[BOARD] = board_at_7h(tmp)
    for name, data in found.items():
        (HERE / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--bless"]:
        bless()
