"""Draw times from a scenario's distributions with numpy, many at once.

Why vectorised: the engine draws every customer's handle time and patience before
the run starts, so the simulation loop does no sampling of its own, and each
customer's draws depend only on its place in its stream (common random numbers).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scenarios.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Uniform,
)


def sample(dist: Distribution, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
    """``size`` draws in minutes."""
    if isinstance(dist, Exponential):
        return rng.exponential(dist.mean, size)
    if isinstance(dist, Lognormal):
        mu, sigma = dist.log_params()
        return rng.lognormal(mu, sigma, size)
    if isinstance(dist, Gamma):
        shape, scale = dist.shape_scale()
        return rng.gamma(shape, scale, size)
    if isinstance(dist, Fixed):
        return np.full(size, dist.value)
    if isinstance(dist, Empirical):
        return rng.choice(np.asarray(dist.values), size=size, p=np.asarray(dist.probabilities()))
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low, dist.high, size)
    raise TypeError(  # not for people: argument check
        f"no sampler for {type(dist).__name__}"
    )


def sample_one(dist: Distribution, rng: np.random.Generator) -> float:
    """One draw in minutes."""
    return float(sample(dist, rng, 1)[0])
