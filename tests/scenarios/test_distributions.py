"""Time distributions: exact moments on hand-checked cases, and which one a TimeModel picks.

Every expected figure here is worked out by hand in the comment beside it, so a wrong
formula in scenarios.distributions cannot hide behind the same formula in the test.
Times are minutes.
"""

from __future__ import annotations

import itertools
import math

import pytest
from pydantic import TypeAdapter, ValidationError

from plans.types import FROM_FILE
from scenarios.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Uniform,
)
from scenarios.model import TimeModel, TimeOverride

DIST = TypeAdapter(Distribution)


def from_file(data: dict) -> object:
    """A distribution read as the loader reads it (durations must carry units)."""
    return DIST.validate_python(data, context={FROM_FILE: True})


# --- moments ---------------------------------------------------------------------------------


def test_exponential_variance_is_mean_squared():
    # mean 4 -> variance 16
    assert Exponential(dist="exponential", mean=4.0).moments() == (4.0, 16.0)


def test_lognormal_mean_5_cv_06_has_variance_9():
    # sd = 0.6 x 5 = 3, variance 9
    dist = Lognormal(dist="lognormal", mean=5.0, cv=0.6)
    mean, var = dist.moments()
    assert mean == 5.0
    assert var == pytest.approx(9.0)


def test_lognormal_log_params_give_back_the_moments():
    # sigma^2 = ln(1 + 0.36) = ln 1.36; mu = ln 5 - sigma^2 / 2
    # E = exp(mu + sigma^2/2) = 5; Var = (exp(sigma^2) - 1) E^2 = 0.36 x 25 = 9
    mu, sigma = Lognormal(dist="lognormal", mean=5.0, cv=0.6).log_params()
    assert sigma**2 == pytest.approx(math.log(1.36))
    assert mu == pytest.approx(math.log(5.0) - math.log(1.36) / 2)
    mean = math.exp(mu + sigma**2 / 2)
    assert mean == pytest.approx(5.0)
    assert (math.exp(sigma**2) - 1) * mean**2 == pytest.approx(9.0)


def test_gamma_shape_and_scale():
    # mean 6, cv 0.5: shape 1 / 0.25 = 4, scale 6 / 4 = 1.5; variance k theta^2 = 4 x 2.25 = 9
    dist = Gamma(dist="gamma", mean=6.0, cv=0.5)
    shape, scale = dist.shape_scale()
    assert shape == pytest.approx(4.0)
    assert scale == pytest.approx(1.5)
    assert dist.moments() == pytest.approx((6.0, 9.0))
    assert shape * scale**2 == pytest.approx(dist.moments()[1])


def test_gamma_with_cv_1_is_exponential():
    # shape 1: the exponential with the same mean
    dist = Gamma(dist="gamma", mean=3.0, cv=1.0)
    assert dist.shape_scale() == pytest.approx((1.0, 3.0))
    assert dist.moments() == pytest.approx(Exponential(dist="exponential", mean=3.0).moments())


def test_fixed_has_no_variance():
    assert Fixed(dist="fixed", value=7.0).moments() == (7.0, 0.0)


def test_empirical_weighted_mean_and_variance():
    # values 2, 4, 10 with weights 1, 2, 1 -> p = 0.25, 0.5, 0.25
    # mean = 0.5 + 2 + 2.5 = 5; variance = 0.25 x 9 + 0.5 x 1 + 0.25 x 25 = 9
    dist = Empirical(dist="empirical", values=(2.0, 4.0, 10.0), weights=(1.0, 2.0, 1.0))
    assert dist.probabilities() == pytest.approx((0.25, 0.5, 0.25))
    assert dist.moments() == pytest.approx((5.0, 9.0))


def test_empirical_without_weights_weighs_equally():
    # values 1, 2, 3: mean 2, variance (1 + 0 + 1) / 3 = 2/3 (population variance)
    dist = Empirical(dist="empirical", values=(1.0, 2.0, 3.0))
    assert dist.probabilities() == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert dist.moments() == pytest.approx((2.0, 2 / 3))


def test_empirical_single_value_is_fixed():
    assert Empirical(dist="empirical", values=(4.0,), weights=(3.0,)).moments() == pytest.approx(
        (4.0, 0.0)
    )


def test_empirical_zero_weight_drops_a_value():
    # weights 0, 1: always the second value
    assert Empirical(
        dist="empirical", values=(1.0, 9.0), weights=(0.0, 1.0)
    ).moments() == pytest.approx((9.0, 0.0))


def test_uniform_moments():
    # low 2, high 8: mean 5, variance 6^2 / 12 = 3
    assert Uniform(dist="uniform", low=2.0, high=8.0).moments() == pytest.approx((5.0, 3.0))


def test_uniform_of_zero_width_is_fixed():
    assert Uniform(dist="uniform", low=4.0, high=4.0).moments() == (4.0, 0.0)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"dist": "exponential", "mean": "90s"}, (1.5, 2.25)),
        ({"dist": "lognormal", "mean": "5m", "cv": 0.6}, (5.0, 9.0)),
        ({"dist": "gamma", "mean": "1h", "cv": 0.5}, (60.0, 900.0)),
        ({"dist": "fixed", "value": "2h30m"}, (150.0, 0.0)),
        ({"dist": "empirical", "values": ["2m", "4m", "10m"], "weights": [1, 2, 1]}, (5.0, 9.0)),
        ({"dist": "uniform", "low": "1h", "high": "3h"}, (120.0, 3600.0 / 3)),
    ],
    ids=["exponential", "lognormal", "gamma", "fixed", "empirical", "uniform"],
)
def test_moments_from_file_text_are_in_minutes(data, expected):
    assert from_file(data).moments() == pytest.approx(expected)


# --- refusals ----------------------------------------------------------------------------------


def test_empirical_weights_must_match_values():
    with pytest.raises(ValidationError, match="weights has 2 entries but values has 3"):
        Empirical(dist="empirical", values=(1.0, 2.0, 3.0), weights=(1.0, 1.0))


def test_empirical_weights_must_not_all_be_zero():
    with pytest.raises(ValidationError, match="weights must not all be zero"):
        Empirical(dist="empirical", values=(1.0, 2.0), weights=(0.0, 0.0))


def test_uniform_bounds_must_be_ordered():
    with pytest.raises(ValidationError, match="high must not be below low"):
        Uniform(dist="uniform", low=5.0, high=2.0)


@pytest.mark.parametrize("cv", [0.0, -0.5])
def test_cv_must_be_positive(cv):
    with pytest.raises(ValidationError, match="greater than 0"):
        Lognormal(dist="lognormal", mean=5.0, cv=cv)


def test_negative_time_is_refused():
    with pytest.raises(ValidationError, match="a duration cannot be negative"):
        Exponential(dist="exponential", mean=-1.0)


def test_a_file_must_give_units():
    with pytest.raises(ValidationError, match="duration 5 has no unit"):
        from_file({"dist": "exponential", "mean": 5})


# --- TimeModel.pick --------------------------------------------------------------------------

DEFAULT = Fixed(dist="fixed", value=1.0)
BY_TYPE = Fixed(dist="fixed", value=2.0)
BY_CHANNEL = Fixed(dist="fixed", value=3.0)
BY_BOTH = Fixed(dist="fixed", value=4.0)
OVERRIDES = (
    TimeOverride(type="complaint", time=BY_TYPE),
    TimeOverride(channel="phone", time=BY_CHANNEL),
    TimeOverride(channel="phone", type="complaint", time=BY_BOTH),
)


@pytest.mark.parametrize(
    ("channel", "request_type", "expected"),
    [
        ("phone", "complaint", BY_BOTH),  # channel and type beat everything
        ("phone", "repair", BY_CHANNEL),  # channel beats default
        ("chat", "complaint", BY_TYPE),  # type beats default
        ("chat", "repair", DEFAULT),  # nothing matches
    ],
)
@pytest.mark.parametrize(
    "order", list(itertools.permutations(range(3))), ids=lambda o: "".join(map(str, o))
)
def test_pick_prefers_the_most_specific_whatever_the_order(order, channel, request_type, expected):
    model = TimeModel(default=DEFAULT, overrides=tuple(OVERRIDES[i] for i in order))
    assert model.pick(channel, request_type) == expected


def test_channel_beats_type_when_both_match_separately():
    # no channel+type override: phone complaints take the phone time, not the complaint time
    model = TimeModel(default=DEFAULT, overrides=OVERRIDES[:2])
    assert model.pick("phone", "complaint") == BY_CHANNEL
    model = TimeModel(default=DEFAULT, overrides=OVERRIDES[1::-1])
    assert model.pick("phone", "complaint") == BY_CHANNEL


def test_override_for_another_channel_and_type_is_ignored():
    model = TimeModel(
        default=DEFAULT, overrides=(TimeOverride(channel="chat", type="repair", time=BY_BOTH),)
    )
    assert model.pick("chat", "complaint") == DEFAULT
    assert model.pick("phone", "repair") == DEFAULT
    assert model.pick("chat", "repair") == BY_BOTH


def test_no_overrides_gives_the_default():
    assert TimeModel(default=DEFAULT).pick("counter", "business") == DEFAULT


def test_override_twins_are_refused():
    with pytest.raises(
        ValidationError, match="overrides\\[1\\] repeats an earlier override for channel 'phone'"
    ):
        TimeModel(
            default=DEFAULT, overrides=(OVERRIDES[1], TimeOverride(channel="phone", time=BY_TYPE))
        )


def test_override_naming_neither_is_refused():
    with pytest.raises(
        ValidationError, match="names neither channel nor type; change 'default' instead"
    ):
        TimeModel(default=DEFAULT, overrides=(TimeOverride(time=BY_TYPE),))
