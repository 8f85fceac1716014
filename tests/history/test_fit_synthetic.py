"""The synthetic history (history.synthetic, known parameters) fitted back.

Why tolerances in standard errors: each estimate is a mean over a known number of draws,
so its sampling error is known; a fit within 3 standard errors is what a correct
estimator gives 99.7% of the time, and a wrong one (a factor off, a biased estimator)
lands far outside at these sample sizes (thousands of contacts). Where one test checks
many estimates at once (48 channel-hours), 4 standard errors keeps the chance of a false
alarm below 0.5% (Bonferroni: 48 x 6e-5). The generator's seed is fixed, so the test is
deterministic; the tolerances say why it would also pass for other seeds.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from history.fit import HistoryFit, fit_history
from history.records import ContactHistory
from history.synthetic import SyntheticSpec, generate
from plans.loader import default_plan_path, load_plan
from plans.model import Plan

SPEC = SyntheticSpec()


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def history() -> ContactHistory:
    return generate(SPEC)


@pytest.fixture(scope="module")
def fit(history: ContactHistory, default_plan: Plan) -> HistoryFit:
    return fit_history(history, default_plan, interval_minutes=30)


def _kept_factors() -> list[float]:
    days = [SPEC.start + dt for dt in (np.arange(SPEC.days) * np.timedelta64(1, "D")).tolist()]
    return [SPEC.day_factor(d) for d in days if d not in SPEC.holidays]


def test_the_holiday_is_found_and_only_it(fit: HistoryFit) -> None:
    assert [h.date for h in fit.arrivals.holidays] == list(SPEC.holidays)
    assert fit.arrivals.days_used == SPEC.days - 1


def test_day_factors_within_three_standard_errors(fit: HistoryFit) -> None:
    # fitted factors are relative to the Monday-Friday mean; a weekday's factor is its
    # mean daily total over that mean; SE of a mean of n_w Poisson daily totals V f_w.
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    true = {w: SPEC.day_factors.get(w, 1.0) for w in weekdays}
    ref = sum(true[w] for w in weekdays[:5]) / 5
    volume = sum(c.daily_volume for c in SPEC.channels)
    for w in weekdays:
        n_w = 4 - (w == "wed")  # 28 days from a Monday, one Wednesday a holiday
        expected = true[w] / ref
        se = expected / math.sqrt(n_w * volume * true[w])
        assert abs(fit.arrivals.day_factors[w] - expected) <= 3 * se + 0.005, w


def test_hourly_rates_per_channel_within_four_standard_errors(fit: HistoryFit) -> None:
    a = fit.arrivals
    factors = _kept_factors()
    ref = (SPEC.day_factors["mon"] + 4) / 5  # the Monday-Friday mean the fit scales to
    n = len(factors)
    for ci, spec in enumerate(SPEC.channels):
        weights = np.asarray(spec.hourly_weights)
        true = spec.daily_volume * weights / weights.sum() * ref  # at fitted factor 1
        mix = np.asarray(a.channel_profile[spec.channel]) * a.shares[spec.channel]
        fitted = np.asarray(a.hourly) * mix
        for hour in range(24):
            lam = spec.daily_volume * weights[hour] / weights.sum()
            se = math.sqrt(lam * sum(1 / f for f in factors)) / n * ref
            assert abs(fitted[hour] - true[hour]) <= 4 * se + 0.05, (spec.channel, hour, ci)


def test_counts_pass_the_poisson_dispersion_test(fit: HistoryFit) -> None:
    # index of dispersion of Poisson counts: mean 1, sd sqrt(2 / df)
    for channel, d in fit.arrivals.dispersion.items():
        assert abs(d.index - 1) <= 3 * math.sqrt(2 / d.df), channel
        assert d.p_value > 0.001


def test_dispersion_flags_overdispersed_days(history: ContactHistory, default_plan: Plan) -> None:
    """Days whose volume swings (forecast error) are not Poisson: the test must say so."""
    rng = np.random.default_rng(3)
    days = np.floor((history.arrived_at + history.utc_offset_s) / 86400).astype(int)
    keep_share = {d: rng.uniform(0.6, 1.0) for d in np.unique(days)}
    keep = rng.random(days.size) < np.array([keep_share[d] for d in days])
    thinned = dataclasses.replace(
        history,
        **{
            f.name: getattr(history, f.name)[keep]
            for f in dataclasses.fields(history)
            if isinstance(getattr(history, f.name), np.ndarray)
        },
    )
    d = fit_history(thinned, default_plan).arrivals.dispersion["phone"]
    assert d.index > 1.5 and d.p_value < 1e-6


def test_handle_times_lognormal_mean_and_cv_within_three_standard_errors(fit: HistoryFit) -> None:
    by = {(h.channel, h.request_type): h for h in fit.handling}
    for spec in SPEC.channels:
        sigma = math.sqrt(math.log1p(spec.handle_cv**2))
        for rtype, factor in SPEC.type_factors.items():
            h = by[(spec.channel, rtype)]
            assert h.best == "lognormal"
            c = h.chosen()
            assert c is not None
            mean = spec.handle_mean_s * factor
            assert abs(c.mean_s - mean) <= 3 * mean * spec.handle_cv / math.sqrt(h.n)
            # SE of the sigma MLE is sigma / sqrt(2n); cv = sqrt(exp(sigma^2) - 1)
            dcv = sigma * math.exp(sigma**2) / spec.handle_cv
            assert abs(c.cv - spec.handle_cv) <= 3 * dcv * sigma / math.sqrt(2 * h.n)
            assert c.aic < min(x.aic for x in h.candidates if x.family != "lognormal")


def test_a_mixture_of_channels_is_not_a_lognormal_so_it_goes_empirical(fit: HistoryFit) -> None:
    pooled = fit.handling[0]
    assert (pooled.channel, pooled.request_type) == (None, None)
    assert pooled.best == "empirical" and len(pooled.empirical_s) == 100
    assert pooled.best_by_aic().ks_p < 0.01


def test_patience_censored_exponential_within_three_standard_errors(fit: HistoryFit) -> None:
    for spec in SPEC.channels:
        p = fit.patience[spec.channel]
        assert p.best == "exponential"
        assert abs(p.exp_mean_s - spec.patience_mean_s) <= 3 * spec.patience_mean_s / math.sqrt(
            p.events
        )
        assert p.blocked_left_out > 0  # blocked contacts are not censored waits


def test_dropping_censored_waits_biases_patience_and_censoring_does_not(fit: HistoryFit) -> None:
    for spec in SPEC.channels:
        p = fit.patience[spec.channel]
        se = spec.patience_mean_s / math.sqrt(p.events)
        assert p.naive_mean_s < spec.patience_mean_s - 10 * se  # far too impatient
        assert abs(p.exp_mean_s - spec.patience_mean_s) <= 3 * se


def test_redial_share_and_delay_within_three_standard_errors(fit: HistoryFit) -> None:
    r = fit.redials
    assert r is not None and r.max_attempts <= SPEC.max_attempts
    for spec in SPEC.channels:
        c = r.channels[spec.channel]
        p = SPEC.redial_probability
        assert abs(c.share - p) <= 3 * math.sqrt(p * (1 - p) / c.abandoned)
        mean = SPEC.redial_mean_delay_s
        assert abs(c.mean_delay_s - mean) <= 3 * mean / math.sqrt(c.redialled)


def test_redials_are_left_out_of_the_arrival_rates(
    fit: HistoryFit, history: ContactHistory
) -> None:
    assert fit.redials is not None
    first_attempts = history.arrived_at.size - fit.redials.redials
    holiday = fit.arrivals.holidays[0].total
    assert fit.arrivals.total + holiday == first_attempts


def test_request_type_and_class_shares(fit: HistoryFit) -> None:
    n = fit.arrivals.total
    for name, share in SPEC.request_types.items():
        assert abs(fit.request_types[name] - share) <= 3 * math.sqrt(share * (1 - share) / n)
    for name, share in SPEC.classes.items():
        assert abs(fit.classes[name] - share) <= 3 * math.sqrt(share * (1 - share) / n)


def test_no_customer_ids_means_no_redials(history: ContactHistory, default_plan: Plan) -> None:
    bare = dataclasses.replace(history, customer_id=None)
    fit = fit_history(bare, default_plan)
    assert fit.redials is None
    assert any("redials could not be estimated" in n for n in fit.notes)
