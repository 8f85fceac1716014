"""Fit a scenario's demand, handle time, patience and redials to a centre's history.

Why one entry point over the two kinds of export: the reader hands over either contact
records or interval records (:mod:`history.records`); both give arrival rates, but only
contact records show handle-time distributions, waits and customers, so the fit says per
part what it could estimate and what it assumed (``HistoryFit.notes``, read by people).

Only the plan's channels are fitted (the reader reports unknown ones); request types and
classes outside the scenario model's lists are left out of the shares and said so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from history.arrivals import ArrivalFit, fit_arrivals
from history.handling import MIN_SAMPLE, HandleFit, fit_handle_times
from history.interval_fit import (
    IntervalHandle,
    IntervalPatience,
    interval_handle,
    interval_patience,
)
from history.patience import PatienceFit, fit_patience
from history.records import ContactHistory, History, HistoryKind, IntervalHistory, Provenance
from history.redials import RedialFit, find_redials
from i18n import _
from plans.model import Plan
from scenarios.model import REQUEST_TYPES, TICKET_CLASSES


@dataclass(frozen=True)
class HistoryFit:
    """Everything fitted from one history, with the statistics a planner checks."""

    provenance: Provenance
    kind: HistoryKind
    interval_minutes: int
    channels: tuple[str, ...]  # the plan's channels, in plan order
    live_channels: tuple[str, ...]  # of those, the ones where customers wait
    arrivals: ArrivalFit
    handling: tuple[HandleFit, ...]  # pooled first, then per channel, then channel x type
    interval_handling: dict[str, IntervalHandle]
    patience: dict[str, PatienceFit]
    interval_patience: dict[str, IntervalPatience]
    redials: RedialFit | None
    request_types: dict[str, float]
    classes: dict[str, float]
    blocked_left_out: int
    rows_fitted: int
    notes: tuple[str, ...]  # translated sentences: assumptions and what was left out


def _shares(values: np.ndarray, allowed: tuple[str, ...]) -> tuple[dict[str, float], int]:
    known = values[np.isin(values, list(allowed))]
    if known.size == 0:
        return {}, int(values.size)
    names, counts = np.unique(known.astype(str), return_counts=True)
    shares = {str(n): float(c / known.size) for n, c in zip(names, counts, strict=True)}
    return shares, int(values.size - known.size)


def _rounded_shares(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 4 places that still add up to 1 (the largest takes the rest)."""
    out = {k: round(v, 4) for k, v in shares.items()}
    if out:
        top = max(out, key=lambda k: out[k])
        out[top] = round(1.0 - sum(v for k, v in out.items() if k != top), 4)
    return out


def _fit_contacts(
    h: ContactHistory, plan: Plan, interval: int, channels: tuple[str, ...]
) -> HistoryFit:
    notes: list[str] = []
    use = np.isin(h.channel, list(channels))
    if (~use).any():
        notes.append(
            _("{n} contacts on channels the plan does not have were left out").format(
                n=int((~use).sum())
            )
        )
    redials, is_redial = find_redials(h)
    if redials is None:
        notes.append(_("no customer ids: redials could not be estimated and are left off"))
    else:
        notes.append(
            _(
                "{n} contacts taken as redials (same customer and channel within "
                "{hours} h of giving up) are left out of the arrival rates"
            ).format(n=redials.redials, hours=round(redials.window_s / 3600))
        )
    first = use & ~is_redial
    plan_holidays = tuple(plan.calendar.holidays)
    local = h.arrived_at + h.utc_offset_s
    arrivals = fit_arrivals(
        local[first], h.channel[first], np.ones(int(first.sum())), channels, interval, plan_holidays
    )
    answered = use & (h.outcome == "answered")
    handling = [fit_handle_times(h.handled_s[answered], None, None)]
    for ch in channels:
        on = answered & (h.channel == ch)
        if on.sum() >= MIN_SAMPLE:
            handling.append(fit_handle_times(h.handled_s[on], ch, None))
    for ch in channels:
        for rt in REQUEST_TYPES:
            on = answered & (h.channel == ch) & (h.request_type == rt)
            if on.sum() >= MIN_SAMPLE:
                handling.append(fit_handle_times(h.handled_s[on], ch, rt))
    live = tuple(c.id for c in plan.channels if c.id in channels and c.effective_mode() == "live")
    patience: dict[str, PatienceFit] = {}
    blocked_total = 0
    for ch in live:
        on = use & (h.channel == ch)
        blocked = int((on & (h.outcome == "blocked")).sum())
        blocked_total += blocked
        fit = fit_patience(
            ch,
            h.waited_s[on & (h.outcome == "abandoned")],
            h.waited_s[on & (h.outcome == "answered")],
            blocked,
        )
        if fit is None:
            notes.append(
                _("nobody abandoned on {channel}: patience not estimated, the default kept").format(
                    channel=ch
                )
            )
        else:
            patience[ch] = fit
    if blocked_total:
        notes.append(
            _("{n} blocked contacts never waited and are left out of the patience fits").format(
                n=blocked_total
            )
        )
    types, odd_types = _shares(h.request_type[first], REQUEST_TYPES)
    classes, odd_classes = _shares(h.service_class[first], TICKET_CLASSES)
    if odd_types:
        notes.append(
            _(
                "{n} contacts with a request type the scenario model does not "
                "know are left out of the type shares"
            ).format(n=odd_types)
        )
    if odd_classes:
        notes.append(
            _(
                "{n} contacts with a class the scenario model does not know are "
                "left out of the class shares"
            ).format(n=odd_classes)
        )
    return HistoryFit(
        provenance=h.provenance,
        kind="contacts",
        interval_minutes=interval,
        channels=channels,
        live_channels=live,
        arrivals=arrivals,
        handling=tuple(handling),
        interval_handling={},
        patience=patience,
        interval_patience={},
        redials=redials,
        request_types=_rounded_shares(types),
        classes=_rounded_shares(classes),
        blocked_left_out=blocked_total,
        rows_fitted=int(use.sum()),
        notes=tuple(notes),
    )


def _fit_intervals(
    h: IntervalHistory, plan: Plan, interval: int, channels: tuple[str, ...]
) -> HistoryFit:
    notes: list[str] = []
    use = np.isin(h.channel, list(channels))
    if (~use).any():
        notes.append(
            _("{n} interval rows on channels the plan does not have were left out").format(
                n=int((~use).sum())
            )
        )
    longest = int(h.interval_minutes[use].max()) if use.any() else interval
    if longest > interval:
        notes.append(
            _(
                "the file's intervals are {n} minutes long, so rates are fitted by {n} minutes"
            ).format(n=longest)
        )
        interval = longest
    local = h.interval_start + h.utc_offset_s
    arrivals = fit_arrivals(
        local[use],
        h.channel[use],
        h.offered[use].astype(float),
        channels,
        interval,
        tuple(plan.calendar.holidays),
    )
    notes.append(
        _(
            "interval records: handle times are taken as exponential with the "
            "mean AHT (an assumption)"
        )
    )
    live = tuple(c.id for c in plan.channels if c.id in channels and c.effective_mode() == "live")
    handles: dict[str, IntervalHandle] = {}
    patience: dict[str, IntervalPatience] = {}
    for ch in channels:
        handle = interval_handle(h, ch)
        if handle is not None:
            handles[ch] = handle
    for ch in live:
        patience[ch] = interval_patience(h, ch, handles.get(ch))
    notes.append(
        _(
            "interval records: patience is estimated from abandonment and ASA by "
            "Erlang A's relation P(Ab) = ASA / patience: approximate"
        )
    )
    if h.agents is None:
        notes.append(_("the file has no agents: Erlang A cannot be inverted as a cross-check"))
    for ch, p in patience.items():
        if p.mean_s is None:
            notes.append(
                _(
                    "patience on {channel} cannot be estimated (no abandonment or "
                    "no ASA): the default is kept"
                ).format(channel=ch)
            )
    notes.append(
        _(
            "interval records: no request types, classes or customers; the "
            "defaults are kept and redials left off"
        )
    )
    return HistoryFit(
        provenance=h.provenance,
        kind="intervals",
        interval_minutes=interval,
        channels=channels,
        live_channels=live,
        arrivals=arrivals,
        handling=(),
        interval_handling=handles,
        patience={},
        interval_patience=patience,
        redials=None,
        request_types={},
        classes={},
        blocked_left_out=0,
        rows_fitted=int(use.sum()),
        notes=tuple(notes),
    )


def fit_history(h: History, plan: Plan, *, interval_minutes: int = 30) -> HistoryFit:
    """Fit every part the history allows (module docstring); intervals of 15, 30 or 60 min."""
    if 60 % interval_minutes:
        raise ValueError(  # not for people: argument check
            f"interval_minutes must divide 60, got {interval_minutes}"
        )
    present = set(h.channel.tolist())
    channels = tuple(c.id for c in plan.channels if c.id in present)
    if isinstance(h, ContactHistory):
        return _fit_contacts(h, plan, interval_minutes, channels)
    return _fit_intervals(h, plan, interval_minutes, channels)
