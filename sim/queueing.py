"""Steady-state queueing formulas for staffing a contact centre: Erlang B, C and A.

Why closed forms beside the simulation: they give a staffing search a fast first answer and
the simulation known answers to meet. Loads are in Erlangs (a = arrival rate x mean service
time); times are in the unit of ``mean_service``. No factorials: Erlang B runs its recursion
in log space and C and A build on it, so thousands of servers cost milliseconds.

Erlang A (M/M/c+M) follows Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance
measures" (Technion, 2007) and Garnett, Mandelbaum & Reiman, "Designing a call center with
impatient customers", M&SOM 4(3), 2002. With mu = 1/mean_service, theta = 1/mean_patience,
the number in system is a birth-death chain with birth rate lambda and death rate
min(k, c) mu + max(k - c, 0) theta: pi_{c+m} = pi_c prod_{i=1..m} lambda / (c mu + i theta),
and arrivals see pi (PASTA).

1. An arrival finding c + m customers joins at queue position m + 1. At position i the queue
   ahead shrinks at rate c mu + (i - 1) theta (a service or an abandonment ahead), whatever
   its own patience tau ~ Exp(theta). Its offered wait V (its wait if it never gave up) is a
   sum of independent exponentials with rates c mu + j theta, j = 0..m, and it is served
   iff tau > V: P(served | m) = E[exp(-theta V)] = prod_{j=0..m} (c mu + j theta) /
   (c mu + (j + 1) theta).
2. Mixed over m with weights pi_{c+m}, V has Laplace transform
   pi_c c mu sum_m lambda^m / prod_{j=0..m} (c mu + j theta + s). Integrating by parts,
   I(b) = int_0^inf exp(lambda H(x) - b x) dx with H(x) = (1 - exp(-theta x)) / theta obeys
   I(b) = 1/b + (lambda / b) I(b + theta), whose expansion is that series at b = c mu + s.
   So V has density pi_c c mu exp(g(x)) on x > 0, g(x) = lambda H(x) - c mu x: Mandelbaum &
   Zeltyn's exp(lambda H(x) - n mu x) for exponential patience.
3. As sum_{k<c} pi_k = pi_c (1 - B) / B, B = Erlang B(c, a), and with J = int_0^inf exp(g):
   P(W > 0) = c mu J / ((1 - B) / B + c mu J). Each other measure is P(W > 0) times the
   integral of exp(g) against a weight, over J: P(Ab) takes 1 - exp(-theta x);
   E[W] = E[min(V, tau)] takes H(x), so P(Ab) = theta E[W]; P(served, 0 < W <= t) takes
   exp(-theta x) on [0, t]; P(V > t) takes 1 on (t, inf).
g is concave, so exp(g) is unimodal with mode max(0, ln(lambda / (c mu)) / theta). The
integrals use Gauss-Legendre panels doubling in width away from the mode, over the range
where exp(g) is within e^-46 of its peak and scaled by the peak, so very impatient callers
and overload with near-endless patience (a mode far out) work as well as the usual cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_TAIL = 46.0  # integrate exp(g) where it is within e^-46 (about 1e-20) of its peak
_NODES = 16  # Gauss-Legendre nodes per panel


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of an M/M/c+M queue, all per arrival unless said otherwise."""

    p_wait: float  # P(W > 0): share of arrivals that find every agent busy
    p_abandon: float  # P(Ab): share that hang up before being answered
    mean_wait: float  # E[W] over all arrivals; W = time queued until answer or hang-up
    p_served_within: float  # P(answered and W <= threshold): the service level
    p_wait_le: float  # P(V <= threshold), V = offered wait (the wait with endless patience)
    utilisation: float  # mean busy agents / agents
    mean_queue: float  # E[Q] = arrival_rate * E[W] (Little)


def _check(name: str, value: float, *, positive: bool = False, finite: bool = True) -> None:
    ok = value > 0.0 if positive else value >= 0.0  # False for NaN
    if not ok or (finite and math.isinf(value)):
        raise ValueError(  # not for people: argument check
            f"{name} must be {'> 0' if positive else '>= 0'}, got {value!r}"
        )


def _check_servers(servers: int, load: float, least: int = 1) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < least:
        raise ValueError(  # not for people: argument check
            f"servers must be an integer >= {least}, got {servers!r}"
        )
    _check("load", load)


def _log_erlang_b(servers: int, load: float) -> float:
    """Log of Erlang B by B_k = a B_{k-1} / (k + a B_{k-1}), B_0 = 1.

    Why log space: B drops below the smallest float when c is far above a, yet Erlang C
    and A need (1 - B) / B. Recursion: Iversen, "Teletraffic Engineering and Network
    Planning" (DTU/ITU-D), chapter on Erlang's loss system.
    """
    log_load, log_b = math.log(load), 0.0
    for k in range(1, servers + 1):
        log_b = log_load + log_b - math.log(k + load * math.exp(log_b))
    return log_b


def erlang_b(servers: int, load: float) -> float:
    """Erlang B blocking probability B(c, a) of the M/M/c/c loss system (Erlang, 1917).

    Why: the share of calls lost when there is no queue (c >= 0 lines, a Erlangs offered),
    and the base that Erlang C and A are computed from.
    """
    _check_servers(servers, load, least=0)
    if load == 0.0:
        return 1.0 if servers == 0 else 0.0
    return math.exp(_log_erlang_b(servers, load))


def erlang_c(servers: int, load: float) -> float:
    """Erlang C: probability that an arrival must wait in an M/M/c queue (c >= 1 agents).

    Why through Erlang B: C = c B / (c - a (1 - B)) (Iversen, ibid., Erlang's delay system)
    inherits the stable recursion instead of summing a^k / k!. Returns 1.0 when a >= c,
    where the queue never empties.
    """
    _check_servers(servers, load)
    if load >= servers:
        return 1.0
    if load == 0.0:
        return 0.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1.0 - b))


def mmc_mean_wait(servers: int, load: float, mean_service: float) -> float:
    """Mean wait in queue of all arrivals (ASA) in M/M/c: C s / (c - a) (Iversen, ibid.).

    Why over all arrivals: that is how contact centres report ASA, answered-at-once included.

    Returns:
        Mean wait in the unit of ``mean_service``; ``math.inf`` when a >= c.
    """
    _check_servers(servers, load)
    _check("mean_service", mean_service, positive=True)
    if load >= servers:
        return math.inf
    return erlang_c(servers, load) * mean_service / (servers - load)


def mmc_service_level(servers: int, load: float, mean_service: float, threshold: float) -> float:
    """Share answered within ``threshold`` in M/M/c: 1 - C exp(-(c - a) t / s) (Iversen, ibid.).

    Why: the "80 % in 20 s" target contact centres staff to. Queueing is first come,
    first served, so a waiting call's delay is exponential with rate (c - a) / s.

    Returns:
        P(W <= threshold) in [0, 1]; 0.0 when a >= c (the queue grows without bound).
    """
    _check_servers(servers, load)
    _check("mean_service", mean_service, positive=True)
    _check("threshold", threshold, finite=False)
    if load >= servers:
        return 0.0
    late = erlang_c(servers, load) * math.exp(-(servers - load) * threshold / mean_service)
    return min(1.0, max(0.0, 1.0 - late))


def mmc_utilisation(servers: int, load: float) -> float:
    """Mean share of agents busy in M/M/c: a / c, capped at 1 when a >= c.

    Why capped: an overloaded centre has every agent busy, never more.
    """
    _check_servers(servers, load)
    return min(load / servers, 1.0)


def _reach(g: Callable[[float], float], start: float, peak: float, step: float) -> float:
    """Walk away from the mode, doubling the step, until exp(g) is negligible or x is 0."""
    while True:
        x = start + step
        if x <= 0.0:
            return 0.0
        if g(x) < peak - _TAIL:
            return x
        step *= 2.0


def _nodes(
    mode: float, low: float, high: float, cut: float, step: float
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Gauss-Legendre nodes, weights and "before cut" flags on [low, high].

    Why panels that double in width away from the mode: exp(g) and the weights vary on
    scales from ``step`` = 1 / (lambda + c mu + theta) to the whole range (very impatient
    callers make the first tiny, slow drift the last huge); a panel as wide as its distance
    from the mode resolves each scale where the integrand is still large.
    """
    span = max(mode - low, high - mode)
    reach = step * (2.0 ** np.arange(math.ceil(math.log2(span / step + 1.0)) + 1) - 1.0)
    edges = np.unique(np.clip(np.concatenate([mode - reach, mode + reach, [cut]]), low, high))
    half = 0.5 * np.diff(edges)
    mid = edges[:-1] + half
    xi, wi = np.polynomial.legendre.leggauss(_NODES)
    x = (mid[:, None] + half[:, None] * xi).ravel()
    return x, (half[:, None] * wi).ravel(), np.repeat(mid < cut, _NODES)


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else math.exp(z) / (1.0 + math.exp(z))


def _unit(p: float) -> float:
    return min(1.0, max(0.0, p))


def erlang_a(
    servers: int,
    arrival_rate: float,
    mean_service: float,
    mean_patience: float,
    threshold: float = 0.0,
) -> ErlangAResult:
    """Steady state of the M/M/c+M (Erlang A) queue; derivation in the module docstring.

    Why Erlang A: callers hang up, which shortens the queue for those who stay and loses
    those who go; Erlang C ignores both and says nothing once load reaches the agents.

    Args:
        servers: Number of agents, c >= 1.
        arrival_rate: Calls per time unit, lambda >= 0.
        mean_service: Mean handling time 1/mu, > 0.
        mean_patience: Mean patience 1/theta, > 0; ``math.inf`` gives Erlang C.
        threshold: Service-level threshold t >= 0, same unit.

    Returns:
        The measures in :class:`ErlangAResult`.
    """
    _check("arrival_rate", arrival_rate)
    _check_servers(servers, arrival_rate)
    _check("mean_service", mean_service, positive=True)
    _check("mean_patience", mean_patience, positive=True, finite=False)
    _check("threshold", threshold, finite=False)
    load = arrival_rate * mean_service
    if load == 0.0:
        return ErlangAResult(0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0)
    if math.isinf(mean_patience):
        if load >= servers:
            return ErlangAResult(1.0, 0.0, math.inf, 0.0, 0.0, 1.0, math.inf)
        wait = mmc_mean_wait(servers, load, mean_service)
        level = mmc_service_level(servers, load, mean_service, threshold)
        return ErlangAResult(
            erlang_c(servers, load), 0.0, wait, level, level, load / servers, arrival_rate * wait
        )
    lam, c_mu, theta = arrival_rate, servers / mean_service, 1.0 / mean_patience

    def g(x: float) -> float:
        return lam * -math.expm1(-theta * x) / theta - c_mu * x

    mode = math.log(lam / c_mu) / theta if lam > c_mu else 0.0
    peak, step = g(mode), 1.0 / (lam + c_mu + theta)
    low = _reach(g, mode, peak, -step) if mode > 0.0 else 0.0
    high = _reach(g, mode, peak, step)
    x, w, early = _nodes(mode, low, high, min(max(threshold, low), high), step)
    f = w * np.exp(lam * -np.expm1(-theta * x) / theta - c_mu * x - peak)
    total = float(f.sum())
    gone = float((f * -np.expm1(-theta * x)).sum())
    served_early = float((f * np.exp(-theta * x))[early].sum())
    log_b = _log_erlang_b(servers, load)
    log_no_wait = math.log1p(-math.exp(log_b)) - log_b  # log of sum_{k<c} pi_k / pi_c
    p_wait = _logistic(math.log(c_mu) + peak + math.log(total) - log_no_wait)
    p_abandon = _unit(p_wait * gone / total)
    mean_wait = p_abandon / theta
    return ErlangAResult(
        p_wait=p_wait,
        p_abandon=p_abandon,
        mean_wait=mean_wait,
        p_served_within=_unit(1.0 - p_wait + p_wait * served_early / total),
        p_wait_le=_unit(1.0 - p_wait * float(f[~early].sum()) / total),
        utilisation=_unit(load * (1.0 - p_abandon) / servers),
        mean_queue=arrival_rate * mean_wait,
    )


def _smallest(meets: Callable[[int], bool], start: int) -> int:
    """Smallest c >= start with meets(c), for meets monotone in c: doubling, then bisection."""
    low, high = start, start
    while not meets(high):
        low, high = high + 1, 2 * high
    while low < high:
        mid = (low + high) // 2
        if meets(mid):
            high = mid
        else:
            low = mid + 1
    return low


def erlang_c_staffing(
    arrival_rate: float, mean_service: float, threshold: float, target_service_level: float
) -> int:
    """Fewest agents whose M/M/c service level within ``threshold`` reaches the target.

    Why bisection is safe: the Erlang C service level rises with c once c > a.

    Raises:
        ValueError: if the target is not strictly between 0 and 1 (1 is never reached).
    """
    _check("arrival_rate", arrival_rate)
    _check("mean_service", mean_service, positive=True)
    _check("threshold", threshold, finite=False)
    if not 0.0 < target_service_level < 1.0:
        raise ValueError(  # not for people: argument check
            f"target_service_level must be in (0, 1), got {target_service_level!r}"
        )
    load = arrival_rate * mean_service
    return _smallest(
        lambda c: mmc_service_level(c, load, mean_service, threshold) >= target_service_level,
        math.floor(load) + 1,
    )


def erlang_a_staffing(
    arrival_rate: float,
    mean_service: float,
    mean_patience: float,
    threshold: float,
    target_service_level: float,
    max_abandon: float | None = None,
) -> int:
    """Fewest agents whose Erlang A share answered within ``threshold`` reaches the target.

    Why a separate abandonment cap: a centre can meet "80 % in 20 s" while many callers
    hang up; ``max_abandon`` (if given) also bounds P(Ab). Both measures improve as c
    grows (more agents shorten every queue), so doubling plus bisection finds the least c.

    Raises:
        ValueError: if a target is not strictly between 0 and 1 (max_abandon may be 1).
    """
    if not 0.0 < target_service_level < 1.0:
        raise ValueError(  # not for people: argument check
            f"target_service_level must be in (0, 1), got {target_service_level!r}"
        )
    if max_abandon is not None and not 0.0 < max_abandon <= 1.0:
        raise ValueError(  # not for people: argument check
            f"max_abandon must lie in (0, 1], got {max_abandon!r}"
        )

    def meets(c: int) -> bool:
        r = erlang_a(c, arrival_rate, mean_service, mean_patience, threshold)
        ok_abandon = max_abandon is None or r.p_abandon <= max_abandon
        return r.p_served_within >= target_service_level and ok_abandon

    return _smallest(meets, 1)
