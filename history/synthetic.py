"""A synthetic contact-centre history with known parameters: the fits' test bench.

Why a generator of its own and not the simulation engine: a fit checked against the
engine that will later run the fitted scenario could share the engine's mistakes; this
generator is an independent first-come-first-served queue per channel, small enough to
read in one sitting, so a fit that recovers its parameters and a back-test that matches
its service level are two separate checks.

What it draws (all documented in :class:`SyntheticSpec` and :class:`ChannelSpec`):

* **Arrivals**: first attempts per channel are Poisson with a rate constant within each
  clock hour: ``daily_volume x weight[hour] / sum(weights) x day_factor[weekday]``
  (holidays multiply by ``holiday_factor``), times uniform within the hour.
* **Handle time**: lognormal with the channel's mean and coefficient of variation, the
  mean multiplied by ``type_factors[request_type]``.
* **Patience**: exponential with the channel's mean; each attempt draws a new one.
* **Queue**: ``agents`` agents per channel, always on duty, first come first served. An
  attempt starts service when the earliest agent frees up; it abandons if that is later
  than its patience, taking no agent (the recursion is exact for FCFS with abandonment:
  a contact's wait depends only on the served contacts ahead of it).
* **Blocked**: a share of attempts is refused at once (all lines busy), never waiting.
* **Redials**: a customer who abandons tries the same channel again with
  ``redial_probability`` after an exponential delay, up to ``max_attempts`` attempts in
  all; redials keep the customer id.

Run ``python -m history.synthetic OUT.csv [--intervals OUT.csv] [--days N] [--seed S]`` to
write the history in the default columns (contact records, and interval records with
``agents`` if asked).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import heapq
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from history.records import ContactHistory, IntervalHistory, Provenance
from i18n import _

DAY_S = 86400.0
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BUSINESS = (0.0, 0, 0, 0, 0, 0, 0.2, 1, 3, 6, 7, 7, 6, 6, 6.5, 6, 5.5, 5, 4, 3, 2.5, 2, 1.2, 0.5)
_EVENING = (
    0.5,
    0.3,
    0.2,
    0.2,
    0.2,
    0.3,
    0.5,
    1,
    2,
    3,
    4,
    4,
    4,
    4,
    4,
    4,
    4,
    4.5,
    5,
    5.5,
    5,
    4,
    2.5,
    1,
)


@dataclass(frozen=True)
class ChannelSpec:
    """One channel of the synthetic centre."""

    channel: str
    daily_volume: float  # first attempts on a day whose factor is 1
    hourly_weights: tuple[float, ...]  # 24 relative weights, 00:00 first
    handle_mean_s: float  # lognormal mean (before the request type's factor)
    handle_cv: float
    patience_mean_s: float  # exponential
    agents: int  # on duty all day


@dataclass(frozen=True)
class SyntheticSpec:
    """The whole synthetic history; the defaults are the one the tests fit back."""

    start: dt.date = dt.date(2026, 3, 2)  # a Monday
    days: int = 28
    channels: tuple[ChannelSpec, ...] = (
        ChannelSpec("phone", 3000.0, _BUSINESS, 300.0, 0.8, 180.0, 30),
        ChannelSpec("chat", 1000.0, _EVENING, 420.0, 0.6, 300.0, 10),
    )
    day_factors: dict[str, float] = field(
        default_factory=lambda: {"sat": 0.5, "sun": 0.4, "mon": 1.15}
    )
    holidays: tuple[dt.date, ...] = (dt.date(2026, 3, 18),)  # a Wednesday
    holiday_factor: float = 0.2
    request_types: dict[str, float] = field(
        default_factory=lambda: {"consultation": 0.6, "complaint": 0.2, "repair": 0.2}
    )
    type_factors: dict[str, float] = field(
        default_factory=lambda: {"consultation": 1.0, "complaint": 1.5, "repair": 1.2}
    )
    classes: dict[str, float] = field(default_factory=lambda: {"ordinary": 0.9, "urgent": 0.1})
    blocked_share: float = 0.01
    redial_probability: float = 0.3
    redial_mean_delay_s: float = 600.0
    max_attempts: int = 4
    utc_offset_s: float = 8 * 3600.0  # Asia/Shanghai, no daylight saving
    time_zone: str = "Asia/Shanghai"
    threshold_s: float = 30.0  # for the interval records' answered_within_threshold
    seed: int = 20261201

    def day_factor(self, day: dt.date) -> float:
        """Demand multiplier of a date: weekday factor, times the holiday factor."""
        factor = self.day_factors.get(WEEKDAYS[day.weekday()], 1.0)
        return factor * (self.holiday_factor if day in self.holidays else 1.0)


@dataclass
class _Contacts:
    """Column lists while drawing; turned into arrays at the end."""

    arrived: list[float] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    rtype: list[str] = field(default_factory=list)
    cls: list[str] = field(default_factory=list)
    waited: list[float] = field(default_factory=list)
    handled: list[float] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    customer: list[str] = field(default_factory=list)


def _first_attempts(spec: SyntheticSpec, ch: ChannelSpec, rng: np.random.Generator) -> np.ndarray:
    """Local arrival times (seconds since the local midnight of ``spec.start``), sorted."""
    weights = np.asarray(ch.hourly_weights, dtype=float)
    per_hour = ch.daily_volume * weights / weights.sum()
    times: list[np.ndarray] = []
    for d in range(spec.days):
        factor = spec.day_factor(spec.start + dt.timedelta(days=d))
        counts = rng.poisson(per_hour * factor)
        for hour, n in enumerate(counts):
            times.append(d * DAY_S + hour * 3600.0 + rng.uniform(0.0, 3600.0, n))
    return np.sort(np.concatenate(times))


def _lognormal(rng: np.random.Generator, mean: float, cv: float) -> float:
    sigma2 = math.log1p(cv * cv)
    return float(rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2)))


def _channel(
    spec: SyntheticSpec, ch: ChannelSpec, rng: np.random.Generator, out: _Contacts
) -> None:
    """Draw one channel's contacts through its FCFS queue (see the module docstring)."""
    types, type_p = list(spec.request_types), list(spec.request_types.values())
    classes, class_p = list(spec.classes), list(spec.classes.values())
    pending: list[tuple[float, int, int, str, str]] = []  # (time, customer, attempt, type, class)
    for i, t in enumerate(_first_attempts(spec, ch, rng)):
        rtype = types[int(rng.choice(len(types), p=type_p))]
        cls = classes[int(rng.choice(len(classes), p=class_p))]
        pending.append((float(t), i, 1, rtype, cls))
    heapq.heapify(pending)
    free = [0.0] * ch.agents  # when each agent is next free (a heap)
    while pending:
        t, customer, attempt, rtype, cls = heapq.heappop(pending)
        out.arrived.append(t)
        out.channel.append(ch.channel)
        out.rtype.append(rtype)
        out.cls.append(cls)
        out.customer.append(f"{ch.channel[0]}{customer:07d}")
        if rng.random() < spec.blocked_share:
            out.waited.append(0.0)
            out.handled.append(math.nan)
            out.outcome.append("blocked")
            continue
        start = max(t, free[0])
        patience = float(rng.exponential(ch.patience_mean_s))
        if start - t > patience:
            out.waited.append(patience)
            out.handled.append(math.nan)
            out.outcome.append("abandoned")
            if attempt < spec.max_attempts and rng.random() < spec.redial_probability:
                again = t + patience + float(rng.exponential(spec.redial_mean_delay_s))
                heapq.heappush(pending, (again, customer, attempt + 1, rtype, cls))
            continue
        handle = _lognormal(rng, ch.handle_mean_s * spec.type_factors.get(rtype, 1.0), ch.handle_cv)
        heapq.heapreplace(free, start + handle)
        out.waited.append(start - t)
        out.handled.append(handle)
        out.outcome.append("answered")


def _provenance(spec: SyntheticSpec, kind: str, n: int, first: float, last: float) -> Provenance:
    label = f"synthetic:seed={spec.seed},days={spec.days}"  # not for people: an id
    return Provenance(
        path=label,
        sha256=hashlib.sha256(label.encode()).hexdigest(),
        kind="contacts" if kind == "contacts" else "intervals",
        rows_read=n,
        rows_used=n,
        rows_dropped=0,
        first=first,
        last=last,
        time_zone=spec.time_zone,
    )


def generate(spec: SyntheticSpec | None = None) -> ContactHistory:
    """The contact records of ``spec`` (default: the test bench), sorted by arrival."""
    spec = spec or SyntheticSpec()
    rng = np.random.default_rng(spec.seed)
    out = _Contacts()
    for ch in spec.channels:
        _channel(spec, ch, rng, out)
    order = np.argsort(np.asarray(out.arrived), kind="stable")
    epoch0 = dt.datetime.combine(spec.start, dt.time(), tzinfo=dt.UTC).timestamp()
    arrived = epoch0 + np.asarray(out.arrived)[order] - spec.utc_offset_s

    def text(values: list[str]) -> np.ndarray:
        return np.asarray(values, dtype=object)[order]

    n = len(order)
    return ContactHistory(
        arrived_at=arrived,
        utc_offset_s=np.full(n, spec.utc_offset_s),
        channel=text(out.channel),
        request_type=text(out.rtype),
        service_class=text(out.cls),
        waited_s=np.asarray(out.waited)[order],
        handled_s=np.asarray(out.handled)[order],
        outcome=text(out.outcome),
        customer_id=text(out.customer),
        provenance=_provenance(spec, "contacts", n, float(arrived[0]), float(arrived[-1])),
    )


def to_intervals(h: ContactHistory, spec: SyntheticSpec, minutes: int = 30) -> IntervalHistory:
    """The same history as interval records (by arrival interval), with the agents on duty."""
    length = minutes * 60.0
    local = h.arrived_at + h.utc_offset_s
    slot = np.floor(local / length)
    rows: list[tuple[float, str, int, int, int, float, float, int, float]] = []
    agents = {c.channel: float(c.agents) for c in spec.channels}
    first = math.floor(float(local.min()) / DAY_S) * DAY_S / length
    last = math.ceil(float(local.max()) / DAY_S) * DAY_S / length
    for ch in agents:
        on = h.channel == ch
        for s in np.arange(first, last):
            m = on & (slot == s)
            ans = m & (h.outcome == "answered")
            n_ans = int(ans.sum())
            aht = float(h.handled_s[ans].mean()) if n_ans else math.nan
            asa = float(h.waited_s[ans].mean()) if n_ans else math.nan
            within = int((ans & (h.waited_s <= spec.threshold_s)).sum())
            ab = int((m & (h.outcome == "abandoned")).sum())
            rows.append((s * length, ch, int(m.sum()), n_ans, ab, aht, asa, within, agents[ch]))
    rows.sort()
    start = np.asarray([r[0] for r in rows]) - spec.utc_offset_s
    n = len(rows)
    return IntervalHistory(
        interval_start=start,
        utc_offset_s=np.full(n, spec.utc_offset_s),
        interval_minutes=np.full(n, minutes, dtype=np.int64),
        channel=np.asarray([r[1] for r in rows], dtype=object),
        offered=np.asarray([r[2] for r in rows], dtype=np.int64),
        answered=np.asarray([r[3] for r in rows], dtype=np.int64),
        abandoned=np.asarray([r[4] for r in rows], dtype=np.int64),
        aht_s=np.asarray([r[5] for r in rows]),
        asa_s=np.asarray([r[6] for r in rows]),
        answered_within_threshold=np.asarray([r[7] for r in rows], dtype=np.int64),
        agents=np.asarray([r[8] for r in rows]),
        provenance=_provenance(spec, "intervals", n, float(start[0]), float(start[-1]) + length),
    )


def _iso(epoch: float, offset_s: float) -> str:
    zone = dt.timezone(dt.timedelta(seconds=offset_s))
    return dt.datetime.fromtimestamp(epoch, zone).isoformat(timespec="milliseconds")


def _num(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.3f}"


CONTACT_COLUMNS = (
    "arrived_at",
    "channel",
    "request_type",
    "class",
    "waited_s",
    "handled_s",
    "outcome",
    "customer_id",
)
INTERVAL_COLUMNS = (
    "interval_start",
    "interval_minutes",
    "channel",
    "offered",
    "answered",
    "abandoned",
    "aht_s",
    "asa_s",
    "answered_within_threshold",
    "agents",
)


def write_contacts_csv(h: ContactHistory, path: Path) -> None:
    """The contact records in the default columns (times ISO with their UTC offset)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CONTACT_COLUMNS)
        ids = h.customer_id if h.customer_id is not None else [""] * len(h.arrived_at)
        for i in range(len(h.arrived_at)):
            w.writerow(
                (
                    _iso(float(h.arrived_at[i]), float(h.utc_offset_s[i])),
                    h.channel[i],
                    h.request_type[i],
                    h.service_class[i],
                    _num(float(h.waited_s[i])),
                    _num(float(h.handled_s[i])),
                    h.outcome[i],
                    ids[i],
                )
            )


def write_intervals_csv(h: IntervalHistory, path: Path) -> None:
    """The interval records in the default columns."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(INTERVAL_COLUMNS)
        within = h.answered_within_threshold
        agents = h.agents
        for i in range(len(h.interval_start)):
            w.writerow(
                (
                    _iso(float(h.interval_start[i]), float(h.utc_offset_s[i])),
                    int(h.interval_minutes[i]),
                    h.channel[i],
                    int(h.offered[i]),
                    int(h.answered[i]),
                    int(h.abandoned[i]),
                    _num(float(h.aht_s[i])),
                    _num(float(h.asa_s[i])),
                    "" if within is None else int(within[i]),
                    "" if agents is None else _num(float(agents[i])),
                )
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the synthetic history as CSV; see the module docstring."""
    parser = argparse.ArgumentParser(description=_("Write a synthetic contact-centre history."))
    parser.add_argument("out", type=Path, help=_("contact records CSV to write"))
    parser.add_argument("--intervals", type=Path, help=_("also write interval records here"))
    parser.add_argument("--days", type=int, default=SyntheticSpec.days, help=_("days of history"))
    parser.add_argument("--seed", type=int, default=SyntheticSpec.seed, help=_("random seed"))
    args = parser.parse_args(argv)
    spec = SyntheticSpec(days=args.days, seed=args.seed)
    h = generate(spec)
    write_contacts_csv(h, args.out)
    sys.stdout.write(
        _("{n} contacts written to {path}").format(n=len(h.arrived_at), path=args.out) + "\n"
    )
    if args.intervals:
        iv = to_intervals(h, spec)
        write_intervals_csv(iv, args.intervals)
        sys.stdout.write(
            _("{n} intervals written to {path}").format(n=len(iv.offered), path=args.intervals)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
