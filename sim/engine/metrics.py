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
from dataclasses import replace
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import REQUEST_TYPES, TICKET_CLASSES
from sim.engine.queue_metrics import queue_kpis, wait_times
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
)
from sim.engine.service_metrics import channel_kpis, system_kpis
from sim.engine.ticket_times import class_working_due, ticket_moments

Kpis = dict[str, float]
LIMIT_KINDS = ("respond", "first_handling", "resolve", "close")


def _safe_div(a: float, b: float) -> float:
    return a / b if b else math.nan


def window_mask(
    rec: RunRecords, start: float | None = None, end: float | None = None
) -> NDArray[np.bool_]:
    """Contacts that arrived in [start, end) (default: after the warm-up, to the horizon)."""
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end
    return (rec.arrival >= lo) & (rec.arrival < hi)


def max_queue(rec: RunRecords, mask: NDArray[np.bool_], start: float, end: float) -> float:
    """Most live contacts waiting at once during [start, end), exactly."""
    queued = rec.live & (rec.status != BLOCKED) & (rec.status != NOTICED)
    enter = rec.arrival[queued]
    leave = (rec.arrival + wait_times(rec))[queued]
    times = np.concatenate([enter, leave])
    steps = np.concatenate([np.ones(enter.shape[0]), -np.ones(leave.shape[0])])
    order = np.lexsort((steps, times))  # leaving before joining at the same instant
    level = np.cumsum(steps[order])
    t = times[order]
    inside = (t >= start) & (t < end)
    before = level[t < start]
    current = before[-1] if before.size else 0.0
    return float(max(current, level[inside].max() if inside.any() else 0.0))


def ticket_kpis(rec: RunRecords, mask: NDArray[np.bool_], plan: Plan, end: float) -> Kpis:
    """Backlog and tickets past each time limit of their class."""
    ticket = ~rec.live & mask & (rec.status != BLOCKED) & (rec.status != NOTICED)
    out: Kpis = {
        "tickets": float(ticket.sum()),
        "backlog": float((ticket & (np.isnan(rec.start) | (rec.start >= end))).sum()),
    }
    late_total = 0
    started = np.where(np.isnan(rec.start), np.inf, rec.start)
    finished = np.where(np.isnan(rec.end), np.inf, rec.end)
    done = ticket_moments(rec, started, finished)
    if rec.resolved is not None:
        out["back_office_backlog"] = float(
            (ticket & (rec.status == DONE) & np.isnan(rec.resolved)).sum()
        )
    for ci, cls in enumerate(TICKET_CLASSES):
        limits = plan.targets.ticket_limits.get(cls)
        in_class = ticket & (rec.rclass == ci)
        for kind in LIMIT_KINDS:
            limit = getattr(limits, kind) if limits else None
            if limit is None:
                continue
            done_at = done[kind]
            # late: done after the limit, or still not done when the limit had passed
            if plan.calendar.counts_working(cls, kind) and rec.clock_start is not None:
                due = class_working_due(plan, rec, ci, limit)
                late = in_class & (np.minimum(done_at, rec.horizon) > due)
            else:
                late = in_class & (np.minimum(done_at, rec.horizon) - rec.arrival > limit)
            out[f"tickets_late.{cls}.{kind}"] = float(late.sum())
            out[f"tickets_on_time.{cls}.{kind}"] = _safe_div(
                float((in_class & ~late).sum()), float(in_class.sum())
            )
            late_total += int(late.sum())
    out["tickets_late"] = float(late_total)
    return out


def down_intervals(rec: RunRecords, channel: int) -> list[tuple[float, float, bool]]:
    """(down from, up again at, came back) for one channel."""
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
    """
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
    served = ~np.isnan(rec.start)
    if rec.shared is not None:
        served &= ~rec.shared  # their agents' time is in the shared spans, counted once
    busy_end = np.where(np.isnan(rec.end), rec.horizon, rec.end)[served]
    busy = np.clip(np.minimum(busy_end, end) - np.maximum(rec.start[served], start), 0, None).sum()
    for _g, a, b in rec.shared_spans:
        busy += max(0.0, min(b, rec.horizon, end) - max(a, start))
    staffed_time = 0.0
    current: dict[int, tuple[float, int]] = {}
    for t, g, n in [*rec.staffing_log, (rec.horizon, -1, 0)]:
        for gi, (since, count) in list(current.items()):
            if g in (gi, -1):
                staffed_time += count * max(0.0, min(t, end) - max(since, start))
                del current[gi]
        if g >= 0:
            current[g] = (t, n)
    return _safe_div(float(busy), staffed_time)


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
    channels, systems and agents) and are left out. Kept with the records: the
    replication's KPI set and the scenario's objectives read the same windows.
    """
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end
    key = ("kpis_for", id(plan), lo, hi, channel, rtype)
    kept = rec.derived.get(key)
    if kept is None or kept[0] is not plan:
        kept = rec.derived[key] = (plan, _kpis_for(rec, plan, lo, hi, channel, rtype))
    return dict(kept[1])  # a copy: callers add to it


def _kpis_for(
    rec: RunRecords, plan: Plan, lo: float, hi: float, channel: str | None, rtype: str | None
) -> Kpis:
    """:func:`kpis_for` over [lo, hi), computed (the caller keeps it with the records)."""
    keep = np.ones(len(rec), dtype=bool)
    channels = list(range(len(rec.channel_ids)))
    if channel is not None:
        ci = rec.channel_ids.index(channel)
        keep &= rec.channel == ci
        channels = [ci]
    if rtype is not None:
        keep &= rec.rtype == REQUEST_TYPES.index(rtype)
    mask = window_mask(rec, lo, hi) & keep
    out = queue_kpis(rec, mask, plan.targets.service_level.answer_within)
    sub = rec if keep.all() else _subset(rec, keep)
    out["max_queue"] = max_queue(sub, window_mask(sub, 0.0, hi), lo, hi)
    out.update(ticket_kpis(rec, mask, plan, hi))
    if rtype is not None:
        return out
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
    if channel is not None:
        return out
    out["occupancy"] = occupancy(rec, lo, hi)
    out.update(system_kpis(rec, plan, disruptions(rec), lo, hi))
    losses = [e for e in rec.events if e.kind == "data_loss" and lo <= e.time < hi]
    # the rpo is logged as a float (ScenarioEvents.data_loss); detail values are untyped
    out["rpo"] = max((float(cast(float, e.detail["rpo"])) for e in losses), default=0.0)
    out["data_losses"] = float(len(losses))
    out["lost_work"] = float(lost_work(rec, losses))
    return out


def lost_work(rec: RunRecords, losses: list[Any]) -> int:
    """Contacts and tickets created in a lost data window on channels using that system."""
    lost = np.zeros(len(rec), dtype=bool)
    for e in losses:
        chans = [rec.channel_ids.index(c) for c in e.detail.get("channels", [])]
        in_window = (rec.arrival >= e.time - float(e.detail["rpo"])) & (rec.arrival <= e.time)
        lost |= in_window & np.isin(rec.channel, chans) & (rec.status != BLOCKED)
    return int(lost.sum())


def _subset(rec: RunRecords, keep: NDArray[np.bool_]) -> RunRecords:
    return replace(
        rec,
        arrival=rec.arrival[keep],
        start=rec.start[keep],
        end=rec.end[keep],
        status=rec.status[keep],
        channel=rec.channel[keep],
        rtype=rec.rtype[keep],
        rclass=rec.rclass[keep],
        surge=rec.surge[keep],
        live=rec.live[keep],
    )


def replication_kpis(rec: RunRecords, plan: Plan) -> Kpis:
    """The flat KPI set of one replication: overall, then by channel and by type.

    Keys: ``service_level``; ``channel.phone.service_level``; ``type.complaint.service_level``.
    """
    out = kpis_for(rec, plan)
    for cid in rec.channel_ids:
        out.update({f"channel.{cid}.{k}": v for k, v in kpis_for(rec, plan, channel=cid).items()})
    for rtype in REQUEST_TYPES:
        if (rec.rtype == REQUEST_TYPES.index(rtype)).any():
            out.update(
                {f"type.{rtype}.{k}": v for k, v in kpis_for(rec, plan, rtype=rtype).items()}
            )
    return out


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
