"""Fixtures for engine tests: a one-channel scenario builder and hand-made customers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from plans import Plan, default_plan_path, load_plan
from plans.types import FROM_FILE
from scenarios.model import Scenario
from sim.engine.demand import Customers

QUEUE_SCENARIO: dict[str, Any] = {
    "meta": {"id": "queue", "name": "Stationary queue", "tags": ["known-answer"]},
    "start": "2026-03-02T00:00:00",
    "horizon": "1d",
    "warm_up": "2h",
    "demand": {
        "rate_per_hour": 96,
        "channels": {"phone": 1.0},
        "request_types": {"consultation": 1.0},
        "classes": {"ordinary": 1.0},
    },
    "handle_time": {"default": {"dist": "exponential", "mean": "5m"}},
    "patience": None,
    "staffing": [{"site": "main_centre", "agents": 10, "skills": ["phone"]}],
}


@pytest.fixture(scope="session")
def default_plan() -> Plan:
    return load_plan(default_plan_path())


@pytest.fixture
def queue_scenario() -> Callable[..., Scenario]:
    """A stationary one-channel queue; keyword edits change the top-level fields."""

    def build(edit: Callable[[dict[str, Any]], None] | None = None, **fields: Any) -> Scenario:
        data = copy.deepcopy(QUEUE_SCENARIO)
        data.update(fields)
        if edit:
            edit(data)
        return Scenario.model_validate(data, context={FROM_FILE: True})

    return build


def make_customers(rows: list[tuple[float, int, float, float, str]]) -> Customers:
    """Customers from (arrival, channel index, handle, patience, class) rows."""
    classes = {"urgent": 0, "ordinary": 1, "complex": 2}
    n = len(rows)
    return Customers(
        time=np.array([r[0] for r in rows], dtype=float),
        channel=np.array([r[1] for r in rows], dtype=np.int64),
        rtype=np.zeros(n, dtype=np.int64),
        rclass=np.array([classes[r[4]] for r in rows], dtype=np.int64),
        handle=np.array([r[2] for r in rows], dtype=float),
        patience=np.array([r[3] for r in rows], dtype=float),
        block_draw=np.full(n, 0.5),
        surge=np.zeros(n, dtype=bool),
    )


@pytest.fixture
def customers() -> Callable[[list[tuple[float, int, float, float, str]]], Customers]:
    return make_customers
