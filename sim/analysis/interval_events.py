"""What an event costs in agents, interval by interval: its requirement beside a normal day's.

Why two checks: the requirement that holds the goals during an outage or a surge is only
meaningful against the one the same day needs without it; the gap is then a number of
agents per interval and channel, the figure a planner takes to a budget. The normal day
is the same scenario with its events taken out (demand, roster, behaviour and workforce
unchanged), checked on the same seeds by the same rule.

The event day's Erlang A figure already counts what an outage does to the offered load
and handle time (:mod:`sim.analysis.interval_load`), at the outage's mean length and as
if no standby were activated; the check only raises, so in the intervals after the
plan's response restored service the figure stays Erlang A's, an upper bound there.

What the gap does not show: a channel an outage takes dark turns its customers away, and
a turned-away customer is neither answered nor given up, so the interval's service level
is that of the few settled (or undefined, which counts as met): the cost of a dark
channel is in customers lost, not in agents. An event no agent can offset (a goal still
missed when the rounds run out) is reported as not met, not as a need for ever more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend
from sim.analysis.interval_check import MAX_ROUNDS, CheckedRequirements, Rule, check_requirements
from sim.analysis.interval_requirements import erlang_requirements


@dataclass(frozen=True, slots=True)
class EventRow:
    """One interval and channel: the event day's requirement and the normal day's."""

    interval_start: float
    channel: str
    normal_erlang_a_agents: int
    normal_required_agents: int

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "interval_start": self.interval_start,
            "channel": self.channel,
            "normal_erlang_a_agents": self.normal_erlang_a_agents,
            "normal_required_agents": self.normal_required_agents,
        }


@dataclass(frozen=True)
class IntervalAnswer:
    """The checked requirement of the scenario, and of its normal day when it has events."""

    checked: CheckedRequirements
    normal: CheckedRequirements | None
    """None: the scenario has no events, so its day is the normal day."""

    @property
    def runs(self) -> int:
        """Simulation runs both checks used."""
        return self.checked.runs + (0 if self.normal is None else self.normal.runs)

    def normal_row(self, start: float, channel: str) -> EventRow | None:
        """The normal day's figures of one interval and channel (None: no events)."""
        if self.normal is None:
            return None
        row = next(
            (r for r in self.normal.rows if r.interval_start == start and r.channel == channel),
            None,
        )
        if row is None:  # a channel only the event brings demand to
            return EventRow(start, channel, 0, 0)
        return EventRow(start, channel, row.erlang_a_agents, row.required_agents)

    def gap(self, start: float, channel: str) -> int | None:
        """Agents the event adds to the requirement in one interval (None: no events)."""
        normal = self.normal_row(start, channel)
        if normal is None:
            return None
        row = next(
            r for r in self.checked.rows if r.interval_start == start and r.channel == channel
        )
        return row.required_agents - normal.normal_required_agents


def without_events(scenario: Scenario) -> Scenario:
    """The same scenario with no events: the normal day."""
    return scenario.model_copy(update={"events": ()})


def interval_answer(
    plan: Plan,
    scenario: Scenario,
    *,
    interval_minutes: float = 30,
    shrinkage: float | None = None,
    occupancy_cap: float | None = None,
    replications: int,
    confidence: float,
    seed: int,
    backend: Backend | None = None,
    max_rounds: int = MAX_ROUNDS,
    rule: Rule = "probability",
    progress: Callable[[str, int, int], None] | None = None,
) -> IntervalAnswer:
    """Erlang A requirement and simulated check of the scenario, and of its normal day.

    ``progress(which, round, intervals missing)``, ``which`` 'event' or 'normal'.
    """

    def one(which: str, sc: Scenario) -> CheckedRequirements:
        table = erlang_requirements(
            plan,
            sc,
            interval_minutes=interval_minutes,
            shrinkage=shrinkage,
            occupancy_cap=occupancy_cap,
        )
        return check_requirements(
            plan,
            sc,
            table,
            replications=replications,
            confidence=confidence,
            seed=seed,
            backend=backend,
            max_rounds=max_rounds,
            rule=rule,
            progress=None if progress is None else (lambda r, m: progress(which, r, m)),
        )

    checked = one("event", scenario)
    normal = one("normal", without_events(scenario)) if scenario.events else None
    return IntervalAnswer(checked, normal)
