"""Time distributions a scenario may use for handle times, patience and outage lengths.

Why they declare their own mean and variance (as Ciw's do): the known-answer tests
and the Erlang estimates need the exact moments of what the simulation samples, and
a planner reading a scenario wants to see "mean 5m, cv 0.6" whatever the family.
Sampling itself lives in :mod:`sim.engine.sampling` (numpy), keeping this layer pure.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from i18n import _
from plans.base import StrictModel
from plans.types import Duration

PositiveFloat = Annotated[float, Field(gt=0)]


class Exponential(StrictModel):
    """Memoryless times: the M in M/M/c."""

    dist: Literal["exponential"]
    mean: Duration
    """Mean time."""

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        return self.mean, self.mean**2


class Lognormal(StrictModel):
    """Right-skewed times, typical of handle times in contact centres."""

    dist: Literal["lognormal"]
    mean: Duration
    """Mean time."""
    cv: PositiveFloat
    """Coefficient of variation (standard deviation / mean)."""

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        return self.mean, (self.cv * self.mean) ** 2

    def log_params(self) -> tuple[float, float]:
        """(mu, sigma) of the underlying normal."""
        sigma2 = math.log1p(self.cv**2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)


class Gamma(StrictModel):
    """Times between exponential (cv 1) and fixed (cv 0)."""

    dist: Literal["gamma"]
    mean: Duration
    """Mean time."""
    cv: PositiveFloat
    """Coefficient of variation."""

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        return self.mean, (self.cv * self.mean) ** 2

    def shape_scale(self) -> tuple[float, float]:
        """(shape k, scale theta) with k * theta = mean."""
        shape = 1 / self.cv**2
        return shape, self.mean / shape


class Fixed(StrictModel):
    """Always the same time: for hand-checked tests and scripted outages."""

    dist: Literal["fixed"]
    value: Duration
    """The time."""

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        return self.value, 0.0


class Empirical(StrictModel):
    """Times observed in the centre's own records, drawn with the given weights."""

    dist: Literal["empirical"]
    values: tuple[Duration, ...] = Field(min_length=1)
    """Observed times."""
    weights: tuple[Annotated[float, Field(ge=0)], ...] | None = None
    """Relative weight of each value; equal weights when left out."""

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    _("weights has {weights} entries but values has {values}").format(
                        weights=len(self.weights), values=len(self.values)
                    )
                )
            if sum(self.weights) <= 0:
                raise ValueError(_("weights must not all be zero"))
        return self

    def probabilities(self) -> tuple[float, ...]:
        """Normalised weights."""
        weights = self.weights or (1.0,) * len(self.values)
        total = sum(weights)
        return tuple(w / total for w in weights)

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        probs = self.probabilities()
        mean = sum(p * v for p, v in zip(probs, self.values, strict=True))
        return mean, sum(p * (v - mean) ** 2 for p, v in zip(probs, self.values, strict=True))


class Uniform(StrictModel):
    """Any time between two bounds, equally likely: for rough outage estimates."""

    dist: Literal["uniform"]
    low: Duration
    """Shortest time."""
    high: Duration
    """Longest time."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(_("high must not be below low"))
        return self

    def moments(self) -> tuple[float, float]:
        """(mean, variance) in minutes."""
        return (self.low + self.high) / 2, (self.high - self.low) ** 2 / 12


Distribution = Annotated[
    Exponential | Lognormal | Gamma | Fixed | Empirical | Uniform,
    Field(discriminator="dist"),
]
"""One of the supported families, chosen by its ``dist`` field."""
