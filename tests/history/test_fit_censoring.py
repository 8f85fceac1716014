"""Censoring: answered waits say patience was longer; dropping them biases the estimate.

Why a queue-free example beside the synthetic history: with independent patience
T ~ Exp(mean 180 s) and offered wait V ~ Exp(mean 60 s), the observed wait is min(T, V),
an abandonment when T < V. The waits of those who abandoned average
E[min(T, V)] = 1 / (1/180 + 1/60) = 45 s whatever the sample size, a quarter of the
truth; the censored MLE is consistent, and with about 5,000 events its standard error is
180 / sqrt(5000) = 2.5 s, so 3 SE is 7.6 s. The Kaplan-Meier curve must follow
exp(-t / 180) within a few points at its quartiles (its pointwise SE there is below 1%).
"""

from __future__ import annotations

import math

import numpy as np

from history.patience import fit_patience


def _waits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = rng.exponential(180.0, n)
    v = rng.exponential(60.0, n)
    gave_up = t < v
    return t[gave_up], v[~gave_up]


def test_naive_estimate_is_biased_and_censored_one_is_not() -> None:
    events, censored = _waits(20000, 11)
    fit = fit_patience("phone", events, censored, blocked=0)
    assert fit is not None
    se = 180.0 / math.sqrt(fit.events)
    assert abs(fit.exp_mean_s - 180.0) <= 3 * se
    assert abs(fit.naive_mean_s - 45.0) <= 3 * 45.0 / math.sqrt(fit.events)
    assert fit.naive_mean_s < 180.0 - 20 * se


def test_kaplan_meier_follows_the_true_survival() -> None:
    events, censored = _waits(20000, 12)
    fit = fit_patience("phone", events, censored, blocked=0)
    assert fit is not None
    for q in (0.25, 0.5, 0.75):
        t = -180.0 * math.log(1 - q)  # true quantile of patience
        km = float(np.interp(t, fit.km_time_s, fit.km_sf))
        assert abs(km - (1 - q)) < 0.03
    assert np.all(np.diff(fit.km_sf) <= 1e-12)  # a survival curve never rises


def test_nobody_abandoned_gives_no_fit() -> None:
    assert fit_patience("phone", np.array([]), np.array([10.0, 20.0]), blocked=0) is None
