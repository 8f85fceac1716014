"""Arrival rates from a history: per channel, weekday and interval, day factors, holidays.

Why in the scenario's own terms: a scenario's demand is one 24-hour profile (requests an
hour) times a factor per weekday, split over channels by shares and a per-channel weight
for each hour (:mod:`scenarios.behaviour` ``channel_profile``). The fit estimates exactly
those, so the scenario it writes reproduces each channel's hourly mean; what the format
cannot hold (a 30-minute shape within the hour, a channel mix that differs by weekday) is
kept for the report, which shows observed against fitted per weekday and interval.

* Days are read in the centre's local time (``utc_offset_s``); every day from the first
  to the last contact counts, a day with no contact as zero.
* **Holidays**: the plan's calendar holidays, and any day whose total is below
  ``HOLIDAY_SHARE`` of the median of its weekday's days, are left out of every estimate.
* **Day factors**: mean total of a weekday over the mean of the Monday-Friday means
  (over all weekdays if the history has no Monday-Friday), so the workdays read about 1.
* **Dispersion**: in each channel, weekday and interval the counts of the days are
  compared with a Poisson count of their mean: index of dispersion sum((x - m)^2 / m)
  over its degrees of freedom sum(n - 1), and the chi-square p-value. Well above 1 means
  the days differ more than chance (a trend, forecast error, events) and the Poisson
  scenario will understate the spread between days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from history.records import FloatArray, TextArray

DAY_S = 86400
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY_SHARE = 0.5
"""A day below this share of its weekday's median total is taken as a holiday."""
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Dispersion:
    """Counts against Poisson in one channel."""

    index: float  # chi-square / degrees of freedom: 1 for Poisson counts
    chi2: float
    df: int
    p_value: float  # of counts at least this dispersed if they were Poisson


@dataclass(frozen=True)
class Holiday:
    """A day left out of the fit."""

    date: dt.date
    total: float  # contacts that day
    expected: float  # median of its weekday (nan for a calendar holiday with no peers)
    from_calendar: bool


@dataclass(frozen=True)
class ArrivalFit:
    """Rates in the scenario's terms and the profiles the report compares."""

    interval_minutes: int
    channels: tuple[str, ...]
    days_used: int
    days_in_period: int
    holidays: tuple[Holiday, ...]
    day_factors: dict[str, float]  # weekdays seen in the kept days
    hourly: tuple[float, ...]  # 24 rates (all channels, requests an hour) on a factor-1 day
    shares: dict[str, float]  # channel -> share of requests
    channel_profile: dict[str, tuple[float, ...]]  # channel -> 24 weights
    observed: dict[str, FloatArray]  # channel -> (7, slots) mean count per interval
    fitted: dict[str, FloatArray]  # channel -> (7, slots) what the scenario expects
    dispersion: dict[str, Dispersion]
    total: float  # requests counted in the kept days


def local_days(local_s: FloatArray) -> np.ndarray:
    """Local day numbers (days since 1970-01-01 in local time)."""
    return np.floor(local_s / DAY_S).astype(np.int64)


def weekday_of(day: int) -> int:
    """0 = Monday for a local day number (1970-01-01 was a Thursday)."""
    return (day + 3) % 7


def _counts(
    local_s: FloatArray,
    channel: TextArray,
    weight: FloatArray,
    channels: tuple[str, ...],
    interval_minutes: int,
) -> tuple[np.ndarray, int]:
    """(channels, days, slots) counts and the first local day."""
    days = local_days(local_s)
    first, last = int(days.min()), int(days.max())
    slots = 1440 // interval_minutes
    slot = np.minimum(
        ((local_s - days * DAY_S) // (interval_minutes * 60)).astype(np.int64), slots - 1
    )
    out = np.zeros((len(channels), last - first + 1, slots))
    for ci, ch in enumerate(channels):
        on = channel == ch
        flat = (days[on] - first) * slots + slot[on]
        out[ci] = np.bincount(flat, weights=weight[on], minlength=out[ci].size).reshape(
            out.shape[1:]
        )
    return out, first


def find_holidays(totals: np.ndarray, first: int, calendar: tuple[dt.date, ...]) -> list[Holiday]:
    """Calendar holidays and days far below their weekday's median; ``totals`` per day."""
    weekdays = np.array([weekday_of(first + d) for d in range(totals.size)])
    found: list[Holiday] = []
    for d, total in enumerate(totals):
        date = EPOCH + dt.timedelta(days=first + d)
        peers = totals[weekdays == weekdays[d]]
        median = float(np.median(peers)) if peers.size >= 2 else math.nan
        low = peers.size >= 2 and total < HOLIDAY_SHARE * median
        if date in calendar or low:
            found.append(Holiday(date, float(total), median, date in calendar))
    return found


def _dispersion(counts: np.ndarray, weekdays: np.ndarray) -> Dispersion:
    """Pooled index of dispersion over a channel's (weekday, slot) cells; counts (days, slots)."""
    chi2 = 0.0
    df = 0
    for w in range(7):
        x = counts[weekdays == w]
        if x.shape[0] < 2:
            continue
        mean = x.mean(axis=0)
        live = mean > 0
        chi2 += float((((x - mean) ** 2)[:, live] / mean[live]).sum())
        df += int(live.sum()) * (x.shape[0] - 1)
    if df == 0:
        return Dispersion(math.nan, math.nan, 0, math.nan)
    return Dispersion(chi2 / df, chi2, df, float(stats.chi2.sf(chi2, df)))


def fit_arrivals(
    local_s: FloatArray,
    channel: TextArray,
    weight: FloatArray,
    channels: tuple[str, ...],
    interval_minutes: int,
    calendar_holidays: tuple[dt.date, ...] = (),
) -> ArrivalFit:
    """Fit the rates; ``weight`` is 1 per contact or ``offered`` per interval record."""
    counts, first = _counts(local_s, channel, weight, channels, interval_minutes)
    n_days, slots = counts.shape[1], counts.shape[2]
    per_hour = slots // 24
    totals = counts.sum(axis=(0, 2))
    holidays = find_holidays(totals, first, calendar_holidays)
    left_out = {(h.date - EPOCH).days - first for h in holidays}
    keep = np.array([d not in left_out for d in range(n_days)])
    weekdays = np.array([weekday_of(first + d) for d in range(n_days)])
    kept, kept_w = counts[:, keep], weekdays[keep]
    day_tot = kept.sum(axis=(0, 2))
    means = {w: float(day_tot[kept_w == w].mean()) for w in range(7) if (kept_w == w).any()}
    workdays = [means[w] for w in range(5) if w in means] or list(means.values())
    ref = float(np.mean(workdays)) if workdays and np.mean(workdays) > 0 else 1.0
    factor = {w: m / ref for w, m in means.items()}
    f_day = np.array([factor[w] for w in kept_w])
    hours = kept.reshape(len(channels), kept.shape[1], 24, per_hour).sum(axis=3)  # (c, d, 24)
    all_hours = hours.sum(axis=0)  # (d, 24)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = np.where(f_day[:, None] > 0, all_hours / f_day[:, None], 0.0)
    hourly = scaled.mean(axis=0) if scaled.size else np.zeros(24)
    by_ch_hour = hours.sum(axis=1)  # (c, 24)
    by_hour = by_ch_hour.sum(axis=0)
    total = float(by_hour.sum())
    shares = {
        ch: float(by_ch_hour[i].sum() / total) if total else 0.0 for i, ch in enumerate(channels)
    }
    mix = np.where(by_hour > 0, by_ch_hour / np.where(by_hour > 0, by_hour, 1.0), np.nan)
    profile: dict[str, tuple[float, ...]] = {}
    observed: dict[str, FloatArray] = {}
    fitted: dict[str, FloatArray] = {}
    dispersion: dict[str, Dispersion] = {}
    for i, ch in enumerate(channels):
        s = shares[ch]
        weights = np.where(np.isnan(mix[i]), 1.0, mix[i] / s) if s > 0 else np.ones(24)
        profile[ch] = tuple(float(x) for x in weights)
        obs = np.full((7, slots), np.nan)
        fit = np.full((7, slots), np.nan)
        slot_mix = np.repeat(np.nan_to_num(mix[i]), per_hour)
        for w, fw in factor.items():
            obs[w] = kept[i, kept_w == w].mean(axis=0)
            fit[w] = np.repeat(hourly, per_hour) * fw * slot_mix / per_hour
        observed[ch], fitted[ch] = obs, fit
        dispersion[ch] = _dispersion(kept[i], kept_w)
    return ArrivalFit(
        interval_minutes=interval_minutes,
        channels=channels,
        days_used=int(keep.sum()),
        days_in_period=n_days,
        holidays=tuple(holidays),
        day_factors={WEEKDAYS[w]: f for w, f in sorted(factor.items())},
        hourly=tuple(float(x) for x in hourly),
        shares=shares,
        channel_profile=profile,
        observed=observed,
        fitted=fitted,
        dispersion=dispersion,
        total=total,
    )
