"""Fewest agents that meet every target with a stated confidence: Erlang A, then simulation.

Why both: Erlang A (:mod:`sim.queueing`) answers in milliseconds but only for a stationary
queue and only on average; the simulation sees everything the scenario does but costs a
Monte Carlo run per staffing level. So Erlang A picks where to start and the simulation
decides, level by level, judged on the share of replications that meet each target.

Why the claim is conservative: P(met) is estimated from a finite number of replications,
so a level is *supported* only when the lower bound of the one-sided Wilson score interval
(at :data:`ONE_SIDED_LEVEL`) of every target's P(met) reaches the asked confidence. With
n replications all meeting a target that bound is n / (n + z^2), so a confidence of 0.9
needs at least 25 replications a level and 0.95 needs 52 (:func:`min_replications`).

Every level runs on the same replication seeds (common random numbers): the levels meet
the same customers, so P(met) hardly ever falls as agents are added and the differences
between levels are the staffing's, not the dice's.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from plans.model import Plan
from plans.schedule import covers
from plans.types import format_duration, parse_duration
from scenarios.model import (
    REQUEST_TYPES,
    ComplaintSurge,
    DataLoss,
    Scenario,
    StaffAbsence,
    StaffGroup,
)
from sim.analysis.backends import Backend, make_backend
from sim.analysis.montecarlo import MonteCarloResult, run_monte_carlo
from sim.analysis.targets import Check
from sim.engine.demand import channel_shares, hour_segments, start_minute_of_week
from sim.queueing import erlang_a, erlang_a_staffing

Op = Literal[">=", "<="]
RATIO_KPIS = {"service_level": ">=", "abandonment": "<="}
"""KPIs that are shares, and the only direction that gets easier with more agents."""
TIME_KPIS = {"asa": "<=", "rto": "<=", "rpo": "<="}
"""KPIs that are times (minutes), all caps."""
KPIS: dict[str, str] = {**RATIO_KPIS, **TIME_KPIS}
ONE_SIDED_LEVEL = 0.95
"""Confidence level of the one-sided Wilson bounds that judge P(met)."""
Z_ONE_SIDED = NormalDist().inv_cdf(ONE_SIDED_LEVEL)
MAX_LEVELS = 12
"""Staffing levels a search simulates at most."""
EXAMPLE = "e.g. 'service_level>=0.8', 'abandonment<=0.05' or 'asa<=30s'"


@dataclass(frozen=True, slots=True)
class Target:
    """A staffing target: a replication KPI, how it compares, and the figure to reach."""

    kpi: str
    op: Op
    threshold: float
    """In the KPI's unit: a share for service_level and abandonment, minutes for times."""

    @property
    def label(self) -> str:
        """Readable form, as it would be typed: 'service_level>=0.8', 'asa<=30s'."""
        figure = format_duration(self.threshold) if self.kpi in TIME_KPIS else f"{self.threshold:g}"
        return f"{self.kpi}{self.op}{figure}"

    def check(self) -> Check:
        """The same target as a per-replication check (undefined values count as met)."""
        return Check(self.kpi, self.kpi, self.op, self.threshold, self.label)


def parse_target(text: str) -> Target:
    """Read 'KPI>=X' or 'KPI<=X': shares as 0.8 or 80 %, times with a unit ('30s', '4h').

    Raises:
        ValueError: naming the text and what is wrong with it.
    """
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)?\s*(>=|<=|=>|=<|>|<|==|=)?\s*(.*?)\s*", text)
    assert match is not None  # the pattern matches any string
    name, op, figure = match.group(1) or "", match.group(2), match.group(3)
    if op not in (">=", "<="):
        raise ValueError(f"target '{text}': give a KPI, '>=' or '<=' and a figure, {EXAMPLE}")
    kpi = name.lower()
    if kpi not in KPIS:
        close = difflib.get_close_matches(kpi, KPIS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(
            f"target '{text}': unknown KPI '{name}'{hint}; use one of {', '.join(KPIS)}"
        )
    if op != KPIS[kpi]:
        raise ValueError(
            f"target '{text}': {kpi} can only be {'a floor' if KPIS[kpi] == '>=' else 'a cap'} "
            f"({kpi}{KPIS[kpi]}...), since a staffing target must get easier with more agents"
        )
    if not figure:
        raise ValueError(f"target '{text}': the figure after '{op}' is missing, {EXAMPLE}")
    threshold = _time(text, figure) if kpi in TIME_KPIS else _share(text, figure)
    return Target(kpi, op, threshold)  # type: ignore[arg-type]


def _share(text: str, figure: str) -> float:
    percent = figure.endswith("%")
    try:
        value = float(figure.rstrip("%").strip()) / (100.0 if percent else 1.0)
    except ValueError:
        raise ValueError(
            f"target '{text}': '{figure}' is not a number (write a share, e.g. 0.8 or 80%)"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"target '{text}': {figure} is not a share between 0 and 1 (write e.g. 0.8 or 80%)"
        )
    return value


def _time(text: str, figure: str) -> float:
    try:
        bare = re.fullmatch(r"\d+(\.\d+)?", figure)  # a number without a unit: say so
        number = (int(figure) if figure.isdigit() else float(figure)) if bare else None
        return parse_duration(figure if number is None else number)
    except ValueError as exc:
        raise ValueError(f"target '{text}': {exc}") from None


# --- Erlang A start -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HourEstimate:
    """The Erlang A staffing of one clock hour of the run."""

    start: float
    """Run minute the hour starts."""
    rate: float
    """Live contacts offered per hour."""
    agents: int
    """Fewest agents on duty Erlang A says meet the targets in that hour."""
    roster: int | None
    """Agents in all (the scaled staffing) that put ``agents`` on duty then; None when
    no group serving a live channel works that hour."""


def _event_windows(scenario: Scenario) -> list[tuple[float, float]]:
    """[start, end) of each event, random lengths taken at their mean."""
    windows = []
    for e in scenario.events:
        if isinstance(e, ComplaintSurge):
            end = e.start + 2 * e.ramp + e.duration
        elif isinstance(e, StaffAbsence):
            end = scenario.horizon if e.duration is None else e.start + e.duration
        elif isinstance(e, DataLoss):
            continue  # an instant: it costs data, not capacity
        else:
            end = e.start + e.duration.moments()[0]
        windows.append((e.start, end))
    return windows


def _means(plan: Plan, scenario: Scenario) -> tuple[float, float, float]:
    """(share of demand on live channels, mean handle time, mean patience) over them."""
    shares = channel_shares(plan, scenario)
    types = scenario.demand.request_types
    weight = handle = patience = 0.0
    for channel in plan.channels:
        if channel.effective_mode() != "live":
            continue
        for rtype in REQUEST_TYPES:
            w = shares[channel.id] * types.get(rtype, 0.0)
            if w <= 0.0:
                continue
            weight += w
            handle += w * scenario.handle_time.pick(channel.id, rtype).moments()[0]
            if scenario.patience is not None:
                patience += w * scenario.patience.pick(channel.id, rtype).moments()[0]
    if weight <= 0.0:
        return 0.0, 1.0, math.inf
    live = weight / (sum(types.values()) or 1.0)
    return live, handle / weight, math.inf if scenario.patience is None else patience / weight


def _hour_agents(
    plan: Plan, rate: float, handle: float, patience: float, targets: list[Target]
) -> int:
    """Erlang A staffing of one hour for the service-level, abandonment and ASA targets."""
    per_min = rate / 60.0
    by_kpi = {t.kpi: t.threshold for t in targets}
    level = min(max(by_kpi.get("service_level", 1e-9), 1e-9), 1.0 - 1e-9)
    cap = by_kpi.get("abandonment")
    within = plan.targets.service_level.answer_within
    agents = erlang_a_staffing(
        per_min, handle, patience, within, level, None if cap is None else max(cap, 1e-9)
    )
    if "asa" in by_kpi:  # mean wait of all arrivals, a shade above the answered ones' ASA
        bound = agents + int(per_min * handle * 10) + 100
        while agents < bound:
            if erlang_a(agents, per_min, handle, patience).mean_wait <= by_kpi["asa"]:
                break
            agents += 1
    return agents


def _on_duty_share(plan: Plan, scenario: Scenario) -> Callable[[float], float]:
    """Share of the staffing to scale that is on duty and serves a live channel, by run minute."""
    groups = base_groups(plan, scenario)
    live = {c.id for c in plan.channels if c.effective_mode() == "live"}
    total = sum(g.agents for g in groups)
    shifts = {s.id: s.window.intervals() for s in plan.shifts}
    offset = start_minute_of_week(scenario)

    def share(t: float) -> float:
        on = sum(
            g.agents
            for g in groups
            if live & set(g.skills)
            and (g.shift is None or covers(shifts[g.shift], int(offset + t)))
        )
        return on / total if total else 1.0

    return share


def erlang_a_hours(plan: Plan, scenario: Scenario, targets: list[Target]) -> list[HourEstimate]:
    """The Erlang A staffing of each ordinary clock hour of the run.

    Ordinary: after the warm-up and clear of every event (random lengths at their
    mean); when no hour is, every hour counts. The offered rate is the scenario's base
    rate times the share of demand on live channels; handle time and patience are the
    means of the scenario's distributions over those channels and request types. The
    roster turns agents on duty into agents in all, by the share of the scaled
    staffing on a shift that hour (1 when the groups have no shifts).
    """
    live, handle, patience = _means(plan, scenario)
    windows = _event_windows(scenario)
    segments = hour_segments(scenario)
    ordinary = [
        s
        for s in segments
        if s[1] > scenario.warm_up and not any(s[0] < b and a < s[1] for a, b in windows)
    ] or segments
    on_duty = _on_duty_share(plan, scenario)
    cache: dict[float, int] = {}
    out = []
    for start, end, rate in ordinary:
        offered = rate * live
        if offered not in cache:
            cache[offered] = _hour_agents(plan, offered, handle, patience, targets)
        agents, share = cache[offered], on_duty((start + end) / 2)
        roster = math.ceil(agents / share - 1e-9) if share > 0 else None
        out.append(HourEstimate(start, offered, agents, roster))
    return out


def erlang_a_start(plan: Plan, scenario: Scenario, targets: list[Target]) -> int:
    """Erlang A agents (in all) for the busiest ordinary hour: one fixed team covering the peak.

    Agents in all: with shifts, enough that the agents on duty in each hour meet that
    hour's Erlang A figure; hours nobody serving a live channel works are left out.
    """
    rosters = [h.roster for h in erlang_a_hours(plan, scenario, targets) if h.roster is not None]
    return max(rosters, default=1)


# --- Staffing levels ------------------------------------------------------------------


def base_groups(plan: Plan, scenario: Scenario) -> tuple[StaffGroup, ...]:
    """The staffing a search scales: the scenario's, else the plan's."""
    if scenario.staffing is not None:
        return scenario.staffing
    return tuple(StaffGroup.from_plan(g) for g in plan.staffing)


def with_agents(plan: Plan, scenario: Scenario, agents: int) -> Scenario:
    """A copy of the scenario whose staffing has ``agents`` in all, groups kept in proportion.

    Why largest remainders: the counts add up to exactly ``agents`` and each group is as
    close to its share as whole people allow (ties go to the earlier group).
    """
    groups = base_groups(plan, scenario)
    if not groups:
        raise ValueError(
            f"scenario '{scenario.meta.id}': neither it nor the plan gives any staffing to scale"
        )
    weights = [g.agents for g in groups] if sum(g.agents for g in groups) else [1] * len(groups)
    quotas = [agents * w / sum(weights) for w in weights]
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(groups)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: agents - sum(counts)]:
        counts[i] += 1
    data = scenario.model_dump()
    data["staffing"] = [g.model_dump() | {"agents": n} for g, n in zip(groups, counts, strict=True)]
    return Scenario.model_validate(data)


def wilson_bounds(met: int, n: int, z: float = Z_ONE_SIDED) -> tuple[float, float]:
    """One-sided Wilson score bounds (lower, upper) of a proportion, each at ``z``."""
    if n == 0:
        return 0.0, 1.0
    p, z2 = met / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def min_replications(confidence: float) -> int:
    """Fewest replications whose lower bound can reach ``confidence`` (all met: n/(n+z^2))."""
    return max(1, math.ceil(Z_ONE_SIDED**2 * confidence / (1.0 - confidence) - 1e-9))


@dataclass(frozen=True, slots=True)
class TargetEvidence:
    """How often one target was met at one staffing level."""

    target: Target
    met: int
    n: int
    lower: float
    """One-sided Wilson lower bound of P(met)."""
    upper: float
    """One-sided Wilson upper bound of P(met)."""
    mean: float
    """Mean of the KPI over the replications that define it (nan: none do)."""

    @property
    def probability(self) -> float:
        """Share of replications that met it."""
        return self.met / self.n if self.n else math.nan

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "target": self.target.label,
            "met": self.met,
            "replications": self.n,
            "probability_met": self.probability,
            "lower": self.lower,
            "upper": self.upper,
            "kpi_mean": None if math.isnan(self.mean) else self.mean,
        }


@dataclass(frozen=True, slots=True)
class Level:
    """One staffing level simulated, and whether it supports the claim."""

    agents: int
    evidence: tuple[TargetEvidence, ...]
    supported: bool
    """Every target's lower bound reaches the confidence."""

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "agents": self.agents,
            "supported": self.supported,
            "targets": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class StaffingResult:
    """The answer of a search and the evidence for it."""

    found: bool
    agents: int | None
    """Fewest agents supported (None when not even ``max_agents`` is)."""
    resolved: bool
    """The level below ``agents`` was simulated and not supported (or ``agents`` is 1);
    False when the level budget ran out first, making ``agents`` an upper bound."""
    budget_spent: bool
    """The search stopped because ``max_levels`` levels were simulated, not because it
    had its answer (or had ruled out every level up to ``max_agents``)."""
    start: int
    """The Erlang A estimate the search began from."""
    targets: tuple[Target, ...]
    confidence: float
    replications: int
    seed: int
    max_agents: int
    levels: tuple[Level, ...]
    """Every level simulated, fewest agents first."""

    @property
    def runs(self) -> int:
        """Simulation runs it took: levels x replications."""
        return len(self.levels) * self.replications

    def level(self, agents: int) -> Level:
        """The evidence for one simulated level."""
        return next(lv for lv in self.levels if lv.agents == agents)

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "found": self.found,
            "agents": self.agents,
            "resolved": self.resolved,
            "budget_spent": self.budget_spent,
            "erlang_a_start": self.start,
            "targets": [t.label for t in self.targets],
            "confidence": self.confidence,
            "one_sided_level": ONE_SIDED_LEVEL,
            "replications": self.replications,
            "seed": self.seed,
            "max_agents": self.max_agents,
            "runs": self.runs,
            "levels": [lv.to_dict() for lv in self.levels],
        }


def _evidence(result: MonteCarloResult, target: Target, n: int) -> TargetEvidence:
    values = result.values(target.kpi)
    check = target.check()
    met = sum(check.met(float(v)) for v in values) if len(values) else n
    lower, upper = wilson_bounds(met, n)
    summary = result.kpis.get(target.kpi)
    mean = math.nan if summary is None else summary.mean
    return TargetEvidence(target, met, n, lower, upper, mean)


def _validate(targets: list[Target], confidence: float, replications: int) -> None:
    if not targets:
        raise ValueError(f"give at least one target, {EXAMPLE}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    least = min_replications(confidence)
    if replications < least:
        best = replications / (replications + Z_ONE_SIDED**2)
        raise ValueError(
            f"{replications} replications can never support confidence {confidence:g} "
            f"(even if every one meets the targets the lower bound is {best:.3f}); "
            f"use at least {least}"
        )


def search(
    plan: Plan,
    scenario: Scenario,
    targets: list[Target],
    confidence: float = 0.9,
    replications: int = 40,
    seed: int = 20260301,
    workers: int = 1,
    backend: Backend | None = None,
    max_agents: int | None = None,
    max_levels: int = MAX_LEVELS,
    progress: Callable[[Level], None] | None = None,
) -> StaffingResult:
    """Fewest agents (in total, groups in proportion) meeting every target with ``confidence``.

    Starts from :func:`erlang_a_start`; if that level is supported, steps down (1, 2, 4...
    agents) while still supported, else steps up likewise, capped at ``max_agents``
    (default: twice the start or the start + 10, whichever is more); then bisects the
    gap between the highest unsupported and the lowest supported level. That finds the
    fewest supported agents if P(met) rises with agents, which common random numbers
    make hold level by level. At most ``max_levels`` levels are simulated; if the
    budget runs out first the answer is the lowest supported level seen
    (``resolved`` False). Each level runs :func:`sim.analysis.montecarlo.run_monte_carlo` on the
    same ``seed``; ``backend`` (default: a process pool of ``workers``, or this process
    for one worker) is reused for every level. A reserve (agents beyond the answer, or
    reserve pools called in) is not searched for.

    Raises:
        ValueError: no target, confidence outside (0, 1), too few replications to ever
            support it, max_agents below 1, or no staffing to scale.
    """
    _validate(targets, confidence, replications)
    start = max(1, erlang_a_start(plan, scenario, targets))
    top = max(2 * start, start + 10) if max_agents is None else max_agents
    if top < 1:
        raise ValueError(f"max_agents must be at least 1, got {top}")
    if max_levels < 1:
        raise ValueError(f"max_levels must be at least 1, got {max_levels}")
    start = min(start, top)
    with_agents(plan, scenario, start)  # fail early if there is no staffing to scale
    runner = make_backend("process", workers) if backend is None else backend
    levels: dict[int, Level] = {}
    spent: list[int] = []  # the levels asked for beyond the budget

    def supported(agents: int) -> bool | None:
        """Whether a level supports the claim; None once the budget is spent."""
        if agents not in levels:
            if len(levels) >= max_levels:
                spent.append(agents)
                return None
            scaled = with_agents(plan, scenario, agents)
            result = run_monte_carlo(plan, scaled, replications, seed, workers, backend=runner)
            evidence = tuple(_evidence(result, t, replications) for t in targets)
            levels[agents] = Level(agents, evidence, all(e.lower >= confidence for e in evidence))
            if progress is not None:
                progress(levels[agents])
        return levels[agents].supported

    try:
        good, bad = _bracket(supported, start, top)
        while good is not None and bad is not None and good - bad > 1:
            mid = (good + bad) // 2
            verdict = supported(mid)
            if verdict is None:
                break
            good, bad = (mid, bad) if verdict else (good, mid)
    finally:
        if backend is None:
            runner.close()
    return StaffingResult(
        found=good is not None,
        agents=good,
        resolved=good is not None and bad is not None and good - bad == 1,
        budget_spent=bool(spent),
        start=start,
        targets=tuple(targets),
        confidence=confidence,
        replications=replications,
        seed=seed,
        max_agents=top,
        levels=tuple(levels[k] for k in sorted(levels)),
    )


def _bracket(
    supported: Callable[[int], bool | None], start: int, top: int
) -> tuple[int | None, int | None]:
    """(lowest supported level, highest unsupported level below it), galloping from start.

    The first is None when no level up to ``top`` is supported; the second is 0 when
    one agent is supported and None when the budget ran out before one was found.
    """
    verdict = supported(start)
    if verdict:
        good, step = start, 1
        while good > 1:
            below = max(1, good - step)
            verdict = supported(below)
            if verdict is None:
                return good, None
            if not verdict:
                return good, below
            good, step = below, step * 2
        return good, 0
    bad, step = start, 1
    while bad < top and verdict is not None:
        above = min(top, bad + step)
        verdict = supported(above)
        if verdict:
            return above, bad
        if verdict is False:
            bad, step = above, step * 2
    return None, bad
