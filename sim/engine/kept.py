"""Values worked out once per (plan, scenario) pair and kept for every replication of it.

Why one place: drawing customers, opening hours and shift times each need tables that
depend only on the plan and the scenario, the same for all the thousands of replications
of a Monte Carlo run or a staffing level. They are kept by the pair's identity: each entry
holds both objects, so neither id can be reused by another object while it lives, and a
pair is matched with ``is``. Plans and scenarios are frozen models, so a kept value can
never go stale. A few pairs at a time is all a run, a comparison or a search holds;
past the limit the cache starts afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from plans.model import Plan
from scenarios.model import Scenario

T = TypeVar("T")

__all__ = ["PairCache"]


class PairCache(Generic[T]):
    """``build(plan, scenario)``, built once per pair and kept (at most ``limit`` pairs)."""

    def __init__(self, build: Callable[[Plan, Scenario], T], limit: int = 64) -> None:
        self._build = build
        self._limit = limit
        self._kept: dict[tuple[int, int], tuple[Plan, Scenario, T]] = {}

    def get(self, plan: Plan, scenario: Scenario) -> T:
        """The pair's value, built now if it is not kept."""
        key = (id(plan), id(scenario))
        entry = self._kept.get(key)
        if entry is None or entry[0] is not plan or entry[1] is not scenario:
            if len(self._kept) >= self._limit:
                self._kept.clear()
            entry = self._kept[key] = (plan, scenario, self._build(plan, scenario))
        return entry[2]
