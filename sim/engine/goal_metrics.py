"""Each live channel's service level against its own goal (plan ``targets.service_goals``).

Why beside :mod:`sim.engine.metrics`: the plan-wide ``service_level`` keeps one
threshold for every channel (today's figure, unchanged); workforce tools state a goal
per channel ("phone 80% in 30 s, chat 80% in 60 s, counter 80% in 10 min") and may
leave out the customers who gave up within a few seconds ("short abandons": a misdial,
a hang-up at the greeting), which no staffing could have answered.

Definition: ``goal.<channel>.service_level`` = live contacts of the channel answered
within the goal's ``answer_within``, over those answered, given up or turned away by the
disruption (as the plan-wide service level counts them), less those who gave up within
``short_abandon`` (when the goal sets it). Contacts arrive in the window,
as everywhere in :mod:`sim.engine.metrics`. ``goal.<channel>.short_abandons`` counts
the contacts so left out.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from plans.targets import ServiceGoal
from sim.engine.queue_metrics import turned_away
from sim.engine.records import ABANDONED, DONE, SERVING, RunRecords, derive

Kpis = dict[str, float]


def _goal_flags(rec: RunRecords) -> tuple[NDArray[Any], ...]:
    """Per contact, whatever the channel and window: live, answered, abandoned, turned
    away, and the wait (until service, or until it ended unanswered). Kept with the
    records: each channel's goal only masks them."""

    def compute() -> tuple[NDArray[Any], ...]:
        status = rec.status
        waits = np.where(np.isnan(rec.start), rec.end, rec.start) - rec.arrival
        answered = (status == DONE) | (status == SERVING)
        return answered, status == ABANDONED, turned_away(rec), waits

    return derive(rec, ("goal_flags",), compute)


def goal_service_level(
    rec: RunRecords, channel: int, goal: ServiceGoal, start: float, end: float
) -> tuple[float, float]:
    """(service level against ``goal``, short abandons left out) of one channel."""
    answered_all, abandoned_all, away_all, waits = _goal_flags(rec)
    mask = (rec.arrival >= start) & (rec.arrival < end) & rec.live & (rec.channel == channel)
    answered = mask & answered_all
    abandoned = mask & abandoned_all
    short = 0
    if goal.short_abandon is not None:
        short = int(np.count_nonzero(abandoned & (waits <= goal.short_abandon + 1e-9)))
    within = np.count_nonzero(answered & (waits <= goal.answer_within + 1e-9))
    away = np.count_nonzero(mask & away_all)  # turned_away is of live contacts, as mask
    settled = np.count_nonzero(answered) + np.count_nonzero(abandoned) + away - short
    level = float(within) / settled if settled else math.nan
    return level, float(short)


def goal_kpis(
    rec: RunRecords, plan: Plan, start: float | None = None, end: float | None = None
) -> Kpis:
    """``goal.<channel>.service_level`` (and ``.short_abandons``) of each channel with a goal."""
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end
    out: Kpis = {}
    for cid, goal in plan.targets.service_goals.items():
        if cid not in rec.channel_ids:
            continue
        level, short = goal_service_level(rec, rec.channel_ids.index(cid), goal, lo, hi)
        out[f"goal.{cid}.service_level"] = level
        if goal.short_abandon is not None:
            out[f"goal.{cid}.short_abandons"] = short
    return out
