"""Summaries of Monte Carlo samples: mean with a 95% interval, percentiles, shares.

Why hand-written (no scipy): the only quantiles needed are Student's t at 97.5% and
the normal's, and a dependency for two constants would be out of proportion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Z975 = 1.959963984540054
_T975_SMALL = {1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105}


def t975(df: int) -> float:
    """97.5% quantile of Student's t with ``df`` degrees of freedom.

    Exact for df <= 4 (tabulated); for larger df the Cornish-Fisher series in 1/df,
    whose error is below 1e-4 from df = 5 on (e.g. 2.5706 at df 5, 2.0423 at df 30).
    """
    if df < 1:
        return math.nan
    if df in _T975_SMALL:
        return _T975_SMALL[df]
    z = Z975
    v = float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """Mean, its 95% confidence interval and the 5th/95th percentiles of a sample."""

    mean: float
    ci95: tuple[float, float]
    p5: float
    p95: float
    n: int
    """Replications with a value (a KPI can be undefined, e.g. no live contact)."""

    def to_dict(self) -> dict[str, object]:
        """Plain form for the journal; undefined figures become None."""
        return {
            "mean": _num(self.mean),
            "ci95": [_num(self.ci95[0]), _num(self.ci95[1])],
            "p5": _num(self.p5),
            "p95": _num(self.p95),
            "n": self.n,
        }


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def summarise(values: NDArray[np.float64]) -> Summary:
    """Summary of one KPI over replications; undefined values are left out.

    The 95% interval is Student's t, kept inside the range of the values seen: the
    mean of values between their smallest and largest lies there too, and a t-interval
    of few replications otherwise reads as an abandonment share of "[-1.0%, 15.2%]"
    (4 replications of the typhoon day) or a count below nothing. With ten or more
    replications the clip hardly ever bites.
    """
    x = values[~np.isnan(values)]
    n = int(x.shape[0])
    if n == 0:
        return Summary(math.nan, (math.nan, math.nan), math.nan, math.nan, 0)
    mean = float(x.mean())
    half = t975(n - 1) * float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    low, high = float(x.min()), float(x.max())
    ci = (max(mean - half, low), min(mean + half, high)) if n > 1 else (math.nan, math.nan)
    p5, p95 = np.percentile(x, (5, 95))  # one call for both: a run summarises 500 KPIs
    return Summary(mean, ci, float(p5), float(p95), n)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (sound near 0 and 1, unlike Wald)."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    z2 = Z975**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z975 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20260301
"""Fixed, so the same replications give the same interval on every run."""


def count_ci95(values: NDArray[np.float64]) -> tuple[float, float]:
    """95% interval of the mean of a count (contacts, tickets, a queue length).

    A bootstrap percentile interval: the 2.5th and 97.5th percentiles of the means of
    :data:`BOOTSTRAP_RESAMPLES` resamples with replacement, drawn with the fixed seed
    :data:`BOOTSTRAP_SEED`. Every resampled mean lies between the smallest and the
    largest value seen, so the interval respects the count's range: never below 0
    (unlike the t-interval of :func:`summarise`, which gave a backlog of 6.7 the interval
    [-7.9, 21.2]). Undefined values are left out; fewer than two values: no interval.
    """
    x = values[~np.isnan(values)]
    n = int(x.shape[0])
    if n < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    means = x[rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)
