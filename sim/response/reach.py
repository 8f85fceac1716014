"""Reaching a role in a run: call the holder, then deputies, then escalate.

Why drawn at the moment of the call: whether someone is on call depends on the hour
and the day, so a Saturday-night outage reaches people more slowly than a Tuesday
morning one, as it would for real. Answer times are drawn around the plan's figures
(lognormal with the plan's ``response_time_cv``; exactly the figure when it is 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import simpy

from plans.model import Plan
from plans.schedule import WEEK_MINUTES
from sim.response.incidents import ResponseRecord

if TYPE_CHECKING:
    from sim.response.centre import Centre


@dataclass(frozen=True, slots=True)
class Reach:
    """How a role was reached: after how long, by whom, and through which role."""

    role: str
    delay: float
    """Minutes from the first call until someone answered (inf: nobody)."""
    person: str | None
    via: str
    """The role that answered: the role itself, or the one escalated to."""
    calls: tuple[tuple[str, float, float], ...]
    """(person, called after, answers after) for everyone called."""


def answer_time(
    plan: Plan, person_id: str, minute_of_week: float, rng: np.random.Generator
) -> float:
    """Minutes a person takes to answer a call made at a minute of the week (inf: never)."""
    person = plan.person(person_id)
    m = minute_of_week % WEEK_MINUTES
    on_call = any(s <= m < e for w in person.on_call for s, e in w.intervals())
    mean = person.response_time.on_call if on_call else person.response_time.off_call
    if mean is None:
        return math.inf
    cv = plan.response.response_time_cv
    if cv == 0 or mean == 0:
        return float(mean)
    sigma2 = math.log1p(cv**2)
    return float(rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2)))


def reach_role(plan: Plan, role_id: str, minute_of_week: float, rng: np.random.Generator) -> Reach:
    """Call a role's holder, then each deputy after ``answer_within``, then escalate.

    Everyone called may still answer late; the first answer wins. If nobody in the
    role answers at all, the call goes up the role's escalation line (``escalates_to``,
    else ``reports_to``), and so on, until someone answers or the line ends.
    """
    calls: list[tuple[str, float, float]] = []
    offset = 0.0
    seen: set[str] = set()
    current: str | None = role_id
    while current is not None and current not in seen:
        seen.add(current)
        role = plan.role(current)
        best, who = math.inf, None
        for i, person in enumerate([role.holder, *role.deputies]):
            called = offset + i * role.answer_within
            answers = answer_time(plan, person, minute_of_week + called, rng)
            calls.append((person, called, called + answers))
            if called + answers < best:
                best, who = called + answers, person
            if answers <= role.answer_within:
                break
        if who is not None:
            return Reach(role_id, best, who, current, tuple(calls))
        offset += (len(role.deputies) + 1) * role.answer_within
        current = role.escalates_to or role.reports_to
    return Reach(role_id, math.inf, None, role_id, tuple(calls))


class Caller:
    """Reaches roles during a run, each once: later calls for the role share the answer.

    The base of the response controller: the plan's actions and steps all wait on it.
    """

    # set by the controller; declared for the type checker only
    sim: Centre
    plan: Plan
    env: simpy.Environment
    record: ResponseRecord
    _reached: dict[str, simpy.Event]

    def reach(self, role: str) -> simpy.Event:
        """An event that fires when someone answers for the role (calling them if needed)."""
        if role in self._reached:
            return self._reached[role]
        event = self.env.event()
        self._reached[role] = event
        minute = self.sim.minute_of_week()
        result: Reach = reach_role(self.plan, role, minute, self.sim.streams["responses"])
        self.record.reached[role] = {
            "notified": self.sim.now,
            "reached": self.sim.now + result.delay,
            "person": result.person,
            "via": result.via,
            "calls": [list(c) for c in result.calls],
        }
        if math.isfinite(result.delay):
            self.sim.at(self.sim.now + result.delay, lambda: self._answered(role, result, event))
        else:
            self.sim.log("unreached", role, calls=len(result.calls))
        return event

    def _answered(self, role: str, result: Reach, event: simpy.Event) -> None:
        self.sim.log("reached", role, person=result.person, via=result.via)
        event.succeed()
