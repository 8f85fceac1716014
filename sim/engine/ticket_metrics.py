"""Ticket KPIs under any mask: backlog and tickets past each time limit of their class.

Why apart from :mod:`sim.engine.metrics`: a replication reads these for every window,
channel and request type (over a dozen masks), and whether a ticket is late depends on
the records and the plan alone (its due time, when its moment came, the horizon), not
on the mask. So the per-ticket flags are worked out once per records and plan, stacked
in one packed table (:func:`sim.engine.queue_metrics.packed`), and each mask costs one
``&`` and a population count that counts them all (issue 19). Counts are whole numbers,
so the order they are added in cannot change them: the figures are the very floats the
mask-by-mask sums gave.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import TICKET_CLASSES
from sim.engine.queue_metrics import count_under, packed
from sim.engine.records import BLOCKED, DONE, NOTICED, RunRecords, derive
from sim.engine.ticket_times import ticket_moments, working_due_by_horizon

Kpis = dict[str, float]
LIMIT_KINDS = ("respond", "first_handling", "resolve", "close")

TicketTable = tuple[NDArray[np.uint64], list[tuple[str, int, int]], NDArray[np.bool_]]
"""(flags, one packed row per flag; the limits as (key, in-class row, late row); the
tickets themselves)."""


def _safe_div(a: float, b: float) -> float:
    return a / b if b else math.nan


def tickets(rec: RunRecords) -> NDArray[np.bool_]:
    """Contacts that became tickets (not turned away on arrival, not sent to a notice)."""
    return derive(
        rec, ("tickets",), lambda: ~rec.live & (rec.status != BLOCKED) & (rec.status != NOTICED)
    )


def ticket_table(rec: RunRecords, plan: Plan) -> TicketTable:
    """Per ticket, whatever the mask: a ticket; one the back office has not resolved;
    of each class with limits; late on each limit (done after it, or not done when it
    had passed, counted in working time where the plan's calendar says so)."""

    def compute() -> TicketTable:
        ticket = tickets(rec)
        rows = [ticket]
        if rec.resolved is not None:
            rows.append(ticket & (rec.status == DONE) & np.isnan(rec.resolved))
        started = np.where(np.isnan(rec.start), np.inf, rec.start)
        finished = np.where(np.isnan(rec.end), np.inf, rec.end)
        done = ticket_moments(rec, started, finished)
        limits: list[tuple[str, int, int]] = []
        for ci, cls in enumerate(TICKET_CLASSES):
            limit_set = plan.targets.ticket_limits.get(cls)
            in_class = ticket & (rec.rclass == ci)
            class_row = len(rows)
            rows.append(in_class)
            for kind in LIMIT_KINDS:
                limit = getattr(limit_set, kind) if limit_set else None
                if limit is None:
                    continue
                done_at = np.minimum(done[kind], rec.horizon)
                if plan.calendar.counts_working(cls, kind) and rec.clock_start is not None:
                    due = working_due_by_horizon(plan, rec, ci, limit)  # inf: not by the end
                    late = in_class & (done_at > due)
                else:
                    late = in_class & (done_at - rec.arrival > limit)
                limits.append((f"{cls}.{kind}", class_row, len(rows)))
                rows.append(late)
        return packed(rows), limits, ticket

    return derive(rec, ("ticket_table", id(plan)), compute, plan)


def _not_started(rec: RunRecords, end: float) -> NDArray[np.bool_]:
    """Tickets not started by ``end`` (the backlog at ``end``)."""
    return derive(
        rec,
        ("not_started", end),
        lambda: tickets(rec) & (np.isnan(rec.start) | (rec.start >= end)),
    )


def ticket_kpis(rec: RunRecords, mask: NDArray[np.bool_], plan: Plan, end: float) -> Kpis:
    """Backlog and tickets past each time limit of their class, over the masked contacts."""
    return ticket_kpis_of(rec, [mask], plan, end)[0]


def ticket_kpis_of(
    rec: RunRecords, masks: list[NDArray[np.bool_]], plan: Plan, end: float
) -> list[Kpis]:
    """:func:`ticket_kpis` of each mask, all counted at once."""
    table, limits, _ticket = ticket_table(rec, plan)
    all_counts = count_under(table, masks)
    backlog = _not_started(rec, end)
    out = []
    for mask, counts in zip(masks, all_counts, strict=True):
        figures: Kpis = {
            "tickets": float(counts[0]),
            "backlog": float(np.count_nonzero(backlog & mask)),
        }
        if rec.resolved is not None:
            figures["back_office_backlog"] = float(counts[1])
        late_total = 0
        for key, class_row, late_row in limits:
            late, in_class = counts[late_row], counts[class_row]
            figures[f"tickets_late.{key}"] = float(late)
            figures[f"tickets_on_time.{key}"] = _safe_div(float(in_class - late), float(in_class))
            late_total += late
        figures["tickets_late"] = float(late_total)
        out.append(figures)
    return out
