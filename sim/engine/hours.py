"""When each channel takes arrivals: the scenario's channel and site opening hours.

Why a table of the week's minutes: arrivals are drawn in bulk before the run and
checked one by one during it (redials, switches); a lookup by minute of the week
serves both at the same cost, and the rule stated once (a channel is open in its own
hours, and an offline channel only while a site serving it is open) means one thing
at draw time and at run time.

Why the tables are kept per (plan, scenario): building them walks every window minute
by minute, and every replication of a Monte Carlo run (its draw and its journeys)
asks for the same ones; they are built once per pair and handed out read-only.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from plans.schedule import WeeklyWindow
from scenarios.model import Scenario
from sim.engine.kept import PairCache

WEEK = 10080


def _table(windows: tuple[WeeklyWindow, ...]) -> NDArray[np.bool_]:
    table = np.zeros(WEEK, dtype=bool)
    for window in windows:
        for start, end in window.intervals():
            table[start:end] = True
    return table


_TABLES: PairCache[list[NDArray[np.bool_] | None]] = PairCache(
    lambda plan, scenario: _build(plan, scenario)
)
"""Tables kept per (plan, scenario) pair (sim.engine.kept)."""


def open_tables(plan: Plan, scenario: Scenario) -> list[NDArray[np.bool_] | None]:
    """Per plan channel, whether it is open at each minute of the week (None: always).

    The arrays are shared between calls on the same plan and scenario, and read-only.
    """
    return list(_TABLES.get(plan, scenario))


def _build(plan: Plan, scenario: Scenario) -> list[NDArray[np.bool_] | None]:
    behaviour = scenario.behaviour
    sites = {s: _table(h.open) for s, h in behaviour.site_hours.items()}
    out: list[NDArray[np.bool_] | None] = []
    for channel in plan.channels:
        table: NDArray[np.bool_] | None = None
        if channel.id in behaviour.channel_hours:
            table = _table(behaviour.channel_hours[channel.id].open)
        served = channel.sites or ()
        if not channel.online and served and all(s in sites for s in served):
            halls = np.logical_or.reduce([sites[s] for s in served])
            table = halls if table is None else table & halls
        if table is not None:
            table.setflags(write=False)
        out.append(table)
    return out


def is_open(tables: list[NDArray[np.bool_] | None], channel: int, minute_of_week: float) -> bool:
    """Whether a channel takes arrivals at a minute of the week."""
    table = tables[channel]
    return table is None or bool(table[int(minute_of_week) % WEEK])


def open_mask(
    tables: list[NDArray[np.bool_] | None],
    channel: NDArray[np.int64],
    minute_of_week: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Whether each arrival's channel is open at its minute of the week."""
    out = np.ones(channel.shape[0], dtype=bool)
    minute = minute_of_week.astype(np.int64) % WEEK
    for c, table in enumerate(tables):
        if table is not None:
            here = channel == c
            out[here] = table[minute[here]]
    return out
