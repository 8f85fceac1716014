"""Figures about people, not contacts: customers, attempts, redials, switches, losses.

Why apart from :mod:`sim.engine.metrics`: those KPIs count contacts; a customer who
redials twice is three contacts and one person, and whether the centre lost them is
decided by their last attempt, not by any one contact. Definitions:

* A customer counts when their **first** attempt arrived after the warm-up (before the
  horizon); all their attempts count with them, whenever they came.
* **customers** = ``customers_served`` + ``lost_customers`` + ``customers_waiting``:
  served when their last attempt was answered and finished; waiting when it is still
  queued or with an agent at the end, or another attempt is still to come; lost
  otherwise (gave up, turned away, cut off, told to go by a notice, or never reached
  by a callback, and not trying again). Of the lost, ``lost_after_notice`` left on a
  customer notice (spared by the plan's notify_customers, or met a channel switched to
  a notice): told what is happening, which the plan may count as informed rather than
  failed; the rest the centre failed.
* **attempts** = ``customers`` + ``redials`` + ``channel_switches``.

By channel: customers (served, waiting) by the channel of their first attempt;
attempts, redials and switches by the channel the attempt came to; lost customers by
the channel of their last attempt (where the centre lost them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.engine.metrics import Kpis
from sim.engine.records import (
    DONE,
    FIRST,
    NOTICED,
    REDIAL,
    SERVING,
    SWITCH,
    WAITING,
    RunRecords,
)


def _people(rec: RunRecords) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    n = len(rec)
    customer = rec.customer if rec.customer is not None else np.arange(n, dtype=np.int64)
    attempt = rec.attempt if rec.attempt is not None else np.zeros(n, dtype=np.int8)
    return customer, attempt


def customer_outcomes(rec: RunRecords) -> dict[str, NDArray[np.int64]]:
    """Per counted customer: id, first and last channel, outcome (0 served, 1 waiting, 2 lost).

    Also ``contact_in``: per contact, whether its customer counts (the window mask).
    """
    customer, attempt = _people(rec)
    size = int(customer.max()) + 1 if customer.size else 0
    first = attempt == FIRST
    counted = np.zeros(size, dtype=bool)
    in_window = first & (rec.arrival >= rec.warm_up) & (rec.arrival < rec.horizon)
    counted[customer[in_window]] = True
    first_channel = np.full(size, -1, dtype=np.int64)
    first_channel[customer[first]] = rec.channel[first]
    # records are in arrival order: the last contact of each customer is their last attempt
    last = np.full(size, -1, dtype=np.int64)
    last[customer] = np.arange(len(rec))
    ids = np.flatnonzero(counted)
    last_of = last[ids]
    status = rec.status[last_of]
    noticed = status == NOTICED
    retrying = np.zeros(size, dtype=bool)
    retrying[list(rec.retrying)] = True
    waiting = (status == WAITING) | (status == SERVING) | retrying[ids]
    outcome = np.where(status == DONE, 0, np.where(waiting, 1, 2)).astype(np.int64)
    return {
        "id": ids,
        "first_channel": first_channel[ids],
        "last_channel": rec.channel[last_of],
        "outcome": outcome,
        "noticed": noticed.astype(np.int64),
        "contact_in": counted[customer].astype(np.int64),
    }


def customer_kpis(rec: RunRecords) -> Kpis:
    """customers, attempts, redials, channel_switches, lost_customers ... overall and by channel.

    Keys: ``customers``; ``channel.phone.customers``.
    """
    if not len(rec):
        return {}
    _customer, attempt = _people(rec)
    who = customer_outcomes(rec)
    contact_in = who["contact_in"].astype(bool)
    outcome = who["outcome"]
    noticed = who["noticed"].astype(bool)
    first, last = who["first_channel"], who["last_channel"]
    redial, switch = contact_in & (attempt == REDIAL), contact_in & (attempt == SWITCH)
    served, waiting, lost = outcome == 0, outcome == 1, outcome == 2
    lost_noticed = lost & noticed
    out: Kpis = {
        "customers": float(outcome.shape[0]),
        "attempts": float(np.count_nonzero(contact_in)),
        "redials": float(np.count_nonzero(redial)),
        "channel_switches": float(np.count_nonzero(switch)),
        "customers_served": float(np.count_nonzero(served)),
        "customers_waiting": float(np.count_nonzero(waiting)),
        "lost_customers": float(np.count_nonzero(lost)),
        "lost_after_notice": float(np.count_nonzero(lost_noticed)),
    }
    n = len(rec.channel_ids)

    def by_channel(channel: NDArray[np.int64], which: NDArray[np.bool_]) -> list[int]:
        """How many ``which`` on each channel: whole counts, as the per-channel sums."""
        picked = channel[which]
        return np.bincount(picked[picked >= 0], minlength=n)[:n].tolist()

    columns = {
        "customers": by_channel(first, np.ones(first.shape[0], dtype=bool)),
        "attempts": by_channel(rec.channel, contact_in),
        "redials": by_channel(rec.channel, redial),
        "channel_switches": by_channel(rec.channel, switch),
        "customers_served": by_channel(first, served),
        "customers_waiting": by_channel(first, waiting),
        "lost_customers": by_channel(last, lost),
        "lost_after_notice": by_channel(last, lost_noticed),
    }
    for c, cid in enumerate(rec.channel_ids):
        out.update({f"channel.{cid}.{k}": float(v[c]) for k, v in columns.items()})
    return out
