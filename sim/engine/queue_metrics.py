"""Queue figures of a run's contacts under any mask: answered, abandoned, waits, turned away.

Why apart from :mod:`sim.engine.metrics`: a replication's KPI set reads these for every
window, channel and request type (over a dozen masks), and the per-contact flags under
them depend on the records alone; they are computed once and kept with the records
(``RunRecords.derived``), so each mask costs only the ``&`` and the counts (issue 19).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from sim.engine.records import (
    ABANDONED,
    BLOCKED,
    DONE,
    DROPPED,
    NOTICED,
    SERVING,
    TURNED_AWAY,
    WAITING,
    RunRecords,
)

Kpis = dict[str, float]


def _safe_div(a: float, b: float) -> float:
    return a / b if b else math.nan


def turned_away(rec: RunRecords) -> NDArray[np.bool_]:
    """Live contacts turned away by the disruption (see :data:`TURNED_AWAY`)."""
    return _kept(rec, ("turned_away",), lambda: rec.live & np.isin(rec.status, TURNED_AWAY))


def _kept(rec: RunRecords, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """A figure of the whole records, computed once and kept with them (read-only arrays).

    Why: a replication's KPI set reads the same per-contact flags (waits, answered,
    turned away) for every window, channel and request type; only the mask differs.
    Records never change once taken, and a subset starts with nothing kept.
    """
    value = rec.derived.get(key)
    if value is None:
        value = rec.derived[key] = compute()
        for array in value if isinstance(value, tuple) else (value,):
            array.flags.writeable = False
    return value


def wait_times(rec: RunRecords) -> NDArray[np.float64]:
    """Time each contact spent waiting: until service, giving up, drop, or now."""

    def compute() -> NDArray[np.float64]:
        left = np.where(np.isnan(rec.start), rec.end, rec.start)
        left = np.where(np.isnan(left), rec.horizon, left)
        return np.where(rec.status == BLOCKED, 0.0, left - rec.arrival)

    return cast(NDArray[np.float64], _kept(rec, ("wait_times",), compute))


def _queue_flags(rec: RunRecords, threshold: float) -> tuple[NDArray[Any], ...]:
    """Per contact, whatever the mask: answered, abandoned, answered within the
    threshold, waited at all (live contacts only), and the wait until service."""

    def compute() -> tuple[NDArray[Any], ...]:
        status = rec.status
        answered = rec.live & ((status == DONE) | (status == SERVING))
        abandoned = rec.live & (status == ABANDONED)
        waits = rec.start - rec.arrival
        within = answered & (waits <= threshold + 1e-9)
        waited = (answered | abandoned) & (wait_times(rec) > 1e-9)
        return answered, abandoned, within, waited, waits

    return cast(tuple[NDArray[Any], ...], _kept(rec, ("queue_flags", threshold), compute))


def queue_kpis(rec: RunRecords, mask: NDArray[np.bool_], threshold: float) -> Kpis:
    """Answered, abandoned, service level, ASA, abandonment over the masked live contacts."""
    status = rec.status
    answered_all, abandoned_all, within_all, waited_all, waits = _queue_flags(rec, threshold)
    answered = answered_all & mask
    abandoned = abandoned_all & mask
    within = within_all & mask
    settled = int(answered.sum() + abandoned.sum())
    away = int((turned_away(rec) & mask).sum())
    return {
        "offered": float(mask.sum()),
        "answered": float(answered.sum()),
        "abandoned": float(abandoned.sum()),
        "blocked": float((mask & (status == BLOCKED)).sum()),
        "dropped": float((mask & (status == DROPPED)).sum()),
        "open_at_end": float((mask & ((status == WAITING) | (status == SERVING))).sum()),
        "noticed": float((mask & (status == NOTICED)).sum()),
        "turned_away": float(away),
        "service_level": _safe_div(float(within.sum()), settled + away),
        "queue_service_level": _safe_div(float(within.sum()), settled),
        "asa": float(np.mean(waits[answered])) if answered.any() else math.nan,
        "abandonment": _safe_div(float(abandoned.sum()), settled),
        "p_wait": _safe_div(float((waited_all & mask).sum()), settled),
    }
