"""Every KPI of one run over one window: the set the board, the debrief and Monte Carlo read.

Why a module of its own: :func:`sim.engine.metrics.kpis_for` holds the first KPIs,
and the later ones live in modules beside it (queue figures and classes,
:mod:`sim.engine.class_metrics`; channel goals, :mod:`sim.engine.goal_metrics`) that
import from it, so it cannot call them without an import cycle. Whoever shows KPIs
calls :func:`all_kpis` and gets them all, whatever window.
"""

from __future__ import annotations

from plans.model import Plan
from sim.engine.class_metrics import measures
from sim.engine.customer_metrics import customer_kpis
from sim.engine.goal_metrics import goal_kpis
from sim.engine.metrics import Kpis, kpis_for, replication_kpis
from sim.engine.records import RunRecords


def all_kpis(
    rec: RunRecords, plan: Plan, start: float | None = None, end: float | None = None
) -> Kpis:
    """:func:`kpis_for` over the whole centre, with the queue, class and goal figures."""
    out = kpis_for(rec, plan, start, end)
    out.update(measures(rec, plan, start, end))
    out.update(goal_kpis(rec, plan, start, end))
    if start is None and end is None:  # people, not contacts: counted over the whole run
        out.update(customer_kpis(rec))
    return out


def replication_set(rec: RunRecords, plan: Plan) -> Kpis:
    """A replication's flat KPI set: :func:`replication_kpis` plus the later figures."""
    out = replication_kpis(rec, plan)
    out.update(measures(rec, plan))
    out.update(goal_kpis(rec, plan))
    out.update(customer_kpis(rec))
    return out
