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
    derive,
)

Kpis = dict[str, float]


def _safe_div(a: float, b: float) -> float:
    return a / b if b else math.nan


def turned_away(rec: RunRecords) -> NDArray[np.bool_]:
    """Live contacts turned away by the disruption (see :data:`TURNED_AWAY`)."""

    def compute() -> NDArray[np.bool_]:
        away = np.zeros(len(rec), dtype=bool)
        for code in TURNED_AWAY:  # np.isin's answer, without its sort
            away |= rec.status == code
        return rec.live & away

    return cast("NDArray[np.bool_]", _kept(rec, ("turned_away",), compute))


def mean_of(values: NDArray[np.float64]) -> float:
    """``float(np.mean(values))`` of a non-empty 1-d array, by np.mean's own two steps
    (numpy's pairwise sum, then over the count), without its Python wrapper: the same
    float in a fifth of the time, for the few dozen means a replication takes."""
    return float(np.add.reduce(values)) / values.shape[0]


def packed(flags: list[NDArray[np.bool_]]) -> NDArray[np.uint64]:
    """Per-contact flags packed 64 to a word, one row per flag (the padding bits clear).

    Why: a replication counts a dozen flags (answered, abandoned, late on each limit...)
    under two dozen masks (windows, channels, types, classes); packed, one ``&`` and a
    population count take them all, as whole numbers (the counts the mask-by-mask
    sums gave, exactly). A float matrix product would count them as fast but calls
    BLAS, which starts threads of its own on a 2-core machine already running workers.
    """
    n = flags[0].shape[0] if flags else 0
    out = np.zeros((len(flags), -(-n // 64) * 8), dtype=np.uint8)
    for j, row in enumerate(flags):
        out[j, : -(-n // 8)] = np.packbits(row)
    return out.view(np.uint64)


def count_under(table: NDArray[np.uint64], masks: list[NDArray[np.bool_]]) -> list[list[int]]:
    """How many contacts of each flag of ``table`` (from :func:`packed`) each mask holds:
    ``[mask][flag]``."""
    both = packed(masks)[:, None, :] & table[None, :, :]
    counts: list[list[int]] = np.bitwise_count(both).sum(axis=2, dtype=np.int64).tolist()
    return counts


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

    return cast("NDArray[np.float64]", _kept(rec, ("wait_times",), compute))


def max_queue(rec: RunRecords, mask: NDArray[np.bool_], start: float, end: float) -> float:
    """Most live contacts waiting at once during [start, end), exactly."""
    return queue_max(rec, np.ones(len(rec), dtype=bool), None, start, end)


def queue_events(
    rec: RunRecords,
) -> tuple[NDArray[np.float64], NDArray[np.int8], NDArray[np.int32]]:
    """(time, +1 join / -1 leave, contact) of every live contact's time in the queue,
    sorted by time, leaving before joining at the same instant (a stable sort, so equal
    events keep the order of the contacts). Small types: kept with the records."""

    def compute() -> tuple[NDArray[np.float64], NDArray[np.int8], NDArray[np.int32]]:
        queued = rec.live & (rec.status != BLOCKED) & (rec.status != NOTICED)
        who = np.flatnonzero(queued).astype(np.int32)
        enter = rec.arrival[queued]
        leave = (rec.arrival + wait_times(rec))[queued]
        # leaves first, then a stable sort by time: at one instant leaving before joining,
        # each in contact order, as a lexsort on (time, step) of joins-then-leaves orders them
        times = np.concatenate([leave, enter])
        steps = np.concatenate(
            [np.full(leave.shape[0], -1, np.int8), np.ones(enter.shape[0], np.int8)]
        )
        order = np.argsort(times, kind="stable")
        return times[order], steps[order], np.concatenate([who, who])[order]

    return derive(rec, ("queue_events",), compute)


def queue_max(
    rec: RunRecords, keep: NDArray[np.bool_], which: object, start: float, end: float
) -> float:
    """:func:`max_queue` of the ``keep`` contacts (``which`` names them; None: all).

    The whole run's events sorted once, a subset's taken from them in the same order:
    what sorting the subset's own events gave (issue 19). The whole run's queue levels
    are kept with the records (the objectives read them over windows of their own); a
    subset's are read once per replication and not kept (records stay small).
    """
    times, steps, who = queue_events(rec)
    if which is None:
        t, level = times, derive(rec, ("queue_levels",), lambda: np.cumsum(steps, dtype=np.int32))
    else:
        inside = keep[who]
        t, level = times.compress(inside), np.cumsum(steps.compress(inside), dtype=np.int32)
    first, stop = np.searchsorted(t, (start, end)).tolist()  # t is sorted: the window's slice
    # whole numbers of contacts: as the float sums of +-1 they were, exactly
    current = int(level[first - 1]) if first else 0
    return float(max(current, int(level[first:stop].max()) if stop > first else 0))


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

    return cast("tuple[NDArray[Any], ...]", _kept(rec, ("queue_flags", threshold), compute))


def _queue_table(rec: RunRecords, threshold: float) -> NDArray[np.uint64]:
    """The per-contact flags :func:`queue_kpis` counts, packed (:func:`packed`): answered,
    abandoned, within the threshold, waited, blocked, dropped, open at the end, sent to a
    notice, turned away."""

    def compute() -> NDArray[np.uint64]:
        status = rec.status
        answered, abandoned, within, waited, _waits = _queue_flags(rec, threshold)
        rows = [answered, abandoned, within, waited, status == BLOCKED, status == DROPPED]
        rows += [(status == WAITING) | (status == SERVING), status == NOTICED, turned_away(rec)]
        return packed(rows)

    return cast("NDArray[np.uint64]", _kept(rec, ("queue_table", threshold), compute))


def queue_kpis(rec: RunRecords, mask: NDArray[np.bool_], threshold: float) -> Kpis:
    """Answered, abandoned, service level, ASA, abandonment over the masked live contacts."""
    return queue_kpis_of(rec, [mask], threshold)[0]


def queue_kpis_of(rec: RunRecords, masks: list[NDArray[np.bool_]], threshold: float) -> list[Kpis]:
    """:func:`queue_kpis` of each mask, the counts of all of them at once (a
    replication's classes and channels read a dozen masks); the mean wait of each
    mask's answered contacts is its own pairwise sum, as ``np.mean`` of them gave it."""
    answered_all, _abandoned, _within, _waited, waits = _queue_flags(rec, threshold)
    table = _queue_table(rec, threshold)
    all_counts = count_under(table, masks)
    out = []
    for mask, counts in zip(masks, all_counts, strict=True):
        answered, abandoned, within, waited, blocked, dropped, still_open, noticed, away = counts
        settled = answered + abandoned
        asa = mean_of(waits.compress(answered_all & mask)) if answered else math.nan
        out.append(
            {
                "offered": float(np.count_nonzero(mask)),
                "answered": float(answered),
                "abandoned": float(abandoned),
                "blocked": float(blocked),
                "dropped": float(dropped),
                "open_at_end": float(still_open),
                "noticed": float(noticed),
                "turned_away": float(away),
                "service_level": _safe_div(float(within), settled + away),
                "queue_service_level": _safe_div(float(within), settled),
                "asa": asa,
                "abandonment": _safe_div(float(abandoned), settled),
                "p_wait": _safe_div(float(waited), settled),
            }
        )
    return out
