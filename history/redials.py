"""Redials: a customer who gave up and came back on the same channel within a window.

Why by customer id and a window: an export does not say "this is a redial"; the next
contact of the same customer on the same channel within ``WINDOW_S`` of giving up is
taken as one. A customer who calls again for another reason inside the window counts
too, so the share is an upper estimate when the window is long; one much longer than the
delays found (the default is 4 hours against delays of minutes) loses few real redials.
Redials are left out of the arrival rates, because the scenario generates them from the
redial share itself; counted twice they would inflate demand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from history.records import ContactHistory

WINDOW_S = 4 * 3600.0


@dataclass(frozen=True)
class ChannelRedials:
    """Redials on one channel."""

    channel: str
    abandoned: int
    redialled: int
    mean_delay_s: float  # from giving up to the redial (exponential MLE: the mean)

    @property
    def share(self) -> float:
        """Share of abandoned contacts followed by a redial."""
        return self.redialled / self.abandoned if self.abandoned else 0.0

    @property
    def share_se(self) -> float:
        """Binomial standard error of the share."""
        p = self.share
        return math.sqrt(p * (1 - p) / self.abandoned) if self.abandoned else math.nan


@dataclass(frozen=True)
class RedialFit:
    """Redials per channel, the window used and the longest chain of attempts seen."""

    window_s: float
    channels: dict[str, ChannelRedials]
    max_attempts: int
    redials: int  # contacts taken as redials (left out of the arrival rates)


def find_redials(
    h: ContactHistory, window_s: float = WINDOW_S
) -> tuple[RedialFit | None, np.ndarray]:
    """The fit (None without customer ids) and a mask of the rows that are redials."""
    n = h.arrived_at.size
    is_redial = np.zeros(n, dtype=bool)
    if h.customer_id is None:
        return None, is_redial
    ids = h.customer_id.astype(str)
    order = np.lexsort((h.arrived_at, h.channel.astype(str), ids))
    gave_up = h.arrived_at + np.nan_to_num(h.waited_s)
    prev, nxt = order[:-1], order[1:]
    same = (ids[prev] == ids[nxt]) & (h.channel[prev] == h.channel[nxt]) & (ids[prev] != "")
    delay = h.arrived_at[nxt] - gave_up[prev]
    hit = same & (h.outcome[prev] == "abandoned") & (delay >= 0) & (delay <= window_s)
    is_redial[nxt[hit]] = True
    chain = np.ones(n, dtype=np.int64)
    for a, b in zip(prev[hit], nxt[hit], strict=True):  # in order, so chains add up
        chain[b] = chain[a] + 1
    channels: dict[str, ChannelRedials] = {}
    for ch in sorted(set(h.channel.tolist())):
        ab = int(((h.channel == ch) & (h.outcome == "abandoned")).sum())
        on = hit & (h.channel[prev] == ch)
        delays = delay[on]
        channels[ch] = ChannelRedials(
            ch, ab, int(on.sum()), float(delays.mean()) if delays.size else math.nan
        )
    return (
        RedialFit(window_s, channels, int(min(20, max(2, chain.max()))), int(hit.sum())),
        is_redial,
    )
