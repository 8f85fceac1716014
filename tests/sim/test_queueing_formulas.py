"""Known answers for sim.queueing: published and hand-checked Erlang B and C values, and
Erlang A against independent solutions of the same Markov chain.

Why independent references: a formula checked only against itself proves nothing. Erlang B
and C are checked against exact rational arithmetic (fractions, math.factorial) and a
log-space direct sum; Erlang A against the birth-death chain solved here from detailed
balance (and once with numpy.linalg), the tagged-caller chain solved by uniformisation,
and two limits with closed forms (patience -> infinity is Erlang C; theta == mu gives a
Poisson number in system).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest

from sim.queueing import (
    ErlangAResult,
    erlang_a,
    erlang_a_staffing,
    erlang_b,
    erlang_c,
    erlang_c_staffing,
    mmc_mean_wait,
    mmc_service_level,
    mmc_utilisation,
)

# ----------------------------------------------------------------- independent references


def exact_b(c: int, a: Fraction) -> Fraction:
    """Erlang B straight from its definition, (a^c / c!) / sum_{k<=c} a^k / k!, exactly."""
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def exact_c(c: int, a: Fraction) -> Fraction:
    """Erlang C straight from its definition (a < c), exactly."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def log_direct_c(c: int, a: float) -> float:
    """Erlang C by a log-sum-exp of the defining sum, for c too large for exact arithmetic."""
    logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    top = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    peak = max(*logs, top)
    total = sum(math.exp(x - peak) for x in logs) + math.exp(top - peak)
    return math.exp(top - peak) / total


def stationary(c: int, lam: float, mu: float, theta: float, size: int) -> np.ndarray:
    """M/M/c+M number-in-system law on 0..size-1 from detailed balance, in log space."""
    k = np.arange(1, size)
    deaths = np.minimum(k, c) * mu + np.maximum(k - c, 0) * theta
    logs = np.concatenate([[0.0], np.cumsum(np.log(lam / deaths))])
    pi = np.exp(logs - logs.max())
    return pi / pi.sum()


def reach_service_by(
    c: int, mu: float, theta: float, start: np.ndarray, t: float, own_patience: bool
) -> float:
    """P(a tagged caller reaches an agent by t), start[j] = P(it waits at position j + 1).

    Uniformisation of the tagged caller's own chain: at position i it moves up at rate
    c mu + (i - 1) theta and, with own_patience, leaves at rate theta. Independent of the
    density the module integrates.
    """
    up = c * mu + theta * np.arange(len(start))
    own = theta if own_patience else 0.0
    rate = float(up[-1]) + own
    p, served, total = start.astype(float), 0.0, 0.0
    mean = rate * t  # t > 0 here
    for n in range(int(mean + 12 * math.sqrt(mean) + 40)):
        total += math.exp(n * math.log(mean) - mean - math.lgamma(n + 1)) * served
        served += p[0] * up[0] / rate  # served after n + 1 uniformised steps
        p = p * (1 - (up + own) / rate) + np.append(p[1:] * up[1:] / rate, 0.0)
    return total


def chain_measures(c: int, lam: float, s: float, patience: float, t: float) -> dict[str, float]:
    """Every ErlangAResult field computed from the truncated chain, without sim.queueing."""
    mu, theta = 1 / s, 1 / patience
    pi = stationary(c, lam, mu, theta, c + 400)
    k = np.arange(len(pi))
    queue = float((np.maximum(k - c, 0) * pi).sum())
    waiting, no_wait = pi[c:], float(pi[:c].sum())
    # P(served | join at position j) = prod_{i=1..j} (c mu + (i-1) theta) / (c mu + i theta)
    i = np.arange(1, len(waiting) + 1)
    served_given = np.cumprod((c * mu + (i - 1) * theta) / (c * mu + i * theta))
    p_abandon = queue * theta / lam  # rate of abandonment / rate of arrival
    assert float((waiting * (1 - served_given)).sum()) == pytest.approx(p_abandon, abs=1e-12)
    return {
        "p_wait": float(waiting.sum()),
        "p_abandon": p_abandon,
        "mean_wait": queue / lam,
        "p_served_within": no_wait + reach_service_by(c, mu, theta, waiting, t, True),
        "p_wait_le": no_wait + reach_service_by(c, mu, theta, waiting, t, False),
        "utilisation": float((np.minimum(k, c) * pi).sum()) / c,
        "mean_queue": queue,
    }


# ------------------------------------------------------------------------------- Erlang B


def test_erlang_b_small_cases_by_hand():
    # B(1, 1) = 1/2, B(2, 1) = (1/2) / (1 + 1 + 1/2) = 1/5,
    # B(5, 3) = 2.025 / 18.4 = 0.1100543... (terms 1, 3, 4.5, 4.5, 3.375, 2.025).
    assert erlang_b(1, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    assert erlang_b(5, 3.0) == pytest.approx(2.025 / 18.4, rel=1e-13)
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(4, 0.0) == 0.0


def test_erlang_b_classic_table_value():
    # Erlang B tables: 10 circuits offered 5 Erlangs block 0.018385 (6 decimals; the exact
    # rational value is 0.0183846...). Tolerance: half a unit in the 6th decimal.
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(("circuits", "erlangs"), [(10, "4.461"), (20, "12.031"), (100, "84.064")])
def test_erlang_b_one_percent_grade_of_service_table(circuits, erlangs):
    # Standard Erlang B traffic tables at 1 % grade of service: 10 circuits carry 4.461 E,
    # 20 carry 12.031 E, 100 carry 84.064 E. The table rounds A to 3 decimals, so B at the
    # printed A is 0.01 only to about 1e-3 relative (d ln B / d a = c/a - 1 + B).
    value = erlang_b(circuits, float(erlangs))
    assert value == pytest.approx(0.01, rel=1e-3)
    assert value == pytest.approx(float(exact_b(circuits, Fraction(erlangs))), rel=1e-12)


@pytest.mark.parametrize("c", [1, 2, 3, 7, 15, 40])
@pytest.mark.parametrize("a", ["0.3", "1", "2.5", "6", "12.75", "39.9"])
def test_erlang_b_matches_exact_rational_definition(c, a):
    assert erlang_b(c, float(a)) == pytest.approx(float(exact_b(c, Fraction(a))), rel=1e-12)


# ------------------------------------------------------------------------------- Erlang C


@pytest.mark.parametrize("a", [0.1, 0.5, 0.9, 0.99])
def test_erlang_c_one_server_is_mm1(a):
    # M/M/1 (any queueing text, e.g. Kleinrock, Queueing Systems I, 1975, sec. 3.2):
    # P(wait) = rho, Wq = rho / (mu - lambda), P(Wq <= t) = 1 - rho exp(-(mu - lambda) t).
    mu = 1 / 3.0
    lam = a * mu
    assert erlang_c(1, a) == pytest.approx(a, rel=1e-14)
    assert mmc_mean_wait(1, a, 3.0) == pytest.approx(a / (mu - lam), rel=1e-13)
    level = 1 - a * math.exp(-(mu - lam) * 2.0)
    assert mmc_service_level(1, a, 3.0, 2.0) == pytest.approx(level, rel=1e-13)
    assert mmc_utilisation(1, a) == pytest.approx(a)


def test_erlang_c_small_cases_by_hand():
    # C(2, 1) = 1/3 and C(3, 2) = 4/9, from the defining sums by hand.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-14)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-14)
    assert erlang_c(4, 0.0) == 0.0
    assert erlang_c(3, 3.0) == 1.0 and erlang_c(3, 5.0) == 1.0
    assert mmc_mean_wait(3, 3.0, 1.0) == math.inf
    assert mmc_service_level(3, 4.0, 1.0, 10.0) == 0.0
    assert mmc_utilisation(3, 4.0) == 1.0


@pytest.mark.parametrize("c", [1, 2, 5, 12, 30])
@pytest.mark.parametrize("occupancy", ["0.2", "0.7", "0.95"])
def test_erlang_c_matches_exact_rational_definition(c, occupancy):
    a = Fraction(occupancy) * c
    assert erlang_c(c, float(a)) == pytest.approx(float(exact_c(c, a)), rel=1e-12)


def test_erlang_c_worked_example_360_calls_per_half_hour():
    # Inputs of the worked example on Westbay Engineers' "The Erlang-C formula" page (and
    # many WFM primers): 360 calls per 30 min, 240 s handling, 55 agents, 15 s target. Its
    # printed results are not reproduced here; the reference is the exact rational formula.
    lam, aht, agents = Fraction(360, 1800), 240, 55
    a = lam * aht
    assert a == 48 and float(a / agents) == pytest.approx(0.8727, abs=5e-5)
    c_exact = float(exact_c(agents, a))
    assert erlang_c(agents, 48.0) == pytest.approx(c_exact, rel=1e-12)
    assert mmc_mean_wait(agents, 48.0, 240.0) == pytest.approx(c_exact * 240 / 7, rel=1e-12)
    level = 1 - c_exact * math.exp(-7 * 15 / 240)
    assert mmc_service_level(agents, 48.0, 240.0, 15.0) == pytest.approx(level, rel=1e-12)


@pytest.mark.parametrize(("c", "a"), [(3000, 2900.0), (5000, 4990.0), (5000, 100.0), (800, 799.5)])
def test_erlang_c_large_centres_are_fast_finite_and_right(c, a):
    start = time.perf_counter()
    value = erlang_c(c, a)
    assert time.perf_counter() - start < 1.0
    assert 0.0 <= value <= 1.0 and math.isfinite(value)
    assert value == pytest.approx(log_direct_c(c, a), rel=1e-9, abs=1e-300)


# ------------------------------------------------------------------------------- Erlang A

CHAIN_CASES = [
    # servers, arrival rate, mean service, mean patience, threshold
    (5, 4.0, 1.0, 2.0, 0.5),
    (10, 12.0, 1.0, 0.5, 0.2),  # overloaded: a = 12 > c
    (3, 1.0, 1.0, 10.0, 1.0),
    (8, 2.0, 3.0, 1.0, 2.0),  # theta = 1 > mu = 1/3
    (20, 25.0, 1.0, 5.0, 0.1),
    (6, 5.0, 1.0, 1.0, 0.3),  # theta == mu
    (4, 0.5, 1.0, 1.0, 3.0),
]


@pytest.mark.parametrize("case", CHAIN_CASES)
def test_erlang_a_matches_the_birth_death_chain(case):
    # Reference: stationary law from detailed balance, P(Ab) = theta E[Q] / lambda (an exact
    # identity of M/M/c+M), Little's law, and the tagged caller solved by uniformisation.
    # Tolerance 1e-9: both sides are accurate to ~1e-12 in these cases.
    result = erlang_a(*case)
    expected = chain_measures(*case)
    for name, value in expected.items():
        assert getattr(result, name) == pytest.approx(value, abs=1e-9, rel=1e-9), name


def test_stationary_law_agrees_with_numpy_linalg():
    # The detailed-balance reference itself, against the truncated generator solved with
    # numpy.linalg (pi Q = 0, sum pi = 1).
    c, lam, mu, theta, size = 4, 5.0, 1.0, 0.7, 120
    q = np.zeros((size, size))
    for k in range(size):
        if k + 1 < size:
            q[k, k + 1] = lam
        if k:
            q[k, k - 1] = min(k, c) * mu + max(k - c, 0) * theta
        q[k, k] = -q[k].sum()
    system = np.vstack([q.T, np.ones(size)])
    rhs = np.append(np.zeros(size), 1.0)
    pi = np.linalg.lstsq(system, rhs, rcond=None)[0]
    assert pi == pytest.approx(stationary(c, lam, mu, theta, size), abs=1e-12)
    assert erlang_a(c, lam, 1 / mu, 1 / theta).p_wait == pytest.approx(pi[c:].sum(), abs=1e-12)


@pytest.mark.parametrize(("c", "a"), [(2, 1.0), (10, 8.0), (100, 95.0), (3000, 2900.0)])
def test_erlang_a_with_endless_patience_is_erlang_c(c, a):
    # Limit theta -> 0: M/M/c+M becomes M/M/c. The gap is O(theta), so with theta = 1e-12
    # per unit time (about 1e-10 of the service rate) it is below 1e-7 relative.
    s, t = 180.0, 20.0
    near = erlang_a(c, a / s, s, 1e12, t)
    assert near.p_wait == pytest.approx(erlang_c(c, a), rel=1e-7)
    assert near.mean_wait == pytest.approx(mmc_mean_wait(c, a, s), rel=1e-7)
    assert near.p_served_within == pytest.approx(mmc_service_level(c, a, s, t), abs=1e-8)
    assert near.p_wait_le == pytest.approx(mmc_service_level(c, a, s, t), abs=1e-8)
    assert near.p_abandon < 1e-7
    exact = erlang_a(c, a / s, s, math.inf, t)
    wait, level = mmc_mean_wait(c, a, s), mmc_service_level(c, a, s, t)
    expected = ErlangAResult(erlang_c(c, a), 0.0, wait, level, level, a / c, a / s * wait)
    for name in ErlangAResult.__dataclass_fields__:
        assert getattr(exact, name) == pytest.approx(getattr(expected, name), rel=1e-12), name


@pytest.mark.parametrize(("c", "a"), [(1, 0.5), (5, 3.0), (10, 12.0), (50, 45.0), (400, 410.0)])
def test_erlang_a_with_patience_equal_to_service_is_poisson(c, a):
    # theta == mu: the death rate is k mu in every state, as in M/M/inf, so the number in
    # system N is Poisson(a). Then P(wait) = P(N >= c), E[Q] = E[(N - c)+]
    # = a - c + sum_{k<c} (c - k) P(N = k), P(Ab) = theta E[Q] / lambda = E[Q] / a.
    s = 2.0
    pmf = [math.exp(k * math.log(a) - a - math.lgamma(k + 1)) for k in range(c)]
    queue = a - c + sum((c - k) * p for k, p in enumerate(pmf))
    result = erlang_a(c, a / s, s, s, 1.0)
    assert result.p_wait == pytest.approx(1 - sum(pmf), abs=1e-12)
    assert result.p_abandon == pytest.approx(queue / a, abs=1e-12)
    assert result.mean_wait == pytest.approx(queue * s / a, abs=1e-11)
    assert result.mean_queue == pytest.approx(queue, abs=1e-10, rel=1e-12)
    assert result.utilisation == pytest.approx((a - queue) / c, abs=1e-12)


def test_erlang_a_threshold_ends_and_no_arrivals():
    base = erlang_a(10, 11.0, 1.0, 2.0, 0.0)
    assert base.p_served_within == pytest.approx(1 - base.p_wait, abs=1e-14)
    assert base.p_wait_le == pytest.approx(1 - base.p_wait, abs=1e-14)
    endless = erlang_a(10, 11.0, 1.0, 2.0, math.inf)
    assert endless.p_served_within == pytest.approx(1 - base.p_abandon, abs=1e-12)
    assert endless.p_wait_le == 1.0
    assert base.mean_queue == pytest.approx(11.0 * base.mean_wait)
    assert erlang_a(3, 0.0, 1.0, 1.0, 5.0) == ErlangAResult(0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("c", "calls", "patience"), [(3200, 3100.0, 60.0), (3200, 3300.0, 120.0), (5000, 4990.0, 1e6)]
)
def test_erlang_a_large_centres_are_fast_finite_and_right(c, calls, patience):
    # Reference: the birth-death chain (p_wait, P(Ab) = theta E[Q] / lambda), cheap here.
    s = 180.0
    start = time.perf_counter()
    result = erlang_a(c, calls / s, s, patience, 20.0)
    assert time.perf_counter() - start < 1.0
    values = [getattr(result, name) for name in ErlangAResult.__dataclass_fields__]
    assert all(math.isfinite(v) for v in values)
    assert all(
        0.0 <= getattr(result, n) <= 1.0
        for n in ("p_wait", "p_abandon", "p_served_within", "p_wait_le", "utilisation")
    )
    pi = stationary(c, calls / s, 1 / s, 1 / patience, c + 20_000)
    queue = float((np.maximum(np.arange(len(pi)) - c, 0) * pi).sum())
    assert result.p_wait == pytest.approx(float(pi[c:].sum()), abs=1e-9)
    assert result.p_abandon == pytest.approx(queue / patience / (calls / s), abs=1e-9, rel=1e-7)


# ------------------------------------------------------------------------------- staffing


@pytest.mark.parametrize(
    ("calls", "aht", "t", "target"),
    [
        (0.2, 240.0, 15.0, 0.8),
        (100 / 60, 180.0, 20.0, 0.8),
        (2900 / 180, 180.0, 20.0, 0.9),
        (0.01, 60.0, 0.0, 0.5),
    ],
)
def test_erlang_c_staffing_is_the_smallest_that_meets_the_target(calls, aht, t, target):
    c = erlang_c_staffing(calls, aht, t, target)
    a = calls * aht
    assert mmc_service_level(c, a, aht, t) >= target
    assert c == 1 or mmc_service_level(c - 1, a, aht, t) < target


@pytest.mark.parametrize(
    ("calls", "aht", "patience", "t", "target", "cap"),
    [
        (0.2, 240.0, 120.0, 15.0, 0.8, None),
        (12.0, 1.0, 0.5, 0.2, 0.9, None),
        (2900 / 180, 180.0, 90.0, 20.0, 0.8, None),
        (5.0, 1.0, 1.0, 0.1, 0.5, 0.01),
    ],
)
def test_erlang_a_staffing_is_the_smallest_that_meets_the_targets(
    calls, aht, patience, t, target, cap
):
    c = erlang_a_staffing(calls, aht, patience, t, target, cap)

    def meets(n: int) -> bool:
        r = erlang_a(n, calls, aht, patience, t)
        return r.p_served_within >= target and (cap is None or r.p_abandon <= cap)

    assert meets(c)
    assert c == 1 or not meets(c - 1)


@pytest.mark.parametrize(
    ("calls", "aht", "t", "target"), [(0.2, 240.0, 15.0, 0.8), (12.0, 1.0, 0.2, 0.9)]
)
def test_erlang_a_staffing_with_endless_patience_is_erlang_c_staffing(calls, aht, t, target):
    # Abandonment can raise or lower the staff needed (impatient callers who would have been
    # answered within t count as failures), so only the no-abandonment limit is compared.
    expected = erlang_c_staffing(calls, aht, t, target)
    assert erlang_a_staffing(calls, aht, math.inf, t, target) == expected


def test_abandonment_cap_can_be_the_binding_target():
    loose = erlang_a_staffing(5.0, 1.0, 1.0, 0.1, 0.5)
    capped = erlang_a_staffing(5.0, 1.0, 1.0, 0.1, 0.5, max_abandon=0.01)
    assert capped > loose
    assert erlang_a(capped, 5.0, 1.0, 1.0, 0.1).p_abandon <= 0.01
    assert erlang_a(capped - 1, 5.0, 1.0, 1.0, 0.1).p_abandon > 0.01


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        erlang_c(0, 1.0)
    with pytest.raises(ValueError):
        erlang_b(3, -1.0)
    with pytest.raises(ValueError):
        erlang_a(3, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        erlang_a(3, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError):
        erlang_c_staffing(1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        erlang_a_staffing(1.0, 1.0, 1.0, 1.0, 0.8, max_abandon=0.0)
