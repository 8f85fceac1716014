"""One target or objective as a check on a replication's KPIs, and the RTO rule.

Why a module of its own: the plan's targets (:mod:`sim.analysis.targets`), the
per-service ones (:mod:`sim.analysis.service_targets`) and the scenario's objectives
are all judged the same way, and a restoration target the same way wherever it is
judged (Monte Carlo, the room's drill, the report).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Check:
    """One target or objective: the KPI it reads, how it compares, the figure to reach."""

    name: str
    kpi: str
    op: Literal[">=", "<="]
    threshold: float
    label: str
    """Readable statement, e.g. 'service level >= 0.8 (answer within 30s)'."""
    open_kpi: str = ""
    """For a target on restoration (an RTO, a maximum downtime): the KPI that says how
    long a service still down at the end had been down by then (0: none), so that
    :func:`restoration_met` judges it; empty for other targets."""
    unjudged: str = ""
    """Why the target cannot be judged when its KPI is undefined (NaN), e.g. 'not
    simulated: ...'; empty: an undefined value counts as met (nothing to measure)."""

    def judge(self, value: float | None, open_for: float | None = None) -> bool | None:
        """Met (True), not met (False), or not judged / not yet known (None).

        ``open_for``: the ``open_kpi``'s value in the same replication.
        """
        undefined = value is None or math.isnan(value)
        if undefined and self.unjudged:
            return None
        if self.open_kpi:
            still = [] if open_for is None or not open_for > 0 else [open_for]
            return restoration_met(value, still, self)
        return self.met(math.nan if value is None else value)

    def met(self, value: float) -> bool:
        """Whether a value meets it; an undefined value (nothing to measure) counts as met."""
        if value is None or math.isnan(value):
            return True
        return (
            value >= self.threshold - 1e-12 if self.op == ">=" else value <= self.threshold + 1e-12
        )


def restoration_met(value: float | None, still_down: list[float], check: Check) -> bool | None:
    """Whether a target measured on restoration (the RTO) is met, given services still down.

    The rule: a service still down at the end of play has an outage of *at least* the
    time so far, and it only grows. When the end of play comes at or after the target
    time (the outage's start plus the limit) with the service still down, it can no
    longer be restored within the limit: the target is not met (False). When play
    ended before the target time, the target is not yet known (None), unless a
    restored service already missed it. With nothing still down, :meth:`Check.met`.
    """
    if value is not None and not math.isnan(value) and not check.met(value):
        return False
    if any(length >= check.threshold - 1e-9 for length in still_down):
        return False
    if still_down:
        return None
    return check.met(math.nan if value is None else value)
