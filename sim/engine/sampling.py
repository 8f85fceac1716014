"""Draw times from a scenario's distributions with numpy, many at once.

Why vectorised: the engine draws every customer's handle time and patience before
the run starts, so the simulation loop does no sampling of its own, and each
customer's draws depend only on its place in its stream (common random numbers).

Why a sampler per distribution, kept: a replication calls :func:`sample` hundreds of
times (redials, retries, one draw each) on the same few frozen distributions, so the
family test and the parameters (a lognormal's mu and sigma, a gamma's shape) are
worked out once per distribution object, not on every draw. A sampler makes exactly
the numpy call :func:`sample` always made, so every draw is what it was.
"""

from __future__ import annotations

from collections.abc import Callable

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

FloatArray = NDArray[np.float64]
Sampler = Callable[[np.random.Generator, int], FloatArray]
"""``sampler(rng, size)``: ``size`` draws in minutes."""
OneSampler = Callable[[np.random.Generator], float]
"""``one(rng)``: one draw in minutes, the same number a ``size`` of 1 gives."""

_KEPT = 4096
"""Samplers kept at most; past that the cache starts afresh (sweeps make new models)."""
_CACHE: dict[int, tuple[Distribution, Sampler, OneSampler]] = {}
"""Samplers by ``id`` of their distribution, which each entry keeps alive (so the id
cannot be reused by another object while the entry exists)."""


def _make(dist: Distribution) -> tuple[Sampler, OneSampler]:
    if isinstance(dist, Exponential):
        mean = dist.mean
        return (lambda rng, size: rng.exponential(mean, size)), (
            lambda rng: float(rng.exponential(mean))
        )
    if isinstance(dist, Lognormal):
        mu, sigma = dist.log_params()
        return (lambda rng, size: rng.lognormal(mu, sigma, size)), (
            lambda rng: float(rng.lognormal(mu, sigma))
        )
    if isinstance(dist, Gamma):
        shape, scale = dist.shape_scale()
        return (lambda rng, size: rng.gamma(shape, scale, size)), (
            lambda rng: float(rng.gamma(shape, scale))
        )
    if isinstance(dist, Fixed):
        value = dist.value
        return (lambda rng, size: np.full(size, value)), (lambda rng: float(value))
    if isinstance(dist, Empirical):
        values, p = np.asarray(dist.values), np.asarray(dist.probabilities())
        return (lambda rng, size: rng.choice(values, size=size, p=p)), (
            lambda rng: float(rng.choice(values, p=p))
        )
    if isinstance(dist, Uniform):
        low, high = dist.low, dist.high
        return (lambda rng, size: rng.uniform(low, high, size)), (
            lambda rng: float(rng.uniform(low, high))
        )
    raise TypeError(  # not for people: argument check
        f"no sampler for {type(dist).__name__}"
    )


def _entry(dist: Distribution) -> tuple[Distribution, Sampler, OneSampler]:
    entry = _CACHE.get(id(dist))
    if entry is None or entry[0] is not dist:
        entry = _remember(dist)
    return entry


def _remember(dist: Distribution) -> tuple[Distribution, Sampler, OneSampler]:
    if len(_CACHE) >= _KEPT:
        _CACHE.clear()
    entry = _CACHE[id(dist)] = (dist, *_make(dist))
    return entry


def sampler(dist: Distribution) -> Sampler:
    """The function that draws from ``dist``: ``sampler(dist)(rng, size)`` is ``sample``."""
    return _entry(dist)[1]


def one_sampler(dist: Distribution) -> OneSampler:
    """The function that draws one number from ``dist``: ``one_sampler(dist)(rng)`` is
    :func:`sample_one`."""
    return _entry(dist)[2]


def sample(dist: Distribution, rng: np.random.Generator, size: int) -> FloatArray:
    """``size`` draws in minutes."""
    if type(dist) is Exponential:  # the commonest, with nothing to work out
        return rng.exponential(dist.mean, size)
    entry = _CACHE.get(id(dist))
    if entry is None or entry[0] is not dist:
        entry = _remember(dist)
    return entry[1](rng, size)


def sample_one(dist: Distribution, rng: np.random.Generator) -> float:
    """One draw in minutes: the number ``sample(dist, rng, 1)[0]`` gives, without the array.

    numpy's scalar calls draw exactly what a size of 1 draws (tests/sim/test_draw_same.py).
    """
    if type(dist) is Exponential:
        return float(rng.exponential(dist.mean))
    entry = _CACHE.get(id(dist))
    if entry is None or entry[0] is not dist:
        entry = _remember(dist)
    return entry[2](rng)
