"""Interval rows of a Monte Carlo run: per channel and interval, mean and 95% CI.

Why rows: a workforce planner reads a day as 15- or 30-minute intervals, one line per
channel and interval, and pastes them into a spreadsheet; the journal keeps the same
rows (``intervals``) that the CSV file holds.

Each figure's mean and 95% interval are over the replications that define it (an
interval with no live contact settled has no service level), as ``kpis`` are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np

from plans.files import write_atomic
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.montecarlo import MonteCarloResult
from sim.analysis.stats import summarise
from sim.engine.interval_metrics import INTERVAL_FIGURES, interval_key, interval_starts


def _number(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def interval_rows(plan: Plan, scenario: Scenario, result: MonteCarloResult) -> list[dict[str, Any]]:
    """One row per interval and channel: ``start`` (ISO, scenario clock), ``channel``, figures.

    Each figure is ``{"mean": .., "ci95": [lo, hi]}`` (None where undefined). Empty when
    the run kept no intervals.
    """
    if result.interval is None:
        return []
    rows: list[dict[str, Any]] = []
    for i, start in enumerate(interval_starts(scenario.horizon, result.interval)):
        moment = scenario.start + dt.timedelta(minutes=start)
        for channel in plan.channels:
            row: dict[str, Any] = {
                "start": moment.isoformat(timespec="seconds"),
                "channel": channel.id,
            }
            for figure in INTERVAL_FIGURES:
                column = result.interval_columns.get(interval_key(i, channel.id, figure))
                values = np.frombuffer(column, dtype=float) if column is not None else np.array([])
                s = summarise(values)
                row[figure] = {
                    "mean": _number(s.mean),
                    "ci95": [_number(s.ci95[0]), _number(s.ci95[1])],
                }
            rows.append(row)
    return rows


CSV_COLUMNS: tuple[str, ...] = (
    "start",
    "channel",
    *(f"{figure}_{part}" for figure in INTERVAL_FIGURES for part in ("mean", "ci_low", "ci_high")),
)
"""Machine-read column headers of the CSV file (ids, not translated)."""


def _cell(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def intervals_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV text: start, channel, then mean, ci_low, ci_high of each figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = [row["start"], row["channel"]]
        for figure in INTERVAL_FIGURES:
            value = row[figure]
            cells += [_cell(value["mean"]), _cell(value["ci95"][0]), _cell(value["ci95"][1])]
        writer.writerow(cells)
    return out.getvalue()


def write_intervals_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write atomically: a spreadsheet never opens a half-written file."""
    write_atomic(path, intervals_csv(rows).encode("utf-8"))
