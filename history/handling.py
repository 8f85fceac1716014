"""Handle-time distributions by maximum likelihood: exponential, lognormal, gamma; or empirical.

Why these three and AIC: they are the families a scenario's time model holds
(:mod:`scenarios.distributions`), each fitted with its location fixed at 0 (a handle time
starts at zero), and AIC = 2k - 2 log L compares them at their own number of parameters
(1 for the exponential, 2 for the others). The Kolmogorov-Smirnov statistic says how far
the best one still is from the data; its p-value is optimistic because the parameters
were fitted on the same data (Lilliefors), so a p-value below ``KS_REJECT`` is a clear
misfit, and then the scenario gets the empirical distribution instead: ``EMPIRICAL_POINTS``
quantiles, drawn with equal weights (``scenarios.distributions.Empirical``). With tens of
thousands of contacts the KS test rejects even small departures, so large real exports
will often go empirical: that is the data speaking, not an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from history.records import FloatArray

KS_REJECT = 0.01
EMPIRICAL_POINTS = 100
MIN_SAMPLE = 30
"""Fewer handle times than this: no fit of their own (the channel's or overall one applies)."""
SAMPLE_KEPT = 5000
"""Values kept for the report's histogram."""


@dataclass(frozen=True)
class Candidate:
    """One family fitted to the handle times."""

    family: str  # "exponential", "lognormal" or "gamma"
    mean_s: float
    cv: float
    loglik: float
    aic: float
    ks: float
    ks_p: float


@dataclass(frozen=True)
class HandleFit:
    """The handle times of one channel and request type (either may be None: pooled)."""

    channel: str | None
    request_type: str | None
    n: int
    dropped: int  # zero or negative handle times left out
    candidates: tuple[Candidate, ...]
    best: str  # a candidate's family, or "empirical"
    mean_s: float  # of the data
    cv: float  # of the data
    empirical_s: tuple[float, ...]  # quantiles, when best is "empirical"
    sample_s: FloatArray  # up to SAMPLE_KEPT values for the histogram

    def chosen(self) -> Candidate | None:
        """The candidate written to the scenario (None when it is empirical)."""
        return next((c for c in self.candidates if c.family == self.best), None)

    def best_by_aic(self) -> Candidate:
        """The candidate with the smallest AIC (written as a comment when empirical)."""
        return min(self.candidates, key=lambda c: c.aic)


def _candidate(family: str, x: FloatArray) -> Candidate:
    if family == "exponential":
        dist = stats.expon(*stats.expon.fit(x, floc=0))
        k, mean, cv = 1, float(dist.mean()), 1.0
    elif family == "lognormal":
        s, loc, scale = stats.lognorm.fit(x, floc=0)
        dist = stats.lognorm(s, loc, scale)
        k, mean, cv = 2, float(dist.mean()), math.sqrt(math.expm1(s * s))
    else:
        a, loc, scale = stats.gamma.fit(x, floc=0)
        dist = stats.gamma(a, loc, scale)
        k, mean, cv = 2, float(dist.mean()), 1.0 / math.sqrt(a)
    loglik = float(dist.logpdf(x).sum())
    ks = stats.kstest(x, dist.cdf)
    return Candidate(
        family, mean, cv, loglik, 2 * k - 2 * loglik, float(ks.statistic), float(ks.pvalue)
    )


def fit_handle_times(
    values_s: FloatArray, channel: str | None, request_type: str | None, seed: int = 0
) -> HandleFit:
    """Fit the three families to the positive handle times and pick one (module docstring)."""
    finite = values_s[np.isfinite(values_s)]
    x = finite[finite > 0]
    candidates = tuple(_candidate(f, x) for f in ("exponential", "lognormal", "gamma"))
    best = min(candidates, key=lambda c: c.aic)
    empirical: tuple[float, ...] = ()
    chosen = best.family
    if best.ks_p < KS_REJECT:
        chosen = "empirical"
        q = (np.arange(EMPIRICAL_POINTS) + 0.5) / EMPIRICAL_POINTS
        empirical = tuple(float(v) for v in np.quantile(x, q))
    rng = np.random.default_rng(seed)
    sample = x if x.size <= SAMPLE_KEPT else rng.choice(x, SAMPLE_KEPT, replace=False)
    mean = float(x.mean())
    return HandleFit(
        channel=channel,
        request_type=request_type,
        n=int(x.size),
        dropped=int(finite.size - x.size),
        candidates=candidates,
        best=chosen,
        mean_s=mean,
        cv=float(x.std(ddof=1) / mean) if x.size > 1 else math.nan,
        empirical_s=empirical,
        sample_s=np.asarray(sample, dtype=float),
    )
