"""Queue figures and per-class KPIs of one replication, beside :mod:`sim.engine.metrics`.

Definitions (live contacts that arrived after the warm-up, as in :mod:`sim.engine.metrics`):

* **mean queue**: time-average number of live contacts waiting over the window, exact:
  every contact's time in the queue (from the records, not the snapshots) that falls
  inside the window, over the window's length. Contacts that arrived before the window
  and still waited in it count for the part inside it.
* **mean wait of all**: mean time waited by the live contacts answered or given up,
  answered-at-once included (ASA counts only the answered; this counts both, as
  Erlang A's E[W]).
* **by class**: service level, ASA, abandonment and P(wait) of the live contacts of
  one class (urgent, ordinary, complex), overall and on each live channel. Keys:
  ``class.urgent.service_level``, ``class.urgent.channel.phone.service_level``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import TICKET_CLASSES
from sim.engine.metrics import Kpis, wait_times, window_mask
from sim.engine.queue_metrics import mean_of, queue_kpis_of
from sim.engine.records import ABANDONED, BLOCKED, DONE, NOTICED, SERVING, RunRecords, derive

CLASS_KPIS = ("service_level", "asa", "abandonment", "p_wait")
"""The KPIs kept for each class of live contact."""


def _live_flags(rec: RunRecords) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Live contacts that queued (not turned away on arrival, not sent to a notice), and
    those answered or given up: kept with the records, each channel only masks them."""

    def compute() -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        status = rec.status
        queued = rec.live & (status != BLOCKED) & (status != NOTICED)
        settled = rec.live & ((status == DONE) | (status == SERVING) | (status == ABANDONED))
        return queued, settled

    return derive(rec, ("live_flags",), compute)


def mean_queue(rec: RunRecords, keep: NDArray[np.bool_], start: float, end: float) -> float:
    """Time-average number of ``keep`` live contacts waiting during [start, end)."""
    if end <= start:
        return math.nan
    queued = keep & _live_flags(rec)[0]
    enter = rec.arrival.compress(queued)  # as [queued], faster
    leave = enter + wait_times(rec).compress(queued)
    inside = np.clip(np.minimum(leave, end) - np.maximum(enter, start), 0.0, None)
    return float(inside.sum()) / (end - start)


def mean_wait_all(rec: RunRecords, mask: NDArray[np.bool_]) -> float:
    """Mean wait of the masked live contacts that were answered or gave up."""
    settled = mask & _live_flags(rec)[1]
    return mean_of(wait_times(rec).compress(settled)) if settled.any() else math.nan


def queue_figures(rec: RunRecords, start: float | None = None, end: float | None = None) -> Kpis:
    """``mean_queue`` and ``mean_wait_all``, overall and by channel (``channel.phone.*``).

    Over [start, end), by default after the warm-up to the horizon.
    """
    lo = rec.warm_up if start is None else start
    hi = rec.horizon if end is None else end
    window = window_mask(rec, lo, hi)
    everyone = np.ones(len(rec), dtype=bool)
    out: Kpis = {
        "mean_queue": mean_queue(rec, everyone, lo, hi),
        "mean_wait_all": mean_wait_all(rec, window),
    }
    for ci, cid in enumerate(rec.channel_ids):
        on = rec.channel == ci
        out[f"channel.{cid}.mean_queue"] = mean_queue(rec, on, lo, hi)
        out[f"channel.{cid}.mean_wait_all"] = mean_wait_all(rec, window & on)
    return out


def class_kpis(
    rec: RunRecords, plan: Plan, start: float | None = None, end: float | None = None
) -> Kpis:
    """Service level, ASA, abandonment and P(wait) of each class of live contact.

    A class with no contact in the run is left out (as request types are); by channel,
    only live channels (a ticket channel has no one waiting on the line).
    """
    threshold = plan.targets.service_level.answer_within
    window = window_mask(rec, start, end)
    keys: list[str] = []
    masks = []
    for k, cls in enumerate(TICKET_CLASSES):
        in_class = rec.rclass == k
        if not in_class.any():
            continue
        keys.append(f"class.{cls}.")
        masks.append(window & in_class)
        for ci, cid in enumerate(rec.channel_ids):
            if rec.channel_live[ci]:
                keys.append(f"class.{cls}.channel.{cid}.")
                masks.append(window & in_class & (rec.channel == ci))
    out: Kpis = {}
    for prefix, figures in zip(keys, queue_kpis_of(rec, masks, threshold), strict=True):
        out.update({f"{prefix}{key}": figures[key] for key in CLASS_KPIS})
    return out


def measures(
    rec: RunRecords, plan: Plan, start: float | None = None, end: float | None = None
) -> Kpis:
    """The queue figures and the per-class KPIs, added to a replication's KPI set."""
    return queue_figures(rec, start, end) | class_kpis(rec, plan, start, end)
