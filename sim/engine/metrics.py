"""KPIs from one replication's records: pure, vectorised functions.

Definitions, stated once so every figure means one thing:

* A contact counts in a window when it *arrived* in it (after the warm-up).
* **service level**: live contacts answered within the threshold, over live contacts
  that were answered, gave up, or were **turned away** by the disruption (met a dark
  channel, were cut off, were sent to a customer notice, or asked for a callback that
  never reached them): a customer the centre did not answer counts against it, however
  politely it said so. Those still waiting at the end are left out, and so are those who
  came while their channel was closed by its opening hours (not offered to anybody, as
  in any WFM tool). Why: counting only those who queued, the typhoon day, whose notices
  send 19 of 20 callers away, read better than a calm day (issue 14).
* **queue service level**: the same over those answered or given up only: the queue's
  own figure, the one Erlang C / Erlang A predict; equal to the service level when
  nobody was turned away.
* **ASA**: mean wait of answered live contacts, in minutes.
* **abandonment**: live contacts that gave up, over those answered or given up.
* **max queue**: most contacts waiting at once in a live queue, exact (from the
  contact records, not sampled).
* **backlog**: tickets not yet started at the end of the window.
* **tickets late**: tickets past a time limit of their class, including open tickets
  already past it at the end.
* **uptime**: share of the window a channel was up; overall, the worst channel.
* **availability**: long-run availability (:mod:`sim.engine.service_metrics`): the
  failed system's MTBF over MTBF plus the downtime; overall, the worst channel.
* **RTO achieved**: the longest disruption: a channel dark or short of the agents it
  needs, or a system or site not working, until it is back at its required capacity,
  by repair or by backup (to the end of the run if it never came back).
* **RPO achieved**: the longest window of data lost in a data-loss event.
* **occupancy**: agent time busy over agent time at work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import REQUEST_TYPES
from sim.engine.queue_metrics import max_queue as max_queue  # read from here by others
from sim.engine.queue_metrics import queue_kpis, queue_kpis_of, queue_max, wait_times
from sim.engine.queue_metrics import turned_away as turned_away  # read from here by others
from sim.engine.records import (
    ABANDONED,
    BLOCKED,
    CLOSED,
    DONE,
    DROPPED,
    NOTICED,
    SERVING,
    STATUS_NAMES,
    UNREACHED,
    WAITING,
    RunRecords,
    derive,
    remember,
)
from sim.engine.service_metrics import channel_kpis, system_kpis
from sim.engine.ticket_metrics import LIMIT_KINDS as LIMIT_KINDS  # read from here by others
from sim.engine.ticket_metrics import ticket_kpis, ticket_kpis_of

Kpis = dict[str, float]


def _safe_div(a: float, b: float) -> float:
    return a / b if b else math.nan


def window_mask(
    rec: RunRecords, start: float | None = None, end: float | None = None
) -> NDArray[np.bool_]:
    """Contacts that arrived in [start, end) (default: after the warm-up, to the horizon)."""
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end
    return (rec.arrival >= lo) & (rec.arrival < hi)


def down_intervals(rec: RunRecords, channel: int) -> list[tuple[float, float, bool]]:
    """(down from, up again at, came back) for one channel (a copy: callers may add)."""
    return list(derive(rec, ("down_intervals", channel), lambda: _down_intervals(rec, channel)))


def _down_intervals(rec: RunRecords, channel: int) -> list[tuple[float, float, bool]]:
    out: list[tuple[float, float, bool]] = []
    down_at: float | None = None
    for t, c, up in rec.channel_log:
        if c != channel:
            continue
        if not up and down_at is None:
            down_at = t
        elif up and down_at is not None:
            out.append((down_at, t, True))
            down_at = None
    if down_at is not None:
        out.append((down_at, rec.horizon, False))
    return out


def disruptions(rec: RunRecords) -> list[tuple[str, float, float, str]]:
    """(what, from, restored at, how) for every channel, system or site disrupted.

    A channel is disrupted while it is dark or short of the planned agents it needs
    (below the plan's restored-capacity share); a system or site while it does not work.
    ``how`` is what brought it back ('repair', 'backup crm_standby', 'reserves', ...),
    or 'not restored' when the run ended first (then it runs to the horizon).
    Worked out once per records (a copy each time: callers may add to it).
    """
    return list(derive(rec, ("disruptions",), lambda: _disruptions(rec)))


def _disruptions(rec: RunRecords) -> list[tuple[str, float, float, str]]:
    out: list[tuple[str, float, float, str]] = []
    since: dict[str, float] = {}
    for t, name, ok, cause in rec.service_log:
        if not ok:
            since.setdefault(name, t)
        elif name in since:
            out.append((name, since.pop(name), t, cause))
    out += [(name, t, rec.horizon, "not restored") for name, t in since.items()]
    return out


def availability(rec: RunRecords, channel: int, start: float, end: float) -> float:
    """Share of [start, end) the channel was up."""
    down = sum(max(0.0, min(b, end) - max(a, start)) for a, b, _ in down_intervals(rec, channel))
    return 1.0 - down / (end - start) if end > start else math.nan


def occupancy(rec: RunRecords, start: float, end: float) -> float:
    """Agent time busy over agent time at work, in [start, end)."""
    busy_end, started, at_work = derive(rec, ("occupancy_spans",), lambda: _agent_spans(rec))
    busy = np.clip(np.minimum(busy_end, end) - np.maximum(started, start), 0, None).sum()
    for _g, a, b in rec.shared_spans:
        busy += max(0.0, min(b, rec.horizon, end) - max(a, start))
    staffed_time = 0.0
    for since, t, count in at_work:
        staffed_time += count * max(0.0, min(t, end) - max(since, start))
    return _safe_div(float(busy), staffed_time)


def _agent_spans(
    rec: RunRecords,
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[tuple[float, float, int]]]:
    """What :func:`occupancy` reads, whatever the window: when each contact's agent was
    busy (shared agents' contacts left out: their time is in the shared spans, counted
    once), and (from, to, agents) of every stretch a group kept its number of agents at
    work, in the order the staffing log closes them (the order the time is added in)."""
    served = ~np.isnan(rec.start)
    if rec.shared is not None:
        served &= ~rec.shared
    busy_end = np.where(np.isnan(rec.end), rec.horizon, rec.end)[served]
    at_work: list[tuple[float, float, int]] = []
    current: dict[int, tuple[float, int]] = {}  # a group's agents since, by group
    for t, g, n in rec.staffing_log:  # a group's change closes its stretch (groups >= 0)
        if g in current:
            since, count = current.pop(g)  # and its new one comes last, as it did
            at_work.append((since, t, count))
        current[g] = (t, n)
    at_work += [(since, rec.horizon, count) for since, count in current.values()]
    return busy_end, rec.start[served], at_work


def kpis_for(
    rec: RunRecords,
    plan: Plan,
    start: float | None = None,
    end: float | None = None,
    channel: str | None = None,
    rtype: str | None = None,
) -> Kpis:
    """Every KPI over one window and, optionally, one channel or one request type.

    By type, availability, RTO, RPO and occupancy have no meaning (they belong to
    channels, systems and agents) and are left out. Kept with the records, part by
    part: the replication's KPI set and the scenario's objectives read the same
    windows, and an objective needs only the part that holds its figure
    (:func:`kpi_value`).
    """
    out: Kpis = {}
    for part in _parts(channel, rtype):
        out.update(_part(rec, plan, part, start, end, channel, rtype))
    return out  # a new dict: callers add to it


def kpi_value(
    rec: RunRecords,
    plan: Plan,
    key: str,
    start: float | None = None,
    end: float | None = None,
    channel: str | None = None,
) -> dict[str, float]:
    """The part of :func:`kpis_for` that holds ``key`` (the same figures), computing
    only the parts before it; KeyError if no part has it."""
    for part in _parts(channel, None):
        figures = _part(rec, plan, part, start, end, channel, None)
        if key in figures:
            return dict(figures)
    raise KeyError(key)


def _parts(channel: str | None, rtype: str | None) -> tuple[str, ...]:
    if rtype is not None:
        return ("queue", "max_queue", "tickets")
    if channel is not None:
        return ("queue", "max_queue", "tickets", "channels")
    return ("queue", "max_queue", "tickets", "channels", "centre")


def _keep(rec: RunRecords, channel: str | None, rtype: str | None) -> NDArray[np.bool_]:
    """The contacts of one channel and/or request type (all by default)."""
    keep = np.ones(len(rec), dtype=bool)
    if channel is not None:
        keep &= rec.channel == rec.channel_ids.index(channel)
    if rtype is not None:
        keep &= rec.rtype == REQUEST_TYPES.index(rtype)
    return keep


def _part(
    rec: RunRecords,
    plan: Plan,
    part: str,
    start: float | None,
    end: float | None,
    channel: str | None,
    rtype: str | None,
) -> Kpis:
    """One part of :func:`kpis_for` over [start, end), computed once per records (read-only)."""
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end

    def compute() -> Kpis:
        keep = _keep(rec, channel, rtype)
        if part == "max_queue":
            which = None if channel is None and rtype is None else (channel, rtype)
            return {"max_queue": queue_max(rec, keep, which, lo, hi)}
        if part in ("channels", "centre"):
            return _service_part(rec, plan, part, lo, hi, channel)
        mask = window_mask(rec, lo, hi) & keep
        if part == "queue":
            return queue_kpis(rec, mask, plan.targets.service_level.answer_within)
        return ticket_kpis(rec, mask, plan, hi)

    return derive(rec, ("kpi_part", id(plan), part, lo, hi, channel, rtype), compute, plan)


def _service_part(
    rec: RunRecords, plan: Plan, part: str, lo: float, hi: float, channel: str | None
) -> Kpis:
    """Uptime, availability and disruptions of the channels ('channels'), or occupancy,
    systems and data losses of the centre ('centre'), over [lo, hi)."""
    out: Kpis = {}
    if part == "centre":
        out["occupancy"] = occupancy(rec, lo, hi)
        out.update(system_kpis(rec, plan, disruptions(rec), lo, hi))
        losses = [e for e in rec.events if e.kind == "data_loss" and lo <= e.time < hi]
        # the rpo is logged as a float (ScenarioEvents.data_loss); detail values are untyped
        out["rpo"] = max((float(cast(float, e.detail["rpo"])) for e in losses), default=0.0)
        out["data_losses"] = float(len(losses))
        out["lost_work"] = float(lost_work(rec, losses))
        return out
    channels = list(range(len(rec.channel_ids)))
    if channel is not None:
        channels = [rec.channel_ids.index(channel)]
    avail = [availability(rec, c, lo, hi) for c in channels]
    out["uptime"] = min(avail) if avail else math.nan
    per_channel = [channel_kpis(rec, plan, down_intervals(rec, c), lo, hi) for c in channels]
    out["availability"] = min((k["availability"] for k in per_channel), default=math.nan)
    names = {rec.channel_ids[c] for c in channels}
    spans = [
        (b - a, how)
        for what, a, b, how in disruptions(rec)
        if b > lo and a < hi and (channel is None or what in names)
    ]
    out["disruptions"] = float(len(spans))
    out["rto"] = max((length for length, _ in spans), default=0.0)
    out["not_restored_for"] = max(
        (length for length, how in spans if how == "not restored"), default=0.0
    )
    return out


def lost_work(rec: RunRecords, losses: list[Any]) -> int:
    """Contacts and tickets created in a lost data window on channels using that system."""
    lost = np.zeros(len(rec), dtype=bool)
    for e in losses:
        chans = [rec.channel_ids.index(c) for c in e.detail.get("channels", [])]
        in_window = (rec.arrival >= e.time - float(e.detail["rpo"])) & (rec.arrival <= e.time)
        lost |= in_window & np.isin(rec.channel, chans) & (rec.status != BLOCKED)
    return int(lost.sum())


def replication_kpis(rec: RunRecords, plan: Plan) -> Kpis:
    """The flat KPI set of one replication: overall, then by channel and by type.

    Keys: ``service_level``; ``channel.phone.service_level``; ``type.complaint.service_level``.
    """
    out = kpis_for(rec, plan)
    present = [t for t in REQUEST_TYPES if (rec.rtype == REQUEST_TYPES.index(t)).any()]
    _count_together(rec, plan, [(c, None) for c in rec.channel_ids] + [(None, t) for t in present])
    for cid in rec.channel_ids:
        out.update({f"channel.{cid}.{k}": v for k, v in kpis_for(rec, plan, channel=cid).items()})
    for rtype in present:
        out.update({f"type.{rtype}.{k}": v for k, v in kpis_for(rec, plan, rtype=rtype).items()})
    return out


def _count_together(
    rec: RunRecords, plan: Plan, subsets: list[tuple[str | None, str | None]]
) -> None:
    """Keep the queue and ticket parts of :func:`kpis_for` over the replication's window
    for each (channel, type) subset, their counts taken for all subsets at once
    (:func:`queue_kpis_of`, :func:`ticket_kpis_of`): the figures each would compute
    alone."""
    lo, hi = rec.warm_up, rec.horizon
    if not subsets:
        return
    kept = rec.derived.get(("kpi_part", id(plan), "queue", lo, hi, *subsets[-1]))
    if kept is not None and kept[0] is plan:
        return  # counted already (the records read again, e.g. by a second KPI set)
    window = window_mask(rec, lo, hi)
    masks = [window & _keep(rec, c, t) for c, t in subsets]
    threshold = plan.targets.service_level.answer_within
    queue = queue_kpis_of(rec, masks, threshold)
    tickets = ticket_kpis_of(rec, masks, plan, hi)
    for (c, t), q, k in zip(subsets, queue, tickets, strict=True):
        remember(rec, ("kpi_part", id(plan), "queue", lo, hi, c, t), q, plan)
        remember(rec, ("kpi_part", id(plan), "tickets", lo, hi, c, t), k, plan)


def littles_law(rec: RunRecords) -> tuple[float, float, float]:
    """(L from snapshots, arrival rate, mean time in queue) after the warm-up.

    L is the time-average of the sampled number waiting; lambda * W must match it
    within sampling error if the engine's queue bookkeeping is right.
    """
    snaps = rec.snapshots
    t = np.asarray(snaps.time)
    waiting = np.asarray(snaps.waiting).sum(axis=1)
    keep = t >= rec.warm_up
    level = float(waiting[keep].mean())
    mask = window_mask(rec) & (rec.status != BLOCKED)
    span = rec.horizon - rec.warm_up
    rate = float(mask.sum()) / span
    return level, rate, float(wait_times(rec)[mask].mean())


def conservation(rec: RunRecords) -> Mapping[str, int]:
    """Contacts by final status; they add up to the contacts that arrived."""
    counts = np.bincount(rec.status.astype(np.int64), minlength=len(STATUS_NAMES))
    return {
        "arrived": len(rec),
        "answered": int(counts[DONE]),
        "abandoned": int(counts[ABANDONED]),
        "blocked": int(counts[BLOCKED]),
        "dropped": int(counts[DROPPED]),
        "noticed": int(counts[NOTICED]),
        "closed": int(counts[CLOSED]),
        "unreached": int(counts[UNREACHED]),
        "waiting": int(counts[WAITING]),
        "serving": int(counts[SERVING]),
    }
