"""The run journal: a self-describing JSON record of a Monte Carlo run.

Why self-describing (as Chaos Toolkit's journal): a reviewer must be able to rebuild
a run from the journal alone, so it embeds the exact plan and scenario, the seed
and every replication seed, and the versions of everything that computed it.
Wall-clock fields live only under ``meta``; everything else is the same for the same
inputs, whatever the machine or the number of workers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, get_args

from plans.files import write_atomic
from plans.model import Plan
from scenarios.model import Scenario
from scenarios.objectives import Metric
from sim.analysis.intervals import interval_rows
from sim.analysis.montecarlo import MonteCarloResult

JOURNAL_VERSION = 1
OVERALL_IN_REPLICATIONS: tuple[str, ...] = (
    *get_args(Metric),  # every KPI a scenario objective may name, in the vocabulary's order
    "offered",
    "detected_after",
    "level",
    "steps_late",
    "backups_activated",
    "lost_work",
    "answered",
    "abandoned",
    "blocked",
    "dropped",
)
"""The KPIs that lead every replication's row, in this order; every other KPI of
``kpis`` follows them, sorted (so each figure summarised is there per replication too)."""


def replication_keys(result: MonteCarloResult) -> list[str]:
    """Keys of a replication's row: the leading ones, then every other KPI, sorted."""
    lead = [k for k in OVERALL_IN_REPLICATIONS if k in result.columns]
    return lead + sorted(set(result.columns) - set(lead))


def versions() -> dict[str, str]:
    """Versions of drillsim, Python and the libraries that shape the numbers."""
    out = {"python": platform.python_version()}
    for name in ("drillsim", "simpy", "numpy", "pydantic", "networkx", "pyyaml"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "unknown"
    return out


def _clean(value: Any) -> Any:
    """NaN and infinity become None: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def build_journal(
    plan: Plan,
    scenario: Scenario,
    result: MonteCarloResult,
    *,
    seed: int,
    plan_file: str,
    scenario_file: str,
    started: dt.datetime,
    ended: dt.datetime,
    workers: int,
    policy: str = "plan",
    decisions: list[dict[str, Any]] | None = None,
    predicted: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The journal as plain data, ready for JSON."""
    n = len(result.seeds)
    keys = replication_keys(result)
    per_replication = [
        {"seed": s, **{k: result.columns[k][i] for k in keys}} for i, s in enumerate(result.seeds)
    ]
    journal: dict[str, Any] = {
        "journal_version": JOURNAL_VERSION,
        "kind": "monte_carlo",
        "status": "completed",
        "versions": versions(),
        "seed": seed,
        "replications": n,
        "seeds": result.seeds,
        "policy": policy,
        "decisions": decisions or [],
        "predicted_activation": predicted or [],
        "plan_file": plan_file,
        "scenario_file": scenario_file,
        "plan": plan.model_dump(mode="json"),
        "scenario": scenario.model_dump(mode="json"),
        "kpis": {k: s.to_dict() for k, s in result.kpis.items()},
        "targets": {c.check.name: c.to_dict() for c in result.targets},
        "objectives": {c.check.name: c.to_dict() for c in result.objectives},
        "replication_kpis": per_replication,
    }
    if result.interval is not None:
        journal["interval_minutes"] = result.interval
        journal["intervals"] = interval_rows(plan, scenario, result)
    journal["meta"] = {
        "started": started.isoformat(),
        "ended": ended.isoformat(),
        "duration_seconds": (ended - started).total_seconds(),
        "workers": workers,
        "host": platform.node(),
    }
    return _clean(journal)


def write_journal(journal: dict[str, Any], path: Path) -> None:
    """Write atomically and durably: a reader never sees a half-written journal
    (:func:`plans.files.write_atomic`: only to a regular file or a new path)."""
    write_atomic(path, (json.dumps(journal, indent=2, allow_nan=False) + "\n").encode())


def without_wall_clock(journal: dict[str, Any]) -> dict[str, Any]:
    """The journal minus the fields that depend on when and where it ran."""
    return {k: v for k, v in journal.items() if k != "meta"}
