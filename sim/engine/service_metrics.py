"""Availability and restoration of each service, beside :mod:`sim.engine.metrics`.

Why a module of its own: the manual's availability (4.1: 99.9% of service, 5.3: 99.95%
of system operation) is a long-run figure, not the share of an 8-hour drill a channel
was up; an outage of 14 s in 8 h would already fail 99.95%. The long run is estimated
here from two things the run has: how often this kind of event happens (the failed
system's mean time between failures, ``System.mtbf``, 980 h by default from manual
5.2) and how long the service was down when it did (simulated).

Definitions (one replication, the window of :func:`sim.engine.metrics.kpis_for`):

* **uptime**: share of the window a channel was up (not dark); overall, the worst
  channel. (This was called availability before; journals written then keep the name.)
* **downtime of a service**: the time it was down in disruptions that overlap the
  window, whole (to the end of the run for one never restored). A channel is down
  while dark (as for uptime); a system while it does not work.
* **long-run availability**: ``MTBF / (MTBF + D)``: a renewal cycle is MTBF of working
  then the downtime ``D`` this event caused, so the share of time up is
  ``1 - D / (MTBF + D)``. MTBF is the one of the first system the scenario fails (an
  ``outage_start`` on a system); with none (a site lost, a surge), it is undefined (NaN)
  and a target on it is not judged. Overall: the worst channel (``availability``) and
  the worst system (``system_availability``).
* **restoration (RTO achieved) of a system**: its longest disruption, as for channels.
* **RPO achieved of a system**: the longest window of its data lost (systems that hold
  data only).
* **not restored for**: how long a service still down at the end had been down by
  then (0 when it was back): a restoration time known only as a lower bound.
"""

from __future__ import annotations

import math
from typing import cast

from plans.model import Plan
from sim.engine.records import RunRecords

Kpis = dict[str, float]


def event_mtbf(rec: RunRecords, plan: Plan) -> float:
    """Mean time between failures of the first system the run failed (NaN: none failed)."""
    systems = {s.id: s for s in plan.systems}
    for event in rec.events:
        if event.kind == "outage_start" and event.ref in systems:
            return float(systems[event.ref].mtbf)
    return math.nan


def longrun(mtbf: float, downtime: float) -> float:
    """Long-run availability of a service down ``downtime`` once every ``mtbf``."""
    if math.isnan(mtbf):
        return math.nan
    return mtbf / (mtbf + downtime) if mtbf + downtime > 0 else math.nan


Down = tuple[float, float, bool]
"""(from, to, came back) of one outage, as :func:`sim.engine.metrics.down_intervals`."""
Disruption = tuple[str, float, float, str]
"""(what, from, to, how), as :func:`sim.engine.metrics.disruptions`."""


def channel_kpis(rec: RunRecords, plan: Plan, downs: list[Down], lo: float, hi: float) -> Kpis:
    """Long-run availability of one channel, from its outages."""
    downs = [(a, b, ok) for a, b, ok in downs if b > lo and a < hi]
    return {"availability": longrun(event_mtbf(rec, plan), sum(b - a for a, b, _ in downs))}


def system_kpis(
    rec: RunRecords, plan: Plan, disrupted: list[Disruption], lo: float, hi: float
) -> Kpis:
    """Per system: long-run availability, restoration, open outage; RPO if it holds data."""
    mtbf = event_mtbf(rec, plan)
    losses = [e for e in rec.events if e.kind == "data_loss" and lo <= e.time < hi]
    out: Kpis = {}
    worst = math.inf
    for system in plan.systems:
        downs = [(a, b, how) for what, a, b, how in disrupted if what == system.id]
        downs = [(a, b, how) for a, b, how in downs if b > lo and a < hi]
        key = f"system.{system.id}"
        out[f"{key}.availability"] = longrun(mtbf, sum(b - a for a, b, _ in downs))
        worst = min(worst, out[f"{key}.availability"])
        out[f"{key}.rto"] = max((b - a for a, b, _ in downs), default=0.0)
        out[f"{key}.not_restored_for"] = max(
            (b - a for a, b, how in downs if how == "not restored"), default=0.0
        )
        if system.holds_data:
            # the rpo is logged as a float (ScenarioEvents.data_loss); detail values are untyped
            out[f"{key}.rpo"] = max(
                (float(cast(float, e.detail["rpo"])) for e in losses if e.ref == system.id),
                default=0.0,
            )
    out["system_availability"] = worst if plan.systems and math.isfinite(worst) else math.nan
    return out
