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
from sim.engine.metrics import Kpis, kpi_value, kpis_for, replication_kpis
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


def some_of_set(rec: RunRecords, plan: Plan, names: tuple[str, ...]) -> Kpis:
    """The named figures of :func:`replication_set`, computing only the parts holding them.

    Why: a staffing search judges a level on its targets' KPIs alone (service level,
    abandonment, ASA, RTO, RPO) and runs hundreds of replications; the whole set (528
    figures) took as long as a tenth of the replication. Each name is read from the
    first part of :func:`sim.engine.metrics.kpis_for` that holds it, as in the whole
    set; a name that no part holds is taken from the whole set (the same floats either
    way: tests/sim/test_some_kpis.py compares them on every library scenario).
    """
    out: Kpis = {}
    for name in names:
        if name in out:
            continue
        try:
            out.update(kpi_value(rec, plan, name))
        except KeyError:
            whole = replication_set(rec, plan)
            return {n: whole[n] for n in names if n in whole}
    return {n: out[n] for n in names if n in out}
