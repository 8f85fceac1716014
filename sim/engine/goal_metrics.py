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

import numpy as np

from plans.model import Plan
from plans.targets import ServiceGoal
from sim.engine.records import ABANDONED, DONE, SERVING, TURNED_AWAY, RunRecords

Kpis = dict[str, float]


def goal_service_level(
    rec: RunRecords, channel: int, goal: ServiceGoal, start: float, end: float
) -> tuple[float, float]:
    """(service level against ``goal``, short abandons left out) of one channel."""
    mask = (rec.arrival >= start) & (rec.arrival < end) & rec.live & (rec.channel == channel)
    waits = np.where(np.isnan(rec.start), rec.end, rec.start) - rec.arrival
    answered = mask & ((rec.status == DONE) | (rec.status == SERVING))
    abandoned = mask & (rec.status == ABANDONED)
    short = np.zeros_like(abandoned)
    if goal.short_abandon is not None:
        short = abandoned & (waits <= goal.short_abandon + 1e-9)
    within = answered & (waits <= goal.answer_within + 1e-9)
    away = mask & np.isin(rec.status, TURNED_AWAY)
    settled = int(answered.sum() + abandoned.sum() + away.sum() - short.sum())
    level = float(within.sum()) / settled if settled else math.nan
    return level, float(short.sum())


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
