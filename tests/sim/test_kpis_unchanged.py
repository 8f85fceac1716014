"""A replication's KPIs and objectives are, to the bit, what they were before issue 19.

Why: the KPIs of a replication are now computed once per records and read by every
window, channel and type (flags counted by one product, queue events sorted once,
ticket due times with numpy, objectives reading only the part of the KPIs they need).
No figure may move (issue 19: "no result may change"); the golden run and the speed
journals check the default and typhoon runs; this checks every KPI key of every
library scenario, a calendar of night hours with a holiday and working-time limits on
every class, a back office (ticket life), chats held several at once, and windows of
odd length by channel and type. The fixture was recorded on the code before this work
(commit 182eb93): ``PYTHONPATH=<that checkout> python tests/sim/test_kpis_unchanged.py
--record``. Reading the same records in another order must give the same figures too
(what is kept with the records must not depend on who asked first).
"""

from __future__ import annotations

import copy
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from plans import Plan, default_plan_path, load_plan
from plans.types import FROM_FILE
from scenarios import load_scenario
from scenarios.model import REQUEST_TYPES, Scenario
from sim.analysis.targets import objective_values
from sim.engine.kpi_set import all_kpis, replication_set
from sim.engine.metrics import kpis_for
from sim.engine.records import RunRecords
from sim.engine.simulation import simulate
from sim.response.metrics import response_kpis

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "kpis" / "replication_kpis.json"
LIBRARY = sorted(
    p.stem for p in (ROOT / "scenarios" / "library").glob("*.yaml") if not p.stem.endswith("_zh")
)
QUEUE: dict[str, Any] = {
    "meta": {"id": "queue", "name": "Stationary queue", "tags": ["known-answer"]},
    "start": "2026-03-06T15:00:00",
    "horizon": "2d",
    "warm_up": "1h",
    "demand": {
        "rate_per_hour": 30,
        "channels": {"app": 0.5, "phone": 0.5},
        "request_types": {"consultation": 0.5, "complaint": 0.5},
        "classes": {"urgent": 0.2, "ordinary": 0.6, "complex": 0.2},
    },
    "handle_time": {"default": {"dist": "exponential", "mean": "5m"}},
    "patience": None,
    "staffing": [{"site": "main_centre", "agents": 3, "skills": ["phone", "app"]}],
}
"""A small two-day queue from a Friday afternoon, edited into the cases below."""


def _queue(**edits: Any) -> Scenario:
    data = copy.deepcopy(QUEUE)
    data.update(edits)
    return Scenario.model_validate(data, context={FROM_FILE: True})


def _night_plan(plan: Plan) -> Plan:
    data = plan.model_dump(mode="json")
    data["calendar"] = {
        "hours": "20:00-23:30",
        "holidays": ["2026-03-03", "2026-03-09"],
        "working_limits": {
            "urgent": ["respond", "first_handling", "resolve", "close"],
            "ordinary": ["first_handling", "close"],
            "complex": ["resolve"],
        },
    }
    return Plan.model_validate(data, context={FROM_FILE: True})


def cases() -> dict[str, tuple[Plan, Scenario]]:
    """Every case: its plan and scenario (seed 3 throughout)."""
    plan = load_plan(default_plan_path())
    library = ROOT / "scenarios" / "library"
    out = {name: (plan, load_scenario(library / f"{name}.yaml")) for name in LIBRARY}
    default = out["crm_outage_monday_peak"][1]
    out["night_calendar"] = (_night_plan(plan), default)
    back_office = {
        "agents": 1,
        "hours": "always",
        "share": {"urgent": 1.0, "ordinary": 0.5, "complex": 1.0},
        "effort": {"dist": "exponential", "mean": "40m"},
    }
    life = {"back_office": back_office, "confirmation": {"dist": "fixed", "value": "2h"}}
    two_agents = [{"site": "main_centre", "agents": 2, "skills": ["phone", "app"]}]
    out["ticket_life"] = (_night_plan(plan), _queue(tickets=life, staffing=two_agents))
    # ends on a Friday at 22:00, in the night office hours: tickets raised in the last
    # hours are due before the end, and late ones among them count
    thursday = {"start": "2026-03-05T15:00:00", "horizon": "31h", "staffing": two_agents}
    out["due_by_the_end"] = (_night_plan(plan), _queue(tickets=life, **thursday))
    chats = {"concurrency": [{"channel": "phone", "contacts": 3, "stretch": 1.2}]}
    out["chats_at_once"] = (plan, _queue(workforce=chats))
    return out


def _hex(value: float) -> str:
    return "nan" if math.isnan(value) else float(value).hex()


def _windows(rec: RunRecords, plan: Plan) -> dict[str, float]:
    """KPIs over odd windows, by channel and type, besides the replication's own."""
    lo, hi = rec.horizon * 0.078125, rec.horizon * 0.44
    out = {f"window.{k}": v for k, v in all_kpis(rec, plan, lo, hi).items()}
    for cid in rec.channel_ids:
        out |= {f"window.{cid}.{k}": v for k, v in kpis_for(rec, plan, lo, hi, cid).items()}
    for rtype in REQUEST_TYPES:
        figures = kpis_for(rec, plan, lo, hi, rtype=rtype)
        out |= {f"window.{rtype}.{k}": v for k, v in figures.items()}
    late = kpis_for(rec, plan, rec.horizon * 0.6)
    return out | {f"late.{k}": v for k, v in late.items()}


def figures(plan: Plan, scenario: Scenario, backwards: bool = False) -> dict[str, str]:
    """Every figure of one replication (seed 3), read in one order or the other."""
    rec = simulate(plan, scenario, 3, "plan", None)
    parts: dict[str, dict[str, float]] = {}
    order = ["set", "objectives", "windows"]
    for part in reversed(order) if backwards else order:
        if part == "set":
            parts[part] = replication_set(rec, plan) | response_kpis(rec)
        elif part == "objectives":
            parts[part] = objective_values(rec, plan, scenario)
        else:
            parts[part] = _windows(rec, plan)
    return {f"{p}|{k}": _hex(v) for p in order for k, v in parts[p].items()}


CASES = cases()


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(FIXTURE.read_text())
    return data


@pytest.mark.parametrize("name", list(CASES))
def test_every_kpi_of_a_replication_is_what_it_was(name, recorded):
    plan, scenario = CASES[name]
    got = figures(plan, scenario)
    want = recorded[name]
    assert list(got) == list(want)  # the same keys, in the same order
    moved = {k: (want[k], v) for k, v in got.items() if v != want[k]}
    assert not moved, (name, len(moved), dict(list(moved.items())[:5]))
    assert figures(plan, scenario, backwards=True) == got


def test_the_cases_cover_what_they_are_for(recorded):
    """Vacuous otherwise: tickets late on limits in working time, a back office's
    backlog, agents holding several chats, data losses, objectives of their own windows."""
    assert set(recorded) == set(CASES)
    life = recorded["ticket_life"]
    plan, scenario = CASES["ticket_life"]
    working = [k for k in life if k.startswith("set|tickets_late.") and k.count(".") == 2]
    assert len(working) == 7 and all(
        plan.calendar.counts_working(*k[17:].split(".")) for k in working
    )
    assert sum(float.fromhex(life[k]) > 0 for k in working) >= 2
    assert float.fromhex(life["set|back_office_backlog"]) > 0
    end = recorded["due_by_the_end"]
    assert float.fromhex(end["set|tickets_late"]) > float.fromhex(end["windows|late.tickets_late"])
    assert float.fromhex(end["windows|late.tickets_late.urgent.respond"]) > 0
    assert simulate(plan, scenario, 3, "plan", None).resolved is not None
    plan, scenario = CASES["chats_at_once"]
    assert simulate(plan, scenario, 3, "plan", None).shared is not None
    assert float.fromhex(recorded["ransomware_data_platform"]["set|data_losses"]) > 0
    assert sum(k.startswith("objectives|") for k in recorded["crm_outage_monday_peak"]) == 7


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    table = {name: figures(plan, scenario) for name, (plan, scenario) in CASES.items()}
    FIXTURE.write_text(json.dumps(table, indent=0, sort_keys=False) + "\n")
    sys.stdout.write(f"recorded {sum(map(len, table.values()))} figures of {len(table)} cases\n")
