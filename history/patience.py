"""Patience from waiting times: abandoned contacts are events, answered ones are censored.

Why censoring matters: an answered customer's wait says only that their patience was
longer than it; averaging the waits of those who gave up measures the impatient ones
alone and understates patience, badly so in a well-staffed queue where only the
impatient ever abandon. The Kaplan-Meier curve (``scipy.stats.ecdf`` of
``CensoredData``) and the censored maximum-likelihood fits use every wait.

* **Exponential**: the censored MLE is closed form, mean = (sum of all waits) / events,
  with standard error mean / sqrt(events).
* **Lognormal**: ``scipy.stats.lognorm.fit`` on the censored data, location 0.
* The better by AIC is written to the scenario.
* **Blocked** contacts never waited (all lines busy): they say nothing of patience and
  are left out, counted.

Waits of zero are moved to ``ZERO_WAIT_S`` for the lognormal (whose density is 0 at 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from history.records import FloatArray

ZERO_WAIT_S = 0.5
KM_POINTS = 400
"""Points of the Kaplan-Meier curve kept for the report."""


@dataclass(frozen=True)
class PatienceFit:
    """Patience of one channel."""

    channel: str
    events: int  # abandoned
    censored: int  # answered
    blocked_left_out: int
    km_time_s: FloatArray  # Kaplan-Meier survival curve: times
    km_sf: FloatArray  # and P(patience > time)
    exp_mean_s: float
    exp_se_s: float
    exp_aic: float
    lognorm_mu: float
    lognorm_sigma: float
    lognorm_aic: float
    naive_mean_s: float  # mean wait of the abandoned only: biased low (for the report)
    best: str  # "exponential" or "lognormal"

    @property
    def lognorm_mean_s(self) -> float:
        """Mean of the fitted lognormal."""
        return math.exp(self.lognorm_mu + self.lognorm_sigma**2 / 2)

    @property
    def lognorm_cv(self) -> float:
        """Coefficient of variation of the fitted lognormal."""
        return math.sqrt(math.expm1(self.lognorm_sigma**2))

    def survival(self, t_s: FloatArray) -> FloatArray:
        """The chosen fit's P(patience > t)."""
        if self.best == "exponential":
            return np.exp(-t_s / self.exp_mean_s)
        dist = stats.lognorm(self.lognorm_sigma, 0, math.exp(self.lognorm_mu))
        return np.asarray(dist.sf(t_s), dtype=float)


def exponential_censored_mean(events_s: FloatArray, censored_s: FloatArray) -> float:
    """The exponential's censored MLE: total exposure over events."""
    return float((events_s.sum() + censored_s.sum()) / events_s.size)


def fit_patience(
    channel: str, events_s: FloatArray, censored_s: FloatArray, blocked: int
) -> PatienceFit | None:
    """Fit one channel's patience; None when nobody abandoned (nothing to estimate)."""
    if events_s.size == 0:
        return None
    km = stats.ecdf(stats.CensoredData(uncensored=events_s, right=censored_s)).sf
    step = max(1, km.quantiles.size // KM_POINTS)
    mean = exponential_censored_mean(events_s, censored_s)
    n = events_s.size
    exp_ll = -n * math.log(mean) - float(events_s.sum() + censored_s.sum()) / mean
    ev, ce = np.maximum(events_s, ZERO_WAIT_S), np.maximum(censored_s, ZERO_WAIT_S)
    sigma, _loc, scale = stats.lognorm.fit(stats.CensoredData(uncensored=ev, right=ce), floc=0)
    dist = stats.lognorm(sigma, 0, scale)
    ln_ll = float(dist.logpdf(ev).sum() + dist.logsf(ce).sum())
    exp_aic, ln_aic = 2 - 2 * exp_ll, 4 - 2 * ln_ll
    return PatienceFit(
        channel=channel,
        events=int(n),
        censored=int(censored_s.size),
        blocked_left_out=int(blocked),
        km_time_s=np.asarray(km.quantiles[::step], dtype=float),
        km_sf=np.asarray(km.probabilities[::step], dtype=float),
        exp_mean_s=mean,
        exp_se_s=mean / math.sqrt(n),
        exp_aic=exp_aic,
        lognorm_mu=math.log(scale),
        lognorm_sigma=float(sigma),
        lognorm_aic=ln_aic,
        naive_mean_s=float(events_s.mean()),
        best="exponential" if exp_aic <= ln_aic else "lognormal",
    )
